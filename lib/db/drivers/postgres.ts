import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { runMigrations } from "../migrations";
import * as schema from "../schema";
import { redactUrl } from "../target";
import type { AtlasDb, DatabaseHandle } from "../types";

export interface PoolOptions {
  max?: number;
  statementTimeoutMs?: number;
}

export async function openPostgres(url: string, options: PoolOptions = {}): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Set on every pooled connection (upstream set it on one connection only: Appendix A11).
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const db = drizzle({ client: pool, schema });
  let closed = false;
  return {
    db: db as unknown as AtlasDb,
    driver: "postgres",
    location: redactUrl(url),
    migrate: () => runMigrations(db as unknown as AtlasDb, (migrationsFolder) => migrate(db, { migrationsFolder })),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
