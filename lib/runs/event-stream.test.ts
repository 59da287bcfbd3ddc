import { describe, expect, it } from "vitest";
import { emptyUsage, type TrajectoryEvent } from "@/lib/trajectory";
import { sessionEventStream, type Clock, type SessionEventSource } from "./event-stream";
import { LiveBus } from "./live-bus";

const SESSION = 1;

function event(seq: number, terminal = false): TrajectoryEvent {
  const base = { sessionId: SESSION, seq, ts: new Date(1_700_000_000_000 + seq).toISOString(), actor: "system" as const };
  if (terminal) return { ...base, type: "session.completed", finalAnswer: "x", executionMode: "stepwise", usage: emptyUsage(), durationMs: 1 };
  return { ...base, type: "error", message: `event ${seq}`, where: "test" };
}

/** An in-memory session: `store` then `publish`, like the engine's recorder. */
class MemorySession {
  readonly stored: TrajectoryEvent[] = [];
  readonly bus = new LiveBus();
  live = true;
  loads = 0;
  beforeLoad: ((call: number) => void) | null = null;

  append(seq: number, { terminal = false, publish = true } = {}): void {
    const next = event(seq, terminal);
    this.stored.push(next);
    if (publish) this.bus.publish(next);
  }

  source(): SessionEventSource {
    return {
      loadAfter: async (after, limit) => {
        this.loads += 1;
        this.beforeLoad?.(this.loads);
        return this.stored.filter((stored) => stored.seq > after).slice(0, limit);
      },
      terminalSeq: async () => this.stored.find((stored) => stored.type === "session.completed")?.seq ?? null,
      subscribe: (listener) => this.bus.subscribe(SESSION, listener),
      isLive: () => this.live,
    };
  }
}

class ManualClock implements Clock {
  current = 0;
  private timers: { at: number; callback: () => void }[] = [];
  now(): number {
    return this.current;
  }
  setTimer(ms: number, callback: () => void): () => void {
    const timer = { at: this.current + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.current += ms;
    const due = this.timers.filter((timer) => timer.at <= this.current);
    this.timers = this.timers.filter((timer) => timer.at > this.current);
    for (const timer of due) timer.callback();
  }
}

async function drain(stream: AsyncGenerator<TrajectoryEvent | null>): Promise<(number | null)[]> {
  const seen: (number | null)[] = [];
  for await (const item of stream) seen.push(item === null ? null : item.seq);
  return seen;
}

/** Waits, turn by turn, until `condition` holds; the test's own timeout bounds the wait. */
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe("sessionEventStream", () => {
  it("replays in pages and ends at the terminal event", async () => {
    const session = new MemorySession();
    for (let seq = 1; seq <= 11; seq += 1) session.append(seq, { terminal: seq === 11 });
    expect(await drain(sessionEventStream({ source: session.source(), after: 0, pageSize: 4 }))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(await drain(sessionEventStream({ source: session.source(), after: 7, pageSize: 4 }))).toEqual([8, 9, 10, 11]);
    expect(session.bus.subscriberCount(SESSION), "unsubscribed at the end").toBe(0);
  });

  it("ends at once when resumed at or after the terminal event", async () => {
    const session = new MemorySession();
    for (let seq = 1; seq <= 3; seq += 1) session.append(seq, { terminal: seq === 3 });
    session.live = false;
    expect(await drain(sessionEventStream({ source: session.source(), after: 3 }))).toEqual([]);
    expect(await drain(sessionEventStream({ source: session.source(), after: 99 }))).toEqual([]);
  });

  it("has no gap and no duplicate when events land while the replay runs", async () => {
    const session = new MemorySession();
    for (let seq = 1; seq <= 5; seq += 1) session.append(seq);
    // Event 6 is stored before the first page is read but published after it (it is in both);
    // 7..9 are stored and published between pages; 10..12 arrive once the stream is live.
    session.beforeLoad = (call) => {
      if (call === 1) session.stored.push(event(6));
      if (call === 2) {
        session.bus.publish(event(6));
        for (let seq = 7; seq <= 9; seq += 1) session.append(seq);
      }
    };
    const stream = sessionEventStream({ source: session.source(), after: 0, pageSize: 3 });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const item of stream) if (item) seen.push(item.seq);
    })();
    await until(() => seen.length === 9);
    for (let seq = 10; seq <= 12; seq += 1) session.append(seq, { terminal: seq === 12 });
    await reading;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("fills a gap in what is published from the store", async () => {
    const session = new MemorySession();
    session.append(1);
    const stream = sessionEventStream({ source: session.source(), after: 0 });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const item of stream) if (item) seen.push(item.seq);
    })();
    await until(() => seen.length === 1);
    session.append(2, { publish: false });
    session.append(3, { publish: false });
    session.append(4, { terminal: true });
    await reading;
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("sends a keep-alive after 15 s without events", async () => {
    const session = new MemorySession();
    const clock = new ManualClock();
    const stream = sessionEventStream({ source: session.source(), after: 0, clock });
    const first = stream.next();
    await until(() => clock.pending === 1);
    clock.advance(14_999);
    let settled = false;
    void first.then(() => (settled = true));
    await until(() => session.loads >= 1);
    expect(settled).toBe(false);
    clock.advance(1);
    expect((await first).value).toBeNull();
    const second = stream.next();
    await until(() => clock.pending === 1);
    session.append(1, { terminal: true });
    expect((await second).value?.seq).toBe(1);
    expect((await stream.next()).done).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it("polls the store every second when no live run will publish", async () => {
    const session = new MemorySession();
    session.live = false;
    session.append(1, { publish: false });
    const clock = new ManualClock();
    const stream = sessionEventStream({ source: session.source(), after: 0, clock, pollMs: 1_000 });
    expect((await stream.next()).value?.seq).toBe(1);
    const next = stream.next();
    await until(() => clock.pending === 1);
    const loadsBefore = session.loads;
    session.append(2, { publish: false, terminal: true });
    clock.advance(1_000);
    expect((await next).value?.seq).toBe(2);
    expect(session.loads).toBeGreaterThan(loadsBefore);
    expect((await stream.next()).done).toBe(true);
  });

  it("stops waiting and unsubscribes when the signal aborts", async () => {
    const session = new MemorySession();
    const controller = new AbortController();
    const clock = new ManualClock();
    const stream = sessionEventStream({ source: session.source(), after: 0, signal: controller.signal, clock });
    const next = stream.next();
    await until(() => clock.pending === 1);
    expect(session.bus.subscriberCount(SESSION)).toBe(1);
    controller.abort();
    expect((await next).done).toBe(true);
    expect(session.bus.subscriberCount(SESSION)).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
