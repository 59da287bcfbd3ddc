import { describe, expect, it } from "vitest";
import { startScriptedLlm } from "@/lib/llm/scripted/server";
import { configuredCollaborators } from "@/lib/compose/collaborators";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { runSession } from "./run-session";
import type { SessionStore } from "./store";
import { functionAgent, modeOf } from "./testing/agents";
import { TEST_ENV, testConfig } from "./testing/config";
import { runEngine } from "./testing/engine";
import { agreeingJudges, keepPlanReview, validVerdict } from "./testing/scripts";

describe("runSession() failures after the session started", () => {
  it("records a failed session (not a rejection) when the store fails mid-run and reports why", async () => {
    const store: SessionStore = {
      createSession: async () => ({ id: 41 }),
      lastSeq: async () => 0,
      write: async (events) => {
        if (events.some((event) => event.type === "plan.drafted")) throw new Error("database went away");
      },
    };
    const events: TrajectoryEvent[] = [];
    const result = await runEngine({
      task: "t",
      config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }),
      store,
      env: TEST_ENV,
      adapter: functionAgent(() => '{"steps": [{"id": 1, "description": "x"}]}'),
      onEvent: (event) => events.push(event),
    });
    expect(result).toMatchObject({ sessionId: 41, status: "failed" });
    expect(result.error).toMatch(/could not store events? (1–|2)\S* \((session\.started|agent\.call|plan\.drafted).*\) of session 41: database went away/);
    expect(events.map((event) => event.type)).not.toContain("plan.drafted");
  });

  it("fails the session with missing_secret when a key variable is not set", async () => {
    const agent = functionAgent(() => '{"steps": [{"id": 1, "description": "x"}]}');
    const events: TrajectoryEvent[] = [];
    const result = await runEngine({
      task: "t",
      config: testConfig({ llmUrl: "http://127.0.0.1:9/v1" }),
      env: {} as NodeJS.ProcessEnv,
      adapter: agent,
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      "Teacher plan review call failed: environment variable ATLAS_TEST_LLM_KEY is not set (needed by teacher.llm)",
    );
    expect(events.map((event) => event.type)).toEqual(["session.started", "agent.call", "plan.drafted", "error", "session.failed"]);
  });
});

describe("runSession() and a slow store", () => {
  it("sends no model request and no agent call until the events before it are on their way to the store", async () => {
    const server = await startScriptedLlm({ rules: [keepPlanReview(), validVerdict, agreeingJudges()] });
    try {
      const stored: TrajectoryEvent[] = [];
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const store: SessionStore = {
        createSession: async () => ({ id: 7 }),
        lastSeq: async () => 0,
        write: async (events) => {
          if (events.some((event) => event.type === "plan.drafted")) await released;
          stored.push(...events);
        },
      };
      const agent = functionAgent((call) =>
        modeOf(call.metadata) === "planning" ? '{"steps": [{"id": 1, "description": "Count the rows"}]}' : "42 rows",
      );
      const config = testConfig({ llmUrl: server.url });
      let reviewAnswered!: () => void;
      const reviewReply = new Promise<void>((resolve) => (reviewAnswered = resolve));
      const build = configuredCollaborators(config, { env: TEST_ENV, adapter: agent });
      const running = runSession({
        task: "Count rows",
        config,
        store,
        // The test's view of the engine's LLM calls: it learns when the plan review's reply arrived.
        collaborators: (hooks) =>
          build({
            ...hooks,
            recordLlmCall: (record) => {
              hooks.recordLlmCall(record);
              if (record.stage === "plan_review") reviewAnswered();
            },
          }),
      });
      await reviewReply;
      // One turn of the event loop: everything the reply set off in-process has run, so the engine is
      // parked wherever it waits (it must wait for the store before the step's agent call).
      await new Promise((resolve) => setImmediate(resolve));
      // The plan review went out while plan.drafted was being written; the step waits behind that write.
      expect(server.requests.map((request) => request.callerRole)).toEqual(["plan_review"]);
      expect(agent.calls.map((call) => modeOf(call.metadata))).toEqual(["planning"]);
      release();
      const result = await running;
      expect(result.status).toBe("succeeded");
      expect(agent.calls.map((call) => modeOf(call.metadata))).toEqual(["planning", "execution", "synthesis"]);
      expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index + 1));
      expect(stored.at(-1)?.type).toBe("session.completed");
    } finally {
      await server.close();
    }
  });
});
