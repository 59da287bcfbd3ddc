import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionById } from "@/lib/db/queries/sessions";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { demoRules, startScriptedLlm } from "@/lib/llm/scripted";
import type { ScriptedLlm } from "@/lib/llm/scripted";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { rejection } from "@/lib/testing/rejection";
import type { RunManager } from "./run-manager";
import { createSyntheticSession, syntheticEventInputs, syntheticRecorder } from "./testing/synthetic";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml, testRunManager } from "./testing/harness";

let database: TestDatabase;
let llm: ScriptedLlm;
let yaml: string;

beforeAll(async () => {
  [database, llm] = await Promise.all([
    createTestDatabase("pglite"),
    // Tasks containing HANG never get a plan: the run sits in an LLM call until it is aborted.
    startScriptedLlm({ rules: [{ caller: "planner", contains: "HANG", reply: { hang: true } }, ...demoRules()], defaultLatencyMs: 15 }),
  ]);
  yaml = scriptedConfigYaml(llm.url);
});

afterAll(async () => {
  await llm?.close();
  await database?.close();
});

const events = (sessionId: number) => listSessionEvents(database.db, { sessionId, after: 0, limit: 10_000 });
const status = async (sessionId: number) => (await getSessionById(database.db, { id: sessionId }))?.status;

/** Polls `condition`; the test's own timeout bounds the wait. */
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const settle = (manager: RunManager, ...sessionIds: number[]) => until(() => !sessionIds.some((id) => manager.isLive(id)));

const waitForPlannerCall = (task: string) =>
  until(() => llm.requests.some((request) => request.callerRole === "planner" && JSON.stringify(request.messages).includes(task)));

function expectGapFree(stored: TrajectoryEvent[]) {
  expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index + 1));
}

