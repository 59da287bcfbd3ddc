import "server-only";
import { runMigrations } from "../migrations";
import { redactUrl, type DriverName } from "../target";
import type { AtlasDb, DatabaseHandle } from "../types";

/** The handle of a server driver: a pool, its drizzle database and that driver's migrator. */
export function pooledHandle<D>(options: {
  driver: DriverName;
  url: string;
  db: D;
  migrate: (db: D, config: { migrationsFolder: string }) => Promise<void>;
  end: () => Promise<void>;
}): DatabaseHandle {
  const db = options.db as unknown as AtlasDb;
  let closed = false;
  return {
    db,
    driver: options.driver,
    location: redactUrl(options.url),
    migrate: () => runMigrations(db, (migrationsFolder) => options.migrate(options.db, { migrationsFolder })),
    async close() {
      if (closed) return;
      closed = true;
      await options.end();
    },
  };
}
