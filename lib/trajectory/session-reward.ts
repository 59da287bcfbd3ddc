/**
 * What a session's reward means, for every status: the one definition the sessions list, the session
 * header, the overview's reward chart and the reward filters (list and export) share.
 *
 * The stored number (`sessions.reward_score`) is always the mean of the final rewards of the steps
 * judged so far (a step's reward is the weighted mean of its judges' scores; a step that was not
 * judged, or failed, does not count). It is the session reward only once the session has succeeded:
 * - running or queued: the steps judged so far, shown as "so far";
 * - failed, cancelled or interrupted: the steps judged before it stopped, shown as "partial". It is
 *   not a session reward: the chart's mean and the reward filters leave such sessions out.
 */
import type { SessionStatus } from "./status";

/** The statuses whose stored mean is the session reward. */
export const FINAL_REWARD_STATUSES: readonly SessionStatus[] = ["succeeded"];

export type SessionRewardKind = "final" | "so_far" | "partial";

export interface SessionReward {
  kind: SessionRewardKind;
  /** The mean of the judged steps; null when no step has been judged. */
  score: number | null;
  /** "so far" / "partial" / "": shown after the score. */
  qualifier: string;
  /** How the number was computed, in words. */
  explanation: string;
}

export function hasFinalReward(status: SessionStatus | string): boolean {
  return (FINAL_REWARD_STATUSES as readonly string[]).includes(status);
}

export function sessionRewardOf(status: SessionStatus | string, meanOfJudgedSteps: number | null): SessionReward {
  if (hasFinalReward(status)) {
    return {
      kind: "final",
      score: meanOfJudgedSteps,
      qualifier: "",
      explanation: "Session reward: the mean of the final rewards of its judged steps.",
    };
  }
  if (status === "running" || status === "queued") {
    return {
      kind: "so_far",
      score: meanOfJudgedSteps,
      qualifier: "so far",
      explanation: "Still running: the mean of the steps judged so far. The session reward is set when it succeeds.",
    };
  }
  return {
    kind: "partial",
    score: meanOfJudgedSteps,
    qualifier: "partial",
    explanation: `The session ${status}: this is the mean of the steps judged before it stopped, not a session reward (reward filters and the overview's mean leave it out).`,
  };
}
