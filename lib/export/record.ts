/**
 * Builds the JSONL record of one session exactly as the upstream exporter does:
 * same keys, same key order, same coercions, `reward.raw` nesting and the duplicated event list.
 * Our own data goes only where consumers tolerate extras: `session_metadata.atlas`, step `metadata.atlas`
 * and extra keys on `attempt_history` entries.
 */
import { isJsonObject, type JsonObject, PlanSchema } from "@/lib/trajectory";
import { RawJson } from "./raw-json";
import { asFloat, asOptionalFloat, coerceObject, decodeJson, hasKeyOrder, pythonIsoTimestamp, truthy, withKeyOrder } from "./json";
import {
  EXPORT_SCHEMA_VERSION,
  type AttemptRowForExport,
  type EventRowForExport,
  type ExportedEvent,
  type ExportedReward,
  type ExportedStep,
  type SessionBundle,
  type SessionRecord,
  type SessionRowForExport,
  type StepRowForExport,
} from "./types";

/** Upstream's order of the augmented step metadata; other keys follow in stored order. */
const STEP_METADATA_ORDER = [
  "reasoning",
  "status",
  "artifacts",
  "deliverable",
  "reason",
  "result",
  "structured_output",
  "text",
  "runtime",
];
const VALIDATION_ORDER = ["valid", "guidance", "status", "artifacts", "deliverable", "text"];
const REWARD_ORDER = ["score", "rationale", "judges", "raw"];
const RUNTIME_ORDER = ["reward_skipped", "timings_ms"];
const TIMINGS_ORDER = ["student_ms", "validation_ms", "reward_ms", "guidance_ms", "total_ms"];

/**
 * Step keys the trainer reads with another meaning (`step.get("evaluation") or step.get("reward")`): a stored
 * metadata key of that name stays inside `metadata` instead of shadowing the reward at the top level.
 */
const KEYS_NEVER_LIFTED = new Set(["evaluation"]);

type PlanLookup = Map<number, JsonObject>;

export function assembleSessionRecord(bundle: SessionBundle): SessionRecord {
  const { session } = bundle;
  const { plan, lookup } = coercePlan(session.plan);
  const events = bundle.events.map(normaliseEvent);
  const steps = assembleSteps(bundle.steps, lookup);
  const record: SessionRecord = {
    task: session.task ?? "",
    final_answer: session.finalAnswer || "",
    plan,
    steps,
    session_metadata: sessionMetadata(bundle, events),
  };
  if (events.length > 0) record.trajectory_events = events;
  // Upstream's later records carry these at the top level; its trainer ignores keys it does not read.
  if (bundle.review) {
    record.review_status = bundle.review.status;
    if (bundle.review.notes !== null) record.review_notes = bundle.review.notes;
    if (bundle.review.labels.length > 0) record.human_labels = bundle.review.labels;
  }
  return record;
}

function assembleSteps(rows: StepRowForExport[], lookup: PlanLookup): ExportedStep[] {
  // Cumulative over every earlier step in id order, whatever its dependencies or validity.
  const contextOutputs = new Map<number, JsonObject>();
  return rows.map((row) => {
    const step = assembleStep(row, lookup.get(row.stepId) ?? null, contextOutputs);
    contextOutputs.set(row.stepId, contextEntry(step));
    return step;
  });
}

function assembleStep(row: StepRowForExport, planStep: JsonObject | null, contextOutputs: Map<number, JsonObject>) {
  const decoded = decodeJson(row.evaluation);
  const evaluation = truthy(decoded) && isJsonObject(decoded) ? orderEvaluation(decoded) : {};
  const rewardPayload = decodeJson(evaluation.reward);
  const validation = coerceObject(truthy(evaluation.validation) ? evaluation.validation : {});
  const guidance = row.guidance.map((note) => note.note);
  const attemptDetails = row.attemptRows.map((attempt) => attemptEntry(attempt, evaluation));

  const metadata = orderStepMetadata(coerceMetadata(row.metadata));
  if (attemptDetails.length > 0) {
    setDefault(metadata, "attempt_history", attemptDetails);
    setDefault(metadata, "attempt_details", attemptDetails);
  }
  setDefault(metadata, "raw_evaluation", truthy(evaluation) ? evaluation : { raw: decoded ?? row.evaluation ?? null });
  const dependsOn = planStep?.depends_on;
  if (dependsOn !== null && dependsOn !== undefined && !("depends_on" in metadata)) {
    metadata.depends_on = Array.isArray(dependsOn) ? [...dependsOn] : dependsOn;
  }
  setDefault(metadata, "atlas", {
    schema_version: EXPORT_SCHEMA_VERSION,
    status: row.status,
    started_at: row.startedAt === null ? null : pythonIsoTimestamp(row.startedAt),
    completed_at: row.completedAt === null ? null : pythonIsoTimestamp(row.completedAt),
  });

  const step: Omit<ExportedStep, "metadata"> & { metadata?: JsonObject } = {
    step_id: row.stepId,
    description: row.description || asText(planStep?.description) || "",
    trace: row.trace || "",
    output: row.output || "",
    reward: buildReward(rewardPayload),
    tool: planStep?.tool ?? null,
    tool_params: coerceObject(planStep?.tool_params),
    context: { prior_results: Object.fromEntries([...contextOutputs].map(([id, entry]) => [String(id), entry])) },
    validation: withKeyOrder(validation, VALIDATION_ORDER),
    attempts: row.attempts ?? (attemptDetails.length || guidance.length || 0),
    guidance,
  };
  if (metadata.artifacts !== null && metadata.artifacts !== undefined) step.artifacts = metadata.artifacts;
  if (metadata.deliverable !== null && metadata.deliverable !== undefined) step.deliverable = metadata.deliverable;
  if (truthy(metadata.runtime)) step.runtime = metadata.runtime;
  for (const [key, value] of Object.entries(metadata)) {
    if (!(key in step) && !KEYS_NEVER_LIFTED.has(key)) step[key] = value;
  }
  // Upstream appends `metadata` last, after the lifted keys.
  step.metadata = metadata;
  return step as ExportedStep;
}

