/**
 * The orchestrator (spec §5.1, §5.3 with the Appendix A fixes): plan → review → steps level by level
 * (independent steps in parallel, bounded) → synthesis.
 *
 * THE FAILURE RULE. A step whose final attempt is not accepted — the Teacher did not validate it, its
 * status is not ok/success/completed, the agent errored, or the step timed out — is recorded as
 * `failed`. Steps that depend on it, directly or transitively, are recorded as `skipped` and never run.
 * Every other step still runs. Synthesis then runs over the accepted steps only, and the session ends
 * `session.failed` with an error naming the failed and skipped steps (the final answer is kept).
 * An agent error inside an attempt is just a failed attempt (status "error"), retried while attempts
 * remain. Teacher and reward-evaluation errors (after the LLM client's own retries), and agent errors
 * while planning or synthesising, end the whole session with a reason naming the call.
 */
import type { AtlasConfig } from "@/lib/config";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import type { RewardEvaluator } from "@/lib/reward/types";
import { type EventInput, type ExecutionMode, jsonSafe, type Plan, type PlanStep, type RewardBreakdown, runtimeErrorReward, skippedReward, type StepEvaluation, type StepResult, type Timings } from "@/lib/trajectory";
import { roundMs } from "./json-text";
import { PlanGraph, resolveDependency } from "./plan-graph";
import type { Student, StudentStepResult } from "./student";
import type { PlanReview, StepValidation, Teacher } from "./teacher";

export type Emit = (event: EventInput) => Promise<unknown>;

/** A failure that ends the session (not a failed attempt); `where` names the call. */
export class RunFailure extends AtlasError {
  constructor(
    readonly where: string,
    message: string,
    cause?: unknown,
  ) {
    super(isAtlasError(cause) ? cause.code : "internal", message, cause === undefined ? undefined : { cause });
  }
}

/** Why a step's signal fired. */
class StepTimeout extends Error {}

export type StepStatus = "succeeded" | "failed" | "skipped" | "cancelled";

export interface OrchestratorOptions {
  task: string;
  config: Pick<AtlasConfig, "orchestration">;
  student: Student;
  teacher: Teacher;
  evaluator: RewardEvaluator;
  emit: Emit;
  /** Fires on cancellation; the orchestrator stops at once. */
  signal: AbortSignal;
}

export interface OrchestrationResult {
  finalAnswer: string;
  plan: Plan;
  executionMode: ExecutionMode;
  stepResults: StepResult[];
  /** Failed and skipped step ids; empty when every step was accepted. */
  unfinishedSteps: number[];
  /** The failure rule's error text, or null when every step was accepted. */
  failure: string | null;
}

interface StepOutcome {
  status: StepStatus;
  result: StepResult;
  /** The §5.3 step 14 entry other steps see; only for accepted steps. */
  contextEntry: Record<string, unknown> | null;
  summary: Record<string, unknown>;
  reason: string | null;
}

interface AttemptRecord {
  status: string;
  valid: boolean;
  accepted: boolean;
  retry: boolean;
  result: StepResult;
  contextEntry: Record<string, unknown> | null;
  summary: Record<string, unknown>;
  error: string | null;
}

const OK_STATUSES = new Set(["ok", "success", "completed", ""]);

/** Appendix A7: `ok`, `success` and `completed` all mean the agent finished the step. */
export function isOkStatus(status: string): boolean {
  return OK_STATUSES.has(status.trim().toLowerCase());
}

export class Orchestrator {
  /** What is known so far; readable after a failure to build the partial result. */
  plan: Plan | null = null;
  executionMode: ExecutionMode = "stepwise";
  readonly stepResults: StepResult[] = [];

  private readonly controller = new AbortController();
  private readonly maxRetries: number;
  private readonly retryThreshold: number;
  private readonly stepTimeoutMs: number;
  private readonly maxParallel: number;

