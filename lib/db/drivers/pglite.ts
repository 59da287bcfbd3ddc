import "server-only";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { runMigrations } from "../migrations";
import * as schema from "../schema";
import { lockDataFolder } from "./folder-lock";
import type { AtlasDb, DatabaseHandle } from "../types";

/** One process per data folder (STACK.md pitfall 7): the folder is locked while it is open. */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  // PGlite does not create parent folders itself.
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataFolder(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({ ...(inMemory ? {} : { dataDir }), ...options });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzle({ client, schema });
  let closed = false;
  return {
    db: db as unknown as AtlasDb,
    driver: "pglite",
    location: inMemory ? "memory" : dataDir,
    migrate: () => runMigrations(db as unknown as AtlasDb, (migrationsFolder) => migrate(db, { migrationsFolder })),
    dumpDataDir: () => client.dumpDataDir("none"),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}
