import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseSessionStore } from "@/lib/db/session-store";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { EventRecorder } from "@/lib/runtime/recorder";
import { createSyntheticSession, syntheticEventInputs } from "./testing/synthetic";

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
    const store = databaseSessionStore(database.db);
    let writes = 0;
    const recorder = new EventRecorder({
      sessionId,
      sink: (events) => {
        writes += 1;
        return store.write(events);
      },
    });
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
    // As the engine does: an event, then an outside call that waits until it is on its way to the store.
    for (const input of syntheticEventInputs(40)) {
      await recorder.emit(input);
      await recorder.handedOff();
    }
    await recorder.flush();
    counting = false;
    expect(writes).toBeGreaterThanOrEqual(10);
    expect(turns - before).toBeGreaterThanOrEqual(writes);
  });
});
