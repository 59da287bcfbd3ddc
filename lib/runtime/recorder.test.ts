import { describe, expect, it } from "vitest";
import type { EventInput, TrajectoryEvent } from "@/lib/trajectory";
import { EventRecorder } from "./recorder";

const synthesis = (finalAnswer: string): EventInput => ({ type: "synthesis", actor: "student", finalAnswer });

describe("EventRecorder", () => {
  it("numbers events gap-free from the stored last seq and stamps session id and time", async () => {
    const written: TrajectoryEvent[] = [];
    const recorder = new EventRecorder({
      sessionId: 7,
      startSeq: 4,
      sink: async (events) => void written.push(...events),
      now: () => new Date("2026-01-02T03:04:05.000Z"),
    });
    await recorder.emit(synthesis("a"));
    await recorder.emit(synthesis("b"));
    await recorder.flush();
    expect(written.map((event) => [event.sessionId, event.seq, event.ts])).toEqual([
      [7, 5, "2026-01-02T03:04:05.000Z"],
      [7, 6, "2026-01-02T03:04:05.000Z"],
    ]);
    expect(recorder.lastSeq).toBe(6);
  });

  it("writes concurrent emits strictly in seq order, a burst in one write, and notifies listeners only after it", async () => {
    const log: string[] = [];
    const delays = [30, 1, 15, 0, 8, 2];
    let call = 0;
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (events) => {
        const seqs = events.map((event) => event.seq).join(",");
        log.push(`write-start ${seqs}`);
        await new Promise((resolve) => setTimeout(resolve, delays[call++ % delays.length]));
        log.push(`write-end ${seqs}`);
      },
      listeners: [(event) => log.push(`listen ${event.seq}`)],
    });
    const first = recorder.emit(synthesis("answer 0"));
    await new Promise((resolve) => setImmediate(resolve)); // the first write is now in flight
    const rest = Array.from({ length: 5 }, (_, index) => recorder.emit(synthesis(`answer ${index + 1}`)));
    await Promise.all([first, ...rest]);
    await recorder.flush();
    expect(log).toEqual([
      "write-start 1",
      "write-end 1",
      "listen 1",
      "write-start 2,3,4,5,6",
      "write-end 2,3,4,5,6",
      ...[2, 3, 4, 5, 6].map((seq) => `listen ${seq}`),
    ]);
  });

  it("refuses every later event after a failed write, so the stored log has no gaps", async () => {
    const stored: number[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (events) => {
        if (events.some((event) => event.seq === 2)) throw new Error("disk full");
        stored.push(...events.map((event) => event.seq));
      },
    });
    await recorder.emit(synthesis("1"));
    await recorder.flush();
    await recorder.emit(synthesis("2"));
    await recorder.emit(synthesis("3"));
    await recorder.flush();
    await expect(recorder.emit(synthesis("4"))).rejects.toThrow("could not store events 2–3 (synthesis … synthesis) of session 1: disk full");
    await expect(recorder.emit(synthesis("5"))).rejects.toThrow("disk full");
    await recorder.flush();
    expect(stored).toEqual([1]);
    expect(recorder.failure?.message).toContain("disk full");
  });

  it("rejects events that do not match the event union before they take a seq", () => {
    const recorder = new EventRecorder({ sessionId: 1 });
    expect(() => recorder.emit({ type: "synthesis", actor: "student" } as unknown as EventInput)).toThrow(
      "invalid synthesis event: finalAnswer",
    );
    expect(recorder.lastSeq).toBe(0);
  });

  it("queues events from synchronous callbacks and flushes them", async () => {
    const written: number[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (events) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(...events.map((event) => event.seq));
      },
    });
    recorder.enqueue(synthesis("a"));
    recorder.enqueue(synthesis("b"));
    expect(written).toEqual([]);
    await recorder.flush();
    expect(written).toEqual([1, 2]);
  });

  it("keeps running when a listener throws", async () => {
    const seen: number[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      listeners: [
        () => {
          throw new Error("viewer crashed");
        },
        (event) => seen.push(event.seq),
      ],
    });
    await recorder.emit(synthesis("a"));
    await recorder.flush();
    expect(seen).toEqual([1]);
  });
});

