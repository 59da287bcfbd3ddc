/**
 * Imports JSONL session records (ours, or the Python exporter's, spec §9.3) line by line into the database so
 * they can be reviewed like recorded runs. Idempotent: each record's content key is stored in
 * `sessions.import_key`, and a record already imported is skipped. A malformed line is reported and skipped.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "@/lib/db/schema";
import type { AtlasDb, AtlasTx } from "@/lib/db/types";
import { EVENT_TYPES, isJsonObject, type JsonObject, rewardScoreOf, stableStringify, TrajectoryEventSchema } from "@/lib/trajectory";
import type { NumberedLine } from "./lines";
import { coercePlan } from "./record";

export interface MalformedLine {
  line: number;
  reason: string;
}

export interface ImportSummary {
  /** Non-blank lines read. */
  records: number;
  imported: number;
  skipped: number;
  alreadyImported: number;
  malformed: MalformedLine[];
  /** Ids of the sessions this import created, in file order. */
  sessionIds: number[];
}

export function emptyImportSummary(): ImportSummary {
  return { records: 0, imported: 0, skipped: 0, alreadyImported: 0, malformed: [], sessionIds: [] };
}

const LISTED_MALFORMED = 5;

/** "imported 3, skipped 2 (already imported 1, malformed 1: line 3: …)" */
export function describeImport(summary: ImportSummary): string {
  const head = `imported ${summary.imported}, skipped ${summary.skipped}`;
  if (summary.skipped === 0) return head;
  const listed = summary.malformed.slice(0, LISTED_MALFORMED).map((entry) => `line ${entry.line}: ${entry.reason}`);
  const more = summary.malformed.length - listed.length;
  const malformed = [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join("; ");
  return `${head} (already imported ${summary.alreadyImported}, malformed ${summary.malformed.length}${malformed ? `: ${malformed}` : ""})`;
}

const StepShape = z.record(z.string(), z.unknown());
const RecordShape = z.looseObject({
  task: z.string({ error: "task must be a string" }),
  final_answer: z.string().nullable().optional(),
  plan: z.unknown().optional(),
  steps: z.array(StepShape, { error: "steps must be a list of objects" }),
  session_metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  trajectory_events: z.array(z.unknown()).nullable().optional(),
});
type ImportRecord = z.infer<typeof RecordShape>;

export async function importLines(
  db: AtlasDb,
  lines: AsyncIterable<NumberedLine>,
  options: { signal?: AbortSignal } = {},
): Promise<ImportSummary> {
  const summary = emptyImportSummary();
  for await (const { number, text } of lines) {
    options.signal?.throwIfAborted();
    if (text.trim() === "") continue;
    summary.records += 1;
    const planned = planLine(text);
    if (!planned.ok) {
      summary.skipped += 1;
      summary.malformed.push({ line: number, reason: planned.reason });
      continue;
    }
    const sessionId = await insertPlanned(db, planned.rows);
    if (sessionId === null) {
      summary.skipped += 1;
      summary.alreadyImported += 1;
      continue;
    }
    summary.imported += 1;
    summary.sessionIds.push(sessionId);
  }
  return summary;
}

type Planned = { ok: true; rows: PlannedRows } | { ok: false; reason: string };

function planLine(text: string): Planned {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!isJsonObject(value)) return { ok: false, reason: "not a JSON object" };
  for (const key of ["task", "steps"]) if (!(key in value)) return { ok: false, reason: `missing "${key}"` };
  const parsed = RecordShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join(".") || "(record)"}: ${issue.message}` };
  }
  try {
    return { ok: true, rows: planRows(parsed.data) };
  } catch (error) {
    if (error instanceof MalformedRecord) return { ok: false, reason: error.message };
    throw error;
  }
}

class MalformedRecord extends Error {}

/** Keys the exporter adds to session metadata; stored metadata is what is left. */
const ENRICHMENT_KEYS = ["session_id", "status", "created_at", "completed_at"] as const;
/** Keys of a step the record structure defines; every other key is step metadata. */
const STEP_STRUCTURE_KEYS = new Set([
  "step_id", "id", "description", "trace", "output", "reward", "evaluation", "tool", "tool_params", "context",
  "validation", "attempts", "guidance", "metadata",
]);
/** What the exporter adds to step metadata. */
const STEP_EXPORT_KEYS = ["attempt_history", "attempt_details", "raw_evaluation"];

interface PlannedRows {
  importKey: string;
  session: {
    task: string;
    status: string;
    metadata: JsonObject;
    finalAnswer: string;
    createdAt: string | null;
    completedAt: string | null;
    startedAt: string | null;
    error: string | null;
    executionMode: string | null;
    configName: string | null;
    configHash: string | null;
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
  };
  plan: { plan: JsonObject; originalPlan: unknown; review: unknown } | null;
  steps: PlannedStep[];
  events: { seq: number; type: string; event: unknown; createdAt: string | null; typed: boolean }[];
}

interface PlannedStep {
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
  attemptRows: {
    attempt: number;
    evaluation: unknown;
    status: string | null;
    outcome: string | null;
    output: string | null;
    trace: string | null;
    timingsMs: unknown;
    rewardSkipped: boolean | null;
    rewardScore: number | null;
  }[];
  guidance: { sequence: number; note: string; forAttempt: number | null }[];
}

function planRows(record: ImportRecord): PlannedRows {
  const sessionMetadata = { ...(record.session_metadata ?? {}) };
  const atlas = ourBlock(sessionMetadata.atlas);
  const metadata = storedSessionMetadata(sessionMetadata, atlas);
  const { lookup } = coercePlan(record.plan);
  const steps = record.steps.map((step, index) => planStep(step, index, lookup.get(stepIdOf(step, index))?.depends_on));
  const seen = new Set<number>();
  for (const step of steps) {
    if (seen.has(step.stepId)) throw new MalformedRecord(`step ${step.stepId} appears twice`);
    seen.add(step.stepId);
  }
  const events = planEvents(record.trajectory_events ?? asList(sessionMetadata.trajectory_events));
  const usage = ourBlock(atlas?.usage);
  const judging = ourBlock(atlas?.judging);
  const plan = isJsonObject(record.plan) && Object.keys(record.plan).length > 0 ? record.plan : null;
  const rewarded = steps.map((step) => step.rewardScore).filter((score): score is number => score !== null);
  return {
    importKey: importKeyOf(record),
    session: {
      task: record.task,
      status: text(atlas?.status) ?? text(sessionMetadata.status)?.toLowerCase() ?? "succeeded",
      metadata,
      finalAnswer: record.final_answer ?? "",
      createdAt: timestamp(atlas?.created_at ?? sessionMetadata.created_at),
      completedAt: timestamp(atlas ? atlas.completed_at : sessionMetadata.completed_at),
      startedAt: timestamp(atlas?.started_at),
      error: text(atlas?.error),
      executionMode: text(atlas?.execution_mode) ?? (isJsonObject(record.plan) ? text(record.plan.execution_mode) : null),
      configName: text(atlas?.config_name),
      configHash: text(atlas?.config_hash),
      durationMs: integerOrNull(atlas?.duration_ms),
      rewardScore: atlas
        ? numberOrNull(atlas.reward_score)
        : rewarded.length > 0
          ? rewarded.reduce((sum, score) => sum + score, 0) / rewarded.length
          : null,
      stepCount: isJsonObject(record.plan) && Array.isArray(record.plan.steps) ? record.plan.steps.length : steps.length,
      attemptCount: steps.reduce((sum, step) => sum + (step.attemptRows.length || (step.attempts ?? 0)), 0),
      judgeOutcomes: integerOrNull(judging?.judge_outcomes) ?? 0,
      escalations: integerOrNull(judging?.escalations) ?? 0,
      promptTokens: integerOrNull(usage?.prompt_tokens) ?? 0,
      completionTokens: integerOrNull(usage?.completion_tokens) ?? 0,
      reasoningTokens: integerOrNull(usage?.reasoning_tokens) ?? 0,
      costUsd: numberOrNull(usage?.cost_usd) ?? 0,
      llmCalls: integerOrNull(usage?.llm_calls) ?? 0,
      lastSeq: events.reduce((max, event) => Math.max(max, event.seq), 0),
    },
    plan: plan ? { plan, originalPlan: atlas?.original_plan ?? null, review: atlas?.plan_review ?? null } : null,
    steps,
    events,
  };
}

/** Our additive block (a versioned object); anything else under the key is the user's. */
function ourBlock(value: unknown): JsonObject | null {
  return isJsonObject(value) ? value : null;
}

function storedSessionMetadata(sessionMetadata: JsonObject, atlas: JsonObject | null): JsonObject {
  const metadata = { ...sessionMetadata };
  delete metadata.trajectory_events;
  if (atlas && typeof atlas.schema_version === "number") delete metadata.atlas;
  for (const key of ENRICHMENT_KEYS) {
    // With our block we know the row's values: a user key that differs from them is the user's and stays.
    if (!atlas || !(key in atlas) || stableStringify(atlas[key]) === stableStringify(metadata[key])) delete metadata[key];
  }
  return metadata;
}

function stepIdOf(step: JsonObject, index: number): number {
  const value = "step_id" in step ? step.step_id : step.id;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new MalformedRecord(`steps[${index}].step_id must be an integer (got ${JSON.stringify(value ?? null)})`);
  }
  return value;
}

function planStep(step: JsonObject, index: number, planDependsOn: unknown): PlannedStep {
  const stepId = stepIdOf(step, index);
  const explicit = isJsonObject(step.metadata) ? step.metadata : {};
  const extras = Object.fromEntries(Object.entries(step).filter(([key]) => !STEP_STRUCTURE_KEYS.has(key)));
  const merged: JsonObject = { ...extras, ...explicit };
  const atlas = isJsonObject(merged.atlas) && typeof merged.atlas.schema_version === "number" ? merged.atlas : null;
  const history = asList(merged.attempt_history ?? merged.attempt_details);
  const evaluation = storedEvaluation(step, merged.raw_evaluation);

  const metadata = { ...merged };
  for (const key of STEP_EXPORT_KEYS) delete metadata[key];
  if (atlas) delete metadata.atlas;
  if (planDependsOn !== undefined && stableStringify(metadata.depends_on) === stableStringify(planDependsOn)) {
    delete metadata.depends_on;
  }
  const attemptRows = planAttempts(history, stepId);
  const validation = isJsonObject(evaluation) && isJsonObject(evaluation.validation) ? evaluation.validation : {};
  const finalOutcome = attemptRows.at(-1)?.outcome;
  const status =
    text(atlas?.status) ??
    (finalOutcome ? (finalOutcome === "accepted" ? "succeeded" : "failed") : validation.valid === true ? "succeeded" : "failed");
  const guidance = asList(step.guidance).map((note) => String(note));
  return {
    stepId,
    description: text(step.description) ?? "",
    status,
    trace: text(step.trace) ?? "",
    output: text(step.output) ?? "",
    evaluation,
    attempts: integerOrNull(step.attempts),
    metadata: Object.keys(metadata).length > 0 ? metadata : null,
    rewardScore: status === "succeeded" ? rewardScoreOf(evaluation) : null,
    startedAt: timestamp(atlas?.started_at),
    completedAt: timestamp(atlas?.completed_at),
    attemptRows,
    guidance: planGuidance(guidance, attemptRows),
  };
}

/** The stored `{validation, reward}`: the exporter's `raw_evaluation`, else rebuilt from the step's own fields. */
function storedEvaluation(step: JsonObject, rawEvaluation: unknown): unknown {
  if (isJsonObject(rawEvaluation)) {
    if ("validation" in rawEvaluation || "reward" in rawEvaluation) return rawEvaluation;
    const keys = Object.keys(rawEvaluation);
    if (keys.length === 1 && keys[0] === "raw") return rawEvaluation.raw ?? null;
  }
  const reward = isJsonObject(step.reward) ? step.reward : null;
  const storedReward = reward && isJsonObject(reward.raw) && "score" in reward.raw ? reward.raw : reward;
  if (!storedReward && !isJsonObject(step.validation)) return null;
  return { validation: isJsonObject(step.validation) ? step.validation : {}, reward: storedReward ?? {} };
}

function planAttempts(history: unknown[], stepId: number): PlannedStep["attemptRows"] {
  const rows: PlannedStep["attemptRows"] = [];
  const seen = new Set<number>();
  history.forEach((entry, index) => {
    if (!isJsonObject(entry)) throw new MalformedRecord(`step ${stepId}: attempt_history[${index}] is not an object`);
    const attempt = integerOrNull(entry.attempt) ?? index + 1;
    if (seen.has(attempt)) throw new MalformedRecord(`step ${stepId}: attempt ${attempt} appears twice`);
    seen.add(attempt);
    const evaluation = entry.evaluation ?? null;
    const skipped = isJsonObject(evaluation) && isJsonObject(evaluation.reward) && isJsonObject(evaluation.reward.raw)
      ? evaluation.reward.raw.skipped === true
      : null;
    const isLast = index === history.length - 1;
    const valid = isJsonObject(evaluation) && isJsonObject(evaluation.validation) && evaluation.validation.valid === true;
    rows.push({
      attempt,
      evaluation,
      status: "status" in entry ? text(entry.status) : null,
      // Upstream entries carry only {attempt, evaluation}: an earlier attempt was retried, the last one stands.
      outcome: "outcome" in entry ? text(entry.outcome) : isLast ? (valid ? "accepted" : "failed") : "retry",
      output: "output" in entry ? text(entry.output) : null,
      trace: "trace" in entry ? text(entry.trace) : null,
      timingsMs: "timings_ms" in entry ? (entry.timings_ms ?? null) : null,
      rewardSkipped: "reward_skipped" in entry ? booleanOrNull(entry.reward_skipped) : skipped,
      rewardScore: "reward_score" in entry ? numberOrNull(entry.reward_score) : skipped === false ? rewardScoreOf(evaluation) : null,
    });
  });
  return rows;
}

/**
 * Guidance is issued after a retried attempt whose validation carried a note; notes map onto those attempts in
 * order. When they do not line up (older producers), note n is taken to be for attempt n + 1.
 */
function planGuidance(notes: string[], attempts: PlannedStep["attemptRows"]): PlannedStep["guidance"] {
  const retriedWithNote = attempts.filter((row) => {
    const evaluation = isJsonObject(row.evaluation) ? row.evaluation : {};
    const validation = isJsonObject(evaluation.validation) ? evaluation.validation : {};
    return row.outcome === "retry" && typeof validation.guidance === "string" && validation.guidance.trim() !== "";
  });
  const aligned = retriedWithNote.length === notes.length;
  return notes.map((note, index) => ({
    sequence: index + 1,
    note,
    forAttempt: aligned ? retriedWithNote[index]!.attempt + 1 : index + 2,
  }));
}

function planEvents(entries: unknown[]): PlannedRows["events"] {
  const planned: PlannedRows["events"] = [];
  const used = new Set<number>();
  let next = 1;
  for (const entry of entries) {
    const row = isJsonObject(entry) ? entry : { event: entry };
    const event = row.event;
    const typed = isJsonObject(event) && EVENT_TYPES.includes(event.type as never) && TrajectoryEventSchema.safeParse(event).success;
    let seq = typed ? (event.seq as number) : next;
    if (used.has(seq)) seq = Math.max(next, ...used) + 1;
    used.add(seq);
    next = Math.max(next, seq + 1);
    planned.push({
      seq,
      type: typed ? (event.type as string) : `upstream.${upstreamEventType(row)}`,
      event,
      createdAt: timestamp(row.created_at),
      typed,
    });
  }
  return planned;
}

function upstreamEventType(row: JsonObject): string {
  const event = isJsonObject(row.event) ? row.event : {};
  const payload = isJsonObject(event.payload) ? event.payload : {};
  return text(payload.event_type) ?? text(row.type) ?? text(event.type) ?? "UNKNOWN";
}

/**
 * Content key: the canonical JSON of the record without what a re-export legitimately changes (database ids
 * and `source`). Timestamps stay: two identical runs at different times are two sessions.
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

/** Writes one record's rows in one transaction; null when its import key is already present. */
async function insertPlanned(db: AtlasDb, rows: PlannedRows): Promise<number | null> {
  return db.transaction(async (tx) => {
    const { session } = rows;
    const [inserted] = await tx
      .insert(sessions)
      .values({
        ...session,
        createdAt: session.createdAt ? sql`${session.createdAt}::timestamptz` : sql`now()`,
        completedAt: at(session.completedAt),
        startedAt: at(session.startedAt),
        source: "import",
        importKey: rows.importKey,
      })
      .onConflictDoNothing({ target: sessions.importKey })
      .returning({ id: sessions.id });
    if (!inserted) return null;
    const sessionId = inserted.id;
    if (rows.plan) {
      const review = rows.plan.review as (typeof plans.$inferInsert)["review"];
      await tx.insert(plans).values({ sessionId, plan: rows.plan.plan, originalPlan: rows.plan.originalPlan, review });
    }
    await insertSteps(tx, sessionId, rows.steps);
    await insertEvents(tx, sessionId, rows.events);
    return sessionId;
  });
}

async function insertSteps(tx: AtlasTx, sessionId: number, steps: PlannedStep[]) {
  if (steps.length === 0) return;
  await tx.insert(stepResults).values(
    steps.map(({ attemptRows: _attempts, guidance: _guidance, startedAt, completedAt, ...step }) => ({
      sessionId,
      ...step,
      startedAt: at(startedAt),
      completedAt: at(completedAt),
    })),
  );
  const attempts = steps.flatMap((step) => step.attemptRows.map((row) => ({ sessionId, stepId: step.stepId, ...row })));
  if (attempts.length > 0) await tx.insert(stepAttempts).values(attempts);
  const notes = steps.flatMap((step) => step.guidance.map((note) => ({ sessionId, stepId: step.stepId, ...note })));
  if (notes.length > 0) await tx.insert(guidanceNotes).values(notes);
}

const EVENT_INSERT_CHUNK = 500;

async function insertEvents(tx: AtlasTx, sessionId: number, events: PlannedRows["events"]) {
  for (let start = 0; start < events.length; start += EVENT_INSERT_CHUNK) {
    await tx.insert(trajectoryEvents).values(
      events.slice(start, start + EVENT_INSERT_CHUNK).map((event) => ({
        sessionId,
        seq: event.seq,
        type: event.type,
        // Our events name their session: point them at the new row.
        event: event.typed && isJsonObject(event.event) ? { ...event.event, sessionId } : (event.event ?? {}),
        createdAt: event.createdAt ? sql`${event.createdAt}::timestamptz` : sql`now()`,
      })),
    );
  }
}

function at(value: string | null) {
  return value ? sql`${value}::timestamptz` : null;
}

/** An ISO-8601 timestamp the database will accept, else null. */
function timestamp(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function integerOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}
