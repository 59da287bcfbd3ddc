/**
 * Each example config (configs/examples/*.yaml) runs end to end against local fixtures — a local HTTP
 * agent, the sample Python agent, the scripted OpenAI-compatible server as the agent model — and the
 * stored session (events and projected rows) matches what was emitted, on PGlite and PostgreSQL.
 */
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AtlasConfig } from "@/lib/config";
import { loadConfigFile } from "@/lib/config/load-file";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "@/lib/db/schema";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { startScriptedLlm } from "@/lib/llm/scripted/server";
import type { ScriptedLlm, ScriptRule } from "@/lib/llm/scripted/types";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";
import { startHttpAgent, type HttpAgent } from "@/lib/runtime/testing/http-agent";
import { agreeingJudges, keepPlanReview, validVerdict } from "@/lib/runtime/testing/scripts";
import type { RunResult } from "@/lib/runtime/types";
import { runTask } from "./run-task";

const EXAMPLES = path.resolve(import.meta.dirname, "../../configs/examples");
const ENV = {
  OPENAI_API_KEY: "sk-test",
  SUPPORT_AGENT_TOKEN: "support-token",
  PATH: process.env.PATH ?? "",
  PYTHONDONTWRITEBYTECODE: "1",
} as unknown as NodeJS.ProcessEnv;
const GUIDANCE = "Cite the knowledge-base articles you used.";

let llm: ScriptedLlm;
let httpAgent: HttpAgent;

/** The teacher rejects the first attempt of step 1 (once per run), so every run has a guided retry. */
function teacherAndJudgeRules(): ScriptRule[] {
  return [
    keepPlanReview(),
    { caller: "validation", contains: '"attempt_guidance":[]', times: 1, reply: { json: { valid: false, guidance: GUIDANCE } } },
    validVerdict,
    agreeingJudges(0.8),
  ];
}

/** The scripted server playing the openai example's agent model. */
const agentModelRules: ScriptRule[] = [
  {
    caller: "planner",
    reply: { json: { steps: [{ id: 1, description: "Compute the totals" }, { id: 2, description: "Explain the totals", depends_on: [1] }] } },
  },
  { caller: "executor", reply: { content: '{"status": "ok", "result": {"deliverable": "total = 2 + 2 = 4", "artifacts": {"total": 4}}}' } },
  { caller: "synthesizer", reply: { content: "Summary: s\nFinal Answer: 4\nEvidence: steps 1, 2\nFollow-ups: None" } },
];

beforeAll(async () => {
  llm = await startScriptedLlm();
  httpAgent = await startHttpAgent();
});
afterAll(async () => {
  await llm.close();
  await httpAgent.close();
});

async function exampleConfig(name: string, patch: (config: AtlasConfig) => AtlasConfig["agent"]): Promise<AtlasConfig> {
  const loaded = await loadConfigFile(path.join(EXAMPLES, name));
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded.issues)}`);
  const config = structuredClone(loaded.config);
  config.teacher.llm = { ...config.teacher.llm, api_base: llm.url, retry: { attempts: 1, backoff_seconds: 0 } };
  config.rim.small_model = { ...config.rim.small_model, api_base: llm.url };
  config.rim.large_model = { ...config.rim.large_model, api_base: llm.url };
  config.agent = patch(config);
  return config;
}

const EXAMPLE_RUNS: {
  name: string;
  file: string;
  config: () => Promise<AtlasConfig>;
  check?: (events: TrajectoryEvent[]) => void;
}[] = [
  {
    name: "http_agent.yaml against a local HTTP agent",
    file: "http_agent.yaml",
    config: () =>
      exampleConfig("http_agent.yaml", ({ agent }) => {
        if (agent.type !== "http_api") throw new Error("expected http_api");
        return { ...agent, transport: { ...agent.transport, base_url: httpAgent.url, retry: { attempts: 1, backoff_seconds: 0 } } };
      }),
    check: (events) => {
      const toolBody = httpAgent.bodies.find((body) => (body.metadata as { tool?: unknown } | undefined)?.tool);
      expect(toolBody).toMatchObject({ mode: "inference", metadata: { tool: { name: "search_knowledge_base", arguments: { query: "password reset" } } } });
      expect(httpAgent.headers.at(-1)?.authorization).toBe("Bearer support-token");
      // Step 1 ran twice (guided retry), asking for the tool once per attempt.
      expect(events.filter((event) => event.type === "tool.result")).toEqual([
        expect.objectContaining({ stepId: 1, attempt: 1, tool: "search_knowledge_base", error: null }),
        expect.objectContaining({ stepId: 1, attempt: 2, tool: "search_knowledge_base", error: null }),
      ]);
    },
  },
  {
    name: "python_agent.yaml against the sample Python agent",
    file: "python_agent.yaml",
    config: () =>
      exampleConfig("python_agent.yaml", ({ agent }) => {
        if (agent.type !== "python") throw new Error("expected python");
        return { ...agent, import_path: "agents.python_agent" };
      }),
  },
  {
    name: "openai_agent.yaml against the scripted server as the agent model",
    file: "openai_agent.yaml",
    config: () =>
      exampleConfig("openai_agent.yaml", ({ agent }) => {
        if (agent.type !== "openai") throw new Error("expected openai");
        return { ...agent, llm: { ...agent.llm, api_base: llm.url } };
      }),
  },
];

for (const { driver, skip } of await availableDrivers()) {
  if (driver === "neon") continue;
  describe.skipIf(skip !== null)(`example configs stored on ${driver}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      if (skip !== null) console.warn(`skipping ${driver}: ${skip}`);
      database = await createTestDatabase(driver);
    });
    afterAll(async () => {
      await database?.close();
    });

    for (const example of EXAMPLE_RUNS) {
      it(`runs ${example.name} and stores what it emitted`, async () => {
        llm.setRules([...teacherAndJudgeRules(), ...agentModelRules]);
        const events: TrajectoryEvent[] = [];
        const result = await runTask({
          task: "Help a customer who cannot log in",
          config: await example.config(),
          baseDir: EXAMPLES,
          configName: example.file,
          store: { database: database.db },
          env: ENV,
          onEvent: (event) => events.push(event),
        });
        expect(result.error ?? null).toBeNull();
        expect(result.status).toBe("succeeded");
        expect(result.sessionId).toEqual(expect.any(Number));
        example.check?.(events);
        await expectStoredSessionMatches(database, result, events);
      });
    }
  });
}

