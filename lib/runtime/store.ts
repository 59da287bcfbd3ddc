/**
 * Where a run persists its session and events. The engine knows only this interface; the database
 * implementation lives in lib/db/session-store.ts, and the composition root (lib/compose) picks one.
 */
import type { TrajectoryEvent } from "@/lib/trajectory";

export interface NewSessionInput {
  task: string;
  metadata: Record<string, unknown>;
  configName: string | null;
  configHash: string | null;
}

export interface SessionStore {
  createSession(input: NewSessionInput): Promise<{ id: number }>;
  /** The highest `seq` already stored for the session (0 when none). */
  lastSeq(sessionId: number): Promise<number>;
  /** Stores events in order (and whatever they imply); resolves once all of them are durable. */
  write(events: readonly TrajectoryEvent[]): Promise<void>;
}

/**
 * The store that keeps nothing (`atlas run --no-store`, benchmarks): the session gets id 0 (or the id
 * the caller gives), every write succeeds at once, and the run reports `sessionId: null`.
 */
export const noSessionStore: SessionStore = Object.freeze({
  createSession: async () => ({ id: 0 }),
  lastSeq: async () => 0,
  write: async () => undefined,
});
