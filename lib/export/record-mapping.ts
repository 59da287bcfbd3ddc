/**
 * The rows a JSONL record states, read from its fields alone: the session's columns, plan, steps,
 * attempts and guidance. It is the whole import of an upstream SDK record, and the fallback for an
 * Atlas record whose event log cannot be replayed. Pure: no database.
 */
import type { ImportedSessionHead, RecordRows, RecordStepRows } from "@/lib/db/queries/import";
import { isJsonObject, type JsonObject, meanReward, rewardScoreOf, stableStringify } from "@/lib/trajectory";
import { coercePlan } from "./record";
import {
  asList,
  booleanOrNull,
  type ImportRecord,
  integerOrNull,
  MalformedRecord,
  numberOrNull,
  text,
  timestamp,
  versionedBlock,
} from "./record-fields";

/** Keys the exporter adds to session metadata; stored metadata is what is left. */
const ENRICHMENT_KEYS = ["session_id", "status", "created_at", "completed_at"] as const;
/** Keys of a step the record structure defines; every other key is step metadata. */
const STEP_STRUCTURE_KEYS = new Set([
  "step_id", "id", "description", "trace", "output", "reward", "evaluation", "tool", "tool_params", "context",
  "validation", "attempts", "guidance", "metadata",
]);
/** What the exporter adds to step metadata. */
const STEP_EXPORT_KEYS = ["attempt_history", "attempt_details", "raw_evaluation"];

/** The session's head (the columns no event sets) and every row the record states; `lastSeq` is its last event's. */
export function recordMapping(record: ImportRecord, lastSeq: number): { head: Omit<ImportedSessionHead, "importKey">; rows: RecordRows } {
  const sessionMetadata = { ...(record.session_metadata ?? {}) };
  const atlas = ourBlock(sessionMetadata.atlas);
  const { lookup } = coercePlan(record.plan);
  const steps = record.steps.map((step, index) => recordStep(step, index, lookup.get(stepIdOf(step, index))?.depends_on));
  const seen = new Set<number>();
  for (const step of steps) {
    if (seen.has(step.stepId)) throw new MalformedRecord(`step ${step.stepId} appears twice`);
    seen.add(step.stepId);
  }
  const usage = ourBlock(atlas?.usage);
  const judging = ourBlock(atlas?.judging);
  const plan = isJsonObject(record.plan) && Object.keys(record.plan).length > 0 ? record.plan : null;
  const head = {
    task: record.task,
    metadata: storedSessionMetadata(sessionMetadata, atlas),
    createdAt: timestamp(atlas?.created_at ?? sessionMetadata.created_at),
    configName: text(atlas?.config_name),
    configHash: text(atlas?.config_hash),
    sourceUid: uuidOrNull(atlas?.session_uid),
    sourceSessionId: integerOrNull(atlas?.session_id),
  };
  const session: RecordRows["session"] = {
    status: text(atlas?.status) ?? text(sessionMetadata.status)?.toLowerCase() ?? "succeeded",
    finalAnswer: record.final_answer ?? "",
    completedAt: timestamp(atlas ? atlas.completed_at : sessionMetadata.completed_at),
    startedAt: timestamp(atlas?.started_at),
    error: text(atlas?.error),
    executionMode: text(atlas?.execution_mode) ?? (isJsonObject(record.plan) ? text(record.plan.execution_mode) : null),
    durationMs: integerOrNull(atlas?.duration_ms),
    rewardScore: atlas ? numberOrNull(atlas.reward_score) : meanReward(steps.map((step) => step.rewardScore)),
    stepCount: isJsonObject(record.plan) && Array.isArray(record.plan.steps) ? record.plan.steps.length : steps.length,
    attemptCount: steps.reduce((sum, step) => sum + (step.attemptRows.length || (step.attempts ?? 0)), 0),
    judgeOutcomes: integerOrNull(judging?.judge_outcomes) ?? 0,
    escalations: integerOrNull(judging?.escalations) ?? 0,
    promptTokens: integerOrNull(usage?.prompt_tokens) ?? 0,
    completionTokens: integerOrNull(usage?.completion_tokens) ?? 0,
    reasoningTokens: integerOrNull(usage?.reasoning_tokens) ?? 0,
    costUsd: numberOrNull(usage?.cost_usd) ?? 0,
    llmCalls: integerOrNull(usage?.llm_calls) ?? 0,
    lastSeq,
  };
  return {
    head,
    rows: { session, plan: plan ? { plan, originalPlan: atlas?.original_plan ?? null, review: atlas?.plan_review ?? null } : null, steps },
  };
}

/** Our block: read whenever it is an object (written by any version of ours). */
function ourBlock(value: unknown): JsonObject | null {
  return isJsonObject(value) ? value : null;
}

function storedSessionMetadata(sessionMetadata: JsonObject, atlas: JsonObject | null): JsonObject {
  const metadata = { ...sessionMetadata };
  delete metadata.trajectory_events;
  if (versionedBlock(atlas)) delete metadata.atlas;
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

function recordStep(step: JsonObject, index: number, planDependsOn: unknown): RecordStepRows {
  const stepId = stepIdOf(step, index);
  const explicit = isJsonObject(step.metadata) ? step.metadata : {};
  const extras = Object.fromEntries(Object.entries(step).filter(([key]) => !STEP_STRUCTURE_KEYS.has(key)));
  const merged: JsonObject = { ...extras, ...explicit };
  const atlas = versionedBlock(merged.atlas);
  const history = asList(merged.attempt_history ?? merged.attempt_details);
  const evaluation = storedEvaluation(step, merged.raw_evaluation);

  const metadata = { ...merged };
  for (const key of STEP_EXPORT_KEYS) delete metadata[key];
  if (atlas) delete metadata.atlas;
  if (planDependsOn !== undefined && stableStringify(metadata.depends_on) === stableStringify(planDependsOn)) {
    delete metadata.depends_on;
  }
  const attemptRows = recordAttempts(history, stepId);
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
    guidance: guidanceFor(guidance, attemptRows),
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

function recordAttempts(history: unknown[], stepId: number): RecordStepRows["attemptRows"] {
  const rows: RecordStepRows["attemptRows"] = [];
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
function guidanceFor(notes: string[], attempts: RecordStepRows["attemptRows"]): RecordStepRows["guidance"] {
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

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNull(value: unknown): string | null {
  return typeof value === "string" && UUID_PATTERN.test(value) ? value.toLowerCase() : null;
}
