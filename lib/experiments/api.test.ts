/**
 * The task-set and experiment HTTP API through the real route handlers, on the process database
 * (in-memory PGlite) and the process run manager, every LLM call to the scripted server: the
 * Contract's shapes and statuses, and compare numbers against the independent fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml } from "@/lib/runs/testing/harness";
import { TaskSetCreatedSchema, TaskSetDetailSchema, TaskSetListSchema } from "@/lib/task-sets/api-types";
import { CompareResultSchema, ExperimentAcceptedSchema, ExperimentDetailSchema, ExperimentListSchema } from "./api-types";
import fixture from "./testing/compare-fixture.json";
import { seedExperiment } from "./testing/seed";

process.env.ATLAS_DATA_DIR = "memory://";
delete process.env.DATABASE_URL;
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env[SCRIPTED_KEY_ENV] = "test-key";

const taskSetsRoute = await import("@/app/api/task-sets/route");
const taskSetRoute = await import("@/app/api/task-sets/[id]/route");
const experimentsRoute = await import("@/app/api/experiments/route");
const experimentRoute = await import("@/app/api/experiments/[id]/route");
const cancelRoute = await import("@/app/api/experiments/[id]/cancel/route");
const compareRoute = await import("@/app/api/experiments/[id]/compare/route");

let llm: ScriptedLlm;
let yaml: string;

beforeAll(async () => {
  llm = await startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 2 });
  yaml = scriptedConfigYaml(llm.url);
});

afterAll(async () => {
  const { getRunManager } = await import("@/lib/runs/process");
  await getRunManager().shutdown();
  await closeDatabase();
  await llm?.close();
});

const url = (path: string) => `http://atlas.test${path}`;
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (path: string, body: unknown) =>
  new Request(url(path), { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });

async function json(response: Response, status: number): Promise<unknown> {
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}
const issuePaths = (body: unknown) => (body as { error: { issues?: { path: string }[] } }).error.issues?.map((issue) => issue.path) ?? [];

describe("task sets API", () => {
  it("creates (201 {id, name, count}), lists and reads a task set; a taken name is 409", async () => {
    const created = TaskSetCreatedSchema.parse(
      await json(await taskSetsRoute.POST(post("/api/task-sets", { name: "api set", tasks: [{ task: "a", expected_answer: "A" }, { task: "b", metadata: { k: 1 } }] }), undefined), 201),
    );
    expect(created).toEqual({ id: created.id, name: "api set", count: 2 });
    const list = TaskSetListSchema.parse(await json(await taskSetsRoute.GET(new Request(url("/api/task-sets")), undefined), 200));
    expect(list.taskSets.map((set) => set.name)).toContain("api set");
    const detail = TaskSetDetailSchema.parse(await json(await taskSetRoute.GET(new Request(url(`/api/task-sets/${created.id}`)), params(String(created.id))), 200));
    expect(detail.tasks).toEqual([
      { index: 0, task: "a", expected_answer: "A", metadata: null },
      { index: 1, task: "b", expected_answer: null, metadata: { k: 1 } },
    ]);
    await json(await taskSetsRoute.POST(post("/api/task-sets", { name: "api set", tasks: [{ task: "c" }] }), undefined), 409);
  });

  it("names the bad task and stores nothing; unknown ids are 404", async () => {
    const body = await json(await taskSetsRoute.POST(post("/api/task-sets", { name: "bad set", tasks: [{ task: "ok" }, { task: "" }, { tsk: "x" }] }), undefined), 400);
    expect(issuePaths(body)).toEqual(expect.arrayContaining(["tasks.1.task", "tasks.2.task"]));
    const list = TaskSetListSchema.parse(await json(await taskSetsRoute.GET(new Request(url("/api/task-sets")), undefined), 200));
    expect(list.taskSets.map((set) => set.name)).not.toContain("bad set");
    await json(await taskSetRoute.GET(new Request(url("/api/task-sets/424242")), params("424242")), 404);
    await json(await taskSetRoute.GET(new Request(url("/api/task-sets/abc")), params("abc")), 404);
  });
});

describe("experiments API", () => {
  it("starts an experiment (202), reports it per the contract until completed, and lists it", async () => {
    const set = TaskSetCreatedSchema.parse(await json(await taskSetsRoute.POST(post("/api/task-sets", { name: "two tasks", tasks: [{ task: "Plan a party" }, { task: "Write a haiku" }] }), undefined), 201));
    const accepted = ExperimentAcceptedSchema.parse(
      await json(await experimentsRoute.POST(post("/api/experiments", { name: "api", taskSetId: set.id, arms: [{ config: { yaml } }, { config: { name: "examples/demo_offline" } }] }), undefined), 202),
    );
    expect(accepted.arms.map((arm) => arm.configName)).toEqual(["inline", "examples/demo_offline"]);

    const read = async () =>
      ExperimentDetailSchema.parse(await json(await experimentRoute.GET(new Request(url(`/api/experiments/${accepted.experimentId}`)), params(String(accepted.experimentId))), 200));
    let detail = await read();
    while (detail.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      detail = await read();
    }
    expect(detail.status).toBe("completed");
    expect(detail.counts).toMatchObject({ total: 4, succeeded: 4, failed: 0, cancelled: 0, interrupted: 0, pending: 0 });
    expect(detail.arms.map((arm) => arm.id)).toEqual(accepted.arms.map((arm) => arm.id));
    for (const run of detail.runs) {
      expect(Object.keys(run)).toEqual(expect.arrayContaining(["taskIndex", "armId", "repeat", "sessionId", "status", "reward", "referenceScore", "costUsd", "worker", "retryOf"]));
      expect(run.worker).toMatch(/^.+:\d+$/);
    }
    const list = ExperimentListSchema.parse(await json(await experimentsRoute.GET(new Request(url("/api/experiments")), undefined), 200));
    expect(list.experiments.find((experiment) => experiment.id === accepted.experimentId)?.counts.succeeded).toBe(4);
    // Finished: cancelling is a conflict.
    await json(await cancelRoute.POST(post(`/api/experiments/${accepted.experimentId}/cancel`, ""), params(String(accepted.experimentId))), 409);
  });

  it("bad input is 400 with issues naming the field; an unknown task set or experiment is 404", async () => {
    const cases: [unknown, string][] = [
      [{ taskSetId: "1", arms: [{ config: { yaml } }] }, "taskSetId"],
      [{ taskSetId: 1, arms: [] }, "arms"],
      [{ taskSetId: 1, arms: [{ config: { yaml } }], repeats: 0 }, "repeats"],
      [{ taskSetId: 1, arms: [{ config: { yaml } }], maxCostUsd: -1 }, "maxCostUsd"],
      [{ taskSetId: 1, arms: [{ config: { nam: "x" } }] }, "arms.0.config"],
    ];
    for (const [body, path] of cases) {
      const answer = await json(await experimentsRoute.POST(post("/api/experiments", body), undefined), 400);
      expect(issuePaths(answer).some((issue) => issue.startsWith(path)), `${JSON.stringify(body)} → ${JSON.stringify(answer)}`).toBe(true);
    }
    await json(await experimentsRoute.POST(post("/api/experiments", { taskSetId: 987654, arms: [{ config: { yaml } }] }), undefined), 404);
    await json(await experimentRoute.GET(new Request(url("/api/experiments/987654")), params("987654")), 404);
    await json(await cancelRoute.POST(post("/api/experiments/987654/cancel", ""), params("987654")), 404);
  });

  it("compares two arms task by task: mean Δ, bootstrap interval and wins/losses as the fixture", async () => {
    const { db } = await getDatabase();
    const cells = (rewards: number[], cost: number, duration: number) => rewards.map((reward) => ({ reward, costUsd: cost, durationMs: duration }));
    const seeded = await seedExperiment(db, {
      referenceScores: [
        [0, 1, null, null, null, null],
        [1, 1, null, null, null, null],
      ],
      taskSetName: "fixture tasks",
      yamls: [yaml, scriptedConfigYaml(llm.url, { maxRetries: 2 })],
      cells: [cells(fixture.base, 0.01, 1000), cells(fixture.candidate, 0.02, 500)],
    });
    const [base, candidate] = seeded.arms;
    const compare = (query: string) =>
      compareRoute.GET(new Request(url(`/api/experiments/${seeded.experimentId}/compare?${query}`)), params(String(seeded.experimentId)));
    const result = CompareResultSchema.parse(await json(await compare(`base=${base!.id}&candidate=${candidate!.id}`), 200));
    expect(result.rows).toHaveLength(6);
    expect(result.rows[2]).toMatchObject({ taskIndex: 2, task: "Seeded task 3", base: { sessionIds: [expect.any(Number)] } });
    // Rewards are stored as 4-byte floats: equal to the fixture to about 1e-7.
    result.rows.forEach((row, index) => expect(row.delta).toBeCloseTo(fixture.deltas[index]!, 6));
    expect(result.summary).toMatchObject({ n: 6, wins: 3, losses: 1, ties: 2 });
    expect(result.summary.meanDelta).toBeCloseTo(0.075, 6);
    expect(result.summary.ci95![0]).toBeCloseTo(fixture.ci95[0]!, 6);
    expect(result.summary.ci95![1]).toBeCloseTo(fixture.ci95[1]!, 6);
    expect(result.summary.costRatio).toBeCloseTo(2, 9);
    // Reference scores on two tasks: Δ = +1 and 0.
    expect(result.summary.reference).toMatchObject({ n: 2, meanDelta: 0.5, wins: 1, losses: 0, ties: 1 });
    expect(result.rows[0]!.candidate.referenceScore).toBe(1);
    expect(result.summary.latencyRatio).toBeCloseTo(0.5, 9);

    const missing = await json(await compare("base=abc"), 400);
    expect(issuePaths(missing)).toEqual(expect.arrayContaining(["base", "candidate"]));
    await json(await compare(`base=${base!.id}&candidate=987654`), 404);
  });
});
