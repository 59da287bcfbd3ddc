/**
 * Builds a realistic, schema-valid event sequence for one session: a plan with dependencies, a review,
 * attempts with a rejected first try and guidance, tool calls, tier-1 judge samples (agreeing or not),
 * escalations with arbiter decisions, synthesis and completion — or a session that ends early: a
 * failed step (the rest skipped), a cancellation or a crash (interrupted) in the middle of a step.
 * Used by the reducer and parity tests and by bench/session-page.ts to seed large sessions.
 */
import {
  type CallCapture,
  type EventInput,
  type JudgeBreakdown,
  type JudgeSample,
  type Plan,
  type RewardBreakdown,
  runtimeErrorReward,
  type SessionDetail,
  skippedReward,
  type StepEvaluation,
  type TrajectoryEvent,
  TrajectoryEventSchema,
} from "@/lib/trajectory";

/** How a session ends: `failed` at a step whose every attempt is rejected, `cancelled` or `interrupted` during one. */
export type SessionEnding = "completed" | "failed" | "cancelled" | "interrupted";

export interface SessionScript {
  sessionId: number;
  steps: number;
  /** Attempts per step; every attempt but the last is rejected by validation with guidance. */
  attempts: number;
  judges: readonly string[];
  /** Steps whose tier-1 samples disagree (escalated to the arbiter). Default: every third step. */
  disputed?: (stepId: number) => boolean;
  /** Tool calls per attempt. */
  toolCalls?: number;
  /** Extra `llm.call` events spread over the attempts to reach exactly this total (when larger). */
  totalEvents?: number;
  finalAnswer?: string;
  /** Stop before the terminal event (a session still running). */
  unfinished?: boolean;
  /** Default `completed`. */
  ending?: SessionEnding;
  /** The step a failed, cancelled or interrupted session ends at (default: the middle one). */
  endsAtStep?: number;
  startedAt?: Date;
  outputFor?: (stepId: number, attempt: number) => string;
}

const TEMPERATURES = [0.2, 0.5, 0.8] as const;
const PRINCIPLES = [
  { name: "Plan adherence", weight: 0.6, description: "Does what the step asks." },
  { name: "Evidence", weight: 0.4, description: "Claims are backed by facts." },
];

export function buildPlan(steps: number): Plan {
  return {
    execution_mode: "stepwise",
    steps: Array.from({ length: steps }, (_, index) => {
      const id = index + 1;
      // A layered graph: each step after the first two depends on one or two earlier steps.
      const depends_on = id <= 2 ? [] : id % 5 === 0 ? [id - 1, id - 2] : [id - 2];
      return { id, description: `Step ${id}: do part ${id} of the task`, tool: null, tool_params: null, depends_on };
    }),
  };
}

export function buildSessionEvents(script: SessionScript): TrajectoryEvent[] {
  const attempts = script.steps * script.attempts;
  const without = buildInputs(script, () => 0).length;
  const filler = Math.max(0, (script.totalEvents ?? 0) - without);
  // Spread the filler `llm.call` events over the attempts, the first ones taking the remainder.
  const inputs = buildInputs(script, (index) => Math.floor(filler / attempts) + (index < filler % attempts ? 1 : 0));
  const start = (script.startedAt ?? new Date("2026-01-01T00:00:00Z")).getTime();
  return inputs.map((input, index) =>
    TrajectoryEventSchema.parse({ ...input, sessionId: script.sessionId, seq: index + 1, ts: new Date(start + index * 10).toISOString() }),
  );
}

