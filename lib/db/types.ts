import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";
import type { DriverName } from "./target";

/** The driver-agnostic drizzle database every query module takes. */
export type AtlasDb = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself. */
export type AtlasTx = Parameters<Parameters<AtlasDb["transaction"]>[0]>[0];
export type Queryable = AtlasDb | AtlasTx;

export interface DatabaseHandle {
  db: AtlasDb;
  driver: DriverName;
  /** Where the data lives, with any password redacted. */
  location: string;
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
  /** PGlite only: a snapshot of the data folder (tests start fresh databases from a migrated one). */
  dumpDataDir?(): Promise<Blob>;
}

export interface MigrationReport {
  /** Migrations applied by this call. */
  applied: number;
  /** Migrations known to the project (drizzle/meta/_journal.json). */
  available: number;
}
