import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { createSyntheticSession, syntheticEventInputs, syntheticRecorder } from "./testing/synthetic";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("pglite");
});
afterAll(async () => {
  await database?.close();
});

describe("event writes on PGlite", () => {
  // PGlite runs its queries on the main thread, and a chain of them never yields to the event loop by
  // itself: without a turn between writes, a burst of events would hold every SSE frame until it ends.
  it("let the event loop run between writes during a burst", async () => {
    const sessionId = await createSyntheticSession(database.db);
    const recorder = syntheticRecorder(database.db, sessionId, () => undefined);
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
    for (const input of syntheticEventInputs(40)) await recorder.emit(input);
    await recorder.flush();
    counting = false;
    expect(turns - before).toBeGreaterThanOrEqual(40);
  });
});
