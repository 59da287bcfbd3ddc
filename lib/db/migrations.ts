import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { readEnv } from "@/lib/server/env";
import { queryRows } from "./raw";
import type { AtlasDb } from "./types";

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

/** The generated migrations folder, found from the env, this file, or the working directory. */
export function migrationsFolder(): string {
  const candidates = [
    readEnv("ATLAS_MIGRATIONS_DIR"),
    safeFileDir("../../drizzle"),
    path.resolve(process.cwd(), "drizzle"),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(path.join(candidate, "meta", "_journal.json")));
  if (!found) throw new Error(`migrations folder not found (looked in ${candidates.join(", ")})`);
  return found;
}

function safeFileDir(relative: string): string | undefined {
  try {
    return fileURLToPath(new URL(relative, import.meta.url));
  } catch {
    return undefined;
  }
}

export function knownMigrations(): Journal["entries"] {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as Journal;
  return journal.entries;
}

/** How many migrations this database has recorded (drizzle's own bookkeeping table). */
export async function appliedMigrationCount(db: AtlasDb): Promise<number> {
  const [table] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return 0;
  const [row] = await queryRows<{ count: number | string }>(db, sql`select count(*) as count from drizzle.__drizzle_migrations`);
  return Number(row?.count ?? 0);
}

/** Runs a driver's migrator and reports how many migrations it applied. */
export async function runMigrations(db: AtlasDb, migrator: (folder: string) => Promise<void>) {
  const before = await appliedMigrationCount(db);
  await migrator(migrationsFolder());
  const after = await appliedMigrationCount(db);
  return { applied: after - before, available: knownMigrations().length };
}
