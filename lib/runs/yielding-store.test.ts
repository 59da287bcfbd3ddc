import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import type { SessionStore } from "@/lib/runtime/store";
import { createSyntheticSession, syntheticEventInputs, syntheticRecorder } from "./testing/synthetic";
import { yieldingStore } from "./yielding-store";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("pglite");
});
afterAll(async () => {
  await database?.close();
});

/** Event-loop turns (where socket writes, timers and other requests run) during a burst of back-to-back writes. */
async function loopTurnsDuringBurst(count: number, wrapStore?: (store: SessionStore) => SessionStore): Promise<number> {
  const sessionId = await createSyntheticSession(database.db);
  const recorder = syntheticRecorder(database.db, sessionId, () => undefined, wrapStore);
  let turns = 0;
  let counting = true;
  const countTurn = () => {
    if (!counting) return;
    turns += 1;
    setImmediate(countTurn);
  };
  setImmediate(countTurn);
  await new Promise((resolve) => setImmediate(resolve));
  const before = turns;
  for (const input of syntheticEventInputs(count)) await recorder.emit(input);
  counting = false;
  return turns - before;
}

describe("yieldingStore on PGlite", () => {
  it("gives the event loop a turn before every event write", async () => {
    const raw = await loopTurnsDuringBurst(40);
    const yielding = await loopTurnsDuringBurst(40, yieldingStore);
    // PGlite alone never lets the loop run during the burst: SSE frames would wait for its end.
    expect(raw).toBeLessThan(5);
    expect(yielding).toBeGreaterThanOrEqual(40);
  });
});
