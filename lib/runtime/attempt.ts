/**
 * One attempt at a step: the agent's answer, the teacher's validation, the reward (only for a
 * validated answer with an ok status) and, when it is retried, the teacher's guidance for the next
 * attempt. An agent error is a failed attempt; a teacher or reward error ends the session; a stop
 * (timeout, cancel, sibling failure) throws.
 */
import { errorMessage } from "@/lib/errors";
import type { RewardEvaluator } from "@/lib/reward/types";
import { jsonSafe, type PlanStep, type RewardBreakdown, skippedReward, type Timings } from "@/lib/trajectory";
import type { AttemptEnd } from "./attempt-records";
import { type SessionGuard, throwIfStopped } from "./failures";
import { roundMs } from "./json-text";
import { isOkStatus, type RetryPolicy, shouldRetry, shouldRetryAgentError } from "./retry-rule";
import { rewardFeedbackGuidance } from "./reward-feedback";
import type { Emit, Student, StudentStepResult } from "./student";
import type { StepValidation, Teacher } from "./teacher";

export interface AttemptDeps {
  task: string;
  student: Student;
  teacher: Teacher;
  evaluator: RewardEvaluator;
  emit: Emit;
  guard: SessionGuard;
  retryPolicy: RetryPolicy;
  /** `orchestration.rim_guidance_tag`: wraps the judges' feedback given to an attempt retried for its reward. */
  rimGuidanceTag: string;
}

export interface AttemptInput {
  step: PlanStep;
  attempt: number;
  /** Accepted earlier steps' context entries, keyed by step id. */
  context: Record<string, unknown>;
  /** The guidance this attempt was given. */
  attemptGuidance: string[];
  /** The step's guidance so far; a retry's new guidance is appended. */
  guidance: string[];
  signal: AbortSignal;
}

export async function runAttempt(deps: AttemptDeps, input: AttemptInput): Promise<AttemptEnd> {
  const { student, teacher, evaluator, emit, guard, task, retryPolicy, rimGuidanceTag } = deps;
  const { step, attempt, context, attemptGuidance, guidance, signal } = input;
  const where = { stepId: step.id, attempt };
  const started = performance.now();

  let studentResult: StudentStepResult;
  try {
    throwIfStopped(signal);
    studentResult = await student.executeStep({ task, step, context, guidance: attemptGuidance, attempt, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const retry = shouldRetryAgentError(retryPolicy, attempt);
    return { kind: "agent_error", message: errorMessage(error), studentMs: roundMs(performance.now() - started), retry };
  }
  const studentMs = roundMs(performance.now() - started);

  throwIfStopped(signal);
  const validationStarted = performance.now();
  const validation: StepValidation = await guard.fatalOnError(`validation:step ${step.id} attempt ${attempt}`, null, signal, () =>
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
    throwIfStopped(signal);
    const rewardStarted = performance.now();
    reward = await guard.fatalOnError(
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

  const retry = shouldRetry(retryPolicy, attempt, status, validation.valid, judged ? reward.score : null);
  let guidanceMs: number | undefined;
  if (retry) {
    guidanceMs = 0;
    // A judged attempt is only retried for its reward: the judges' feedback is guidance too.
    const notes = [
      { actor: "teacher" as const, note: validation.guidance },
      { actor: "reward" as const, note: judged ? rewardFeedbackGuidance(reward, retryPolicy.retryThreshold, rimGuidanceTag) : null },
    ];
    for (const { actor, note } of notes) {
      if (!note) continue;
      guidance.push(note);
      await emit({
        type: "guidance.issued",
        actor,
        ...where,
        note,
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
  return { kind: "judged", student: studentResult, validation, status, judged, reward, retry, timings };
}
