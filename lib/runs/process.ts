/**
 * The run manager of this server process, shared by every route (Next bundles routes as separate
 * module graphs, so the instance lives on globalThis) and stopped by the shutdown hooks.
 */
import "server-only";
import { runTask } from "@/lib/compose";
import { resolveConfigForRun } from "@/lib/configs";
import { getDatabase } from "@/lib/db/client";
import { databaseSessionStore } from "@/lib/db/session-store";
import { readEnv } from "@/lib/server/env";
import { onShutdown } from "@/lib/server/shutdown";
import type { EventsHandlerDeps } from "./events-handler";
import { RunManager } from "./run-manager";

/** Before the database closes (order 100). */
const STOP_RUNS_ORDER = 50;

const holder = globalThis as unknown as { __atlasRunManager?: RunManager };

export function getRunManager(): RunManager {
  if (!holder.__atlasRunManager) {
    const manager = new RunManager({
      database: async () => (await getDatabase()).db,
      engine: runTask,
      resolveConfig: resolveConfigForRun,
      store: databaseSessionStore,
      maxConcurrent: readEnv("ATLAS_MAX_CONCURRENT_RUNS"),
      env: process.env,
    });
    onShutdown(STOP_RUNS_ORDER, () => manager.shutdown());
    holder.__atlasRunManager = manager;
  }
  return holder.__atlasRunManager;
}

/** What the event-stream route reads from: the process database and this process's live runs. */
export function processEventStreamDeps(): EventsHandlerDeps {
  const manager = getRunManager();
  return {
    database: async () => (await getDatabase()).db,
    bus: manager.bus,
    isLive: (sessionId) => manager.isLive(sessionId),
  };
}
