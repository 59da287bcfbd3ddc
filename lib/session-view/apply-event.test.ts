import { describe, expect, it } from "vitest";
import { EVENT_TYPES, TrajectoryEventSchema, type EventInput, type TrajectoryEvent } from "@/lib/trajectory";
import { applyEvent, applyEvents } from "./apply-event";
import { buildSessionEvents, emptySessionDetail } from "./testing/session-events";
import { toSessionView, type SessionView } from "./types";

const usage = { promptTokens: 1, completionTokens: 2, reasoningTokens: 0, costUsd: 0.5, calls: 1 };

function view(): SessionView {
  return toSessionView(emptySessionDetail(7));
}

let seq = 0;
function make(input: EventInput): TrajectoryEvent {
  seq += 1;
  return TrajectoryEventSchema.parse({ ...input, sessionId: 7, seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString() });
}

function fresh(): void {
  seq = 0;
}

const script = () => buildSessionEvents({ sessionId: 7, steps: 4, attempts: 2, judges: ["process", "helpfulness"], toolCalls: 1 });

describe("applyEvent", () => {
  it("covers every event type of the union", () => {
    const covered = new Set([
      ...script().map((event) => event.type),
      "session.queued",
      "error",
      "session.failed",
      "session.cancelled",
      "session.interrupted",
    ]);
    expect([...EVENT_TYPES].filter((type) => !covered.has(type))).toEqual([]);
  });

  it("ignores an event at or below lastSeq (idempotent by seq)", () => {
    const events = script();
    const once = applyEvents(view(), events);
    expect(applyEvents(once, events)).toBe(once);
    const halfway = applyEvents(view(), events.slice(0, 40));
    // Resuming with an overlap (what a reconnect after seq 30 would deliver) ends in the same state.
    expect(applyEvents(halfway, events.slice(30))).toEqual(once);
  });

  it("rebuilds a complete session: plan, steps, attempts, guidance, totals, final answer", () => {
    const result = applyEvents(view(), script());
    expect(result.session.status).toBe("succeeded");
    expect(result.session.lastSeq).toBe(script().length);
    expect(result.session.finalAnswer).toBe("The final answer.");
    expect(result.session.stepCount).toBe(4);
    expect(result.session.attemptCount).toBe(8);
    expect(result.session.executionMode).toBe("stepwise");
    expect(result.plan?.plan.steps.map((step) => step.id)).toEqual([1, 2, 3, 4]);
    expect(result.plan?.review?.concerns).toBe("Step 1 must cite sources.");
    expect(result.steps.map((step) => [step.stepId, step.status, step.attemptDetails.length])).toEqual([
      [1, "succeeded", 2],
      [2, "succeeded", 2],
      [3, "succeeded", 2],
      [4, "succeeded", 2],
    ]);
    const step2 = result.steps[1];
    expect(step2?.guidance).toEqual([{ sequence: 1, note: "Attempt 1 of step 2: cite a source for every fact.", forAttempt: 2 }]);
    expect(step2?.attemptDetails.map((attempt) => attempt.outcome)).toEqual(["retry", "accepted"]);
    expect(step2?.attemptDetails[0]?.rewardScore).toBeNull();
    expect(step2?.attemptDetails[1]?.rewardScore).toBeCloseTo(0.78);
    // Two judges per judged attempt; step 2 is disputed (both judges escalate).
    expect(result.session.judgeOutcomes).toBe(8);
    expect(result.session.escalations).toBe(2);
    const expectedMean = (0.82 + 0.78 + 0.82 + 0.82) / 4;
    expect(result.session.rewardScore).toBeCloseTo(expectedMean);
    expect(result.session.llmCalls).toBe(8);
    expect(result.session.promptTokens).toBe(800);
    expect(result.session.costUsd).toBeCloseTo(0.0008);
  });

  it("records tool calls, samples, escalations and arbiter decisions per attempt", () => {
    const result = applyEvents(view(), script());
    const extras = result.live.extras["2:2"];
    expect(extras?.tools).toEqual([
      { callId: "call-2-2-1", tool: "search", arguments: { query: "q1" }, seq: expect.any(Number), result: { output: "result 1", error: null, durationMs: 12 } },
    ]);
    expect(extras?.samples.process?.map((sample) => sample.temperature)).toEqual([0.2, 0.5, 0.8]);
    expect(extras?.escalations.process?.reason).toBe("tier1_variance_or_uncertainty");
    expect(extras?.arbiters.helpfulness).toMatchObject({ model: "large-model", score: 0.78, failed: false });
    expect(result.live.extras["1:2"]?.escalations).toEqual({});
    expect(result.live.scheduled[3]).toEqual({ level: 1, dependsOn: [1] });
  });

  it("shows a running attempt, then its validation and reward before it finishes", () => {
    fresh();
    let state = view();
    state = applyEvent(state, make({ type: "session.started", actor: "system", task: "T", configName: "c", configHash: "h", metadata: { a: 1 } }));
    expect(state.session.status).toBe("running");
    expect(state.session.startedAt).toBe("2026-01-01T00:00:01.000Z");
    state = applyEvent(
      state,
      make({ type: "step.started", actor: "student", stepId: 1, description: "first", dependsOn: [], tool: null, toolParams: null, level: 0 }),
    );
    expect(state.steps[0]).toMatchObject({ stepId: 1, status: "running", description: "first", attemptDetails: [] });
    state = applyEvent(state, make({ type: "attempt.started", actor: "student", stepId: 1, attempt: 1, guidance: [], context: {} }));
    expect(state.steps[0]?.attemptDetails[0]).toMatchObject({ attempt: 1, status: "running", startedAt: "2026-01-01T00:00:03.000Z" });
    state = applyEvent(
      state,
      make({ type: "validation", actor: "teacher", stepId: 1, attempt: 1, valid: true, guidance: null, validation: { valid: true, guidance: null } }),
    );
    expect(state.steps[0]?.attemptDetails[0]?.evaluation).toEqual({ validation: { valid: true, guidance: null } });
    const breakdown = { score: 0.9, rationale: null, judges: [], raw: { score: 0.9 } };
    state = applyEvent(state, make({ type: "reward", actor: "reward", stepId: 1, attempt: 1, score: 0.9, skipped: false, breakdown }));
    expect(state.steps[0]?.attemptDetails[0]).toMatchObject({ rewardScore: 0.9, rewardSkipped: false, status: "running" });
    expect(state.steps[0]?.attemptDetails[0]?.evaluation).toEqual({ validation: { valid: true, guidance: null }, reward: breakdown });
  });

  it("creates a step that the plan lists but that was not started yet, keeping steps ordered by id", () => {
    fresh();
    let state = view();
    state = applyEvent(
      state,
      make({ type: "step.started", actor: "student", stepId: 3, description: "third", dependsOn: [], tool: null, toolParams: null, level: 0 }),
    );
    state = applyEvent(
      state,
      make({ type: "step.started", actor: "student", stepId: 1, description: "first", dependsOn: [], tool: null, toolParams: null, level: 0 }),
    );
    expect(state.steps.map((step) => step.stepId)).toEqual([1, 3]);
  });

  it("keeps the identity of steps an event does not touch", () => {
    const events = script();
    const before = applyEvents(view(), events.slice(0, events.length - 30));
    const next = applyEvent(before, events[events.length - 30] as TrajectoryEvent);
    const touched = (events[events.length - 30] as TrajectoryEvent).stepId;
    for (const [index, step] of next.steps.entries()) {
      if (step.stepId !== touched) expect(step).toBe(before.steps[index]);
    }
  });

  it("ends a session as failed, cancelled or interrupted", () => {
    fresh();
    const started = applyEvent(view(), make({ type: "session.started", actor: "system", task: "T", configName: null, configHash: null, metadata: {} }));
    const failed = applyEvent(
      started,
      make({ type: "session.failed", actor: "system", error: "boom", finalAnswer: null, failedSteps: [1], usage, durationMs: 99.6 }),
    );
    expect(failed.session).toMatchObject({ status: "failed", error: "boom", finalAnswer: "", durationMs: 100 });
    const cancelled = applyEvent(started, make({ type: "session.cancelled", actor: "system", reason: "cancelled by user", usage, durationMs: 5 }));
    expect(cancelled.session).toMatchObject({ status: "cancelled", error: "cancelled by user", durationMs: 5 });
    const interrupted = applyEvent(started, make({ type: "session.interrupted", actor: "system", reason: "server restarted" }));
    expect(interrupted.session.status).toBe("interrupted");
    expect(interrupted.session.durationMs).toBeGreaterThan(0);
    expect(interrupted.session.completedAt).not.toBeNull();
  });

  it("does not move a finished session back to running or queued", () => {
    fresh();
    const cancelled = applyEvent(view(), make({ type: "session.cancelled", actor: "system", reason: "stop", usage, durationMs: 1 }));
    const late = applyEvent(cancelled, make({ type: "session.queued", actor: "system", position: 1, runningLimit: 2 }));
    expect(late.session.status).toBe("cancelled");
    expect(late.session.lastSeq).toBe(2);
  });

  it("marks a queued session and records error events", () => {
    fresh();
    const queued = applyEvent(view(), make({ type: "session.queued", actor: "system", position: 2, runningLimit: 1 }));
    expect(queued.session.status).toBe("queued");
    const errored = applyEvent(queued, make({ type: "error", actor: "system", message: "judge failed", where: "reward" }));
    expect(errored.live.errors).toEqual([{ seq: 2, message: "judge failed", where: "reward" }]);
  });

  it("shows the synthesised answer before the session completes", () => {
    fresh();
    const state = applyEvent(view(), make({ type: "synthesis", actor: "student", finalAnswer: "<b>answer</b>" }));
    expect(state.session.finalAnswer).toBe("<b>answer</b>");
    expect(state.session.status).toBe("queued");
  });

  it("keeps the review when a later draft arrives and replaces the plan on review", () => {
    fresh();
    const plan = { steps: [{ id: 1, description: "a", tool: null, tool_params: null, depends_on: [] }], execution_mode: "stepwise" as const };
    const reviewed = { ...plan, steps: [...plan.steps, { id: 2, description: "b", tool: null, tool_params: null, depends_on: [1] }] };
    let state = applyEvent(view(), make({ type: "plan.drafted", actor: "student", plan, fallback: false }));
    expect(state.plan).toEqual({ plan, originalPlan: plan, review: null });
    state = applyEvent(
      state,
      make({ type: "plan.reviewed", actor: "teacher", mode: "stepwise", plan: reviewed, originalPlan: plan, concerns: null, changes: ["added step 2"], cached: false }),
    );
    expect(state.plan).toEqual({ plan: reviewed, originalPlan: plan, review: { mode: "stepwise", concerns: null, changes: ["added step 2"] } });
    expect(state.session.stepCount).toBe(2);
  });

  it("counts a failed step without a reward and recomputes the session reward from succeeded steps", () => {
    fresh();
    const evaluation = { validation: { valid: false }, reward: { score: 0, rationale: "runtime_error", judges: [], raw: { error: "x" } } };
    const state = applyEvent(
      view(),
      make({
        type: "step.finished",
        actor: "system",
        stepId: 1,
        status: "failed",
        reason: "x",
        result: { step_id: 1, trace: "", output: "", evaluation, attempts: 1, metadata: {} },
      }),
    );
    expect(state.steps[0]).toMatchObject({ status: "failed", rewardScore: null, metadata: null, attempts: 1 });
    expect(state.session.rewardScore).toBeNull();
  });
});
