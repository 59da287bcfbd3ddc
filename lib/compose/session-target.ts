/** Where a run keeps its session: the process database, a database the caller opened, a store, or nowhere. */
import "server-only";
import { getDatabase } from "@/lib/db/client";
import { databaseSessionStore } from "@/lib/db/session-store";
import type { AtlasDb } from "@/lib/db/types";
import { noSessionStore, type SessionStore } from "@/lib/runtime/store";

export type SessionTarget =
  /** The process-wide database (DATABASE_URL, else PGlite in ATLAS_DATA_DIR), opened and migrated on first use. */
  | "process-database"
  /** Nothing is stored; the run reports `sessionId: null`. */
  | "none"
  | { database: AtlasDb }
  | SessionStore;

export async function sessionStoreFor(target: SessionTarget): Promise<SessionStore> {
  const database = await databaseOf(target);
  if (database) return databaseSessionStore(database);
  return target === "none" ? noSessionStore : (target as SessionStore);
}

/** The database behind a target; null when nothing is stored or the caller brought its own store. */
export async function databaseOf(target: SessionTarget): Promise<AtlasDb | null> {
  if (target === "none") return null;
  if (target === "process-database") return (await getDatabase()).db;
  if ("database" in target) return target.database;
  return null;
}
