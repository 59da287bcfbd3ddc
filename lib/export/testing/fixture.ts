/**
 * Builds the full event sequence of a realistic session (plan, review, steps with retries, judges, synthesis,
 * usage) and writes it through `appendEvents`, so tests read the same rows the engine produces.
 */
import { eq } from "drizzle-orm";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import { sessions } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { type EventInput, type Plan, type RewardBreakdown, type StepEvaluation, type TokenUsage, type TrajectoryEvent, TrajectoryEventSchema } from "@/lib/trajectory";

/**
 * accept: valid, status ok, judged at the step's score · invalid: the teacher rejects it with guidance ·
 * low_reward: valid but judged below the retry threshold, retried without guidance · needs_input: the agent
 * reports `needs_input` and the teacher rejects it.
 */
export type AttemptScenario = "accept" | "invalid" | "low_reward" | "needs_input";

export interface FixtureStep {
  description: string;
  dependsOn?: number[];
  tool?: string | null;
  toolParams?: Record<string, unknown> | null;
  /** One entry per attempt; the last decides whether the step succeeds. Default: ["accept"]. */
  attempts?: AttemptScenario[];
  /** Final reward score of accepted attempts (default 0.85). */
  score?: number;
}

export interface FixtureSession {
  task: string;
  metadata?: Record<string, unknown>;
  configName?: string | null;
  configHash?: string | null;
  steps?: FixtureStep[];
  /** How the session ends (default: succeeded). `running` has no synthesis and no terminal event. */
  outcome?: "succeeded" | "failed" | "cancelled" | "running";
  /** created_at of the session row and the clock of its events (default: now). */
  createdAt?: Date;
  finalAnswer?: string;
  /** Extra `llm.call` events per attempt, to make long trajectories. */
  extraLlmCallsPerAttempt?: number;
}

export const DEFAULT_FIXTURE_STEPS: FixtureStep[] = [
  { description: "Collect the revenue figures", attempts: ["invalid", "accept"], score: 0.8 },
  { description: "Summarise the figures", dependsOn: [1], score: 0.9 },
];

interface Clock {
  next(): string;
}

function clockFrom(start: Date, stepMs = 250): Clock {
  let now = start.getTime();
  return {
    next() {
      now += stepMs;
      return new Date(now).toISOString();
    },
  };
}

export function planOf(steps: FixtureStep[]): Plan {
  return {
    steps: steps.map((step, index) => ({
      id: index + 1,
      description: step.description,
      tool: step.tool ?? null,
      tool_params: step.toolParams ?? null,
      depends_on: step.dependsOn ?? [],
    })),
    execution_mode: "stepwise",
  };
}

/** The event sequence a run of `spec` writes, with seq 1…n and timestamps 250 ms apart. */
export function buildSessionEvents(sessionId: number, spec: FixtureSession): TrajectoryEvent[] {
  const steps = spec.steps ?? DEFAULT_FIXTURE_STEPS;
  const plan = planOf(steps);
  const clock = clockFrom(spec.createdAt ?? new Date());
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
  const inputs: EventInput[] = [];
  const llmCall = (stage: string, actor: "student" | "teacher" | "reward", extra: Partial<EventInput> = {}) => {
    const promptTokens = 120 + stage.length * 7;
    const completionTokens = 40 + stage.length * 3;
    usage.promptTokens += promptTokens;
    usage.completionTokens += completionTokens;
    usage.costUsd = Number((usage.costUsd + 0.00025).toFixed(6));
    usage.calls += 1;
    inputs.push({
      type: "llm.call",
      actor,
      stage,
      model: actor === "student" ? "scripted/student" : "scripted/teacher",
      latencyMs: 180,
      promptTokens,
      completionTokens,
      reasoningTokens: 0,
      costUsd: 0.00025,
      tries: 1,
      error: null,
      ...extra,
    } as EventInput);
  };

  inputs.push({
    type: "session.started",
    actor: "system",
    task: spec.task,
    configName: spec.configName ?? null,
    configHash: spec.configHash ?? null,
    metadata: spec.metadata ?? {},
  });
  llmCall("planner", "student");
  inputs.push({ type: "plan.drafted", actor: "student", plan, fallback: false });
  llmCall("plan_review", "teacher");
  inputs.push({
    type: "plan.reviewed",
    actor: "teacher",
    mode: "stepwise",
    plan,
    originalPlan: plan,
    concerns: null,
    changes: [],
    cached: false,
  });

  const context: Record<string, unknown> = {};
  const failedSteps: number[] = [];
  for (const [index, step] of steps.entries()) {
    const stepId = index + 1;
    const accepted = runFixtureStep(inputs, llmCall, { stepId, step, context, extraCalls: spec.extraLlmCallsPerAttempt ?? 0 });
    if (!accepted) failedSteps.push(stepId);
  }

  const finalAnswer = spec.finalAnswer ?? `Summary: ${steps.length} steps\nFinal Answer: done with ${spec.task}`;
  const outcome = spec.outcome ?? "succeeded";
  if (outcome === "succeeded") {
    llmCall("synthesis", "student");
    inputs.push({ type: "synthesis", actor: "student", finalAnswer });
    inputs.push({ type: "session.completed", actor: "system", finalAnswer, executionMode: "stepwise", usage: { ...usage }, durationMs: 1000 * inputs.length });
  } else if (outcome === "failed") {
    inputs.push({ type: "error", actor: "system", message: "adapter returned HTTP 500", where: "student.execute" });
    inputs.push({ type: "session.failed", actor: "system", error: "adapter returned HTTP 500", finalAnswer: null, failedSteps, usage: { ...usage }, durationMs: 1000 * inputs.length });
  } else if (outcome === "cancelled") {
    inputs.push({ type: "session.cancelled", actor: "system", reason: "cancelled by the user", usage: { ...usage }, durationMs: 1000 * inputs.length });
  }

  return inputs.map((input, index) =>
    TrajectoryEventSchema.parse({ ...input, sessionId, seq: index + 1, ts: clock.next() }),
  );
}

