/**
 * Where a run persists its session and events. The engine knows only this interface; the database
 * implementation lives in lib/db/session-store.ts.
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