  constructor(private readonly options: OrchestratorOptions) {
    const orchestration = options.config.orchestration;
    this.maxRetries = orchestration.max_retries;
    this.retryThreshold = orchestration.retry_threshold;
    this.stepTimeoutMs = orchestration.step_timeout_seconds * 1000;
    this.maxParallel = orchestration.max_parallel_steps;
  }

  private readonly forwardCancel = () => this.controller.abort(this.options.signal.reason);

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  async run(): Promise<OrchestrationResult> {
    const external = this.options.signal;
    if (external.aborted) this.forwardCancel();
    else external.addEventListener("abort", this.forwardCancel, { once: true });
    try {
      return await this.runPlan();
    } finally {
      external.removeEventListener("abort", this.forwardCancel);
    }
  }

  private async runPlan(): Promise<OrchestrationResult> {
    const { task, student, teacher, emit } = this.options;

    this.checkpoint();
    const drafted = await this.fatalOnError("planning", "Student planning call to the agent failed", this.signal, () =>
      student.createPlan(task, this.signal),
    );
    this.plan = drafted.plan;
    await emit({ type: "plan.drafted", actor: "student", plan: drafted.plan, fallback: drafted.fallback });

    this.checkpoint();
    const review = await this.fatalOnError("plan_review", null, this.signal, () =>
      teacher.reviewPlan(task, drafted.plan, this.signal),
    );
    this.executionMode = review.mode;
    if (review.mode === "single_shot") return this.runSingleShot(review);

    this.plan = review.plan;
    await this.emitReview(review, review.plan, review.changes);
    const levels = this.fatalSync("plan", () => new PlanGraph(review.plan).topologicalLevels());
    return this.runStepwise(review.plan, levels);
  }

  private async emitReview(review: PlanReview, plan: Plan, changes: string[]) {
    await this.options.emit({
      type: "plan.reviewed",
      actor: "teacher",
      mode: review.mode,
      plan,
      originalPlan: review.originalPlan,
      concerns: review.concerns,
      changes,
      cached: review.cached,
    });
  }

  // ------------------------------------------------------------------ modes

  private async runSingleShot(review: PlanReview): Promise<OrchestrationResult> {
    const lines = [
      "Produce the complete answer for the task in a single response.",
      "Ensure the output matches the requested format and includes any necessary reasoning.",
    ];
    if (review.plan.steps.length > 0) {
      lines.push("Follow this reviewed plan while responding:", ...review.plan.steps.map((s, i) => `${i + 1}. ${s.description}`));
    }
    const step: PlanStep = { id: 1, description: lines.join("\n"), tool: null, tool_params: null, depends_on: [] };
    const plan: Plan = { steps: [step], execution_mode: "single_shot" };
    this.plan = plan;
    await this.emitReview(review, plan, [...review.changes, "single-shot: the reviewed plan runs as one step"]);

    const outcome = await this.runStep(step, {}, 0);
    const { status, output, artifacts, deliverable, reason } = outcome.summary;
    const summary = { step_id: 1, description: step.description, status, output, artifacts, deliverable, reason };
    const accepted = outcome.status === "succeeded";
    const finalAnswer = accepted ? await this.synthesize("single_shot", [summary]) : "";
    return this.result(finalAnswer, plan, accepted ? [] : [1], accepted ? null : failureText([outcome]));
  }