interface StepRun {
  stepId: number;
  step: FixtureStep;
  context: Record<string, unknown>;
  extraCalls: number;
}

function runFixtureStep(
  inputs: EventInput[],
  llmCall: (stage: string, actor: "student" | "teacher" | "reward", extra?: Partial<EventInput>) => void,
  { stepId, step, context, extraCalls }: StepRun,
): boolean {
  const scenarios = step.attempts ?? ["accept"];
  const guidance: string[] = [];
  inputs.push({
    type: "step.started",
    actor: "system",
    stepId,
    description: step.description,
    dependsOn: step.dependsOn ?? [],
    tool: step.tool ?? null,
    toolParams: step.toolParams ?? null,
    level: (step.dependsOn ?? []).length > 0 ? 1 : 0,
  });
  let lastEvaluation: StepEvaluation | null = null;
  let lastMetadata: Record<string, unknown> = {};
  let lastOutput = "";
  let lastTrace = "";
  let accepted = false;
  for (const [index, scenario] of scenarios.entries()) {
    const attempt = index + 1;
    const isLast = index === scenarios.length - 1;
    inputs.push({ type: "attempt.started", actor: "student", stepId, attempt, guidance: [...guidance], context: { ...context } });
    llmCall("executor", "student", { stepId, attempt });
    for (let call = 0; call < extraCalls; call += 1) llmCall(`tool_loop_${call + 1}`, "student", { stepId, attempt });

    const status = scenario === "needs_input" ? "needs_input" : "ok";
    const output = `Step ${stepId} attempt ${attempt}: ${scenario === "accept" ? "Revenue was 10M (source: table 4)" : "Revenue ~10M"}`;
    const trace = `HUMAN: Step ID: ${stepId}\nDescription: ${step.description}\nAI: ${output}`;
    const valid = scenario === "accept" || scenario === "low_reward";
    const validationGuidance = scenario === "invalid" ? `Cite the source table for step ${stepId}.` : scenario === "needs_input" ? "Ask for the missing input." : null;
    const artifacts = { rows: [stepId, attempt] };
    const validation = { valid, guidance: validationGuidance, status, artifacts, deliverable: output, text: output };
    llmCall("validation", "teacher", { stepId, attempt });
    inputs.push({ type: "validation", actor: "teacher", stepId, attempt, valid, guidance: validationGuidance, validation });

    let reward: RewardBreakdown;
    const judged = valid && status === "ok";
    if (judged) {
      const score = scenario === "low_reward" ? 0.4 : (step.score ?? 0.85);
      reward = judgedReward(score);
      for (const judge of reward.judges) {
        for (const sample of judge.samples) {
          llmCall(`judge:${judge.identifier}`, "reward", { stepId, attempt });
          inputs.push({ type: "judge.sample", actor: "reward", stepId, attempt, judge: judge.identifier, temperature: sample.temperature, sample, error: null });
        }
      }
    } else {
      const reason = valid ? `status_${status}` : "validation_failed";
      reward = { score: 0, rationale: reason, judges: [], raw: { skipped: true, reason } };
    }
    inputs.push({ type: "reward", actor: "reward", stepId, attempt, score: reward.score, skipped: !judged, breakdown: reward });

    const retry = !isLast && !(judged && reward.score >= 0.6);
    const outcome = retry ? "retry" : judged && reward.score >= 0.6 ? "accepted" : "failed";
    if (retry && validationGuidance) {
      guidance.push(validationGuidance);
      inputs.push({ type: "guidance.issued", actor: "teacher", stepId, attempt, note: validationGuidance, forAttempt: attempt + 1, sequence: guidance.length });
    }
    const timingsMs = { student_ms: 812.4, validation_ms: 640.2, ...(judged ? { reward_ms: 1530.9 } : {}), ...(retry ? { guidance_ms: 0 } : {}), total_ms: judged ? 2983.5 : 1452.6 };
    const structuredOutput = { status, deliverable: output, artifacts, result: { deliverable: output, artifacts }, text: output };
    const metadata = {
      reasoning: [{ origin: "student", payload: { content: output } }],
      status,
      artifacts,
      deliverable: output,
      result: { deliverable: output, artifacts },
      structured_output: structuredOutput,
      text: output,
      runtime: { reward_skipped: !judged, timings_ms: timingsMs },
    };
    const evaluation: StepEvaluation = { validation, reward };
    inputs.push({
      type: "attempt.finished",
      actor: "student",
      stepId,
      attempt,
      status,
      outcome,
      output,
      trace,
      structuredOutput,
      evaluation,
      rewardSkipped: !judged,
      timingsMs,
      error: null,
      metadata,
    });
    lastEvaluation = evaluation;
    lastMetadata = metadata;
    lastOutput = output;
    lastTrace = trace;
    if (!retry) {
      accepted = outcome === "accepted";
      break;
    }
  }
  if (accepted) context[String(stepId)] = { output_text: lastOutput, status: "ok", artifacts: lastMetadata.artifacts, deliverable: lastOutput };
  inputs.push({
    type: "step.finished",
    actor: "system",
    stepId,
    status: accepted ? "succeeded" : "failed",
    result: {
      step_id: stepId,
      trace: lastTrace,
      output: lastOutput,
      evaluation: lastEvaluation!,
      attempts: scenarios.length,
      metadata: lastMetadata,
    },
    reason: accepted ? null : "validation_failed",
  });
  return accepted;
}

