import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "@/lib/db/schema";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { databaseSessionStore } from "@/lib/db/session-store";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import type { SessionStore } from "@/lib/runtime/store";
import { OTHER_HOST_STALE_AFTER_MS, recoverUnfinishedSessions } from "./recovery";
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
      async write(events) {
        const [event] = events;
        if (!lateWriteDone && event) {
          lateWriteDone = true;
          // The statement the killed process had in flight commits now, with the seq we were about to use.
          await store.write([{ ...syntheticLlmCall(9), sessionId, seq: event.seq, ts: event.ts } as typeof event]);
        }
        await store.write(events);
      },
    };
    const sleeps: number[] = [];
    const report = await recoverUnfinishedSessions(database.db, racing, {
      pid: 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(report).toEqual({ interrupted: [sessionId], leftRunning: [], failed: [] });
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

  it("leaves sessions of other live processes alone and interrupts abandoned ones", async () => {
    const { db } = database;
    const sleeper = spawn("sleep", ["30"]);
    try {
      const owned = async (task: string, owner: string) => {
        const id = await createSyntheticSession(db, task);
        await db.update(sessions).set({ owner }).where(eq(sessions.id, id));
        return id;
      };
      const liveHere = await owned("atlas run in a terminal", `${hostname()} ${sleeper.pid}`);
      const deadHere = await owned("killed server", `${hostname()} 2147483646`);
      const otherHost = await owned("run on another machine", "elsewhere 12");
      const store = databaseSessionStore(db);

      const soon = await recoverUnfinishedSessions(db, store, { now: () => new Date() });
      expect(soon.leftRunning).toEqual(expect.arrayContaining([liveHere, otherHost]));
      expect(soon.interrupted).toContain(deadHere);
      expect(soon.interrupted).not.toContain(liveHere);

      const later = await recoverUnfinishedSessions(db, store, {
        now: () => new Date(Date.now() + OTHER_HOST_STALE_AFTER_MS + 60_000),
      });
      expect(later.interrupted).toContain(otherHost);
      expect(later.leftRunning).toContain(liveHere);
    } finally {
      sleeper.kill();
    }
  });
});
