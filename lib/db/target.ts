import "server-only";
import path from "node:path";
import { AtlasError } from "@/lib/errors";
import { readEnv } from "@/lib/server/env";

export type DriverName = "pglite" | "postgres" | "neon";

export interface DatabaseTarget {
  driver: DriverName;
  /** Connection string for `postgres` and `neon`. */
  url?: string;
  /** Data folder for `pglite`; `memory://` for an in-memory database. */
  dataDir?: string;
}

/**
 * Driver selection: no DATABASE_URL → embedded PGlite in ATLAS_DATA_DIR;
 * a Neon host or ATLAS_DB_DRIVER=neon → Neon serverless; any other postgres:// URL → node-postgres.
 */
export function resolveDatabaseTarget(
  env: Readonly<Record<string, string | undefined>> = process.env,
  databaseUrl?: string,
): DatabaseTarget {
  const url = databaseUrl !== undefined ? databaseUrl.trim() : (readEnv("DATABASE_URL", env) ?? "");
  const forced = readEnv("ATLAS_DB_DRIVER", env);
  if (!url || forced === "pglite") {
    const dataDir = readEnv("ATLAS_DATA_DIR", env);
    return { driver: "pglite", dataDir: dataDir.startsWith("memory://") ? dataDir : path.resolve(/* turbopackIgnore: true */ dataDir) };
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new AtlasError(
      "invalid_input",
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${redactUrl(url)}"); unset it to use the embedded database`,
    );
  }
  if (forced === "neon" || isNeonHost(url)) return { driver: "neon", url };
  return { driver: "postgres", url };
}

function isNeonHost(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith(".neon.tech");
  } catch {
    return false;
  }
}

/** Never show a password in logs, health output or errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]+):[^@/]*@/, "://$1:***@");
  }
}

export function describeTarget(target: DatabaseTarget): string {
  return target.driver === "pglite" ? `pglite ${target.dataDir}` : `${target.driver} ${redactUrl(target.url ?? "")}`;
}
