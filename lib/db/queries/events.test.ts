/**
 * A burst of events written in one call must leave exactly the rows that writing them one at a time
 * leaves: the statement folding rows, summing counters and splitting where two events touch rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvents, type TrajectoryEvent, TrajectoryEventSchema, withoutCapture } from "@/lib/trajectory";
import { getSessionDetail } from "@/lib/sessions/detail";
import { buildSessionEvents } from "@/lib/session-view/testing/session-events";
import { availableDrivers, createTestDatabase, type TestDatabase } from "../testing/databases";
import { getCall, listCalls } from "./calls";
import { appendEvents, listEventsAfter } from "./events";
import { createSession } from "./sessions";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

describe.each(drivers)("appendEvents on $driver", ({ driver, skip }) => {
  if (skip) console.warn(`appendEvents on ${driver} skipped: ${skip}`);
  let database: TestDatabase;
  beforeAll(async () => {
    if (!skip) database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function storedSession(write: (sessionId: number, events: TrajectoryEvent[]) => Promise<void>) {
    const { id } = await createSession(database.db, { task: "batch parity", status: "running" });
    const events = buildSessionEvents({ sessionId: id, steps: 6, attempts: 2, judges: ["process", "helpfulness"], toolCalls: 2, totalEvents: 400 });
    await write(id, events);
    const detail = await getSessionDetail(database.db, id);
    const stored = await listEventsAfter(database.db, { sessionId: id, limit: 10_000 });
    const { session, ...rest } = detail!;
    const { id: _id, createdAt: _createdAt, ...columns } = session;
    const callRows = (await listCalls(database.db, { sessionId: id })).map(({ sessionId: _sessionId, ...row }) => row);
    return { events, stored, callRows, rest: JSON.parse(JSON.stringify(rest).replaceAll(`"sessionId":${id}`, '"sessionId":0')), columns };
  }

  it.skipIf(skip)("stores a whole run in one call exactly as event by event", async () => {
    const single = await storedSession(async (_id, events) => {
      for (const event of events) await appendEvents(database.db, [event]);
    });
    const batched = await storedSession((_id, events) => appendEvents(database.db, events));
    // Events are stored without their captures; each call's row holds its capture.
    expect(batched.stored).toEqual(batched.events.map(withoutCapture));
    const callEvents = batched.events.filter((event) => event.type === "llm.call" || event.type === "agent.call");
    expect(batched.callRows.map((row) => row.seq)).toEqual(callEvents.map((event) => event.seq));
    expect(batched.callRows).toEqual(single.callRows);
    const captured = callEvents.find((event) => event.type === "agent.call")!;
    const row = await getCall(database.db, { sessionId: captured.sessionId, seq: captured.seq });
    expect(row?.capture).toEqual(captured.type === "agent.call" ? captured.capture : null);
    expect(single.stored.map((event) => event.seq)).toEqual(single.events.map((event) => event.seq));
    expect(batched.columns).toEqual({ ...single.columns, costUsd: expect.closeTo(single.columns.costUsd, 9) });
    expect(batched.columns.llmCalls).toBeGreaterThan(0);
    expect(batched.columns.attemptCount).toBe(12);
    expect(batched.rest).toEqual(single.rest);
  });

  it.skipIf(skip)("never reopens an ended session, in one statement or across two, as the projection", async () => {
    const usage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
    const run = async (split: number) => {
      const { id } = await createSession(database.db, { task: "late start", status: "queued" });
      const before = await getSessionDetail(database.db, id);
      const events = [
        { type: "session.cancelled", actor: "system", reason: "stop", usage, durationMs: 3 },
        { type: "session.queued", actor: "system", position: 1, runningLimit: 1 },
        { type: "session.started", actor: "system", task: "late start", configName: null, configHash: null, metadata: {} },
      ].map((input, index) => TrajectoryEventSchema.parse({ ...input, sessionId: id, seq: index + 1, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() }));
      await appendEvents(database.db, events.slice(0, split));
      await appendEvents(database.db, events.slice(split));
      const stored = await getSessionDetail(database.db, id);
      expect(stored.session.status).toBe("cancelled");
      expect(stored).toEqual(applyEvents(before, events));
    };
    await run(3);
    await run(1);
  });

  it.skipIf(skip)("refuses a batch that mixes sessions before writing any of it", async () => {
    const { id } = await createSession(database.db, { task: "mixed", status: "running" });
    const [first, second] = buildSessionEvents({ sessionId: id, steps: 1, attempts: 1, judges: ["process"] });
    await expect(appendEvents(database.db, [first!, { ...second!, sessionId: id + 1000 }])).rejects.toThrow(
      /one statement writes one session's events/,
    );
    expect(await listEventsAfter(database.db, { sessionId: id })).toEqual([]);
  });
});
