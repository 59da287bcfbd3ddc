/**
 * How a session ends: its single terminal event and what `runSession()` returns. Every step accepted →
 * `session.completed`; the failure rule or a session-ending error → `session.failed`; stopped by the
 * caller → `session.cancelled` (a cancel) or `session.interrupted` (a shutdown).
 */
import type { EventInput, Plan, TokenUsage } from "@/lib/trajectory";
import type { OrchestrationResult } from "./orchestrator";
import type { StopReason } from "./stop";
import type { RunResult } from "./types";

export type Outcome = Omit<RunResult, "sessionId">;

export interface SessionTotals {
  usage: TokenUsage;
  durationMs: number;
}

export interface SessionEnd {
  /** Built last, once every LLM call has been counted. */
  terminal(totals: SessionTotals): EventInput;
  outcome: Outcome;
}

export const EMPTY_PLAN: Plan = { steps: [], execution_mode: "stepwise" };

/** The orchestration ran to its end: completed, or failed by the failure rule. */
export function finishedEnd(result: OrchestrationResult): SessionEnd {
  const outcome: Outcome = {
    status: result.failure === null ? "succeeded" : "failed",
    finalAnswer: result.finalAnswer,
    plan: result.plan,
    stepResults: result.stepResults,
    error: result.failure,
  };
  if (result.failure === null) {
    return {
      terminal: (totals) => ({
        type: "session.completed",
        actor: "system",
        finalAnswer: result.finalAnswer,
        executionMode: result.executionMode,
        ...totals,
      }),
      outcome,
    };
  }
  const failure = result.failure;
  return {
    terminal: (totals) => ({
      type: "session.failed",
      actor: "system",
      error: failure,
      finalAnswer: result.finalAnswer,
      failedSteps: result.unfinishedSteps,
      ...totals,
    }),
    outcome,
  };
}

/** The caller stopped the run: cancelled with its reason, or interrupted by a shutdown. */
export function stoppedEnd(stop: StopReason, partial: Outcome): SessionEnd {
  if (stop.kind === "shutdown") {
    return {
      terminal: () => ({ type: "session.interrupted", actor: "system", reason: stop.reason }),
      outcome: { ...partial, status: "interrupted", error: stop.reason },
    };
  }
  return {
    terminal: (totals) => ({ type: "session.cancelled", actor: "system", reason: stop.reason, ...totals }),
    outcome: { ...partial, status: "cancelled", error: stop.reason },
  };
}

/** A session-ending error (a failed call, an invalid plan, a broken collaborator). */
export function failedEnd(message: string, partial: Outcome): SessionEnd {
  return {
    terminal: (totals) => ({ type: "session.failed", actor: "system", error: message, finalAnswer: null, failedSteps: [], ...totals }),
    outcome: { ...partial, error: message },
  };
}