  private async runStepwise(plan: Plan, levels: number[][]): Promise<OrchestrationResult> {
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    const context: Record<string, unknown> = {};
    const outcomes = new Map<number, StepOutcome>();

    for (const [levelIndex, level] of levels.entries()) {
      this.checkpoint();
      // Parallel siblings never see each other: each gets the context as it was when the level began.
      const snapshot = { ...context };
      const settled = await runBounded(level, this.maxParallel, async (id) => {
        this.checkpoint();
        const step = byId.get(id);
        if (!step) throw new RunFailure("plan", `Step ${id} is missing from the plan`);
        const blocker = step.depends_on.map(resolveDependency).find((dep) => {
          const status = outcomes.get(dep)?.status;
          return status === "failed" || status === "skipped";
        });
        if (blocker !== undefined) return this.skipStep(step, levelIndex, blocker);
        return this.runStep(step, snapshot, levelIndex);
      });
      const failures: unknown[] = [];
      settled.forEach((entry, index) => {
        const id = level[index] as number;
        if (entry.status === "fulfilled") {
          outcomes.set(id, entry.value);
          if (entry.value.contextEntry) context[String(id)] = entry.value.contextEntry;
        } else {
          failures.push(entry.reason);
        }
      });
      if (failures.length > 0) throw pickFailure(failures, this.options.signal);
    }

    const ordered = [...outcomes.entries()].sort(([a], [b]) => a - b).map(([, outcome]) => outcome);
    const accepted = ordered.filter((outcome) => outcome.status === "succeeded");
    const unfinished = ordered.filter((outcome) => outcome.status !== "succeeded");
    const finalAnswer =
      accepted.length > 0 ? await this.synthesize("stepwise", accepted.map((outcome) => outcome.summary)) : "";
    return this.result(
      finalAnswer,
      plan,
      unfinished.map((outcome) => outcome.result.step_id),
      unfinished.length > 0 ? failureText(unfinished) : null,
    );
  }

  private result(finalAnswer: string, plan: Plan, unfinished: number[], failure: string | null): OrchestrationResult {
    return {
      finalAnswer,
      plan,
      executionMode: this.executionMode,
      stepResults: this.orderedStepResults(),
      unfinishedSteps: unfinished,
      failure,
    };
  }

  /** Step results in step-id order (parallel steps finish in any order). */
  orderedStepResults(): StepResult[] {
    return [...this.stepResults].sort((a, b) => a.step_id - b.step_id);
  }

  private async synthesize(executionMode: ExecutionMode, stepSummaries: Record<string, unknown>[]): Promise<string> {
    this.checkpoint();
    const finalAnswer = await this.fatalOnError("synthesis", "Student synthesis call to the agent failed", this.signal, () =>
      this.options.student.synthesize({ task: this.options.task, executionMode, stepSummaries, signal: this.signal }),
    );
    await this.options.emit({ type: "synthesis", actor: "student", finalAnswer });
    return finalAnswer;
  }

  // ------------------------------------------------------------------ one step

  private async skipStep(step: PlanStep, level: number, blocker: number): Promise<StepOutcome> {
    const reason = `depends on step ${blocker}, which did not succeed`;
    await this.emitStepStarted(step, level);
    const result: StepResult = {
      step_id: step.id,
      trace: "",
      output: "",
      evaluation: { validation: {}, reward: skippedReward("dependency_failed") },
      attempts: 0,
      metadata: {},
    };
    this.stepResults.push(result);
    await this.options.emit({ type: "step.finished", actor: "system", stepId: step.id, status: "skipped", result, reason });
    return { status: "skipped", result, contextEntry: null, summary: {}, reason };
  }

  private emitStepStarted(step: PlanStep, level: number) {
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

  private async runStep(step: PlanStep, context: Record<string, unknown>, level: number): Promise<StepOutcome> {
    await this.emitStepStarted(step, level);
    const stepController = new AbortController();
    const forward = () => stepController.abort(this.signal.reason);
    if (this.signal.aborted) forward();
    else this.signal.addEventListener("abort", forward, { once: true });
    const timer =
      this.stepTimeoutMs > 0
        ? setTimeout(
            () => stepController.abort(new StepTimeout(`step ${step.id} timed out after ${this.stepTimeoutMs / 1000}s`)),
            this.stepTimeoutMs,
          )
        : null;
    try {
      return await this.attemptLoop(step, context, stepController.signal);
    } finally {
      if (timer) clearTimeout(timer);
      this.signal.removeEventListener("abort", forward);
    }
  }

  private async attemptLoop(step: PlanStep, context: Record<string, unknown>, signal: AbortSignal): Promise<StepOutcome> {
    const guidance: string[] = [];
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const attemptGuidance = [...guidance];
      await this.options.emit({
        type: "attempt.started",
        actor: "student",
        stepId: step.id,
        attempt,
        guidance: attemptGuidance,
        context,
      });
      let record: AttemptRecord;
      try {
        record = await this.runAttempt(step, attempt, context, attemptGuidance, guidance, signal);
      } catch (error) {
        return this.endInterruptedStep(step, attempt, error, signal);
      }
      if (record.retry) continue;
      this.stepResults.push(record.result);
      const status: StepStatus = record.accepted ? "succeeded" : "failed";
      const reason = record.accepted ? null : failureReason(record, attempt);
      await this.options.emit({
        type: "step.finished",
        actor: "student",
        stepId: step.id,
        status,
        result: record.result,
        reason,
      });
      return { status, result: record.result, contextEntry: record.contextEntry, summary: record.summary, reason };
    }
  }