async function expectStoredSessionMatches(database: TestDatabase, result: RunResult, events: TrajectoryEvent[]) {
  const { db } = database;
  const sessionId = result.sessionId as number;
  const ofType = <T extends TrajectoryEvent["type"]>(type: T) =>
    events.filter((event): event is EventOf<T> => event.type === type);

  // Events: identical, in order, gap-free.
  const rows = await db.select().from(trajectoryEvents).where(eq(trajectoryEvents.sessionId, sessionId)).orderBy(asc(trajectoryEvents.seq));
  expect(rows.map((row) => row.event)).toEqual(JSON.parse(JSON.stringify(events)));
  expect(rows.map((row) => [row.seq, row.type])).toEqual(events.map((event, index) => [index + 1, event.type]));
  expect(events.at(-1)?.type).toBe("session.completed");
  for (const type of ["plan.drafted", "plan.reviewed", "step.started", "attempt.started", "validation", "reward", "guidance.issued", "attempt.finished", "step.finished", "synthesis", "llm.call", "judge.sample"] as const) {
    expect(ofType(type).length, type).toBeGreaterThan(0);
  }

  // Session row.
  const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
  expect(session).toMatchObject({
    status: "succeeded",
    finalAnswer: result.finalAnswer,
    lastSeq: events.length,
    executionMode: "stepwise",
    llmCalls: ofType("llm.call").length,
    attemptCount: ofType("attempt.finished").length,
    stepCount: result.plan.steps.length,
  });

  // Plan row.
  const [plan] = await db.select().from(plans).where(eq(plans.sessionId, sessionId));
  expect(plan?.plan).toEqual(result.plan);
  expect(plan?.originalPlan).toEqual(ofType("plan.drafted")[0]?.plan);
  expect(plan?.review).toEqual({ mode: "stepwise", concerns: null, changes: ofType("plan.reviewed")[0]?.changes });

  // Step results.
  const steps = await db.select().from(stepResults).where(eq(stepResults.sessionId, sessionId)).orderBy(asc(stepResults.stepId));
  expect(steps.map((row) => ({ step_id: row.stepId, trace: row.trace, output: row.output, evaluation: row.evaluation, attempts: row.attempts, metadata: row.metadata }))).toEqual(
    JSON.parse(JSON.stringify(result.stepResults)),
  );
  expect(steps.every((row) => row.status === "succeeded")).toBe(true);

  // Attempts.
  const attempts = await db.select().from(stepAttempts).where(eq(stepAttempts.sessionId, sessionId)).orderBy(asc(stepAttempts.stepId), asc(stepAttempts.attempt));
  const finished = ofType("attempt.finished").sort((a, b) => (a.stepId ?? 0) - (b.stepId ?? 0) || (a.attempt ?? 0) - (b.attempt ?? 0));
  expect(attempts.map((row) => [row.stepId, row.attempt, row.status, row.outcome, row.rewardSkipped, row.timingsMs, row.evaluation])).toEqual(
    finished.map((event) => [event.stepId, event.attempt, event.status, event.outcome, event.rewardSkipped, event.timingsMs, JSON.parse(JSON.stringify(event.evaluation))]),
  );
  expect(attempts.find((row) => row.stepId === 1 && row.attempt === 1)?.outcome).toBe("retry");

  // Guidance.
  const notes = await db.select().from(guidanceNotes).where(eq(guidanceNotes.sessionId, sessionId));
  expect(notes.map((row) => [row.stepId, row.sequence, row.note, row.forAttempt])).toEqual([[1, 1, GUIDANCE, 2]]);
}
