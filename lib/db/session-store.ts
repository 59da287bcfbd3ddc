/**
 * The database implementation of the engine's SessionStore: sessions rows plus appendEvents, which
 * writes events and projects them into plans/step rows, a burst of events in one statement.
 */
import "server-only";
import { AtlasError } from "@/lib/errors";
import type { SessionStore } from "@/lib/runtime/store";
import { appendEvents } from "./queries/events";
import { createSession, getSessionById } from "./queries/sessions";
import type { AtlasDb } from "./types";

/** `configVersionId`: the config_versions row the sessions it creates ran with (their config link). */
export function databaseSessionStore(db: AtlasDb, options: { configVersionId?: number | null } = {}): SessionStore {
  return {
    async createSession(input) {
      const row = await createSession(db, {
        task: input.task,
        metadata: input.metadata,
        configName: input.configName,
        configVersionId: options.configVersionId ?? null,
        configHash: input.configHash,
        status: "running",
      });
      return { id: row.id };
    },
    async lastSeq(sessionId) {
      const row = await getSessionById(db, { id: sessionId });
      if (!row) throw new AtlasError("not_found", `session ${sessionId} does not exist`);
      return row.lastSeq;
    },
    write: (events) => appendEvents(db, events),
  };
}
