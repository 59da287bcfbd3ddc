import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { TrajectoryEventSchema, type TrajectoryEvent } from "@/lib/trajectory";
import { createSessionEventsHandler, type EventsHandlerDeps } from "./events-handler";
import { LiveBus } from "./live-bus";
import { parseSseStream } from "@/lib/http/sse";
import { createSyntheticSession, seedFinishedSession, syntheticEventInputs, syntheticRecorder } from "./testing/synthetic";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

interface Received {
  seqs: number[];
  events: TrajectoryEvent[];
  types: string[];
}

async function readStream(response: Response): Promise<Received> {
  expect(response.status).toBe(200);
  const received: Received = { seqs: [], events: [], types: [] };
  for await (const message of parseSseStream(response.body as ReadableStream<Uint8Array>)) {
    if (message.event === "stream.error") throw new Error(`stream failed: ${message.data}`);
    const event = TrajectoryEventSchema.parse(JSON.parse(message.data));
    expect(message.id).toBe(String(event.seq));
    expect(message.event).toBe(event.type);
    received.seqs.push(event.seq);
    received.events.push(event);
    received.types.push(message.event);
  }
  return received;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

describe.each(drivers)("GET /api/sessions/:id/events on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  const bus = new LiveBus();
  const live = new Set<number>();
  const deps: EventsHandlerDeps = {
    database: async () => database.db,
    bus,
    isLive: (sessionId) => live.has(sessionId),
  };
  const GET = createSessionEventsHandler(() => deps);
  const get = (id: string | number, init: { query?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}) =>
    GET(new Request(`http://atlas.test/api/sessions/${id}/events${init.query ?? ""}`, { headers: init.headers, signal: init.signal }), {
      params: Promise.resolve({ id: String(id) }),
    });

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)("resuming after every seq of a finished session gives exactly the remaining events, then closes", async () => {
    const { sessionId, events } = await seedFinishedSession(database.db, 30);
    const full = await readStream(await get(sessionId));
    expect(full.events).toEqual(events);
    for (let after = 0; after <= events.length; after += 1) {
      // Alternate the two ways to resume.
      const response = after % 2 === 0 ? await get(sessionId, { query: `?after=${after}` }) : await get(sessionId, { headers: { "last-event-id": String(after) } });
      expect((await readStream(response)).seqs, `after ${after}`).toEqual(range(after + 1, events.length));
    }
  });

  it.skipIf(skip)("sends SSE headers and a connected comment first", async () => {
    const { sessionId } = await seedFinishedSession(database.db, 3);
    const response = await get(sessionId);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const text = await response.text();
    expect(text.startsWith(": connected\n\n")).toBe(true);
    expect(text).toContain("id: 3\nevent: session.completed\ndata: {");
  });

  it.skipIf(skip)("Last-Event-ID wins over ?after (what a reconnecting EventSource sends)", async () => {
    const { sessionId } = await seedFinishedSession(database.db, 6);
    const received = await readStream(await get(sessionId, { query: "?after=1", headers: { "last-event-id": "4" } }));
    expect(received.seqs).toEqual([5, 6]);
  });

  it.skipIf(skip)("answers 404 for unknown or malformed ids and 400 for a bad cursor, before any stream", async () => {
    const { sessionId } = await seedFinishedSession(database.db, 2);
    for (const id of ["999999", "abc", "1.5", "01", "-3", "0"]) {
      const response = await get(id);
      expect(response.status, id).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
    for (const init of [{ query: "?after=-1" }, { query: "?after=x" }, { headers: { "last-event-id": "2.5" } }]) {
      const response = await get(sessionId, init);
      expect(response.status, JSON.stringify(init)).toBe(400);
      const body = await response.json();
      expect(body.error.code).toBe("invalid_input");
      expect(body.error.message).toMatch(/after|Last-Event-ID/);
    }
  });

  it.skipIf(skip)("20 subscribers of one live run, joining before and during it, all get the identical gap-free sequence", async () => {
    const total = 400;
    const sessionId = await createSyntheticSession(database.db);
    live.add(sessionId);
    const recorder = syntheticRecorder(database.db, sessionId, (event) => bus.publish(event));
    const inputs = syntheticEventInputs(total);
    const subscribers: { after: number; result: Promise<Received> }[] = [];
    const join = (after: number) => subscribers.push({ after, result: get(sessionId, { query: `?after=${after}` }).then(readStream) });

    for (let index = 0; index < 6; index += 1) join(0);
    const joinPoints = new Map([
      [1, [0]],
      [20, [0, 10]],
      [60, [0, 59]],
      [150, [0, 100, 150]],
      [250, [0, 200]],
      [310, [0, 5]],
      [398, [0, 397]],
    ]);
    for (let index = 0; index < inputs.length; index += 1) {
      for (const after of joinPoints.get(index) ?? []) join(after);
      // Let some writes overlap: the recorder still stores them strictly in seq order.
      const emitted = recorder.emit(inputs[index] as (typeof inputs)[number]);
      if (index % 3 === 0) await emitted;
    }
    await recorder.flush();
    live.delete(sessionId);

    expect(subscribers.length).toBe(20);
    const results = await Promise.all(subscribers.map((subscriber) => subscriber.result));
    const fromStart = results.filter((_, index) => subscribers[index]?.after === 0);
    for (const [index, result] of results.entries()) {
      const after = subscribers[index]?.after ?? 0;
      expect(result.seqs, `subscriber ${index} (after ${after})`).toEqual(range(after + 1, total));
    }
    for (const result of fromStart) expect(result.events).toEqual(fromStart[0]?.events);
    expect(fromStart[0]?.types.at(-1)).toBe("session.completed");
    expect(bus.subscriberCount(sessionId)).toBe(0);
  });

  it.skipIf(skip)("stops its work when the client disconnects", async () => {
    const sessionId = await createSyntheticSession(database.db);
    live.add(sessionId);
    const client = new AbortController();
    const response = await get(sessionId, { signal: client.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(": connected\n\n");
    const pending = reader.read();
    while (bus.subscriberCount(sessionId) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(bus.subscriberCount(sessionId)).toBe(1);
    client.abort();
    await reader.cancel();
    await pending.catch(() => undefined);
    while (bus.subscriberCount(sessionId) > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(bus.subscriberCount(sessionId)).toBe(0);
    live.delete(sessionId);
  });
});