  /**
   * The attempt ended by an exception: a timeout fails the step, a cancellation or a session failure
   * closes the step as `cancelled`/`failed` and propagates.
   */
  private async endInterruptedStep(step: PlanStep, attempt: number, error: unknown, signal: AbortSignal): Promise<StepOutcome> {
    const timedOut = signal.aborted && signal.reason instanceof StepTimeout && !this.signal.aborted;
    // The step whose Teacher/judge call failed is `failed`; siblings stopped because of it are `cancelled`.
    const cancelled = !timedOut && !(error instanceof RunFailure);
    const message = timedOut ? (signal.reason as StepTimeout).message : errorMessage(error);
    const result: StepResult = {
      step_id: step.id,
      trace: "",
      output: "",
      evaluation: { validation: { valid: false, error: message }, reward: runtimeErrorReward(message) },
      attempts: attempt,
      metadata: { status: "error", error: message },
    };
    await this.options.emit({
      type: "attempt.finished",
      actor: "student",
      stepId: step.id,
      attempt,
      status: cancelled ? "cancelled" : "error",
      outcome: cancelled ? "cancelled" : "failed",
      output: "",
      trace: "",
      structuredOutput: null,
      evaluation: result.evaluation,
      rewardSkipped: true,
      timingsMs: { student_ms: 0, validation_ms: 0, total_ms: 0 },
      error: message,
      metadata: result.metadata,
    });
    this.stepResults.push(result);
    const status: StepStatus = cancelled ? "cancelled" : "failed";
    await this.options.emit({ type: "step.finished", actor: "system", stepId: step.id, status, result, reason: message });
    if (!timedOut) throw error;
    return { status, result, contextEntry: null, summary: {}, reason: message };
  }

