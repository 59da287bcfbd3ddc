/**
 * The reward breakdown JSON (spec §6.6), built with upstream's exact key order.
 */
import type { JudgeBreakdown, JudgeSample, Principle, RewardBreakdown } from "@/lib/runtime/types";
import { aggregateScore } from "./scoring";

/** A tier-1 sample with the reasoning that only the `raw` copy carries. */
export interface SampleRecord extends JudgeSample {
  reasoning: unknown;
}

export interface JudgeOutcome {
  identifier: string;
  weight: number;
  score: number;
  rationale: string;
  principles: Principle[];
  samples: SampleRecord[];
  escalated: boolean;
  escalationReason: string | null;
  reasoning: unknown;
}

export function rewardBreakdown(outcomes: readonly JudgeOutcome[]): RewardBreakdown {
  const score = aggregateScore(outcomes);
  return {
    score,
    rationale: null,
    judges: outcomes.map(judgeEntry),
    raw: { score, judges: outcomes.map(rawJudgeEntry) },
  };
}

/** The placeholder for attempts that were not rewarded (`validation_failed`, `status_<status>`). */
export function skippedReward(reason: string): RewardBreakdown {
  return { score: 0, rationale: reason, judges: [], raw: { skipped: true, reason } };
}

/** The reward recorded for a step whose execution crashed. */
export function runtimeErrorReward(message: string): RewardBreakdown {
  return { score: 0, rationale: "runtime_error", judges: [], raw: { error: message } };
}

/**
 * The score a step's evaluation counts for (the step's reward, the session's mean): null when its
 * reward is one of the placeholders above. Takes stored JSON as well as typed evaluations.
 */
export function rewardScoreOf(evaluation: unknown): number | null {
  if (!isRecord(evaluation) || !isRecord(evaluation.reward)) return null;
  const { reward } = evaluation;
  if (isRecord(reward.raw) && (reward.raw.skipped === true || "error" in reward.raw)) return null;
  return typeof reward.score === "number" ? reward.score : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function judgeEntry(outcome: JudgeOutcome): JudgeBreakdown {
  return {
    identifier: outcome.identifier,
    score: outcome.score,
    rationale: outcome.rationale,
    principles: outcome.principles.map(principleEntry),
    samples: outcome.samples.map(sampleEntry),
    escalated: outcome.escalated,
    escalation_reason: outcome.escalationReason,
  };
}

function rawJudgeEntry(outcome: JudgeOutcome) {
  return {
    identifier: outcome.identifier,
    score: outcome.score,
    rationale: outcome.rationale,
    principles: outcome.principles.map(principleEntry),
    samples: outcome.samples.map((sample) => ({ ...sampleEntry(sample), reasoning: sample.reasoning })),
    escalated: outcome.escalated,
    escalation_reason: outcome.escalationReason,
    reasoning: outcome.reasoning,
  };
}

export function sampleEntry(sample: JudgeSample): JudgeSample {
  return {
    score: sample.score,
    rationale: sample.rationale,
    principles: sample.principles.map(principleEntry),
    uncertainty: sample.uncertainty,
    temperature: sample.temperature,
  };
}

function principleEntry(principle: Principle): Principle {
  return { name: principle.name, weight: principle.weight, description: principle.description };
}
