import "server-only";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../schema";
import type { DatabaseHandle } from "../types";
import { pooledHandle } from "./pooled-handle";

export interface PoolOptions {
  max?: number;
  statementTimeoutMs?: number;
}

export async function openPostgres(url: string, options: PoolOptions = {}): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Set on every pooled connection (upstream set it on one connection only, so other pooled connections missed it).
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  return pooledHandle({ driver: "postgres", url, db: drizzle({ client: pool, schema }), migrate, end: () => pool.end() });
}
