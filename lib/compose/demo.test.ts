/**
 * The offline demo (configs/examples/demo_offline.yaml) end to end: the bundled demo agent and the
 * built-in scripted demo model, no API key.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_GUIDANCE } from "@/lib/llm/scripted/demo-script";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";
import { runTask } from "./run-task";

const DEMO_CONFIG = path.resolve(import.meta.dirname, "../../configs/examples/demo_offline.yaml");

describe("offline demo", () => {
  it("plans, reviews, retries with guidance, escalates to the arbiter and answers — with no API key", async () => {
    const events: TrajectoryEvent[] = [];
    const result = await runTask({
      task: "Plan a team offsite",
      configPath: DEMO_CONFIG,
      store: "none",
      env: {} as NodeJS.ProcessEnv,
      onEvent: (event) => events.push(event),
    });
    const ofType = <T extends TrajectoryEvent["type"]>(type: T) =>
      events.filter((event): event is EventOf<T> => event.type === type);

    expect(result.status).toBe("succeeded");
    expect(result.plan.steps.map((step) => step.id)).toEqual([1, 2, 3]);
    expect(ofType("plan.drafted")[0]?.fallback).toBe(false);
    expect(ofType("plan.reviewed")[0]?.concerns).toContain("step 1 must cite");

    const step1 = ofType("attempt.finished").filter((event) => event.stepId === 1);
    expect(step1.map((event) => event.outcome)).toEqual(["retry", "accepted"]);
    expect(ofType("guidance.issued")).toEqual([expect.objectContaining({ stepId: 1, note: DEMO_GUIDANCE, forAttempt: 2 })]);

    expect(ofType("tool.call")).toEqual([expect.objectContaining({ stepId: 2, tool: "compare_options" })]);
    expect(ofType("judge.escalated").length).toBeGreaterThanOrEqual(1);
    expect(ofType("arbiter.decision").length).toBeGreaterThanOrEqual(1);
    expect(ofType("arbiter.decision")[0]?.failed).toBe(false);

    expect(result.finalAnswer).toMatch(/^Summary: .*\nFinal Answer: .*\nEvidence: .*\nFollow-ups: /s);
    expect(ofType("session.completed")[0]?.usage.calls).toBeGreaterThan(0);
    expect(ofType("llm.call").every((event) => event.error === null)).toBe(true);
  });
});
