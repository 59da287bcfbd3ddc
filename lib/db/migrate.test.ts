import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { knownMigrations } from "./migrations";
import { openDatabase } from "./open";
import { sessions } from "./schema";
import type { DatabaseTarget } from "./target";
import { createScratchPostgresDatabase, postgresUnavailableReason } from "./testing/databases";
import { startNeonWsProxy } from "./testing/neon-ws-proxy";

const pgSkip = await postgresUnavailableReason();
if (pgSkip) console.warn(`[skip] postgres and neon migration tests: ${pgSkip}`);

/** Opens the target twice, as two starts of the app would, and checks nothing is re-applied or lost. */
async function expectMigrationsApplyOnceAndKeepData(target: DatabaseTarget) {
  const first = await openDatabase(target);
  const firstReport = await first.migrate();
  expect(firstReport).toEqual({ applied: knownMigrations().length, available: knownMigrations().length });
  const [created] = await first.db.insert(sessions).values({ task: "survive a restart" }).returning();
  await first.close();

  const second = await openDatabase(target);
  try {
    expect(await second.migrate()).toEqual({ applied: 0, available: knownMigrations().length });
    const rows = await second.db.select().from(sessions).where(eq(sessions.id, created!.id));
    expect(rows.map((row) => row.task)).toEqual(["survive a restart"]);
    expect(rows[0]?.status).toBe("running");
  } finally {
    await second.close();
  }
}

describe("migrations on PGlite", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "atlas-pglite-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("apply on a fresh data folder (created if missing), and a second start applies nothing", async () => {
    await expectMigrationsApplyOnceAndKeepData({ driver: "pglite", dataDir: path.join(dataDir, "nested", "pgdata") });
  });
});

describe.skipIf(pgSkip)("migrations on PostgreSQL", () => {
  it("apply on a fresh database, and a second start applies nothing", async () => {
    const scratch = await createScratchPostgresDatabase();
    try {
      await expectMigrationsApplyOnceAndKeepData({ driver: "postgres", url: scratch.url });
    } finally {
      await scratch.drop();
    }
  });
});

describe.skipIf(pgSkip)("migrations through the Neon serverless driver", () => {
  it("apply over WebSocket, and a second start applies nothing", async () => {
    const scratch = await createScratchPostgresDatabase();
    const target = new URL(scratch.url);
    const proxy = await startNeonWsProxy([`${target.hostname}:${target.port}`]);
    const previous = process.env.ATLAS_NEON_WS_PROXY;
    process.env.ATLAS_NEON_WS_PROXY = proxy.address;
    try {
      await expectMigrationsApplyOnceAndKeepData({ driver: "neon", url: scratch.url });
    } finally {
      process.env.ATLAS_NEON_WS_PROXY = previous;
      await proxy.close();
      await scratch.drop();
    }
  });
});
