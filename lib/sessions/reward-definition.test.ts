import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailySessionSeries, listSessionRows } from "@/lib/db/queries/session-views";
import { sessions } from "@/lib/db/schema";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { exportFilters } from "@/lib/export/filters";
import { countSessions } from "@/lib/export/stream";
import { seedSession } from "@/lib/export/testing/fixture";

const drivers = (await availableDrivers()).filter((entry) => entry.driver !== "neon");
for (const { driver, skip } of drivers) if (skip) console.warn(`reward definition tests on ${driver} skipped: ${skip}`);

describe.each(drivers)("one session reward for the list, the chart and the export filter ($driver)", ({ driver, skip }) => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};
  const day = new Date("2025-12-01T10:00:00Z");

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    const steps = (score: number) => [{ description: "Judged step", score }];
    ids.succeeded = (await seedSession(database.db, { task: "done", createdAt: day, steps: steps(0.6) })).sessionId;
    ids.cancelled = (await seedSession(database.db, { task: "stopped", createdAt: day, steps: steps(0.95), outcome: "cancelled" })).sessionId;
    ids.failed = (await seedSession(database.db, { task: "broken", createdAt: day, steps: steps(0.9), outcome: "failed" })).sessionId;
    ids.running = (await seedSession(database.db, { task: "going", createdAt: day, steps: steps(0.99), outcome: "running" })).sessionId;
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)("keeps every judged mean, but only a succeeded session's is a session reward", async () => {
    const stored = await database.db.select({ id: sessions.id, status: sessions.status, reward: sessions.rewardScore }).from(sessions);
    // Precondition: the stopped and running sessions do have a (partial) mean that a naive filter would match.
    for (const key of ["cancelled", "running"]) expect(stored.find((row) => row.id === ids[key])?.reward).toBeGreaterThan(0.9);

    const [point] = await dailySessionSeries(database.db, new Date("2025-11-30T00:00:00Z"));
    expect(point).toMatchObject({ day: "2025-12-01", sessions: 4 });
    expect(point!.meanReward).toBeCloseTo(0.6, 5);

    const listed = await listSessionRows(database.db, { minReward: 0.5, limit: 50 });
    expect(listed.map((row) => row.id)).toEqual([ids.succeeded]);
    expect((await listSessionRows(database.db, { maxReward: 1, limit: 50 })).map((row) => row.id)).toEqual([ids.succeeded]);

    expect(await countSessions(database.db, exportFilters({ min_reward: "0.5" }))).toMatchObject({ sessions: 1 });
    expect(await countSessions(database.db, exportFilters({}))).toMatchObject({ sessions: 4 });
    const [succeeded] = await database.db.select().from(sessions).where(eq(sessions.id, ids.succeeded!));
    expect(succeeded!.status).toBe("succeeded");
  });
});
