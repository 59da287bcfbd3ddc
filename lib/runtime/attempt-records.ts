/**
 * The one place that turns the end of an attempt into what is recorded about it: the
 * `attempt.finished` event, the StepResult, and what later steps and synthesis see of it. Every way an
 * attempt can end goes through `attemptRecord`: judged (validated, then rewarded or not), an agent
 * error, or interrupted (the step timed out, the run was stopped, a sibling ended the session).
 */
import {
  type EventOf,
  jsonSafe,
  type PlanStep,
  type RewardBreakdown,
  runtimeErrorReward,
  skippedReward,
  type StepEvaluation,
  type StepResult,
  type Timings,
} from "@/lib/trajectory";
import type { StudentStepResult } from "./student";
import type { StepValidation } from "./teacher";

export type AttemptEnd =
  | {
      kind: "judged";
      student: StudentStepResult;
      validation: StepValidation;
      /** The agent's status (structured output first). */
      status: string;
      /** True when the reward was evaluated (validated with an ok status). */
      judged: boolean;
      reward: RewardBreakdown;
      retry: boolean;
      timings: Timings;
    }
  | { kind: "agent_error"; message: string; studentMs: number; retry: boolean }
  | { kind: "interrupted"; message: string; cancelled: boolean };

type AttemptFinishedInput = Omit<EventOf<"attempt.finished">, "sessionId" | "seq" | "ts">;

export interface AttemptRecord {
  finished: AttemptFinishedInput;
  result: StepResult;
  /** The attempt's status as recorded (the agent's, or `error` / `cancelled`). */
  status: string;
  valid: boolean;
  accepted: boolean;
  retry: boolean;
  /** The context entry later steps see; only for judged attempts. */
  contextEntry: Record<string, unknown> | null;
  /** What synthesis sees of the step when this attempt is its last. */
  summary: Record<string, unknown>;
  error: string | null;
}

/** What differs between the kinds of attempt end; everything else is built from it alike. */
interface AttemptFacts {
  status: string;
  outcome: AttemptFinishedInput["outcome"];
  output: string;
  trace: string;
  structuredOutput: Record<string, unknown> | null;
  evaluation: StepEvaluation;
  rewardSkipped: boolean;
  timings: Timings;
  error: string | null;
  metadata: Record<string, unknown>;
  valid: boolean;
  contextEntry: Record<string, unknown> | null;
  summary: Record<string, unknown>;
}

export function attemptRecord(step: PlanStep, attempt: number, end: AttemptEnd): AttemptRecord {
  const facts = factsOf(step, attempt, end);
  const finished: AttemptFinishedInput = {
    type: "attempt.finished",
    actor: "student",
    stepId: step.id,
    attempt,
    status: facts.status,
    outcome: facts.outcome,
    output: facts.output,
    trace: facts.trace,
    structuredOutput: facts.structuredOutput,
    evaluation: facts.evaluation,
    rewardSkipped: facts.rewardSkipped,
    timingsMs: facts.timings,
    error: facts.error,
    metadata: facts.metadata,
  };
  const result: StepResult = {
    step_id: step.id,
    trace: facts.trace,
    output: facts.output,
    evaluation: facts.evaluation,
    attempts: attempt,
    metadata: facts.metadata,
  };
  return {
    finished,
    result,
    status: facts.status,
    valid: facts.valid,
    accepted: facts.outcome === "accepted",
    retry: facts.outcome === "retry",
    contextEntry: facts.contextEntry,
    summary: facts.summary,
    error: facts.error,
  };
}

/** The result of a step that never ran because a step it depends on did not succeed. */
export function skippedStepResult(stepId: number): StepResult {
  return {
    step_id: stepId,
    trace: "",
    output: "",
    evaluation: { validation: {}, reward: skippedReward("dependency_failed") },
    attempts: 0,
    metadata: {},
  };
}

function factsOf(step: PlanStep, attempt: number, end: AttemptEnd): AttemptFacts {
  switch (end.kind) {
    case "judged":
      return judgedFacts(step, attempt, end);
    case "agent_error": {
      const timings: Timings = { student_ms: end.studentMs, validation_ms: 0, total_ms: end.studentMs };
      return {
        ...failedCallFacts(end.message, timings),
        status: "error",
        outcome: end.retry ? "retry" : "failed",
        metadata: { status: "error", error: end.message, runtime: { reward_skipped: true, timings_ms: timings } },
      };
    }
    case "interrupted":
      return {
        ...failedCallFacts(end.message, { student_ms: 0, validation_ms: 0, total_ms: 0 }),
        status: end.cancelled ? "cancelled" : "error",
        outcome: end.cancelled ? "cancelled" : "failed",
        metadata: { status: "error", error: end.message },
      };
  }
}

/** An attempt without a usable agent answer: nothing to validate or reward. */
function failedCallFacts(message: string, timings: Timings): Omit<AttemptFacts, "status" | "outcome" | "metadata"> {
  return {
    output: "",
    trace: "",
    structuredOutput: null,
    evaluation: { validation: { valid: false, error: message }, reward: runtimeErrorReward(message) },
    rewardSkipped: true,
    timings,
    error: message,
    valid: false,
    contextEntry: null,
    summary: {},
  };
}

function judgedFacts(step: PlanStep, attempt: number, end: Extract<AttemptEnd, { kind: "judged" }>): AttemptFacts {
  const { student, validation, status, judged, reward, retry, timings } = end;
  const structured = student.structuredOutput;
  const reason = structured.reason === undefined ? {} : { reason: structured.reason };
  const metadata = jsonSafe({
    ...student.metadata,
    status,
    artifacts: structured.artifacts,
    deliverable: structured.deliverable,
    ...reason,
    result: structured.result,
    structured_output: structured,
    runtime: { reward_skipped: !judged, timings_ms: timings },
  }) as Record<string, unknown>;
  const evaluation: StepEvaluation = { validation: jsonSafe(validation) as Record<string, unknown>, reward };
  const accepted = judged && !retry;
  return {
    status,
    outcome: retry ? "retry" : accepted ? "accepted" : "failed",
    output: student.output,
    trace: student.trace,
    structuredOutput: jsonSafe(structured) as Record<string, unknown>,
    evaluation,
    rewardSkipped: !judged,
    timings,
    error: null,
    metadata,
    valid: validation.valid,
    contextEntry: judged
      ? (jsonSafe({
          output_text: student.output,
          status,
          artifacts: structured.artifacts,
          deliverable: structured.deliverable,
          ...reason,
          structured_output: structured,
        }) as Record<string, unknown>)
      : null,
    summary: {
      step_id: step.id,
      description: step.description,
      status,
      output: student.output,
      artifacts: structured.artifacts,
      deliverable: structured.deliverable,
      reason: structured.reason ?? null,
      trace: student.trace,
      evaluation,
      metadata,
      attempts: attempt,
    },
  };
}
