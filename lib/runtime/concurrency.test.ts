import { describe, expect, it } from "vitest";
import { runBounded } from "./concurrency";

/** A gate per item: the test decides when each piece of work finishes. */
function gates<T>(items: T[]) {
  const open = new Map<T, () => void>();
  const closed = new Map<T, Promise<void>>();
  for (const item of items) closed.set(item, new Promise<void>((resolve) => open.set(item, resolve)));
  return { wait: (item: T) => closed.get(item) as Promise<void>, open: (item: T) => open.get(item)?.() };
}

/** Resolves once `condition()` holds after the work so far has run (no clock involved). */
async function settledWhere(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("runBounded", () => {
  it("keeps at most `limit` in flight and starts the next item as soon as one finishes", async () => {
    const items = [1, 2, 3, 4, 5];
    const gate = gates(items);
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const done = runBounded(items, 2, async (item) => {
      started.push(item);
      peak = Math.max(peak, ++inFlight);
      await gate.wait(item);
      inFlight -= 1;
      return item * 10;
    });
    await settledWhere(() => started.length === 2);
    expect(started).toEqual([1, 2]);
    gate.open(2);
    await settledWhere(() => started.length === 3);
    expect(started).toEqual([1, 2, 3]);
    for (const item of [1, 3, 4, 5]) gate.open(item);
    const results = await done;
    expect(results).toEqual(items.map((item) => ({ status: "fulfilled", value: item * 10 })));
    expect(peak).toBe(2);
  });

  it("settles every item in item order, failures included, without stopping the others", async () => {
    const results = await runBounded(["a", "b", "c"], 3, async (item) => {
      if (item === "b") throw new Error("b broke");
      return item.toUpperCase();
    });
    expect(results).toEqual([
      { status: "fulfilled", value: "A" },
      { status: "rejected", reason: new Error("b broke") },
      { status: "fulfilled", value: "C" },
    ]);
  });

  it("runs one at a time for a limit below 1, and handles no items", async () => {
    const order: string[] = [];
    await runBounded([1, 2], 0, async (item) => {
      order.push(`start ${item}`);
      await Promise.resolve();
      order.push(`end ${item}`);
    });
    expect(order).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    expect(await runBounded([], 4, async () => 1)).toEqual([]);
  });
});
