/**
 * The guidance a step gets when it is retried for a low reward: what the judges said, wrapped in the
 * configured `orchestration.rim_guidance_tag` so the Student (and a person reading the trace) can tell
 * the reward model's feedback from the Teacher's.
 */
import type { RewardBreakdown } from "@/lib/trajectory";

export function rewardFeedbackGuidance(reward: RewardBreakdown, threshold: number, tag: string): string {
  const judges = reward.judges.map((judge) => `${judge.identifier} (${judge.score.toFixed(2)}): ${judge.rationale}`.trim());
  const lines = [`The reward was ${reward.score.toFixed(2)}, below the retry threshold ${threshold}.`, ...judges];
  return `<${tag}>${lines.join("\n")}</${tag}>`;
}
