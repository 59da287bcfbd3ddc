import { describe, expect, it } from "vitest";
import type { EventInput, TrajectoryEvent } from "./events";
import { EventRecorder } from "./recorder";

const synthesis = (finalAnswer: string): EventInput => ({ type: "synthesis", actor: "student", finalAnswer });

describe("EventRecorder", () => {
  it("numbers events gap-free from the stored last seq and stamps session id and time", async () => {
    const written: TrajectoryEvent[] = [];
    const recorder = new EventRecorder({
      sessionId: 7,
      startSeq: 4,
      sink: async (event) => void written.push(event),
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

  it("writes concurrent emits strictly in seq order and notifies listeners only after each write", async () => {
    const log: string[] = [];
    const delays = [30, 1, 15, 0, 8, 2];
    let call = 0;
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (event) => {
        log.push(`write-start ${event.seq}`);
        await new Promise((resolve) => setTimeout(resolve, delays[call++ % delays.length]));
        log.push(`write-end ${event.seq}`);
      },
      listeners: [(event) => log.push(`listen ${event.seq}`)],
    });
    await Promise.all(Array.from({ length: 6 }, (_, index) => recorder.emit(synthesis(`answer ${index}`))));
    await recorder.flush();
    const expected = [1, 2, 3, 4, 5, 6].flatMap((seq) => [`write-start ${seq}`, `write-end ${seq}`, `listen ${seq}`]);
    expect(log).toEqual(expected);
  });

  it("refuses every later event after a failed write, so the stored log has no gaps", async () => {
    const stored: number[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: async (event) => {
        if (event.seq === 2) throw new Error("disk full");
        stored.push(event.seq);
      },
    });
    await recorder.emit(synthesis("1"));
    await recorder.emit(synthesis("2"));
    await expect(recorder.emit(synthesis("3"))).rejects.toThrow("could not store event 2 (synthesis) of session 1: disk full");
    await expect(recorder.emit(synthesis("4"))).rejects.toThrow("disk full");
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
      sink: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        written.push(event.seq);
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
  it("lets the caller go on once the previous event is stored, so at most one event is in flight", async () => {
    const stored: number[] = [];
    const releases: (() => void)[] = [];
    const recorder = new EventRecorder({
      sessionId: 1,
      sink: (event) =>
        new Promise<void>((resolve) =>
          releases.push(() => {
            stored.push(event.seq);
            resolve();
          }),
        ),
    });
    await recorder.emit(synthesis("1"));
    expect(stored).toEqual([]);
    const second = recorder.emit(synthesis("2"));
    let secondReturned = false;
    void second.then(() => (secondReturned = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondReturned).toBe(false);
    releases.shift()!();
    await second;
    expect(stored).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
    await recorder.flush();
    expect(stored).toEqual([1, 2]);
  });

  it("starts a write only after the emitting code has run on, so a request sent next is not delayed by it", async () => {
    const order: string[] = [];
    const recorder = new EventRecorder({ sessionId: 1, sink: async (event) => void order.push(`write ${event.seq}`) });
    const emitted = recorder.emit(synthesis("a"));
    order.push("engine continues");
    await emitted;
    await recorder.flush();
    expect(order).toEqual(["engine continues", "write 1"]);
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
