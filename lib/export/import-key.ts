/** The content key that makes importing the same record twice a no-op (stored in `sessions.import_key`). */
import { createHash } from "node:crypto";
import { EVENT_TYPES, isJsonObject, type JsonObject, stableStringify } from "@/lib/trajectory";
import { asList } from "./record-fields";

/**
 * The canonical JSON of the record without what a re-export legitimately changes (database ids and
 * `source`), hashed. Timestamps stay: two identical runs at different times are two sessions.
 */
export function importKeyOf(record: JsonObject): string {
  const copy = structuredClone(record);
  const sessionMetadata = isJsonObject(copy.session_metadata) ? copy.session_metadata : {};
  const events = asList(copy.trajectory_events ?? sessionMetadata.trajectory_events);
  delete sessionMetadata.trajectory_events;
  delete sessionMetadata.session_id;
  if (isJsonObject(sessionMetadata.atlas)) {
    delete sessionMetadata.atlas.session_id;
    delete sessionMetadata.atlas.source;
  }
  copy.trajectory_events = events.map((entry) => {
    if (!isJsonObject(entry)) return entry;
    const { id: _id, ...rest } = entry;
    if (isJsonObject(rest.event) && EVENT_TYPES.includes(rest.event.type as never)) {
      const { sessionId: _sessionId, ...event } = rest.event;
      rest.event = event;
    }
    return rest;
  });
  return createHash("sha256").update(stableStringify(copy)).digest("hex");
}