describe("RunManager", () => {
  it("queues runs beyond the limit (queued status and event) and starts them in FIFO order", async () => {
    const manager = testRunManager(database.db, { maxConcurrent: 1 });
    const accepted = [];
    for (const task of ["first task", "second task", "third task"]) {
      const answer = await manager.startRun({ task, config: { yaml } });
      // The row exists, with the answered status, when startRun resolves.
      expect(await status(answer.sessionId)).toBe(answer.status);
      accepted.push(answer);
    }
    expect(accepted.map(({ status: state, queuePosition }) => [state, queuePosition])).toEqual([
      ["running", null],
      ["queued", 1],
      ["queued", 2],
    ]);
    const ids = accepted.map((answer) => answer.sessionId);
    await settle(manager, ...ids);

    const logs = await Promise.all(ids.map(events));
    for (const [index, log] of logs.entries()) {
      expectGapFree(log);
      expect(log.at(-1)?.type).toBe("session.completed");
      expect(await status(ids[index] as number)).toBe("succeeded");
    }
    expect(logs[0]?.[0]?.type).toBe("session.started");
    expect(logs[1]?.[0]).toMatchObject({ type: "session.queued", seq: 1, position: 1, runningLimit: 1 });
    expect(logs[2]?.[0]).toMatchObject({ type: "session.queued", seq: 1, position: 2, runningLimit: 1 });
    const at = (log: TrajectoryEvent[] | undefined, type: string) => Date.parse(log?.find((event) => event.type === type)?.ts ?? "");
    // One at a time, in order: each starts after the previous one completed.
    expect(at(logs[1], "session.started")).toBeGreaterThanOrEqual(at(logs[0], "session.completed"));
    expect(at(logs[2], "session.started")).toBeGreaterThanOrEqual(at(logs[1], "session.completed"));

    const finished = await rejection(manager.cancel(ids[0] as number));
    expect(finished.code).toBe("conflict");
    expect(finished.message).toBe(`session ${ids[0]} already finished (succeeded)`);
  });

  it("cancels a running session (the answer waits for its terminal event), and tells live viewers", async () => {
    const manager = testRunManager(database.db);
    const { sessionId } = await manager.startRun({ task: "HANG cancel me", config: { yaml } });
    const seen: string[] = [];
    manager.bus.subscribe(sessionId, (event) => seen.push(event.type));
    await waitForPlannerCall("HANG cancel me");
    expect(await manager.cancel(sessionId)).toEqual({ sessionId, status: "cancelled" });
    const log = await events(sessionId);
    expectGapFree(log);
    expect(log.at(-1)).toMatchObject({ type: "session.cancelled", reason: "cancelled by request" });
    expect(seen.at(-1)).toBe("session.cancelled");
    expect(manager.isLive(sessionId)).toBe(false);
  });

  it("cancels a queued session without ever starting it; unknown sessions are not found", async () => {
    const manager = testRunManager(database.db, { maxConcurrent: 1 });
    const blocker = await manager.startRun({ task: "HANG blocker", config: { yaml } });
    const queued = await manager.startRun({ task: "never planned", config: { yaml } });
    expect(queued.status).toBe("queued");
    expect(await manager.cancel(queued.sessionId)).toEqual({ sessionId: queued.sessionId, status: "cancelled" });
    expect((await events(queued.sessionId)).map((event) => [event.seq, event.type])).toEqual([
      [1, "session.queued"],
      [2, "session.cancelled"],
    ]);
    expect(await status(queued.sessionId)).toBe("cancelled");

    expect((await manager.cancel(blocker.sessionId)).status).toBe("cancelled");
    await settle(manager, blocker.sessionId);
    expect(llm.requests.some((request) => JSON.stringify(request.messages).includes("never planned"))).toBe(false);

    const again = await rejection(manager.cancel(queued.sessionId));
    expect([again.code, again.message]).toEqual(["conflict", `session ${queued.sessionId} already finished (cancelled)`]);
    const unknown = await rejection(manager.cancel(987_654));
    expect([unknown.code, unknown.message]).toEqual(["not_found", "session 987654 not found"]);
  });

  it("refuses a config whose API key variable is unset, naming it and who needs it, before creating a session", async () => {
    const manager = testRunManager(database.db, { env: {} });
    const before = await database.db.$count((await import("@/lib/db/schema")).sessions);
    const error = await rejection(manager.startRun({ task: "needs a key", config: { yaml } }));
    expect(error.code).toBe("missing_secret");
    expect(error.message).toBe(
      `environment variable ${SCRIPTED_KEY_ENV} is not set (needed by teacher.llm, rim.small_model, rim.large_model, agent.llm)`,
    );
    expect(await database.db.$count((await import("@/lib/db/schema")).sessions)).toBe(before);
  });

  it("on shutdown interrupts running and queued sessions and refuses new runs", async () => {
    const manager = testRunManager(database.db, { maxConcurrent: 1 });
    const running = await manager.startRun({ task: "HANG during shutdown", config: { yaml } });
    const queued = await manager.startRun({ task: "queued during shutdown", config: { yaml } });
    const seen: string[] = [];
    manager.bus.subscribe(running.sessionId, (event) => seen.push(event.type));
    await waitForPlannerCall("HANG during shutdown");
    await manager.shutdown();

    for (const sessionId of [running.sessionId, queued.sessionId]) {
      const log = await events(sessionId);
      expectGapFree(log);
      expect(log.at(-1)?.type).toBe("session.interrupted");
      expect(log.filter((event) => event.type === "session.cancelled")).toEqual([]);
      expect(await status(sessionId)).toBe("interrupted");
    }
    expect((await events(running.sessionId)).at(-1)).toMatchObject({ reason: expect.stringMatching(/server stopped while this session was running/) });
    expect(seen.at(-1)).toBe("session.interrupted");
    const refused = await rejection(manager.startRun({ task: "too late", config: { yaml } }));
    expect(refused.code).toBe("unavailable");
  });

  it("recovers sessions a dead process left unfinished with a session.interrupted event at last seq + 1", async () => {
    const orphan = await createSyntheticSession(database.db, "orphaned run");
    const recorder = syntheticRecorder(database.db, orphan, () => undefined);
    for (const input of syntheticEventInputs(6).slice(0, 4)) await recorder.emit(input);
    await recorder.flush();
    const finished = await createSyntheticSession(database.db, "finished run");
    const finishedRecorder = syntheticRecorder(database.db, finished, () => undefined);
    for (const input of syntheticEventInputs(3)) await finishedRecorder.emit(input);
    await finishedRecorder.flush();

    const manager = testRunManager(database.db, { pid: 4242 });
    const report = await manager.recover();
    expect(report.interrupted).toContain(orphan);
    expect(report.interrupted).not.toContain(finished);
    const log = await events(orphan);
    expectGapFree(log);
    expect(log.at(-1)).toMatchObject({
      type: "session.interrupted",
      seq: 5,
      reason: "the server stopped while this session was running (process 4242 found it unfinished at start-up)",
    });
    expect(await status(orphan)).toBe("interrupted");
    expect(await status(finished)).toBe("succeeded");
  });
});
