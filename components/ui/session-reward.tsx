import { sessionRewardOf } from "@/lib/trajectory";
import { formatScore } from "./format";

/** A session's reward as the one definition reads it: final, "so far" while running, "partial" once stopped. */
export function SessionRewardValue({ status, score, testId }: { status: string; score: number | null; testId: string }) {
  const reward = sessionRewardOf(status, score);
  return (
    <span title={reward.explanation} data-reward-kind={reward.kind}>
      <span data-testid={testId} className={reward.kind === "final" ? "" : "text-slate-500"}>
        {formatScore(reward.score)}
      </span>
      {reward.qualifier && reward.score !== null ? (
        <span data-testid={`${testId}-qualifier`} className="ml-1 text-xs text-slate-500">
          {reward.qualifier}
        </span>
      ) : null}
    </span>
  );
}
