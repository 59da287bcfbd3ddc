import { randomBytes } from "node:crypto";
import pg from "pg";
import { openMigratedDatabase } from "../open";
import type { DriverName } from "../target";
import type { DatabaseHandle } from "../types";
import { startNeonWsProxy } from "./neon-ws-proxy";

/**
 * Test databases for every driver. Each call creates its own database (PostgreSQL/Neon) or in-memory
 * PGlite and removes it on close, so test files never share data.
 */
export const ADMIN_URL = process.env.ATLAS_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase extends DatabaseHandle {
  /** Connection string for server drivers (for CLI subprocesses); undefined for PGlite. */
  url?: string;
}

let postgresProbe: Promise<string | null> | undefined;

/** null when PostgreSQL answers, else the reason it cannot be used (printed by the skipping suite). */
export function postgresUnavailableReason(): Promise<string | null> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return null;
    } catch (error) {
      return `PostgreSQL at ${ADMIN_URL} is not reachable (${(error as Error).message}); set ATLAS_TEST_PG_URL or start it`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

/** Drivers to run a suite on, with the reason for each one skipped. */
export async function availableDrivers(): Promise<{ driver: DriverName; skip: string | null }[]> {
  const reason = await postgresUnavailableReason();
  return [
    { driver: "pglite", skip: null },
    { driver: "postgres", skip: reason },
    { driver: "neon", skip: reason },
  ];
}

let migratedPgliteSnapshot: Promise<Blob> | undefined;

/** initdb + migrate takes ~5 s; loading a snapshot of an already migrated database takes ~1 s. */
async function freshPglite(): Promise<TestDatabase> {
  migratedPgliteSnapshot ??= (async () => {
    const template = await openMigratedDatabase({ driver: "pglite", dataDir: "memory://" });
    try {
      return await template.dumpDataDir!();
    } finally {
      await template.close();
    }
  })();
  const { openPglite } = await import("../drivers/pglite");
  const handle = await openPglite("memory://", { loadDataDir: await migratedPgliteSnapshot });
  await handle.migrate();
  return handle;
}

export async function createTestDatabase(driver: DriverName): Promise<TestDatabase> {
  if (driver === "pglite") return freshPglite();
  const { url, drop } = await createScratchPostgresDatabase();
  if (driver === "postgres") {
    const handle = await openMigratedDatabase({ driver: "postgres", url });
    return { ...handle, url, close: chain(handle.close, drop) };
  }
  const target = new URL(url);
  const proxy = await startNeonWsProxy([`${target.hostname}:${target.port || 5432}`]);
  process.env.ATLAS_NEON_WS_PROXY = proxy.address;
  const handle = await openMigratedDatabase({ driver: "neon", url });
  return { ...handle, url, close: chain(handle.close, proxy.close, drop) };
}

export async function createScratchPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atlas_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function chain(...steps: (() => Promise<void>)[]): () => Promise<void> {
  return async () => {
    for (const step of steps) await step();
  };
}