function contextEntry(step: ExportedStep): JsonObject {
  const entry: JsonObject = { output_text: step.output || "" };
  const { metadata } = step;
  if (metadata.artifacts !== null && metadata.artifacts !== undefined) entry.artifacts = metadata.artifacts;
  if (metadata.status !== null && metadata.status !== undefined) entry.status = metadata.status;
  if (truthy(metadata.notes)) entry.notes = metadata.notes;
  return entry;
}

/** `attempt_history` entry: upstream's `{attempt, evaluation}` plus what we store per attempt. */
function attemptEntry(row: AttemptRowForExport, stepEvaluation: JsonObject): JsonObject {
  // The database says when the attempt's evaluation is the step's own (a non-empty object): share that object.
  const evaluation = row.sameAsStep ? stepEvaluation : decodeJson(row.evaluation);
  const timings = decodeJson(row.timingsMs);
  return {
    attempt: row.attempt,
    evaluation: evaluation === stepEvaluation ? evaluation : isJsonObject(evaluation) ? orderEvaluation(evaluation) : (evaluation ?? row.evaluation),
    status: row.status,
    outcome: row.outcome,
    output: row.output,
    trace: row.trace,
    timings_ms: isJsonObject(timings) ? withKeyOrder(timings, TIMINGS_ORDER) : timings,
    reward_skipped: row.rewardSkipped,
    reward_score: row.rewardScore,
  };
}

/** `_build_reward_payload`: typed judges and samples (no `reasoning`), `raw` = the whole stored reward object. */
export function buildReward(entry: unknown): ExportedReward {
  const decoded = decodeJson(entry);
  // Kept as the same object when already in order: it is also `raw_evaluation.reward`, serialised once.
  const payload = isJsonObject(decoded) ? (hasKeyOrder(decoded, REWARD_ORDER) ? decoded : withKeyOrder(decoded, REWARD_ORDER)) : {};
  const judges = asArray(payload.judges).map((judge) => {
    const judgePayload = coerceDecodedObject(judge);
    return {
      identifier: judgePayload.identifier || "",
      score: asFloat(judgePayload.score),
      rationale: judgePayload.rationale || "",
      principles: judgePayload.principles || [],
      samples: asArray(judgePayload.samples).map((sample) => {
        const samplePayload = coerceDecodedObject(sample);
        return {
          score: asFloat(samplePayload.score),
          rationale: samplePayload.rationale || "",
          principles: samplePayload.principles || [],
          uncertainty: asOptionalFloat(samplePayload.uncertainty),
          temperature: asOptionalFloat(samplePayload.temperature),
        };
      }),
      escalated: truthy(judgePayload.escalated ?? false),
      escalation_reason: judgePayload.escalation_reason ?? null,
    };
  });
  return { score: asFloat(payload.score ?? 0), judges, rationale: payload.rationale ?? null, raw: payload };
}

function sessionMetadata(bundle: SessionBundle, events: ExportedEvent[]): JsonObject {
  const { session } = bundle;
  const metadata = coerceObject(decodeJson(session.metadata));
  if (!("session_id" in metadata)) metadata.session_id = session.id;
  if (!("status" in metadata) && session.status !== null) metadata.status = session.status;
  if (!truthy(metadata.created_at)) metadata.created_at = pythonIsoTimestamp(session.createdAt);
  if (session.completedAt !== null && !truthy(metadata.completed_at)) {
    metadata.completed_at = pythonIsoTimestamp(session.completedAt);
  }
  metadata.atlas = atlasSessionBlock(session, bundle, events.length);
  if (events.length > 0) metadata.trajectory_events = events;
  return metadata;
}

