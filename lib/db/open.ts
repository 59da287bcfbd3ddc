import "server-only";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import { describeTarget, type DatabaseTarget } from "./target";
import type { DatabaseHandle } from "./types";

/** Opens a database for a target without migrating it. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  try {
    switch (target.driver) {
      case "pglite": {
        const { openPglite } = await import("./drivers/pglite");
        return await openPglite(target.dataDir ?? "memory://");
      }
      case "postgres": {
        const { openPostgres } = await import("./drivers/postgres");
        return await openPostgres(requireUrl(target));
      }
      case "neon": {
        const { openNeon } = await import("./drivers/neon");
        return await openNeon(requireUrl(target));
      }
    }
  } catch (error) {
    if (isAtlasError(error)) throw error;
    throw new AtlasError("unavailable", `cannot open database (${describeTarget(target)}): ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

function requireUrl(target: DatabaseTarget): string {
  if (!target.url) throw new AtlasError("invalid_input", `the ${target.driver} driver needs a connection URL`);
  return target.url;
}

/** Opens and migrates: what every entry point does on first use. */
export async function openMigratedDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  const handle = await openDatabase(target);
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new AtlasError("unavailable", `cannot migrate database (${describeTarget(target)}): ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return handle;
}
