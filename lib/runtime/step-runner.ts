/**
 * One step from `step.started` to `step.finished`: its attempts in order (retried with the teacher's
 * guidance) under the step's time limit. A step whose last attempt is not accepted, or that runs out of
 * time, is `failed`; a step stopped by a cancellation or by a sibling's session failure is closed as
 * `cancelled` (or `failed`, when its own call ended the session) and the stop propagates. A step whose
 * dependency did not succeed is `skipped` without running.
 */
import { errorMessage } from "@/lib/errors";
import type { EventInput, PlanStep, StepResult } from "@/lib/trajectory";
import { type AttemptDeps, runAttempt } from "./attempt";
import { type AttemptEnd, attemptRecord, skippedStepResult } from "./attempt-records";
import { failureReason, RunFailure, StepTimeout } from "./failures";
import { resolveDependency } from "./plan-graph";

export type StepStatus = "succeeded" | "failed" | "skipped" | "cancelled";

export interface StepOutcome {
  status: StepStatus;
  result: StepResult;
  /** The context entry other steps see; only for accepted steps. */
  contextEntry: Record<string, unknown> | null;
  /** What synthesis sees of the step. */
  summary: Record<string, unknown>;
  reason: string | null;
}

/**
 * Starts a step's time limit and returns a function that clears it. The default is a real timer;
 * tests pass their own to end a step's time on an event instead of on the clock.
 */
export type StepTimer = (stepId: number, ms: number, onTimeout: () => void) => () => void;

export const realStepTimer: StepTimer = (_stepId, ms, onTimeout) => {
  const timer = setTimeout(onTimeout, ms);
  return () => clearTimeout(timer);
};

export interface StepRunnerOptions extends AttemptDeps {
  /** 0 = no limit. */
  stepTimeoutMs: number;
  stepTimer: StepTimer;
}

export class StepRunner {
  /** Every finished step's result, in the order steps finished. */
  readonly results: StepResult[] = [];

  constructor(private readonly options: StepRunnerOptions) {}

  async skip(step: PlanStep, level: number, blocker: number): Promise<StepOutcome> {
    const reason = `depends on step ${blocker}, which did not succeed`;
    await this.emitStarted(step, level);
    const result = skippedStepResult(step.id);
    await this.finish("system", step.id, "skipped", result, reason);
    return { status: "skipped", result, contextEntry: null, summary: {}, reason };
  }

  async run(step: PlanStep, context: Record<string, unknown>, level: number): Promise<StepOutcome> {
    await this.emitStarted(step, level);
    const session = this.options.guard.signal;
    const stepController = new AbortController();
    const forward = () => stepController.abort(session.reason);
    if (session.aborted) forward();
    else session.addEventListener("abort", forward, { once: true });
    const { stepTimeoutMs, stepTimer } = this.options;
    const clearTimer =
      stepTimeoutMs > 0
        ? stepTimer(step.id, stepTimeoutMs, () =>
            stepController.abort(new StepTimeout(`step ${step.id} timed out after ${stepTimeoutMs / 1000}s`)),
          )
        : null;
    try {
      return await this.attempts(step, context, stepController.signal);
    } finally {
      clearTimer?.();
      session.removeEventListener("abort", forward);
    }
  }

  private async attempts(step: PlanStep, context: Record<string, unknown>, signal: AbortSignal): Promise<StepOutcome> {
    const { emit } = this.options;
    const guidance: string[] = [];
    for (let attempt = 1; ; attempt += 1) {
      const attemptGuidance = [...guidance];
      await emit({ type: "attempt.started", actor: "student", stepId: step.id, attempt, guidance: attemptGuidance, context });
      let end: AttemptEnd;
      try {
        end = await runAttempt(this.options, { step, attempt, context, attemptGuidance, guidance, signal });
      } catch (error) {
        return this.interrupted(step, attempt, error, signal);
      }
      const record = attemptRecord(step, attempt, end);
      await emit(record.finished);
      if (record.retry) continue;
      const status: StepStatus = record.accepted ? "succeeded" : "failed";
      const reason = record.accepted ? null : failureReason(record, attempt);
      await this.finish("student", step.id, status, record.result, reason);
      return { status, result: record.result, contextEntry: record.contextEntry, summary: record.summary, reason };
    }
  }

  /**
   * The attempt ended by an exception: a timeout fails the step, a cancellation or a session failure
   * closes the step as `cancelled`/`failed` and propagates.
   */
  private async interrupted(step: PlanStep, attempt: number, error: unknown, signal: AbortSignal): Promise<StepOutcome> {
    const timedOut = signal.aborted && signal.reason instanceof StepTimeout && !this.options.guard.signal.aborted;
    // The step whose Teacher/judge call failed is `failed`; siblings stopped because of it are `cancelled`.
    const cancelled = !timedOut && !(error instanceof RunFailure);
    const message = timedOut ? (signal.reason as StepTimeout).message : errorMessage(error);
    const record = attemptRecord(step, attempt, { kind: "interrupted", message, cancelled });
    await this.options.emit(record.finished);
    const status: StepStatus = cancelled ? "cancelled" : "failed";
    await this.finish("system", step.id, status, record.result, message);
    if (!timedOut) throw error;
    return { status, result: record.result, contextEntry: null, summary: {}, reason: message };
  }

  private emitStarted(step: PlanStep, level: number) {
    return this.options.emit({
      type: "step.started",
      actor: "student",
      stepId: step.id,
      description: step.description,
      dependsOn: step.depends_on.map(resolveDependency),
      tool: step.tool,
      toolParams: step.tool_params,
      level,
    });
  }

  private async finish(actor: "student" | "system", stepId: number, status: StepStatus, result: StepResult, reason: string | null) {
    this.results.push(result);
    const finished: EventInput = { type: "step.finished", actor, stepId, status, result, reason };
    await this.options.emit(finished);
  }
}
