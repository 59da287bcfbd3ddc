/**
 * A record's event log on import: each entry as it would be stored, and whether an Atlas record's
 * log is complete enough to be replayed through the projection instead of storing the record's rows.
 * Pure: no database.
 */
import type { ImportedEventRow, RecordRows } from "@/lib/db/queries/import";
import {
  applyEvents,
  EVENT_TYPES,
  isJsonObject,
  type JsonObject,
  type SessionDetail,
  type SessionStatus,
  sessionBeforeEvents,
  type TrajectoryEvent,
  TrajectoryEventSchema,
} from "@/lib/trajectory";
import { text, timestamp } from "./record-fields";

export interface DecodedEventLog {
  /** Every entry, as stored when the log is not replayed. */
  rows: ImportedEventRow[];
  /** Each entry parsed as one of our trajectory events, or null when it is not one. */
  typed: (TrajectoryEvent | null)[];
}

export function decodeEventLog(entries: unknown[]): DecodedEventLog {
  const rows: ImportedEventRow[] = [];
  const typed: (TrajectoryEvent | null)[] = [];
  const used = new Set<number>();
  let next = 1;
  for (const entry of entries) {
    const row = isJsonObject(entry) ? entry : { event: entry };
    const { event } = row;
    const parsed = isJsonObject(event) && EVENT_TYPES.includes(event.type as never) ? TrajectoryEventSchema.safeParse(event) : null;
    const ours = parsed?.success ? parsed.data : null;
    typed.push(ours);
    let seq = ours ? ours.seq : next;
    if (used.has(seq)) seq = Math.max(next, ...used) + 1;
    used.add(seq);
    next = Math.max(next, seq + 1);
    rows.push({
      seq,
      type: ours ? ours.type : `upstream.${upstreamEventType(row)}`,
      event,
      createdAt: timestamp(row.created_at),
      namesSession: ours !== null,
    });
  }
  return { rows, typed };
}

function upstreamEventType(row: JsonObject): string {
  const event = isJsonObject(row.event) ? row.event : {};
  const payload = isJsonObject(event.payload) ? event.payload : {};
  return text(payload.event_type) ?? text(row.type) ?? text(event.type) ?? "UNKNOWN";
}

/** The status an imported session has before its replayed events set it. */
export const REPLAY_START_STATUS: SessionStatus = "queued";

export type LogReplay = { replayable: true; events: TrajectoryEvent[] } | { replayable: false; reason: string };

/**
 * An Atlas record (our versioned `atlas` block) is replayed when its log is whole — not cut by the
 * export's event limit, every entry one of our events, seq 1…n without a gap — and its projection
 * gives what the record states (status, final answer, steps with their statuses and attempts,
 * reward, judging and usage). Anything less, and the record's own rows are stored instead.
 */
export function replayOf(atlas: JsonObject, log: DecodedEventLog, stated: RecordRows, head: { task: string; createdAt: string | null }): LogReplay {
  const no = (reason: string): LogReplay => ({ replayable: false, reason });
  const truncated = isJsonObject(atlas.trajectory_events_truncated) ? atlas.trajectory_events_truncated : null;
  if (truncated) return no(`the export kept ${String(truncated.kept)} of its ${String(truncated.total)} events`);
  if (log.typed.length === 0) return no("it has no trajectory events");
  const events: TrajectoryEvent[] = [];
  for (const [index, event] of log.typed.entries()) {
    if (!event) return no(`its event ${index + 1} is not an Atlas trajectory event`);
    if (event.seq !== index + 1) return no(index === 0 ? `its events start at seq ${event.seq}` : `its events jump from seq ${index} to ${event.seq}`);
    events.push(event);
  }
  const before = sessionBeforeEvents({
    id: 0,
    task: head.task,
    status: REPLAY_START_STATUS,
    source: "import",
    createdAt: head.createdAt ?? new Date(0).toISOString(),
  });
  const mismatch = differenceFromRecord(applyEvents(before, events), stated);
  return mismatch ? no(`its events give ${mismatch}`) : { replayable: true, events };
}

/** The first thing the projected state and the record's rows disagree on, or null. */
function differenceFromRecord(projected: SessionDetail, stated: RecordRows): string | null {
  const { session } = projected;
  const expected = stated.session;
  if (session.status !== expected.status) return `status ${session.status}, the record ${expected.status}`;
  if ((session.finalAnswer ?? "") !== expected.finalAnswer) return "another final answer than the record's";
  const steps = (state: { stepId: number; status: string; attempts: number[] }[]) =>
    state.map((step) => `${step.stepId} ${step.status} [${step.attempts.join(",")}]`).join("; ");
  const projectedSteps = steps(projected.steps.map((step) => ({ ...step, attempts: step.attemptDetails.map((row) => row.attempt) })));
  const statedSteps = steps(stated.steps.map((step) => ({ ...step, attempts: step.attemptRows.map((row) => row.attempt) })));
  if (projectedSteps !== statedSteps) return `steps ${projectedSteps || "none"}, the record ${statedSteps || "none"}`;
  for (const counter of ["judgeOutcomes", "escalations", "promptTokens", "completionTokens", "reasoningTokens", "llmCalls"] as const) {
    if (session[counter] !== expected[counter]) return `${counter} ${session[counter]}, the record ${expected[counter]}`;
  }
  // Stored sums and 4-byte reals differ from the projection's doubles in the last bits.
  if (!nearlyEqual(session.costUsd, expected.costUsd)) return `cost ${session.costUsd}, the record ${expected.costUsd}`;
  if (!nearlyEqual(session.rewardScore, expected.rewardScore)) return `reward ${session.rewardScore}, the record ${expected.rewardScore}`;
  return null;
}

function nearlyEqual(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}
