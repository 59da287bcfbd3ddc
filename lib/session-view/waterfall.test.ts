import { describe, expect, it } from "vitest";
import { emptyStepDetail, runningAttemptDetail, type StepDetail } from "@/lib/trajectory";
import { callSpan, overlap, placement, slowestCall, waterfallLayout } from "./waterfall";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();

function step(stepId: number, start: number, end: number | null, attempts: [number, number | null][]): StepDetail {
  return {
    ...emptyStepDetail(stepId),
    description: `Step ${stepId}`,
    status: end === null ? "running" : "succeeded",
    startedAt: at(start),
    completedAt: end === null ? null : at(end),
    attemptDetails: attempts.map(([from, to], index) => ({ ...runningAttemptDetail(index + 1, at(from)), finishedAt: to === null ? null : at(to) })),
  };
}

describe("waterfall layout", () => {
  it("places steps and attempts on one axis from the session start; parallel steps overlap", () => {
    const layout = waterfallLayout([step(1, 2, 10, [[2, 5], [6, 10]]), step(2, 3, 7, [[3, 7]]), step(3, 11, null, [[11, null]])], at(0), Date.parse(at(20)));
    expect(layout.origin).toBe(Date.parse(at(0)));
    expect(layout.total).toBe(20_000);
    const [first, second, third] = layout.steps;
    expect(first!.span).toEqual({ start: 2000, end: 10_000 });
    expect(first!.attempts.map((attempt) => attempt.span)).toEqual([{ start: 2000, end: 5000 }, { start: 6000, end: 10_000 }]);
    expect(overlap(first!.span!, second!.span!)).toBe(true);
    expect(overlap(second!.span!, third!.span!)).toBe(false);
    // Unfinished: runs to now.
    expect(third!.span).toEqual({ start: 11_000, end: 20_000 });
  });

  it("keeps a step that never started off the axis, and tiny spans visible", () => {
    const pending = { ...emptyStepDetail(4), description: "later" };
    const layout = waterfallLayout([pending], null, 1000);
    expect(layout.steps[0]!.span).toBeNull();
    expect(layout.total).toBe(1);
    expect(placement({ start: 0, end: 0 }, 1000)).toEqual({ left: 0, width: 0.25 });
    expect(placement({ start: 500, end: 1000 }, 1000)).toEqual({ left: 50, width: 50 });
  });

  it("spans a call from its start to its end and finds the slowest", () => {
    const calls = [
      { startedAt: at(1), finishedAt: at(2), latencyMs: 1000 },
      { startedAt: at(1), finishedAt: at(4), latencyMs: 3000 },
    ];
    expect(callSpan(calls[1]!, Date.parse(at(0)))).toEqual({ start: 1000, end: 4000 });
    expect(slowestCall(calls)).toBe(calls[1]);
    expect(slowestCall([])).toBeNull();
  });
});
