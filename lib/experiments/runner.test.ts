/**
 * Experiments end to end below HTTP: a real engine on the run manager, every LLM call to the scripted
 * server, on PostgreSQL (PGlite when PostgreSQL is absent). Cells are ordinary sessions linked to
 * their experiment, arm, task and repeat; the runner never exceeds the run manager's limit; cancel
 * and "re-run failed cells" keep what was recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { resolveConfigForRun } from "@/lib/configs";
import { getSessionById } from "@/lib/db/queries/sessions";
import { queryRows } from "@/lib/db/raw";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { demoRules, startScriptedLlm, type ScriptedLlm, type ScriptRule } from "@/lib/llm/scripted";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml, testRunManager } from "@/lib/runs/testing/harness";
import type { RunManager } from "@/lib/runs/run-manager";
import { createTaskSet } from "@/lib/task-sets/service";
import { runManagerLauncher } from "./launcher";
import { referenceScoring } from "./reference";
import { ExperimentRunner } from "./runner";
import { cancelExperiment, createExperiment, getExperimentDetail, rerunFailedCells, resumeExperiments, type ExperimentDeps } from "./service";
import { insertExperiment } from "@/lib/db/queries/experiments";
import { createSession } from "@/lib/db/queries/sessions";
import { sessions } from "@/lib/db/schema";
import { eq } from "drizzle-orm";

const drivers = await availableDrivers();
const driver = drivers.find((entry) => entry.driver === "postgres" && entry.skip === null) ? "postgres" : "pglite";

const FAILING: ScriptRule = { caller: "planner", contains: "FAIL-ME", reply: { status: 400, message: "scripted refusal for this task" } };
const HANGING: ScriptRule = { caller: "planner", contains: "HOLD-ME", reply: { waitFor: "release" } };
const PARKED: ScriptRule = { caller: "planner", contains: "PARK-ME", times: 1, reply: { waitFor: "never-opened" } };
const REFERENCE_JUDGE: ScriptRule = {
  contains: "You grade an answer against a reference answer",
  reply: (request) => ({ json: { score: JSON.stringify(request.messages).includes("Reference answer: [a-z]") ? 0.9 : 0.1, rationale: "graded by the scripted judge" } }),
};

let database: TestDatabase;
let llm: ScriptedLlm;
let manager: RunManager;
let deps: ExperimentDeps;
let yamlA: string;
let yamlB: string;
let scorerFolder: string;

beforeAll(async () => {
  [database, llm] = await Promise.all([createTestDatabase(driver), startScriptedLlm({ rules: [FAILING, HANGING, PARKED, REFERENCE_JUDGE, ...demoRules()], defaultLatencyMs: 2 })]);
  yamlA = scriptedConfigYaml(llm.url);
  yamlB = scriptedConfigYaml(llm.url, { maxRetries: 2 });
  manager = testRunManager(database.db, { maxConcurrent: 2 });
  const db = database.db;
  scorerFolder = mkdtempSync(path.join(os.tmpdir(), "atlas-scorer-"));
  writeFileSync(
    path.join(scorerFolder, "length-scorer.mjs"),
    "export default (output, expected, task) => ({ score: output.length > 0 && task.includes('Plan') ? 0.25 : 0.75, rationale: `scored ${expected}` });\n",
  );
  deps = {
    database: async () => db,
    runner: new ExperimentRunner({
      database: async () => db,
      launcher: runManagerLauncher(manager),
      afterCell: referenceScoring({
        database: async () => db,
        baseDir: scorerFolder,
        codeRoots: [scorerFolder],
        resolveConfig: resolveConfigForRun,
        env: { [SCRIPTED_KEY_ENV]: "test-key" },
      }),
    }),
    resolveConfig: resolveConfigForRun,
    env: { [SCRIPTED_KEY_ENV]: "test-key" },
  };
});

afterAll(async () => {
  if (scorerFolder) rmSync(scorerFolder, { recursive: true, force: true });
  await manager?.shutdown();
  await llm?.close();
  await database?.close();
});

const tasks = (...names: string[]) => names.map((task) => ({ task, expected_answer: `answer to ${task}`, metadata: { source: "runner-test" } }));

describe(`experiments on ${driver}`, () => {
  it("runs every cell (arms × tasks × repeats) as a linked session, within the run manager's limit", async () => {
    const set = await createTaskSet(database.db, { name: "three tasks", tasks: tasks("Plan a picnic", "Review a budget", "Sketch a logo") });
    const accepted = await createExperiment(deps, { name: "A vs B", taskSetId: set.id, arms: [{ config: { yaml: yamlA } }, { config: { yaml: yamlB } }], repeats: 2 });
    expect(accepted.arms).toHaveLength(2);
    await deps.runner.whenIdle(accepted.experimentId);

    const detail = await getExperimentDetail(database.db, accepted.experimentId);
    expect(detail.status).toBe("completed");
    expect(detail.counts).toMatchObject({ total: 12, succeeded: 12, pending: 0, failed: 0, skipped: 0 });
    expect(detail.runs).toHaveLength(12);
    const cells = new Set(detail.runs.map((run) => `${run.armId}/${run.taskIndex}/${run.repeat}`));
    expect(cells.size).toBe(12);
    expect(new Set(detail.arms.map((arm) => arm.configHash)).size).toBe(2);
    for (const run of detail.runs) {
      expect(run.worker).toMatch(new RegExp(`^[^:\\s]+:${process.pid}$`));
      expect(run.reward).not.toBeNull();
      const session = await getSessionById(database.db, { id: run.sessionId });
      expect(session).toMatchObject({ experimentId: accepted.experimentId, experimentArmId: run.armId, taskIndex: run.taskIndex, repeatIndex: run.repeat });
      expect(session?.metadata).toMatchObject({ source: "runner-test", expected_answer: `answer to ${session?.task}` });
      // Never beyond the limit: no cell ever waited in the run manager's queue.
      const events = await listSessionEvents(database.db, { sessionId: run.sessionId, after: 0, limit: 1000 });
      expect(events.some((event) => event.type === "session.queued")).toBe(false);
      expect(events.at(-1)?.type).toBe("session.completed");
    }
  });

  it("re-runs failed cells in new sessions linked by retryOf, keeping the failed ones", async () => {
    const set = await createTaskSet(database.db, { name: "one failing", tasks: tasks("Summarise FAIL-ME notes", "Plan a trip") });
    const { experimentId } = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }] });
    await deps.runner.whenIdle(experimentId);
    const first = await getExperimentDetail(database.db, experimentId);
    expect(first.counts).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    const failed = first.runs.find((run) => run.status === "failed")!;
    expect(failed.taskIndex).toBe(0);
    expect(failed.error).toContain("scripted refusal");

    llm.setRules(demoRules());
    try {
      // Two requests at once: the failed cell is queued again once, not twice.
      const answers = await Promise.all([rerunFailedCells(deps, experimentId), rerunFailedCells(deps, experimentId)]);
      expect(answers.map((answer) => answer.cells).sort()).toEqual([0, 1]);
      await deps.runner.whenIdle(experimentId);
    } finally {
      llm.setRules([FAILING, HANGING, PARKED, REFERENCE_JUDGE, ...demoRules()]);
    }
    const second = await getExperimentDetail(database.db, experimentId);
    expect(second.status).toBe("completed");
    expect(second.counts).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    expect(second.runs).toHaveLength(3);
    const retry = second.runs.find((run) => run.retryOf === failed.sessionId);
    expect(retry).toMatchObject({ taskIndex: 0, repeat: 0, status: "succeeded" });
    expect(second.runs.find((run) => run.sessionId === failed.sessionId)?.status).toBe("failed");
  });

  it("cancel stops scheduling and cancels the cells in flight; nothing recorded is lost", async () => {
    const set = await createTaskSet(database.db, { name: "held", tasks: tasks("HOLD-ME one", "HOLD-ME two", "HOLD-ME three", "HOLD-ME four") });
    const { experimentId } = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }] });
    // Both slots are taken by cells waiting on the gate.
    while (llm.requests.filter((request) => request.callerRole === "planner" && JSON.stringify(request.messages).includes("HOLD-ME")).length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const detail = await cancelExperiment(deps, experimentId);
    await deps.runner.whenIdle(experimentId);
    llm.openGate("release");
    const after = await getExperimentDetail(database.db, experimentId);
    expect(detail.status).toBe("cancelled");
    expect(after.status).toBe("cancelled");
    expect(after.runs).toHaveLength(2);
    expect(after.runs.every((run) => run.status === "cancelled")).toBe(true);
    expect(after.counts).toMatchObject({ total: 4, cancelled: 2, skipped: 2, pending: 0 });
  });

  it("scores final answers against expected answers with the experiment's scorer, a module scorer included", async () => {
    const set = await createTaskSet(database.db, {
      name: "scored",
      tasks: [{ task: "Plan a hike", expected_answer: "[a-z]" }, { task: "Write a limerick", expected_answer: "^never-this-exact-text$" }, { task: "No reference here" }],
    });
    const regex = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }], scorer: { type: "regex", flags: "i" } });
    const module = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }], scorer: { type: "module", module: "length-scorer.mjs" } });
    const outside = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }], scorer: { type: "module", module: "/etc/hostname" } });
    const judge = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }], scorer: { type: "judge" } });
    await Promise.all([regex, module, outside, judge].map(({ experimentId }) => deps.runner.whenIdle(experimentId)));

    const scores = async (experimentId: number) => (await getExperimentDetail(database.db, experimentId)).runs.sort((a, b) => a.taskIndex - b.taskIndex).map((run) => run.referenceScore);
    expect(await scores(regex.experimentId)).toEqual([1, 0, null]);
    expect((await getExperimentDetail(database.db, regex.experimentId)).scorer).toEqual({ type: "regex", flags: "i" });
    expect(await scores(module.experimentId)).toEqual([0.25, 0.75, null]);
    // The judge got the reference in its prompt (the scripted judge grades by it).
    const judged = await scores(judge.experimentId);
    expect(judged[0]).toBeCloseTo(0.9, 6);
    expect(judged[1]).toBeCloseTo(0.1, 6);
    expect(judged[2]).toBeNull();
    // Outside the allowed folders: not loaded, scored null, and the reason is stored.
    expect(await scores(outside.experimentId)).toEqual([null, null, null]);
    const outsideSession = (await getExperimentDetail(database.db, outside.experimentId)).runs[0]!.sessionId;
    const [row] = await queryRows<{ rationale: string }>(database.db, sql`select rationale from reference_scores where session_id = ${outsideSession}`);
    expect(row?.rationale).toMatch(/module scorer failed/);
  });

  it("stops starting cells once the cost cap is spent; the cells in flight finish", async () => {
    // Priced model names, so the scripted replies' token usage costs something.
    const priced = yamlA.replace(/model: [a-z-]+/g, "model: gpt-4o-mini");
    const set = await createTaskSet(database.db, { name: "capped", tasks: tasks("Cap one", "Cap two", "Cap three", "Cap four", "Cap five") });
    const { experimentId } = await createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: priced } }], maxCostUsd: 1e-9 });
    await deps.runner.whenIdle(experimentId);
    const detail = await getExperimentDetail(database.db, experimentId);
    expect(detail.status).toBe("completed");
    // The first cell always starts (nothing spent yet); at most the two a full run manager holds ever start.
    expect(detail.runs.length).toBeGreaterThanOrEqual(1);
    expect(detail.runs.length).toBeLessThanOrEqual(2);
    expect(detail.runs.every((run) => run.status === "succeeded" && run.costUsd > 0)).toBe(true);
    expect(detail.counts).toMatchObject({ total: 5, succeeded: detail.runs.length, skipped: 5 - detail.runs.length, pending: 0 });
    expect(detail.stopReason).toMatch(/cost cap of \$1e-9 was reached/);
    expect(detail.costUsd).toBeGreaterThan(1e-9);
  });

  it("resumes an experiment a stopped process left running: unstarted cells run, an interrupted one is re-run linked to it", async () => {
    const set = await createTaskSet(database.db, { name: "left running", tasks: tasks("Resume one", "Resume two", "Resume three") });
    const config = await resolveConfigForRun(database.db, { yaml: yamlA });
    // What a process that died after starting one cell leaves behind: the experiment running, that cell's session interrupted.
    const { experiment, arms } = await insertExperiment(database.db, {
      name: "orphan",
      taskSetId: set.id,
      repeats: 1,
      maxCostUsd: null,
      scorer: null,
      arms: [{ configName: config.name, configVersion: config.version, configVersionId: config.versionId, configHash: config.hash }],
    });
    const orphan = await createSession(database.db, {
      task: "Resume two",
      owner: "gone-host 1",
      cell: { experimentId: experiment.id, experimentArmId: arms[0]!.id, taskIndex: 1, repeatIndex: 0, retryOf: null },
    });
    await database.db.update(sessions).set({ status: "interrupted", error: "the worker stopped" }).where(eq(sessions.id, orphan.id));

    expect(await resumeExperiments(deps)).toContain(experiment.id);
    await deps.runner.whenIdle(experiment.id);
    const detail = await getExperimentDetail(database.db, experiment.id);
    expect(detail.status).toBe("completed");
    expect(detail.counts).toMatchObject({ total: 3, succeeded: 3, interrupted: 0 });
    expect(detail.runs).toHaveLength(4);
    expect(detail.runs.find((run) => run.retryOf === orphan.id)).toMatchObject({ taskIndex: 1, status: "succeeded" });
    expect(detail.runs.find((run) => run.sessionId === orphan.id)?.status).toBe("interrupted");
    // Driven now: a second resume leaves it alone.
    expect(await resumeExperiments(deps)).not.toContain(experiment.id);
  });

  it("a process shutting down leaves its experiment running, and the next start resumes it", async () => {
    const stopping = testRunManager(database.db, { maxConcurrent: 1 });
    const db = database.db;
    const stoppingDeps: ExperimentDeps = { ...deps, runner: new ExperimentRunner({ database: async () => db, launcher: runManagerLauncher(stopping) }) };
    const set = await createTaskSet(database.db, { name: "shutdown", tasks: tasks("PARK-ME first", "Then this") });
    const { experimentId } = await createExperiment(stoppingDeps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }] });
    while (!llm.requests.some((request) => request.callerRole === "planner" && JSON.stringify(request.messages).includes("PARK-ME"))) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stopping.shutdown();
    await stoppingDeps.runner.whenIdle(experimentId);
    const left = await getExperimentDetail(database.db, experimentId);
    expect(left.status).toBe("running");
    expect(left.runs.map((run) => run.status)).toEqual(["interrupted"]);

    expect(await resumeExperiments(deps)).toContain(experimentId);
    await deps.runner.whenIdle(experimentId);
    const resumed = await getExperimentDetail(database.db, experimentId);
    expect(resumed.status).toBe("completed");
    expect(resumed.counts).toMatchObject({ total: 2, succeeded: 2 });
    expect(resumed.runs.find((run) => run.retryOf === left.runs[0]!.sessionId)?.status).toBe("succeeded");
  });

  it("refuses an unknown task set (404) and names the arm whose config is bad", async () => {
    await expect(createExperiment(deps, { taskSetId: 999_999, arms: [{ config: { yaml: yamlA } }] })).rejects.toMatchObject({ code: "not_found" });
    const set = await createTaskSet(database.db, { name: "bad arm", tasks: tasks("x") });
    await expect(
      createExperiment(deps, { taskSetId: set.id, arms: [{ config: { yaml: yamlA } }, { config: { yaml: "agent: [unclosed" } }] }),
    ).rejects.toMatchObject({ code: "invalid_config", issues: [expect.objectContaining({ path: expect.stringMatching(/^arms\.1\.config/) })] });
    await expect(createExperiment(deps, { taskSetId: set.id, arms: [{ config: { name: "no-such-config" } }] })).rejects.toMatchObject({ code: "not_found" });
  });
});
