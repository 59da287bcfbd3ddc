/**
 * Training views of a session record: `steps` is the trainer's `flatten_traces_for_training` (the
 * Arc-Computer/ATLAS loader rules applied to our record) and `pairs` is one preference pair per retried step.
 */
import { asFloat, truthy } from "./json";
import { isJsonObject, type JsonObject } from "@/lib/trajectory";
import { EXPORT_SCHEMA_VERSION } from "./types";

/** Step keys the trainer reads into typed fields; everything else lands in its metadata. */
const TRAINER_STEP_FIELDS = new Set([
  "step_id",
  "id",
  "description",
  "trace",
  "output",
  "evaluation",
  "reward",
  "validation",
  "attempts",
  "guidance",
  "context",
  "context_outputs",
  "prior_results",
  "tool",
  "tool_params",
  "runtime",
  "depends_on",
  "artifacts",
  "deliverable",
  "metadata",
]);

interface TrainerReward {
  score: number;
  rationale: unknown;
  judges: JsonObject[];
  raw: unknown;
}

/** `_coerce_reward` + `AtlasRewardBreakdown.to_dict()`. */
function trainerReward(entry: JsonObject): TrainerReward {
  const judges = asObjects(entry.judges).map((judge) => ({
    identifier: get(judge, "identifier", ""),
    score: get(judge, "score", 0),
    rationale: get(judge, "rationale", ""),
    principles: truthy(judge.principles) ? judge.principles : [],
    samples: asObjects(judge.samples).map((sample) => ({
      score: get(sample, "score", 0),
      rationale: get(sample, "rationale", ""),
      principles: truthy(sample.principles) ? sample.principles : [],
      uncertainty: get(sample, "uncertainty", null),
      temperature: get(sample, "temperature", null),
    })),
    escalated: truthy(get(judge, "escalated", false)),
    escalation_reason: get(judge, "escalation_reason", null),
  }));
  return {
    score: get(entry, "score", 0) as number,
    rationale: get(entry, "rationale", null),
    judges,
    raw: isJsonObject(entry.raw) ? entry.raw : entry,
  };
}

/** `_coerce_step`, reduced to the fields `flatten_traces_for_training` reads. */
function trainerStep(step: JsonObject) {
  const rewardPayload = firstTruthy(step.evaluation, step.reward) ?? {};
  const rawContext = firstTruthy(step.context, step.prior_results, step.context_outputs);
  const context = typeof rawContext === "string" ? parseOr(rawContext, { raw: rawContext }) : (rawContext ?? {});
  const rawToolParams = truthy(step.tool_params) ? step.tool_params : {};
  const toolParams = typeof rawToolParams === "string" ? parseOr(rawToolParams, { raw: rawToolParams }) : rawToolParams;
  const explicitMetadata = isJsonObject(step.metadata) ? step.metadata : {};
  const extras = Object.fromEntries(Object.entries(step).filter(([key]) => !TRAINER_STEP_FIELDS.has(key)));
  return {
    stepId: "step_id" in step ? step.step_id : "id" in step ? step.id : 0,
    description: get(step, "description", ""),
    trace: get(step, "trace", ""),
    output: get(step, "output", ""),
    reward: trainerReward(isJsonObject(rewardPayload) ? rewardPayload : {}),
    tool: firstTruthy(step.tool, isJsonObject(toolParams) ? toolParams.name : undefined) ?? null,
    toolParams,
    context: isJsonObject(context) ? context : {},
    validation: get(step, "validation", {}),
    attempts: get(step, "attempts", 1),
    guidance: truthy(step.guidance) ? step.guidance : [],
    metadata: { ...extras, ...explicitMetadata },
  };
}

/** Session metadata for per-step lines: the event list is the session's, not the step's (and it is large). */
export function sessionMetadataWithoutEvents(record: JsonObject): JsonObject {
  const metadata = isJsonObject(record.session_metadata) ? record.session_metadata : {};
  const { trajectory_events: _events, ...rest } = metadata;
  return rest;
}