/** A tier-1 breakdown of two judges with three samples each, in the breakdown shape of lib/reward/breakdown.ts. */
export function judgedReward(score: number): RewardBreakdown {
  const judges = ["process", "helpfulness"].map((identifier) => {
    const principles = [
      { name: "Accuracy", weight: 0.6, description: "facts match the sources" },
      { name: "Clarity", weight: 0.4, description: "the output is easy to follow" },
    ];
    const samples = [0.2, 0.5, 0.8].map((temperature, index) => ({
      score: Number((score + (index - 1) * 0.01).toFixed(4)),
      rationale: `${identifier} sample at ${temperature}`,
      principles,
      uncertainty: 0.1,
      temperature,
    }));
    return { identifier, score, rationale: `${identifier}: scored ${score}`, principles, samples, escalated: false, escalation_reason: null };
  });
  return {
    score,
    rationale: null,
    judges,
    raw: {
      score,
      judges: judges.map((judge) => ({
        ...judge,
        samples: judge.samples.map((sample) => ({ ...sample, reasoning: { thinking_blocks: [{ type: "analysis", text: "checked" }] } })),
        reasoning: { thinking_blocks: [{ type: "analysis", text: `confidence ${score}` }] },
      })),
    },
  };
}

/** Creates the session row and appends every event, as a run would. */
export async function seedSession(db: AtlasDb, spec: FixtureSession): Promise<{ sessionId: number; events: TrajectoryEvent[] }> {
  const createdAt = spec.createdAt ?? new Date();
  const row = await createSession(db, {
    task: spec.task,
    metadata: spec.metadata ?? {},
    configName: spec.configName ?? null,
    configHash: spec.configHash ?? null,
  });
  await db.update(sessions).set({ createdAt }).where(eq(sessions.id, row.id));
  const events = buildSessionEvents(row.id, { ...spec, createdAt });
  await appendEvents(db, events);
  return { sessionId: row.id, events };
}
