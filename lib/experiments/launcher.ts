/**
 * How the experiment runner starts a cell's session and learns it ended. Today the in-process run
 * manager does it (its concurrency limit is the runner's capacity); a durable queue can implement
 * the same interface later without the runner changing.
 */
import "server-only";
import type { SessionCell } from "@/lib/db/queries/sessions";
import { isAtlasError } from "@/lib/errors";
import type { RunManager } from "@/lib/runs/run-manager";

export interface CellLaunch {
  task: string;
  metadata: Record<string, unknown>;
  config: { name: string; version: number };
  cell: SessionCell;
}

export interface CellLauncher {
  /** Cells one experiment keeps in flight at most. */
  readonly capacity: number;
  /** Creates the cell's session and starts it; resolves with the session id once the row exists. */
  launch(launch: CellLaunch): Promise<number>;
  /** Resolves when the session has ended (its terminal event is stored, or nothing runs it any more). */
  done(sessionId: number): Promise<void>;
  /** Asks the session to stop; a session already finished is fine. */
  cancel(sessionId: number): Promise<void>;
}

export function runManagerLauncher(manager: RunManager): CellLauncher {
  return {
    capacity: manager.maxConcurrent,
    async launch({ task, metadata, config, cell }) {
      const accepted = await manager.startRun({ task, metadata, config, cell });
      return accepted.sessionId;
    },
    done: (sessionId) => manager.whenDone(sessionId),
    async cancel(sessionId) {
      try {
        await manager.cancel(sessionId);
      } catch (error) {
        if (!isAtlasError(error) || (error.code !== "conflict" && error.code !== "not_found")) throw error;
      }
    },
  };
}