  private async runAttempt(
    step: PlanStep,
    attempt: number,
    context: Record<string, unknown>,
    attemptGuidance: string[],
    guidance: string[],
    signal: AbortSignal,
  ): Promise<AttemptRecord> {
    const { student, teacher, evaluator, emit, task } = this.options;
    const where = { stepId: step.id, attempt };
    const started = performance.now();

    let studentResult: StudentStepResult;
    try {
      checkSignal(signal);
      studentResult = await student.executeStep({ task, step, context, guidance: attemptGuidance, attempt, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      return this.agentErrorAttempt(step, attempt, errorMessage(error), roundMs(performance.now() - started));
    }
    const studentMs = roundMs(performance.now() - started);

    checkSignal(signal);
    const validationStarted = performance.now();
    const validation: StepValidation = await this.fatalOnError(`validation:step ${step.id} attempt ${attempt}`, null, signal, () =>
      teacher.validateStep({
        step,
        attempt,
        trace: studentResult.trace,
        structuredOutput: studentResult.structuredOutput,
        priorResults: context,
        priorGuidance: attemptGuidance,
        attemptGuidance,
        signal,
      }),
    );
    const validationMs = roundMs(performance.now() - validationStarted);
    await emit({
      type: "validation",
      actor: "teacher",
      ...where,
      valid: validation.valid,
      guidance: validation.guidance,
      validation: jsonSafe(validation) as Record<string, unknown>,
    });

    const status = studentResult.structuredOutput.status || studentResult.status;
    const judged = validation.valid && isOkStatus(status);
    let reward: RewardBreakdown;
    let rewardMs: number | undefined;
    if (judged) {
      checkSignal(signal);
      const rewardStarted = performance.now();
      reward = await this.fatalOnError(
        `reward:step ${step.id} attempt ${attempt}`,
        `Reward evaluation of step ${step.id} (attempt ${attempt}) failed`,
        signal,
        () =>
          evaluator.evaluate(
            {
              task,
              step,
              trace: studentResult.trace,
              output: studentResult.output,
              attempt,
              priorResults: context,
              guidance: attemptGuidance,
            },
            { stepId: step.id, attempt, signal },
          ),
      );
      rewardMs = roundMs(performance.now() - rewardStarted);
    } else {
      reward = skippedReward(validation.valid ? `status_${status}` : "validation_failed");
    }
    await emit({ type: "reward", actor: "reward", ...where, score: reward.score, skipped: !judged, breakdown: reward });

    const retry = this.shouldRetry(attempt, status, validation.valid, judged ? reward.score : null);
    let guidanceMs: number | undefined;
    if (retry) {
      guidanceMs = 0;
      if (validation.guidance) {
        guidance.push(validation.guidance);
        await emit({
          type: "guidance.issued",
          actor: "teacher",
          ...where,
          note: validation.guidance,
          forAttempt: attempt + 1,
          sequence: guidance.length,
        });
      }
    }

    const timings: Timings = {
      student_ms: studentMs,
      validation_ms: validationMs,
      ...(rewardMs === undefined ? {} : { reward_ms: rewardMs }),
      ...(guidanceMs === undefined ? {} : { guidance_ms: guidanceMs }),
      total_ms: roundMs(studentMs + validationMs + (rewardMs ?? 0) + (guidanceMs ?? 0)),
    };
    const structured = studentResult.structuredOutput;
    const metadata = jsonSafe({
      ...studentResult.metadata,
      status,
      artifacts: structured.artifacts,
      deliverable: structured.deliverable,
      ...(structured.reason === undefined ? {} : { reason: structured.reason }),
      result: structured.result,
      structured_output: structured,
      runtime: { reward_skipped: !judged, timings_ms: timings },
    }) as Record<string, unknown>;
    const evaluation: StepEvaluation = { validation: jsonSafe(validation) as Record<string, unknown>, reward };
    const accepted = judged && !retry;
    await emit({
      type: "attempt.finished",
      actor: "student",
      ...where,
      status,
      outcome: retry ? "retry" : accepted ? "accepted" : "failed",
      output: studentResult.output,
      trace: studentResult.trace,
      structuredOutput: jsonSafe(structured) as Record<string, unknown>,
      evaluation,
      rewardSkipped: !judged,
      timingsMs: timings,
      error: null,
      metadata,
    });

    const result: StepResult = {
      step_id: step.id,
      trace: studentResult.trace,
      output: studentResult.output,
      evaluation,
      attempts: attempt,
      metadata,
    };
    const contextEntry = judged
      ? (jsonSafe({
          output_text: studentResult.output,
          status,
          artifacts: structured.artifacts,
          deliverable: structured.deliverable,
          ...(structured.reason === undefined ? {} : { reason: structured.reason }),
          structured_output: structured,
        }) as Record<string, unknown>)
      : null;
    const summary = {
      step_id: step.id,
      description: step.description,
      status,
      output: studentResult.output,
      artifacts: structured.artifacts,
      deliverable: structured.deliverable,
      reason: structured.reason ?? null,
      trace: studentResult.trace,
      evaluation,
      metadata,
      attempts: attempt,
    };
    return { status, valid: validation.valid, accepted, retry, result, contextEntry, summary, error: null };
  }

  /** An agent error inside an attempt is a failed attempt, retried while attempts remain. */
  private async agentErrorAttempt(step: PlanStep, attempt: number, message: string, studentMs: number): Promise<AttemptRecord> {
    const retry = attempt <= this.maxRetries;
    const timings: Timings = { student_ms: studentMs, validation_ms: 0, total_ms: studentMs };
    const evaluation: StepEvaluation = {
      validation: { valid: false, error: message },
      reward: runtimeErrorReward(message),
    };
    const metadata = { status: "error", error: message, runtime: { reward_skipped: true, timings_ms: timings } };
    await this.options.emit({
      type: "attempt.finished",
      actor: "student",
      stepId: step.id,
      attempt,
      status: "error",
      outcome: retry ? "retry" : "failed",
      output: "",
      trace: "",
      structuredOutput: null,
      evaluation,
      rewardSkipped: true,
      timingsMs: timings,
      error: message,
      metadata,
    });
    const result: StepResult = { step_id: step.id, trace: "", output: "", evaluation, attempts: attempt, metadata };
    return { status: "error", valid: false, accepted: false, retry, result, contextEntry: null, summary: {}, error: message };
  }

  /** Spec §5.3 step 9 with A7 (ok/success/completed alike) and a configurable threshold. */
  private shouldRetry(attempt: number, status: string, valid: boolean, score: number | null): boolean {
    if (attempt > this.maxRetries) return false;
    if (status.trim().toLowerCase() === "skipped") return false;
    if (!valid) return true;
    if (!isOkStatus(status)) return true;
    return score !== null && score < this.retryThreshold;
  }

  // ------------------------------------------------------------------ failures and cancellation

  /** Throws the cancellation (or a sibling's session failure) before any new call starts. */
  private checkpoint(): void {
    checkSignal(this.signal);
  }

  private async fatalOnError<T>(
    where: string,
    prefix: string | null,
    signal: AbortSignal,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // A call stopped by a step timeout or a cancellation is not the call's own failure.
      if (signal.aborted) throw error;
      throw this.asFatal(where, prefix, error);
    }
  }

  private fatalSync<T>(where: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.asFatal(where, null, error);
    }
  }

