import { describe, expect, it } from "vitest";
import { applyEvents } from "./apply-event";
import { buildSessionEvents, emptySessionDetail } from "./testing/session-events";
import { buildStepRows, countSteps, progressCounts, settledStepStatus } from "./timeline";
import { emptyStepDetail } from "@/lib/trajectory";
import { toSessionView } from "./types";

describe("buildStepRows", () => {
  it("lists every planned step, pending until it starts, in plan order", () => {
    const events = buildSessionEvents({ sessionId: 1, steps: 4, attempts: 1, judges: ["process"], unfinished: true });
    const firstStepDone = events.findIndex((event) => event.type === "step.finished") + 1;
    const view = applyEvents(toSessionView(emptySessionDetail(1)), events.slice(0, firstStepDone + 1));
    const rows = buildStepRows(view);
    expect(rows.map((row) => [row.stepId, row.status])).toEqual([
      [1, "succeeded"],
      [2, "running"],
      [3, "pending"],
      [4, "pending"],
    ]);
    expect(rows[2]?.detail).toBeNull();
    expect(rows[2]?.dependsOn).toEqual([1]);
    expect(countSteps(rows).byStatus).toEqual({ succeeded: 1, running: 1, pending: 2 });
  });

  it("adds recorded steps that the plan does not list (a single-shot run replacing the plan)", () => {
    const base = toSessionView(emptySessionDetail(1));
    const view = {
      ...base,
      plan: null,
      steps: [{ ...emptyStepDetail(9, ""), description: "only step", status: "running" }],
    };
    expect(buildStepRows(view).map((row) => [row.stepId, row.description, row.status])).toEqual([[9, "only step", "running"]]);
  });
});

describe("steps of a session that has ended", () => {
  it("are not pending or running forever: they show how the session ended", () => {
    const events = buildSessionEvents({ sessionId: 1, steps: 4, attempts: 1, judges: ["process"], unfinished: true });
    const firstStepDone = events.findIndex((event) => event.type === "step.finished") + 1;
    const view = applyEvents(toSessionView(emptySessionDetail(1)), events.slice(0, firstStepDone + 1));
    expect(buildStepRows(view, "interrupted").map((row) => row.status)).toEqual(["succeeded", "interrupted", "interrupted", "interrupted"]);
    expect(buildStepRows(view, "cancelled").map((row) => row.status)).toEqual(["succeeded", "cancelled", "cancelled", "cancelled"]);
    expect(buildStepRows(view, "running").map((row) => row.status)).toEqual(["succeeded", "running", "pending", "pending"]);
    expect(settledStepStatus("pending", "failed")).toBe("not run");
    expect(settledStepStatus("skipped", "failed")).toBe("skipped");
  });
});

describe("the header's progress counts", () => {
  it("agree with the rows while the session runs", () => {
    const events = buildSessionEvents({ sessionId: 1, steps: 4, attempts: 1, judges: ["process"], unfinished: true });
    const firstStepDone = events.findIndex((event) => event.type === "step.finished") + 1;
    const secondAttemptStarted = events.findIndex((event, index) => index > firstStepDone && event.type === "attempt.started") + 1;
    const view = applyEvents(toSessionView(emptySessionDetail(1)), events.slice(0, secondAttemptStarted));
    const rows = buildStepRows(view, "running");
    const counts = progressCounts(rows);
    expect(counts.steps).toEqual({ planned: 4, finished: 1, running: rows.filter((row) => row.status === "running").length });
    expect(counts.steps.running).toBeGreaterThan(0);
    // The attempt in flight is counted as started (and running), which the finished-attempt counter is not yet.
    expect(counts.attempts.running).toBe(1);
    expect(counts.attempts.started).toBe(view.session.attemptCount + 1);
  });
});
