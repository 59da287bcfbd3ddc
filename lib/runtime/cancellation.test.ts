/**
 * Cancellation: the session ends `cancelled` without waiting for the calls in flight (they are
 * aborted), no LLM or agent call starts after the abort, and the python worker is gone.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";
import { shutdownRun } from "./stop";
import { functionAgent, modeOf } from "./testing/agents";
import { TEST_ENV, testConfig } from "./testing/config";
import { runEngine } from "./testing/engine";
import { agreeingJudges, keepPlanReview } from "./testing/scripts";

const server = scriptedLlmPerFile();
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "atlas-cancel-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Polls `condition`; the test's own timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function typed(events: TrajectoryEvent[]) {
  return <T extends TrajectoryEvent["type"]>(type: T) => events.filter((event): event is EventOf<T> => event.type === type);
}

describe("cancellation", () => {
  it("cancels mid-step: session cancelled while the agent call is still blocked, nothing new starts, the python worker is gone", async () => {
    server.setRules([keepPlanReview(), { caller: "validation", reply: { json: { valid: true } } }, agreeingJudges()]);
    const pidFile = path.join(scratch, "worker.pid");
    const config = testConfig({
      llmUrl: server.url,
      extra: {
        agent: {
          type: "python",
          name: "slow",
          system_prompt: "Slow agent.",
          import_path: "slow_agent",
          attribute: "run_agent",
          working_directory: path.resolve(import.meta.dirname, "testing"),
        },
      },
    });
    const controller = new AbortController();
    const events: TrajectoryEvent[] = [];
    const running = runEngine({
      task: "Think",
      config,
      env: { ...TEST_ENV, PATH: process.env.PATH ?? "", PYTHONDONTWRITEBYTECODE: "1", ATLAS_TEST_PID_FILE: pidFile } as NodeJS.ProcessEnv,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    let settled = false;
    void running.finally(() => (settled = true));
    await until(() => settled || (existsSync(pidFile) && readFileSync(pidFile, "utf8") !== ""));
    expect(settled, JSON.stringify(events.at(-1))).toBe(false);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(processExists(pid)).toBe(true);
    const requestsAtCancel = server.requests.length;

    controller.abort();
    const result = await running;

    expect(result.status).toBe("cancelled");
    // The python call blocks for 120 s, longer than the test may run: the run ended by aborting it.
    expect(processExists(pid)).toBe(false);
    // The engine awaits every call it starts, so once the run has resolved every request it sent is recorded.
    expect(server.requests).toHaveLength(requestsAtCancel);
    const ofType = typed(events);
    expect(events.at(-1)?.type).toBe("session.cancelled");
    expect(ofType("session.cancelled")).toHaveLength(1);
    expect(ofType("step.finished")).toEqual([expect.objectContaining({ stepId: 1, status: "cancelled" })]);
    expect(ofType("attempt.finished")).toEqual([expect.objectContaining({ outcome: "cancelled" })]);
  });

  it("aborts an LLM call in flight and starts no further call", async () => {
    server.setRules([keepPlanReview(), { caller: "validation", reply: { hang: true } }, agreeingJudges()]);
    const agent = functionAgent((call) =>
      modeOf(call.metadata) === "planning"
        ? JSON.stringify({ steps: [{ id: 1, description: "A" }, { id: 2, description: "B" }] })
        : "answer",
    );
    const controller = new AbortController();
    const events: TrajectoryEvent[] = [];
    const running = runEngine({
      task: "t",
      config: testConfig({ llmUrl: server.url }),
      env: TEST_ENV,
      adapter: agent,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    await until(() => server.requests.filter((request) => request.callerRole === "validation").length === 2);
    const requestsAtCancel = server.requests.length;
    const agentCallsAtCancel = agent.calls.length;
    // Both validations hang forever: the run can only end by aborting them.
    controller.abort("stop now");
    const result = await running;
    expect(result).toMatchObject({ status: "cancelled", error: "stop now" });
    expect(server.requests).toHaveLength(requestsAtCancel);
    expect(agent.calls).toHaveLength(agentCallsAtCancel);
    const ofType = typed(events);
    expect(ofType("session.cancelled")[0]?.reason).toBe("stop now");
    expect(ofType("llm.call").filter((event) => event.stage === "validation").map((event) => event.error)).toEqual(["cancelled", "cancelled"]);
    expect(ofType("step.finished").map((event) => event.status)).toEqual(["cancelled", "cancelled"]);
    expect(agent.closed).toBe(0); // a caller-supplied adapter is the caller's to close
  });

  it("ends the session interrupted, not cancelled, when the stop reason is a shutdown", async () => {
    server.setRules([keepPlanReview(), { caller: "validation", reply: { hang: true } }, agreeingJudges()]);
    const agent = functionAgent((call) =>
      modeOf(call.metadata) === "planning" ? JSON.stringify({ steps: [{ id: 1, description: "A" }] }) : "answer",
    );
    const controller = new AbortController();
    const events: TrajectoryEvent[] = [];
    let validationAsked!: () => void;
    const asked = new Promise<void>((resolve) => (validationAsked = resolve));
    const running = runEngine({
      task: "t",
      config: testConfig({ llmUrl: server.url }),
      env: TEST_ENV,
      adapter: agent,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        // The step's attempt has begun; its validation will hang, so the step is surely in flight.
        if (event.type === "attempt.started") validationAsked();
      },
    });
    await asked;
    controller.abort(shutdownRun("the server stopped while this session was running"));
    const result = await running;
    expect(result).toMatchObject({ status: "interrupted", error: "the server stopped while this session was running" });
    const ofType = typed(events);
    expect(events.at(-1)).toMatchObject({ type: "session.interrupted", reason: "the server stopped while this session was running" });
    expect(ofType("session.cancelled")).toHaveLength(0);
    expect(ofType("step.finished")).toEqual([expect.objectContaining({ stepId: 1, status: "cancelled" })]);
  });

  it("does nothing but record the cancellation when the signal is already aborted", async () => {
    const agent = functionAgent(() => "never");
    const controller = new AbortController();
    controller.abort();
    const events: TrajectoryEvent[] = [];
    const result = await runEngine({
      task: "t",
      config: testConfig({ llmUrl: server.url }),
      env: TEST_ENV,
      adapter: agent,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe("cancelled");
    expect(events.map((event) => event.type)).toEqual(["session.started", "session.cancelled"]);
    expect(agent.calls).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });
});
