import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { formatSseComment, formatSseFrame } from "@/lib/http/sse";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { followSessionEvents, type InvalidFrame } from "./follow-events";
import { buildSessionEvents } from "./testing/session-events";

const events = buildSessionEvents({ sessionId: 5, steps: 2, attempts: 2, judges: ["process"] });
let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A real SSE endpoint: serves stored events after `?after=`, optionally cutting connections short. */
async function serve(plan: (connection: number, after: number) => { count: number; junk?: string; status?: number }) {
  const afters: number[] = [];
  server = createServer((request, response) => {
    const after = Number(new URL(request.url ?? "/", "http://x").searchParams.get("after") ?? 0);
    afters.push(after);
    const { count, junk, status } = plan(afters.length, after);
    if (status) {
      response.writeHead(status, { "content-type": "application/json" });
      response.end('{"error":{"code":"not_found","message":"no session 5"}}');
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(formatSseComment("connected"));
    if (junk) response.write(formatSseFrame({ event: "plan.drafted", data: junk }));
    for (const event of events.filter((e) => e.seq > after).slice(0, count)) {
      response.write(formatSseFrame({ id: event.seq, event: event.type, data: JSON.stringify(event) }));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const port = (server?.address() as AddressInfo).port;
  return { afters, url: (after: number) => `http://127.0.0.1:${port}/events?after=${after}` };
}

describe("followSessionEvents", () => {
  it("resumes after disconnects from the last applied seq, without losing or doubling events", async () => {
    const { afters, url } = await serve((connection) => ({ count: connection < 4 ? 7 : 1000 }));
    const applied: TrajectoryEvent[] = [];
    const result = await followSessionEvents({
      url,
      after: () => applied.at(-1)?.seq ?? 0,
      onEvent: (event) => applied.push(event),
      signal: new AbortController().signal,
      initialBackoffMs: 5,
    });
    expect(result.outcome).toBe("terminal");
    expect(applied.map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    expect(afters).toEqual([0, 7, 14, 21]);
  });

  it("starts after the snapshot's seq and skips anything at or below it", async () => {
    const { afters, url } = await serve(() => ({ count: 1000 }));
    const applied: number[] = [];
    await followSessionEvents({ url, after: () => 10, onEvent: (event) => applied.push(event.seq), signal: new AbortController().signal });
    expect(afters).toEqual([10]);
    expect(applied[0]).toBe(11);
    expect(applied.at(-1)).toBe(events.length);
  });

  it("drops and reports frames that are not valid events", async () => {
    const { url } = await serve(() => ({ count: 1000, junk: JSON.stringify({ ...events[1], seq: "x" }) }));
    const invalid: InvalidFrame[] = [];
    const applied: number[] = [];
    await followSessionEvents({
      url,
      after: () => 0,
      onEvent: (event) => applied.push(event.seq),
      onInvalidFrame: (frame) => invalid.push(frame),
      signal: new AbortController().signal,
    });
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.problem).toMatch(/^seq: /);
    expect(applied).toHaveLength(events.length);
  });

  it("gives up on a client error such as an unknown session", async () => {
    const { afters, url } = await serve(() => ({ count: 0, status: 404 }));
    const result = await followSessionEvents({ url, after: () => 0, onEvent: () => undefined, signal: new AbortController().signal });
    expect(result).toEqual({ outcome: "gave_up", reason: "the event stream answered 404" });
    expect(afters).toHaveLength(1);
  });

  it("stops when aborted while waiting to reconnect", async () => {
    const { url } = await serve(() => ({ count: 0 }));
    const controller = new AbortController();
    const states: string[] = [];
    const done = followSessionEvents({
      url,
      after: () => 0,
      onEvent: () => undefined,
      onState: (state) => {
        states.push(state);
        if (state === "reconnecting") controller.abort();
      },
      signal: controller.signal,
      initialBackoffMs: 60_000,
    });
    expect(await done).toEqual({ outcome: "aborted" });
    expect(states.at(-1)).toBe("closed");
  });
});