function atlasSessionBlock(session: SessionRowForExport, bundle: SessionBundle, kept: number): JsonObject {
  const originalPlan = decodeJson(session.originalPlan);
  const review = decodeJson(session.review);
  const block: JsonObject = {
    schema_version: EXPORT_SCHEMA_VERSION,
    // The row's own values: an importer can tell them from same-named keys of the user's metadata.
    session_id: session.id,
    session_uid: session.uid,
    status: session.status,
    created_at: pythonIsoTimestamp(session.createdAt),
    completed_at: session.completedAt === null ? null : pythonIsoTimestamp(session.completedAt),
    source: session.source,
    config_name: session.configName,
    config_hash: session.configHash,
    execution_mode: session.executionMode,
    error: session.error,
    started_at: session.startedAt === null ? null : pythonIsoTimestamp(session.startedAt),
    duration_ms: session.durationMs,
    reward_score: session.rewardScore,
    usage: {
      prompt_tokens: session.promptTokens,
      completion_tokens: session.completionTokens,
      reasoning_tokens: session.reasoningTokens,
      cost_usd: session.costUsd,
      llm_calls: session.llmCalls,
    },
    judging: { judge_outcomes: session.judgeOutcomes, escalations: session.escalations },
    original_plan: originalPlan === null ? null : coercePlan(originalPlan).plan,
    plan_review: isJsonObject(review) ? withKeyOrder(review, ["mode", "concerns", "changes"]) : review,
  };
  // Never truncate silently: a consumer can tell a short trajectory from a cut one.
  if (bundle.eventTotal > kept) block.trajectory_events_truncated = { kept, total: bundle.eventTotal };
  const cell = session.experimentCell;
  if (cell) {
    block.experiment = {
      experiment_id: cell.experimentId,
      arm_id: cell.armId,
      task_index: cell.taskIndex,
      repeat: cell.repeat,
      retry_of: cell.retryOf,
      reference_score: cell.referenceScore,
      reference_rationale: cell.referenceRationale,
    };
  }
  return block;
}

/** `_normalise_event`: `{id, event, created_at}` with the event's own `type`/`name` copied to the top. */
function normaliseEvent(row: EventRowForExport): ExportedEvent {
  if (row.event instanceof RawJson) {
    const normalised: ExportedEvent = { id: row.id, event: row.event, created_at: pythonIsoTimestamp(row.createdAt) };
    if (row.typeJson !== null && row.typeJson !== undefined) normalised.type = JSON.parse(row.typeJson) as unknown;
    if (row.nameJson !== null && row.nameJson !== undefined) normalised.name = JSON.parse(row.nameJson) as unknown;
    return normalised;
  }
  const event = decodeJson(row.event) ?? {};
  const normalised: ExportedEvent = { id: row.id, event, created_at: pythonIsoTimestamp(row.createdAt) };
  if (isJsonObject(event)) {
    for (const key of ["type", "name"]) if (key in event && !(key in normalised)) normalised[key] = event[key];
  }
  return normalised;
}

/** `_coerce_plan`: a valid plan is normalised (pydantic `model_dump`), an invalid dict is kept as stored. */
export function coercePlan(value: unknown): { plan: JsonObject; lookup: PlanLookup } {
  const decoded = decodeJson(value);
  const lookup: PlanLookup = new Map();
  if (decoded === null) return { plan: {}, lookup };
  const parsed = PlanSchema.safeParse(decoded);
  if (parsed.success) {
    const plan = parsed.data as unknown as JsonObject & { steps: JsonObject[] };
    for (const step of plan.steps) lookup.set(step.id as number, step);
    return { plan, lookup };
  }
  if (!isJsonObject(decoded)) return { plan: {}, lookup };
  for (const step of asArray(decoded.steps)) {
    if (!isJsonObject(step) || !("id" in step)) continue;
    const id = Number(step.id);
    if (Number.isInteger(id)) lookup.set(id, step);
  }
  return { plan: decoded, lookup };
}

function orderEvaluation(evaluation: JsonObject): JsonObject {
  const ordered = withKeyOrder(evaluation, ["validation", "reward"]);
  if (isJsonObject(ordered.validation)) ordered.validation = withKeyOrder(ordered.validation, VALIDATION_ORDER);
  if (isJsonObject(ordered.reward)) ordered.reward = withKeyOrder(ordered.reward, REWARD_ORDER);
  return ordered;
}

function orderStepMetadata(metadata: JsonObject): JsonObject {
  const ordered = withKeyOrder(metadata, STEP_METADATA_ORDER);
  if (isJsonObject(ordered.runtime)) {
    const runtime = withKeyOrder(ordered.runtime, RUNTIME_ORDER);
    if (isJsonObject(runtime.timings_ms)) runtime.timings_ms = withKeyOrder(runtime.timings_ms, TIMINGS_ORDER);
    ordered.runtime = runtime;
  }
  return ordered;
}

/** `_coerce_metadata`: object → copy, null → {}, anything else → `{"raw": value}`. */
function coerceMetadata(value: unknown): JsonObject {
  const parsed = decodeJson(value);
  if (isJsonObject(parsed)) return { ...parsed };
  if (parsed === null) return {};
  return { raw: parsed };
}

function coerceDecodedObject(value: unknown): JsonObject {
  const decoded = decodeJson(value);
  return isJsonObject(decoded) ? decoded : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function setDefault(target: JsonObject, key: string, value: unknown) {
  if (!(key in target)) target[key] = value;
}
