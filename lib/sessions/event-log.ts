import "server-only";
import { getSessionById } from "@/lib/db/queries/sessions";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { EventLogPage, EventLogQuery } from "./api-types";

/** A page of stored events for the raw log view, optionally only some types. */
export async function getEventLogPage(db: Queryable, sessionId: number, query: EventLogQuery): Promise<EventLogPage> {
  const session = await getSessionById(db, { id: sessionId });
  if (!session) throw new AtlasError("not_found", `session ${sessionId} not found`);
  const events = await listSessionEvents(db, { sessionId, after: query.after, limit: query.limit, types: query.type });
  const last = events.at(-1);
  const full = events.length === query.limit;
  return {
    events,
    // A full page may have more after it; a short one reached the end of what is stored now.
    nextAfter: full && last && last.seq < session.lastSeq ? last.seq : null,
    lastSeq: session.lastSeq,
  };
}