  /** Wraps a session-ending error and stops every sibling step; cancellations pass through. */
  private asFatal(where: string, prefix: string | null, error: unknown): unknown {
    if (this.signal.aborted || error instanceof RunFailure) return error;
    if (isAtlasError(error) && error.code === "cancelled") return error;
    const failure = new RunFailure(where, prefix ? `${prefix}: ${errorMessage(error)}` : errorMessage(error), error);
    this.controller.abort(failure);
    return failure;
  }
}

function checkSignal(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  throw new AtlasError("cancelled", "the run was cancelled");
}

/** The error to report for a level: a session failure wins over the cancellations it caused. */
function pickFailure(failures: unknown[], externalSignal: AbortSignal): unknown {
  if (externalSignal.aborted) return failures.find((failure) => !(failure instanceof RunFailure)) ?? failures[0];
  return failures.find((failure) => failure instanceof RunFailure) ?? failures[0];
}

function failureReason(record: AttemptRecord, attempts: number): string {
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (record.error !== null) return `agent error after ${tries}: ${record.error}`;
  if (!record.valid) return `not validated after ${tries}`;
  if (!isOkStatus(record.status)) return `status "${record.status}" after ${tries}`;
  return `not accepted after ${tries}`;
}

/** The session error of the failure rule, naming each failed and skipped step. */
function failureText(outcomes: StepOutcome[]): string {
  const failed = outcomes.filter((outcome) => outcome.status === "failed");
  const skipped = outcomes.filter((outcome) => outcome.status === "skipped");
  const parts: string[] = [];
  if (failed.length > 0) {
    parts.push(`failed: ${failed.map((outcome) => `step ${outcome.result.step_id} (${outcome.reason ?? "failed"})`).join(", ")}`);
  }
  if (skipped.length > 0) {
    parts.push(`skipped: ${skipped.map((outcome) => `step ${outcome.result.step_id} (${outcome.reason ?? "skipped"})`).join(", ")}`);
  }
  return `Steps did not succeed — ${parts.join("; ")}`;
}

/** Runs `work` over `items` with at most `limit` in flight; results in item order. */
async function runBounded<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
