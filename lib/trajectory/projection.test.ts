import { describe, expect, it } from "vitest";
import { type EventInput, TrajectoryEventSchema, type TrajectoryEvent } from "./events";
import { applyEvent, applyEvents } from "./projection";
import { sessionBeforeEvents } from "./session-state";
import { countersAddedBy, meanReward, sessionChangeOf, statusAfter } from "./session-totals";

const usage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
const before = () => sessionBeforeEvents({ id: 1, task: "T", status: "queued", source: "run", createdAt: "2026-01-01T00:00:00.000Z" });

function eventsOf(inputs: EventInput[]): TrajectoryEvent[] {
  return inputs.map((input, index) =>
    TrajectoryEventSchema.parse({ ...input, sessionId: 1, seq: index + 1, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, index + 1)).toISOString() }),
  );
}

const step = (stepId: number, status: "succeeded" | "failed", score: number): EventInput => ({
  type: "step.finished",
  actor: "student",
  stepId,
  status,
  reason: null,
  result: {
    step_id: stepId,
    trace: "",
    output: `out ${stepId}`,
    evaluation: { validation: { valid: status === "succeeded" }, reward: { score, rationale: null, judges: [], raw: { score } } },
    attempts: 1,
    metadata: {},
  },
});

describe("the trajectory projection", () => {
  it("is idempotent by seq and keeps the identity of what an event does not touch", () => {
    const events = eventsOf([
      { type: "session.started", actor: "system", task: "T", configName: null, configHash: null, metadata: {} },
      step(1, "succeeded", 0.5),
      step(2, "succeeded", 0.9),
    ]);
    const state = applyEvents(before(), events);
    expect(applyEvents(state, events)).toBe(state);
    const withFirst = applyEvents(before(), events.slice(0, 2));
    const withSecond = applyEvent(withFirst, events[2]!);
    expect(withSecond.steps[0]).toBe(withFirst.steps[0]);
    expect(withSecond.session).toMatchObject({ status: "running", lastSeq: 3, startedAt: "2026-01-01T00:00:01.000Z" });
  });

  it("means the reward over succeeded steps only", () => {
    const state = applyEvents(before(), eventsOf([step(1, "succeeded", 0.5), step(2, "failed", 0), step(3, "succeeded", 0.9)]));
    expect(state.steps.map((entry) => entry.rewardScore)).toEqual([0.5, null, 0.9]);
    expect(state.session.rewardScore).toBeCloseTo(0.7);
    expect(meanReward([null, null])).toBeNull();
  });

  it("never reopens an ended session, and times an interruption from the start", () => {
    const events = eventsOf([
      { type: "session.started", actor: "system", task: "T", configName: null, configHash: null, metadata: {} },
      { type: "session.interrupted", actor: "system", reason: "restart" },
      { type: "session.queued", actor: "system", position: 1, runningLimit: 1 },
    ]);
    const state = applyEvents(before(), events);
    expect(state.session).toMatchObject({ status: "interrupted", error: "restart", durationMs: 1000, completedAt: "2026-01-01T00:00:02.000Z" });
    expect(statusAfter("cancelled", sessionChangeOf(events[0]!))).toBe("cancelled");
    expect(statusAfter("queued", sessionChangeOf(events[0]!))).toBe("running");
  });

  it("counts judging only for rewards that were not skipped, and usage per model call", () => {
    const [judged, skipped, call] = eventsOf([
      {
        type: "reward",
        actor: "reward",
        stepId: 1,
        attempt: 1,
        score: 0.8,
        skipped: false,
        breakdown: {
          score: 0.8,
          rationale: null,
          raw: {},
          judges: [
            { identifier: "a", score: 0.8, rationale: "", principles: [], samples: [], escalated: true, escalation_reason: "tier1_no_valid_samples" },
            { identifier: "b", score: 0.8, rationale: "", principles: [], samples: [], escalated: false, escalation_reason: null },
          ],
        },
      },
      { type: "reward", actor: "reward", stepId: 1, attempt: 1, score: 0, skipped: true, breakdown: { score: 0, rationale: "validation_failed", judges: [], raw: { skipped: true } } },
      { type: "llm.call", actor: "student", stage: "s", model: "m", latencyMs: 1, promptTokens: 3, completionTokens: 2, reasoningTokens: 1, costUsd: 0.5, tries: 1, error: null },
    ]);
    expect(countersAddedBy(judged!)).toEqual({ judgeOutcomes: 2, escalations: 1 });
    expect(countersAddedBy(skipped!)).toEqual({});
    expect(countersAddedBy(call!)).toEqual({ promptTokens: 3, completionTokens: 2, reasoningTokens: 1, costUsd: 0.5, llmCalls: 1 });
    const cancelled = eventsOf([{ type: "session.cancelled", actor: "system", reason: "stop", usage, durationMs: 4.6 }]);
    expect(applyEvents(before(), cancelled).session).toMatchObject({ status: "cancelled", error: "stop", durationMs: 5 });
  });
});