describe("EventRecorder pipelining", () => {
  function releasedSink() {
    const stored: number[] = [];
    const releases: (() => void)[] = [];
    const sink = (events: readonly TrajectoryEvent[]) =>
      new Promise<void>((resolve) =>
        releases.push(() => {
          stored.push(...events.map((event) => event.seq));
          resolve();
        }),
      );
    return { stored, releases, sink };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it("lets emit go on at once and holds handedOff until every earlier event is in a write, one write at a time", async () => {
    const { stored, releases, sink } = releasedSink();
    const recorder = new EventRecorder({ sessionId: 1, sink });
    await recorder.emit(synthesis("1"));
    await recorder.handedOff(); // event 1 is now being written
    await turn();
    expect(releases).toHaveLength(1);
    await recorder.emit(synthesis("2"));
    await recorder.emit(synthesis("3"));
    let released = false;
    const gate = recorder.handedOff().then(() => (released = true));
    await turn();
    await turn();
    expect(released).toBe(false); // 2 and 3 wait behind the write of 1
    releases.shift()!();
    await gate;
    await turn();
    expect(stored).toEqual([1]);
    expect(releases).toHaveLength(1);
    releases.shift()!();
    await recorder.flush();
    expect(stored).toEqual([1, 2, 3]);
  });

  it("does not hold the next call back for the record of a call that returned (agent.call), and writes it in order", async () => {
    const { stored, releases, sink } = releasedSink();
    const recorder = new EventRecorder({ sessionId: 1, sink });
    await recorder.emit(synthesis("1"));
    await recorder.handedOff(); // event 1 is now being written, and hangs until released
    await turn();
    await recorder.emit({ type: "agent.call", actor: "agent", mode: "execution", stepId: 1, attempt: 1, latencyMs: 0, error: null });
    await recorder.handedOff(); // resolves while the write of 1 still hangs
    expect(releases).toHaveLength(1);
    await recorder.emit(synthesis("3"));
    let released = false;
    const gate = recorder.handedOff().then(() => (released = true));
    await turn();
    await turn();
    expect(released).toBe(false); // any other event still waits behind the write in flight
    releases.shift()!();
    await gate;
    await turn();
    expect(stored).toEqual([1]);
    releases.shift()!();
    await recorder.flush();
    expect(stored).toEqual([1, 2, 3]);
  });

  it("rejects handedOff and later emits once a write failed", async () => {
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async () => {
        throw new Error("connection reset");
      },
    });
    await recorder.emit(synthesis("1"));
    await expect(recorder.handedOff().then(() => recorder.flush()).then(() => recorder.handedOff())).rejects.toThrow(
      "could not store event 1 (synthesis) of session 1: connection reset",
    );
    await expect(recorder.emit(synthesis("2"))).rejects.toThrow("connection reset");
  });

  it("starts a write only after the emitting code has run on, so a request sent next is not delayed by it", async () => {
    const order: string[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (events) => void order.push(`write ${events.map((event) => event.seq).join(",")}`),
    });
    const emitted = recorder.emit(synthesis("a"));
    order.push("engine continues");
    await emitted;
    await recorder.handedOff();
    order.push("request sent");
    await recorder.flush();
    expect(order).toEqual(["engine continues", "request sent", "write 1"]);
  });
});

describe("EventRecorder after the terminal event", () => {
  it("accepts nothing after session.completed", async () => {
    const recorder = new EventRecorder({ sessionId: 1 });
    const usage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
    await recorder.emit({
      type: "session.completed",
      actor: "system",
      finalAnswer: "x",
      executionMode: "stepwise",
      usage,
      durationMs: 1,
    });
    expect(recorder.sessionEnded).toBe(true);
    expect(() => recorder.emit(synthesis("late"))).toThrow("session 1 has already ended; synthesis event dropped");
    recorder.enqueue(synthesis("late"));
    expect(recorder.lastSeq).toBe(1);
    expect(recorder.failure).toBeNull();
  });
});
