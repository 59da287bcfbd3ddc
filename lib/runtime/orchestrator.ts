/**
 * The session flow: plan → review → steps level by level (independent steps in parallel, bounded) →
 * synthesis.
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
import type { RewardEvaluator } from "@/lib/reward/types";
import type { ExecutionMode, Plan, PlanStep, StepResult } from "@/lib/trajectory";
import { runBounded } from "./concurrency";
import { failureText, pickFailure, RunFailure, SessionGuard } from "./failures";
import { PlanGraph, resolveDependency } from "./plan-graph";
import { realStepTimer, type StepOutcome, StepRunner, type StepTimer } from "./step-runner";
import type { Emit, Student } from "./student";
import type { PlanReview, Teacher } from "./teacher";

export interface OrchestratorOptions {
  task: string;
  config: Pick<AtlasConfig, "orchestration">;
  student: Student;
  teacher: Teacher;
  evaluator: RewardEvaluator;
  emit: Emit;
  /** Fires when the caller stops the run; the orchestrator stops at once. */
  signal: AbortSignal;
  stepTimer?: StepTimer;
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

export class Orchestrator {
  /** What is known so far; readable after a failure to build the partial result. */
  plan: Plan | null = null;
  executionMode: ExecutionMode = "stepwise";

  private readonly guard: SessionGuard;
  private readonly steps: StepRunner;
  private readonly maxParallel: number;

  constructor(private readonly options: OrchestratorOptions) {
    const orchestration = options.config.orchestration;
    this.guard = new SessionGuard(options.signal);
    this.maxParallel = orchestration.max_parallel_steps;
    this.steps = new StepRunner({
      task: options.task,
      student: options.student,
      teacher: options.teacher,
      evaluator: options.evaluator,
      emit: options.emit,
      guard: this.guard,
      retryPolicy: { maxRetries: orchestration.max_retries, retryThreshold: orchestration.retry_threshold },
      rimGuidanceTag: orchestration.rim_guidance_tag,
      stepTimeoutMs: orchestration.step_timeout_seconds * 1000,
      stepTimer: options.stepTimer ?? realStepTimer,
    });
  }

  async run(): Promise<OrchestrationResult> {
    const unfollow = this.guard.follow();
    try {
      return await this.runPlan();
    } finally {
      unfollow();
    }
  }

  /** Step results in step-id order (parallel steps finish in any order). */
  orderedStepResults(): StepResult[] {
    return [...this.steps.results].sort((a, b) => a.step_id - b.step_id);
  }

  private get signal(): AbortSignal {
    return this.guard.signal;
  }

  private async runPlan(): Promise<OrchestrationResult> {
    const { task, student, teacher, emit } = this.options;

    this.guard.checkpoint();
    const drafted = await this.guard.fatalOnError("planning", "Student planning call to the agent failed", this.signal, () =>
      student.createPlan(task, this.signal),
    );
    this.plan = drafted.plan;
    await emit({ type: "plan.drafted", actor: "student", plan: drafted.plan, fallback: drafted.fallback });

    this.guard.checkpoint();
    const review = await this.guard.fatalOnError("plan_review", null, this.signal, () => teacher.reviewPlan(task, drafted.plan, this.signal));
    this.executionMode = review.mode;
    if (review.mode === "single_shot") return this.runSingleShot(review);

    this.plan = review.plan;
    await this.emitReview(review, review.plan, review.changes);
    const levels = this.guard.fatalSync("plan", () => new PlanGraph(review.plan).topologicalLevels());
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

    const outcome = await this.steps.run(step, {}, 0);
    const { status, output, artifacts, deliverable, reason } = outcome.summary;
    const summary = { step_id: 1, description: step.description, status, output, artifacts, deliverable, reason };
    const accepted = outcome.status === "succeeded";
    const finalAnswer = accepted ? await this.synthesize("single_shot", [summary]) : "";
    return this.result(finalAnswer, plan, accepted ? [] : [1], accepted ? null : failureText([unfinished(outcome)]));
  }

  private async runStepwise(plan: Plan, levels: number[][]): Promise<OrchestrationResult> {
    const byId = new Map(plan.steps.map((step) => [step.id, step]));
    const context: Record<string, unknown> = {};
    const outcomes = new Map<number, StepOutcome>();

    for (const [levelIndex, level] of levels.entries()) {
      this.guard.checkpoint();
      // Parallel siblings never see each other: each gets the context as it was when the level began.
      const snapshot = { ...context };
      const settled = await runBounded(level, this.maxParallel, async (id) => {
        this.guard.checkpoint();
        const step = byId.get(id);
        if (!step) throw new RunFailure("plan", `Step ${id} is missing from the plan`);
        const blocker = step.depends_on.map(resolveDependency).find((dep) => {
          const status = outcomes.get(dep)?.status;
          return status === "failed" || status === "skipped";
        });
        if (blocker !== undefined) return this.steps.skip(step, levelIndex, blocker);
        return this.steps.run(step, snapshot, levelIndex);
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
      if (failures.length > 0) throw pickFailure(failures, this.guard.stoppedByCaller);
    }

    const ordered = [...outcomes.entries()].sort(([a], [b]) => a - b).map(([, outcome]) => outcome);
    const accepted = ordered.filter((outcome) => outcome.status === "succeeded");
    const notAccepted = ordered.filter((outcome) => outcome.status !== "succeeded");
    const finalAnswer =
      accepted.length > 0 ? await this.synthesize("stepwise", accepted.map((outcome) => outcome.summary)) : "";
    return this.result(
      finalAnswer,
      plan,
      notAccepted.map((outcome) => outcome.result.step_id),
      notAccepted.length > 0 ? failureText(notAccepted.map(unfinished)) : null,
    );
  }

  private result(finalAnswer: string, plan: Plan, unfinishedSteps: number[], failure: string | null): OrchestrationResult {
    return {
      finalAnswer,
      plan,
      executionMode: this.executionMode,
      stepResults: this.orderedStepResults(),
      unfinishedSteps,
      failure,
    };
  }

  private async synthesize(executionMode: ExecutionMode, stepSummaries: Record<string, unknown>[]): Promise<string> {
    this.guard.checkpoint();
    const finalAnswer = await this.guard.fatalOnError("synthesis", "Student synthesis call to the agent failed", this.signal, () =>
      this.options.student.synthesize({ task: this.options.task, executionMode, stepSummaries, signal: this.signal }),
    );
    await this.options.emit({ type: "synthesis", actor: "student", finalAnswer });
    return finalAnswer;
  }
}

function unfinished(outcome: StepOutcome) {
  return { status: outcome.status, stepId: outcome.result.step_id, reason: outcome.reason };
}
