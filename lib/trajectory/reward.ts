/**
 * The reward breakdown JSON a step's evaluation carries (upstream `AtlasRewardBreakdown.to_dict()`),
 * the placeholders recorded for attempts that were not judged, and the score a stored evaluation
 * counts for.
 */
import { z } from "zod";
import { isJsonObject } from "./json";

export const PrincipleSchema = z.object({
  name: z.string(),
  weight: z.number(),
  description: z.string(),
});
export type Principle = z.infer<typeof PrincipleSchema>;

export const JudgeSampleSchema = z.object({
  score: z.number(),
  rationale: z.string(),
  principles: z.array(PrincipleSchema),
  uncertainty: z.number(),
  temperature: z.number(),
});
export type JudgeSample = z.infer<typeof JudgeSampleSchema>;

export const JudgeBreakdownSchema = z.object({
  identifier: z.string(),
  score: z.number(),
  rationale: z.string(),
  principles: z.array(PrincipleSchema),
  samples: z.array(JudgeSampleSchema),
  escalated: z.boolean(),
  escalation_reason: z.string().nullable(),
});
export type JudgeBreakdown = z.infer<typeof JudgeBreakdownSchema>;

/** Key order score, rationale, judges, raw — as upstream writes it. */
export const RewardBreakdownSchema = z.object({
  score: z.number(),
  rationale: z.string().nullable(),
  judges: z.array(JudgeBreakdownSchema),
  raw: z.unknown(),
});
export type RewardBreakdown = z.infer<typeof RewardBreakdownSchema>;

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
  if (!isJsonObject(evaluation) || !isJsonObject(evaluation.reward)) return null;
  const { reward } = evaluation;
  if (isJsonObject(reward.raw) && (reward.raw.skipped === true || "error" in reward.raw)) return null;
  return typeof reward.score === "number" ? reward.score : null;
}
