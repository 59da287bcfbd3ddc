/**
 * Writes of the JSONL import, one record per transaction. The session row carries the record's
 * import key, so importing the same record again writes nothing. An Atlas record with its whole
 * event log is replayed through `appendEvents`, the writer every run goes through; any other record
 * (the upstream SDK's format, or ours with an incomplete log) is stored as the rows it states.
 */
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { isJsonObject, type JsonObject, type TrajectoryEvent } from "@/lib/trajectory";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "../schema";
import type { AtlasDb, Queryable } from "../types";
import { appendEvents } from "./events";

/** What a record says of its session before any event: the columns no event sets. */
export interface ImportedSessionHead {
  importKey: string;
  task: string;
  metadata: JsonObject;
  /** ISO timestamp; null takes the time of the import. */
  createdAt: string | null;
  configName: string | null;
  configHash: string | null;
  /**
   * The exported session's identity (`atlas.session_uid`): the imported copy keeps it, so a record
   * whose session is already in this database (run here, or imported before) is recognised.
   */
  sourceUid: string | null;
  /** `atlas.session_id` of an export without a uid: the same id, creation time and task here is the same session. */
  sourceSessionId: number | null;
}

/** The session columns events would set, as a record states them. */
export interface RecordSessionColumns {
  status: string;
  finalAnswer: string;
  completedAt: string | null;
  startedAt: string | null;
  error: string | null;
  executionMode: string | null;
  durationMs: number | null;
  rewardScore: number | null;
  stepCount: number;
  attemptCount: number;
  judgeOutcomes: number;
  escalations: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number;
  llmCalls: number;
  lastSeq: number;
}

export interface RecordAttemptRow {
  attempt: number;
  evaluation: unknown;
  status: string | null;
  outcome: string | null;
  output: string | null;
  trace: string | null;
  timingsMs: unknown;
  rewardSkipped: boolean | null;
  rewardScore: number | null;
}

export interface RecordStepRows {
  stepId: number;
  description: string;
  status: string;
  trace: string;
  output: string;
  evaluation: unknown;
  attempts: number | null;
  metadata: JsonObject | null;
  rewardScore: number | null;
  startedAt: string | null;
  completedAt: string | null;
  attemptRows: RecordAttemptRow[];
  guidance: { sequence: number; note: string; forAttempt: number | null }[];
}

/** The rows a record states, for a record that is not replayed. */
export interface RecordRows {
  session: RecordSessionColumns;
  plan: { plan: JsonObject; originalPlan: unknown; review: unknown } | null;
  steps: RecordStepRows[];
}

/** An event of the record's log, stored as it came (not projected). */
export interface ImportedEventRow {
  seq: number;
  type: string;
  event: unknown;
  createdAt: string | null;
  /** One of our typed events: its `sessionId` is pointed at the new session. */
  namesSession: boolean;
}

export type ImportWrite =
  /** `status` is the session's status before its first event (the events set the rest). */
  | { kind: "replay"; head: ImportedSessionHead; status: string; events: TrajectoryEvent[] }
  | { kind: "rows"; head: ImportedSessionHead; rows: RecordRows; events: ImportedEventRow[] };

/** Writes one record in one transaction; null when its import key or its source session is already present. */
export async function storeImportedSession(db: AtlasDb, write: ImportWrite): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (await sourceSessionPresent(tx, write.head)) return null;
    const columns = write.kind === "rows" ? write.rows.session : { status: write.status };
    const sessionId = await insertSessionRow(tx, write.head, columns);
    if (sessionId === null) return null;
    if (write.kind === "replay") {
      await appendEvents(tx, write.events.map((event) => ({ ...event, sessionId })));
    } else {
      await insertRecordRows(tx, sessionId, write.rows);
      await insertEventRows(tx, sessionId, write.events);
    }
    return sessionId;
  });
}

async function insertSessionRow(
  db: Queryable,
  head: ImportedSessionHead,
  columns: Partial<RecordSessionColumns> & { status: string },
): Promise<number | null> {
  const { importKey, createdAt, sourceUid, sourceSessionId: _sourceSessionId, ...values } = head;
  const [inserted] = await db
    .insert(sessions)
    .values({
      ...values,
      ...columns,
      ...(sourceUid ? { uid: sourceUid } : {}),
      createdAt: createdAt ? sql`${createdAt}::timestamptz` : sql`now()`,
      completedAt: at(columns.completedAt ?? null),
      startedAt: at(columns.startedAt ?? null),
      source: "import",
      importKey,
    })
    // Either key: the same record (import_key) or the same source session (uid).
    .onConflictDoNothing()
    .returning({ id: sessions.id });
  return inserted?.id ?? null;
}

/** An export of a session of this very database: by its uid, or (older exports) its id, creation time and task. */
async function sourceSessionPresent(db: Queryable, head: ImportedSessionHead): Promise<boolean> {
  if (head.sourceUid) {
    const [row] = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.uid, head.sourceUid));
    return row !== undefined;
  }
  if (head.sourceSessionId === null || head.createdAt === null) return false;
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.id, head.sourceSessionId),
        eq(sessions.task, head.task),
        sql`date_trunc('milliseconds', ${sessions.createdAt}) = date_trunc('milliseconds', ${head.createdAt}::timestamptz)`,
      ),
    );
  return row !== undefined;
}

async function insertRecordRows(db: Queryable, sessionId: number, rows: RecordRows): Promise<void> {
  if (rows.plan) {
    const review = rows.plan.review as (typeof plans.$inferInsert)["review"];
    await db.insert(plans).values({ sessionId, plan: rows.plan.plan, originalPlan: rows.plan.originalPlan, review });
  }
  const { steps } = rows;
  if (steps.length === 0) return;
  await db.insert(stepResults).values(
    steps.map(({ attemptRows: _attempts, guidance: _guidance, startedAt, completedAt, ...step }) => ({
      sessionId,
      ...step,
      startedAt: at(startedAt),
      completedAt: at(completedAt),
    })),
  );
  const attempts = steps.flatMap((step) => step.attemptRows.map((row) => ({ sessionId, stepId: step.stepId, ...row })));
  if (attempts.length > 0) await db.insert(stepAttempts).values(attempts);
  const notes = steps.flatMap((step) => step.guidance.map((note) => ({ sessionId, stepId: step.stepId, ...note })));
  if (notes.length > 0) await db.insert(guidanceNotes).values(notes);
}

const EVENT_INSERT_CHUNK = 500;

async function insertEventRows(db: Queryable, sessionId: number, events: ImportedEventRow[]): Promise<void> {
  for (let start = 0; start < events.length; start += EVENT_INSERT_CHUNK) {
    await db.insert(trajectoryEvents).values(
      events.slice(start, start + EVENT_INSERT_CHUNK).map((event) => ({
        sessionId,
        seq: event.seq,
        type: event.type,
        event: event.namesSession && isJsonObject(event.event) ? { ...event.event, sessionId } : (event.event ?? {}),
        createdAt: event.createdAt ? sql`${event.createdAt}::timestamptz` : sql`now()`,
      })),
    );
  }
}

function at(value: string | null) {
  return value ? sql`${value}::timestamptz` : null;
}
