/**
 * The RIM contract: the orchestrator asks for a reward per validated attempt; judges emit their
 * samples, escalations and arbiter decisions as events while they work.
 */
import type { EventInput, PlanStep, RewardBreakdown } from "@/lib/trajectory";

export interface JudgeContext {
  task: string;
  step: PlanStep;
  trace: string;
  output: string;
  attempt: number;
  /** Validated outputs of earlier steps, keyed by step id. */
  priorResults: Record<string, unknown>;
  /** Teacher guidance given to this step so far. */
  guidance: string[];
}

export interface JudgeOptions {
  stepId: number;
  attempt: number;
  signal: AbortSignal;
}

export interface RewardEvaluator {
  /** Resolves with the reward breakdown (breakdown.ts); rejects only on cancellation. */
  evaluate(context: JudgeContext, options: JudgeOptions): Promise<RewardBreakdown>;
}

export type EmitEvent = (event: EventInput) => Promise<unknown>;
