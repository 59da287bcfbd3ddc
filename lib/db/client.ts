import "server-only";
import { onShutdown } from "@/lib/server/shutdown";
import { openMigratedDatabase } from "./open";
import { resolveDatabaseTarget } from "./target";
import type { DatabaseHandle } from "./types";

interface ProcessDatabase {
  promise?: Promise<DatabaseHandle>;
  shutdownHooked?: boolean;
}

/** Closing the database is the last thing a stopping process does. */
const CLOSE_DATABASE_ORDER = 100;

// One database per process, kept on globalThis so dev-server module reloads reuse it.
const holder = globalThis as unknown as { __atlasDatabase?: ProcessDatabase };

/**
 * The process-wide database, opened lazily and migrated on first use. Never call at module top level:
 * `next build` must not touch the database.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  const state = (holder.__atlasDatabase ??= {});
  if (!state.promise) {
    state.promise = openMigratedDatabase(resolveDatabaseTarget());
    // A failed open is not cached: the next request tries again (e.g. once PostgreSQL is back).
    state.promise.catch(() => {
      if (holder.__atlasDatabase === state) state.promise = undefined;
    });
    if (!state.shutdownHooked) {
      state.shutdownHooked = true;
      onShutdown(CLOSE_DATABASE_ORDER, closeDatabase);
    }
  }
  return state.promise;
}

/** Closes the process-wide database (PGlite must be closed cleanly or its next open runs recovery). */
export async function closeDatabase(): Promise<void> {
  const state = holder.__atlasDatabase;
  if (!state?.promise) return;
  const pending = state.promise;
  state.promise = undefined;
  const handle = await pending.catch(() => undefined);
  await handle?.close();
}