function buildInputs(script: SessionScript, fillerFor: (attemptIndex: number) => number): EventInput[] {
  const inputs: EventInput[] = [];
  const push = (event: EventInput) => inputs.push(event);
  const plan = buildPlan(script.steps);
  const disputed = script.disputed ?? ((stepId: number) => stepId % 3 === 2);
  const outputFor = script.outputFor ?? defaultOutput;

  push({ type: "session.started", actor: "system", task: "Benchmark task", configName: "bench", configHash: "hash", metadata: {} });
  push({ type: "plan.drafted", actor: "student", plan, fallback: false });
  push({
    type: "plan.reviewed",
    actor: "teacher",
    mode: "stepwise",
    plan,
    originalPlan: plan,
    concerns: "Step 1 must cite sources.",
    changes: [],
    cached: false,
  });

  const ending = script.ending ?? "completed";
  const endsAtStep = ending === "completed" ? Number.POSITIVE_INFINITY : (script.endsAtStep ?? Math.ceil(script.steps / 2));
  let attemptIndex = 0;
  for (const step of plan.steps) {
    const stepId = step.id;
    push({
      type: "step.started",
      actor: "student",
      stepId,
      description: step.description,
      dependsOn: step.depends_on.map(Number),
      tool: null,
      toolParams: null,
      level: levelOf(stepId),
    });
    if (stepId > endsAtStep) {
      // Only a failed step lets the run go on: the steps after it are skipped.
      const result = { step_id: stepId, trace: "", output: "", evaluation: { validation: {}, reward: skippedReward("dependency_failed") }, attempts: 0, metadata: {} };
      push({ type: "step.finished", actor: "system", stepId, status: "skipped", result, reason: `depends on step ${endsAtStep}, which did not succeed` });
      continue;
    }
    if (stepId === endsAtStep && (ending === "cancelled" || ending === "interrupted")) {
      const where = { stepId, attempt: 1 };
      push({ type: "attempt.started", actor: "student", ...where, guidance: [], context: {} });
      push({ type: "tool.call", actor: "agent", ...where, tool: "search", callId: `call-${stepId}-1-1`, arguments: { query: "q1" } });
      push(llmCall("executor", where));
      if (ending === "interrupted") break;
      const message = "the run was cancelled";
      const evaluation: StepEvaluation = { validation: { valid: false, error: message }, reward: runtimeErrorReward(message) };
      const metadata = { status: "error", error: message };
      push({
        type: "attempt.finished",
        actor: "student",
        ...where,
        status: "cancelled",
        outcome: "cancelled",
        output: "",
        trace: "",
        structuredOutput: null,
        evaluation,
        rewardSkipped: true,
        timingsMs: { student_ms: 0, validation_ms: 0, total_ms: 0 },
        error: message,
        metadata,
      });
      push({
        type: "step.finished",
        actor: "system",
        stepId,
        status: "cancelled",
        reason: message,
        result: { step_id: stepId, trace: "", output: "", evaluation, attempts: 1, metadata },
      });
      break;
    }
    const failing = stepId === endsAtStep;
    const guidance: string[] = [];
    let lastEvaluation: StepEvaluation | null = null;
    for (let attempt = 1; attempt <= script.attempts; attempt += 1) {
      const where = { stepId, attempt };
      const final = attempt === script.attempts;
      const accepted = final && !failing;
      push({ type: "attempt.started", actor: "student", ...where, guidance: [...guidance], context: {} });
      for (let call = 1; call <= (script.toolCalls ?? 0); call += 1) {
        const callId = `call-${stepId}-${attempt}-${call}`;
        push({ type: "tool.call", actor: "agent", ...where, tool: "search", callId, arguments: { query: `q${call}` } });
        push({ type: "tool.result", actor: "agent", ...where, tool: "search", callId, output: `result ${call}`, error: null, durationMs: 12 });
      }
      const filler = fillerFor(attemptIndex);
      attemptIndex += 1;
      for (let index = 0; index < filler; index += 1) push(llmCall("executor", where));
      push(agentCall(where));
      push(llmCall("executor", where, capture({ messages: [{ role: "user", content: `Step ${stepId}` }] }, { content: "done" })));
      const note = final ? null : `Attempt ${attempt} of step ${stepId}: cite a source for every fact.`;
      push({
        type: "validation",
        actor: "teacher",
        ...where,
        valid: accepted,
        guidance: note,
        validation: { valid: accepted, guidance: note },
      });
      let reward: RewardBreakdown;
      if (accepted) {
        const judges = script.judges.map((judge) => judgeOutcome(judge, stepId, disputed(stepId), push, where));
        const score = judges.reduce((sum, judge) => sum + judge.score, 0) / Math.max(1, judges.length);
        reward = { score, rationale: null, judges, raw: { score, judges } };
      } else {
        reward = skippedReward("validation_failed");
      }
      push({ type: "reward", actor: "reward", ...where, score: reward.score, skipped: !accepted, breakdown: reward });
      if (note) {
        guidance.push(note);
        push({ type: "guidance.issued", actor: "teacher", ...where, note, forAttempt: attempt + 1, sequence: guidance.length });
      }
      const evaluation: StepEvaluation = { validation: { valid: accepted, guidance: note }, reward };
      lastEvaluation = evaluation;
      push({
        type: "attempt.finished",
        actor: "student",
        ...where,
        status: "ok",
        outcome: accepted ? "accepted" : final ? "failed" : "retry",
        output: outputFor(stepId, attempt),
        trace: `trace of step ${stepId} attempt ${attempt}`,
        structuredOutput: null,
        evaluation,
        rewardSkipped: !accepted,
        timingsMs: { student_ms: 120, validation_ms: 40, ...(accepted ? { reward_ms: 80 } : {}), total_ms: accepted ? 240 : 160 },
        error: null,
        metadata: { status: "ok" },
      });
    }
    push({
      type: "step.finished",
      actor: "student",
      stepId,
      status: failing ? "failed" : "succeeded",
      reason: failing ? "validation failed on every attempt" : null,
      result: {
        step_id: stepId,
        trace: `trace of step ${stepId} attempt ${script.attempts}`,
        output: outputFor(stepId, script.attempts),
        evaluation: lastEvaluation as StepEvaluation,
        attempts: script.attempts,
        metadata: { status: "ok" },
      },
    });
  }
  if (script.unfinished) return inputs;
  const usage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
  switch (ending) {
    case "completed": {
      const finalAnswer = script.finalAnswer ?? "The final answer.";
      push({ type: "synthesis", actor: "student", finalAnswer });
      push({ type: "session.completed", actor: "system", finalAnswer, executionMode: "stepwise", usage, durationMs: 1234 });
      break;
    }
    case "failed":
      push({ type: "error", actor: "system", message: `step ${endsAtStep} failed`, where: "orchestrator" });
      push({ type: "session.failed", actor: "system", error: `step ${endsAtStep} failed`, finalAnswer: null, failedSteps: [endsAtStep], usage, durationMs: 987.6 });
      break;
    case "cancelled":
      push({ type: "session.cancelled", actor: "system", reason: "cancelled by user", usage, durationMs: 456.4 });
      break;
    case "interrupted":
      push({ type: "session.interrupted", actor: "system", reason: "the server stopped while the session was running" });
      break;
  }
  return inputs;
}

