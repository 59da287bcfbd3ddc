/**
 * What each event does to the session's own fields: the columns it sets (status, timestamps, final
 * answer…) and the counters it adds to (attempts, judging, tokens and cost). The pure projection
 * (./projection.ts) and the batched SQL writer (lib/db/queries/events.ts) both take them from here.
 */
import type { TrajectoryEvent } from "./events";
import type { SessionHead } from "./session-state";
import { isTerminalStatus, type SessionStatus } from "./status";

/** Session fields that only ever grow by a number, so the changes of several events add up. */
export const SESSION_COUNTERS = [
  "attemptCount",
  "judgeOutcomes",
  "escalations",
  "promptTokens",
  "completionTokens",
  "reasoningTokens",
  "costUsd",
  "llmCalls",
] as const satisfies readonly (keyof SessionHead)[];
export type SessionCounter = (typeof SESSION_COUNTERS)[number];

export function countersAddedBy(event: TrajectoryEvent): Partial<Record<SessionCounter, number>> {
  switch (event.type) {
    case "attempt.finished":
      return { attemptCount: 1 };
    case "reward":
      // A skipped reward is a placeholder: nobody judged.
      if (event.skipped) return {};
      return {
        judgeOutcomes: event.breakdown.judges.length,
        escalations: event.breakdown.judges.filter((judge) => judge.escalated).length,
      };
    case "llm.call":
      return {
        promptTokens: event.promptTokens,
        completionTokens: event.completionTokens,
        reasoningTokens: event.reasoningTokens,
        costUsd: event.costUsd,
        llmCalls: 1,
      };
    default:
      return {};
  }
}

/** Fields an event sets to a value of its own (timestamps as the event's ISO `ts`). */
export type SessionFieldChanges = Partial<
  Pick<SessionHead, "startedAt" | "completedAt" | "durationMs" | "error" | "finalAnswer" | "executionMode" | "stepCount"> & {
    status: SessionStatus;
  }
>;

export interface SessionChange {
  set: SessionFieldChanges;
  /** A status that applies unless the session has already ended (a start or queueing never reopens it). */
  statusUnlessEnded?: SessionStatus;
  /** `session.interrupted` carries no duration: it is the time since the start (or creation) of the session. */
  durationSinceStart?: true;
}

export function sessionChangeOf(event: TrajectoryEvent): SessionChange {
  switch (event.type) {
    case "session.started":
      return { set: { startedAt: event.ts }, statusUnlessEnded: "running" };
    case "session.queued":
      return { set: {}, statusUnlessEnded: "queued" };
    case "plan.reviewed":
      return { set: { executionMode: event.mode, stepCount: event.plan.steps.length } };
    case "synthesis":
      return { set: { finalAnswer: event.finalAnswer } };
    case "session.completed":
      return {
        set: {
          status: "succeeded",
          finalAnswer: event.finalAnswer,
          executionMode: event.executionMode,
          completedAt: event.ts,
          durationMs: Math.round(event.durationMs),
        },
      };
    case "session.failed":
      return {
        set: {
          status: "failed",
          error: event.error,
          finalAnswer: event.finalAnswer ?? "",
          completedAt: event.ts,
          durationMs: Math.round(event.durationMs),
        },
      };
    case "session.cancelled":
      return { set: { status: "cancelled", error: event.reason, completedAt: event.ts, durationMs: Math.round(event.durationMs) } };
    case "session.interrupted":
      return { set: { status: "interrupted", error: event.reason, completedAt: event.ts }, durationSinceStart: true };
    default:
      return { set: {} };
  }
}

/** The status after `change`, given the status before it. */
export function statusAfter(current: SessionStatus, change: SessionChange): SessionStatus {
  if (change.set.status) return change.set.status;
  if (change.statusUnlessEnded && !isTerminalStatus(current)) return change.statusUnlessEnded;
  return current;
}

/** Whole milliseconds from the start (or creation) of the session to `ts`. */
export function durationSinceStartMs(ts: string, head: Pick<SessionHead, "startedAt" | "createdAt">): number {
  return Math.round(Date.parse(ts) - Date.parse(head.startedAt ?? head.createdAt));
}

/** The session's reward: the mean over steps with a reward (null before any). */
export function meanReward(scores: readonly (number | null)[]): number | null {
  const rewarded = scores.filter((score): score is number => score !== null);
  return rewarded.length > 0 ? rewarded.reduce((sum, score) => sum + score, 0) / rewarded.length : null;
}
