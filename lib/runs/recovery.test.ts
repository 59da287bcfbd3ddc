import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { databaseSessionStore } from "@/lib/db/session-store";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import type { SessionStore } from "@/lib/runtime/store";
import { recoverUnfinishedSessions } from "./recovery";
import { createSyntheticSession, syntheticEventInputs, syntheticLlmCall, syntheticRecorder } from "./testing/synthetic";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("pglite");
});
afterAll(async () => {
  await database?.close();
});

describe("recoverUnfinishedSessions", () => {
  it("retries with the next seq when a dead client's last write lands after the seq was read", async () => {
    const sessionId = await createSyntheticSession(database.db, "late write");
    const recorder = syntheticRecorder(database.db, sessionId, () => undefined);
    for (const input of syntheticEventInputs(5).slice(0, 3)) await recorder.emit(input);
    await recorder.flush();

    const store = databaseSessionStore(database.db);
    let lateWriteDone = false;
    const racing: SessionStore = {
      ...store,
      async write(event) {
        if (!lateWriteDone) {
          lateWriteDone = true;
          // The statement the killed process had in flight commits now, with the seq we were about to use.
          await store.write({ ...syntheticLlmCall(9), sessionId, seq: event.seq, ts: event.ts } as typeof event);
        }
        await store.write(event);
      },
    };
    const sleeps: number[] = [];
    const report = await recoverUnfinishedSessions(database.db, racing, {
      pid: 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(report).toEqual({ interrupted: [sessionId], failed: [] });
    expect(sleeps).toEqual([100]);
    const stored = await listSessionEvents(database.db, { sessionId, after: 0, limit: 100 });
    expect(stored.map((event) => [event.seq, event.type])).toEqual([
      [1, "session.started"],
      [2, "llm.call"],
      [3, "llm.call"],
      [4, "llm.call"],
      [5, "session.interrupted"],
    ]);
  });
});