/** One line per step, keys in `flatten_traces_for_training` order. */
export function flattenForTraining(record: JsonObject): JsonObject[] {
  const sessionMetadata = sessionMetadataWithoutEvents(record);
  return asObjects(record.steps).map((raw) => {
    const step = trainerStep(raw);
    return {
      task: get(record, "task", ""),
      final_answer: get(record, "final_answer", ""),
      plan: get(record, "plan", {}),
      step_id: step.stepId,
      step_description: step.description,
      step_trace: step.trace,
      step_output: step.output,
      attempts: step.attempts,
      guidance_history: step.guidance,
      step_context: step.context,
      validation: step.validation,
      tool: step.tool,
      tool_params: step.toolParams,
      reward_score: step.reward.score,
      reward_breakdown: step.reward,
      session_metadata: sessionMetadata,
      step_metadata: step.metadata,
    };
  });
}

interface AttemptView {
  attempt: number;
  status: unknown;
  output: unknown;
  trace: unknown;
  validation: JsonObject;
  reward: { score: number; rationale: unknown; skipped: boolean };
}

/**
 * One line per step that needed a retry and ended accepted: the first rejected attempt against the accepted one,
 * for preference training. A step whose last attempt failed yields nothing.
 */
export function preferencePairs(record: JsonObject): JsonObject[] {
  const sessionMetadata = isJsonObject(record.session_metadata) ? record.session_metadata : {};
  const pairs: JsonObject[] = [];
  for (const step of asObjects(record.steps)) {
    const metadata = isJsonObject(step.metadata) ? step.metadata : {};
    const history = asObjects(metadata.attempt_history ?? step.attempt_history);
    if (history.length < 2) continue;
    const final = history[history.length - 1]!;
    if (!isAccepted(final)) continue;
    const rejectedEntries = history.slice(0, -1).filter((entry) => entry.outcome === undefined || entry.outcome === "retry");
    const rejected = rejectedEntries[0];
    if (!rejected) continue;
    const accepted = attemptView(final, step);
    pairs.push({
      task: record.task ?? "",
      session_id: sessionMetadata.session_id ?? null,
      step_id: step.step_id,
      description: step.description ?? "",
      tool: step.tool ?? null,
      tool_params: step.tool_params ?? {},
      context: step.context ?? {},
      guidance: step.guidance ?? [],
      rejected_attempts: rejectedEntries.length,
      rejected: attemptView(rejected, null),
      accepted,
      reward_margin: Number((accepted.reward.score - attemptView(rejected, null).reward.score).toFixed(6)),
      // Our own format: versioned like our additive blocks.
      schema_version: EXPORT_SCHEMA_VERSION,
    });
  }
  return pairs;
}

function isAccepted(entry: JsonObject): boolean {
  if (typeof entry.outcome === "string") return entry.outcome === "accepted";
  // Upstream records carry no outcome: the last attempt counts when the teacher validated it.
  const evaluation = isJsonObject(entry.evaluation) ? entry.evaluation : {};
  return isJsonObject(evaluation.validation) && evaluation.validation.valid === true;
}

/** An attempt as a training sample; the final attempt falls back to the step's own output and trace. */
function attemptView(entry: JsonObject, step: JsonObject | null): AttemptView {
  const evaluation = isJsonObject(entry.evaluation) ? entry.evaluation : {};
  const reward = isJsonObject(evaluation.reward) ? evaluation.reward : {};
  const raw = isJsonObject(reward.raw) ? reward.raw : {};
  return {
    attempt: Number(entry.attempt),
    status: entry.status ?? (isJsonObject(evaluation.validation) ? evaluation.validation.status : null) ?? null,
    output: entry.output ?? step?.output ?? null,
    trace: entry.trace ?? step?.trace ?? null,
    validation: isJsonObject(evaluation.validation) ? evaluation.validation : {},
    reward: {
      score: asFloat(reward.score),
      rationale: reward.rationale ?? null,
      skipped: typeof entry.reward_skipped === "boolean" ? entry.reward_skipped : raw.skipped === true,
    },
  };
}

function asObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function firstTruthy(...values: unknown[]): unknown {
  return values.find(truthy);
}

function parseOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

/** Python `dict.get(key, default)`: the default only when the key is missing (a stored null stays null). */
function get(object: JsonObject, key: string, fallback: unknown): unknown {
  return key in object ? object[key] : fallback;
}
