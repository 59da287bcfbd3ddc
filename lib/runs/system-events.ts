/**
 * Events the run manager writes itself (queued, cancelled-while-queued, interrupted): stamped with the
 * session's next seq and written through the same store as the engine's, so the log stays gap-free.
 */
import "server-only";
import { AtlasError } from "@/lib/errors";
import { TrajectoryEventSchema, type EventInput, type TrajectoryEvent } from "@/lib/trajectory";
import type { SessionStore } from "@/lib/runtime/store";

export async function appendSystemEvent(
  store: Pick<SessionStore, "lastSeq" | "write">,
  sessionId: number,
  input: EventInput,
  now: Date = new Date(),
): Promise<TrajectoryEvent> {
  const seq = (await store.lastSeq(sessionId)) + 1;
  const parsed = TrajectoryEventSchema.safeParse({ ...input, sessionId, seq, ts: now.toISOString() });
  if (!parsed.success) {
    throw new AtlasError("internal", `invalid ${input.type} event for session ${sessionId}: ${parsed.error.message}`);
  }
  await store.write([parsed.data]);
  return parsed.data;
}