function defaultOutput(stepId: number, attempt: number): string {
  return [`Output of step ${stepId}, attempt ${attempt}.`, "Shared line.", attempt > 1 ? "Sources: [1] the task." : "No sources."].join("\n");
}

function levelOf(stepId: number): number {
  return stepId <= 2 ? 0 : Math.floor((stepId - 1) / 2);
}

function agentCall(where: { stepId: number; attempt: number }): EventInput {
  const request = { prompt: `Execute step ${where.stepId}`, metadata: { mode: "execution" } };
  return { type: "agent.call", actor: "agent", ...where, mode: "execution", latencyMs: 40, error: null, capture: capture(request, { text: "ok" }) };
}

function capture(request: Record<string, unknown>, reply: Record<string, unknown>): CallCapture {
  return { request, reply, truncated: false, originalBytes: JSON.stringify({ request, reply }).length, limitBytes: 65_536 };
}

function llmCall(stage: string, where: { stepId: number; attempt: number }, captured?: CallCapture): EventInput {
  return {
    type: "llm.call",
    actor: "student",
    ...where,
    stage,
    model: "scripted",
    latencyMs: 50,
    promptTokens: 100,
    completionTokens: 20,
    reasoningTokens: 0,
    costUsd: 0.0001,
    tries: 1,
    error: null,
    ...(captured ? { capture: captured } : {}),
  };
}

function judgeOutcome(
  judge: string,
  stepId: number,
  disputed: boolean,
  push: (event: EventInput) => void,
  where: { stepId: number; attempt: number },
): JudgeBreakdown {
  const scores = disputed ? [0.92, 0.5, 0.78] : [0.82, 0.8, 0.78];
  const samples: JudgeSample[] = TEMPERATURES.map((temperature, index) => ({
    score: scores[index] as number,
    rationale: `${judge} sample at ${temperature} for step ${stepId}`,
    principles: PRINCIPLES,
    uncertainty: 0.1,
    temperature,
  }));
  for (const sample of samples) {
    push({ type: "judge.sample", actor: "reward", ...where, judge, temperature: sample.temperature, sample, error: null });
  }
  if (!disputed) {
    const best = samples[0] as JudgeSample;
    return { identifier: judge, score: best.score, rationale: best.rationale, principles: PRINCIPLES, samples, escalated: false, escalation_reason: null };
  }
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const spread = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / scores.length);
  push({
    type: "judge.escalated",
    actor: "reward",
    ...where,
    judge,
    reason: "tier1_variance_or_uncertainty",
    spread,
    maxUncertainty: 0.1,
    varianceThreshold: 0.15,
    uncertaintyThreshold: 0.3,
  });
  const rationale = `Arbiter for ${judge} on step ${stepId}: the middle sample under-credited the evidence.`;
  push({ type: "arbiter.decision", actor: "reward", ...where, judge, model: "large-model", score: 0.78, rationale, principles: PRINCIPLES, failed: false });
  return {
    identifier: judge,
    score: 0.78,
    rationale,
    principles: PRINCIPLES,
    samples,
    escalated: true,
    escalation_reason: "tier1_variance_or_uncertainty",
  };
}

/** The snapshot of a session before its first event, as GET /api/sessions/:id returns it. */
export function emptySessionDetail(sessionId: number, createdAt = "2026-01-01T00:00:00.000Z"): SessionDetail {
  return {
    session: {
      id: sessionId,
      task: "Benchmark task",
      status: "queued",
      source: "dashboard",
      configName: null,
      configVersion: null,
      createdAt,
      startedAt: null,
      completedAt: null,
      durationMs: null,
      stepCount: 0,
      attemptCount: 0,
      rewardScore: null,
      escalations: 0,
      judgeOutcomes: 0,
      promptTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
      llmCalls: 0,
      error: null,
      finalAnswer: null,
      metadata: null,
      executionMode: null,
      configHash: null,
      lastSeq: 0,
      rim: { varianceThreshold: 0.15, uncertaintyThreshold: 0.3, retryThreshold: 0.6 },
    },
    plan: null,
    steps: [],
  };
}
