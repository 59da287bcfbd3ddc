import { describe, expect, it } from "vitest";
import {
  coerceExecutionMode,
  fallbackPlan,
  isTrivialPlan,
  normalizeDependency,
  normalizePlanPayload,
  normalizeStepId,
} from "./plan-normalize";
import type { Plan } from "@/lib/trajectory";

function plan(payload: unknown): Plan {
  const result = normalizePlanPayload(payload);
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe("normalizePlanPayload", () => {
  it("accepts a bare list of steps and fills defaults", () => {
    expect(plan([{ id: 1, description: "do it" }])).toEqual({
      steps: [{ id: 1, description: "do it", tool: null, tool_params: null, depends_on: [] }],
      execution_mode: "stepwise",
    });
  });

  it("drops total_estimated_time and estimated_time and ignores unknown keys", () => {
    const result = plan({
      total_estimated_time: "5m",
      steps: [{ id: 1, description: "a", estimated_time: "1m", owner: "bob" }],
    });
    expect(result.steps[0]).toEqual({ id: 1, description: "a", tool: null, tool_params: null, depends_on: [] });
  });

  it("strips step_/step/s id prefixes case-insensitively", () => {
    expect(normalizeStepId("step_3")).toBe(3);
    expect(normalizeStepId("Step4")).toBe(4);
    expect(normalizeStepId("S5")).toBe(5);
    expect(normalizeStepId(" 6 ")).toBe(6);
    expect(normalizeStepId("task_1")).toBeNull();
    expect(normalizeStepId(2.5)).toBeNull();
  });

  it("strips dependency prefixes with the character-set quirk and keeps placeholders", () => {
    expect(normalizeDependency("step_2")).toBe(2);
    expect(normalizeDependency(" s7 ")).toBe(7);
    // lstrip("step_") removes any leading s/t/e/p/_ characters, not the prefix.
    expect(normalizeDependency("pets3")).toBe(3);
    expect(normalizeDependency("#2")).toBe("#2");
    expect(normalizeDependency("alpha")).toBe("alpha");
    expect(normalizeDependency(4)).toBe(4);
  });

  it("renames tools to tool and joins a list tool with commas", () => {
    const result = plan({
      steps: [
        { id: "step_1", description: "search", tools: "web_search" },
        { id: "s2", description: "both", tool: ["search", "fetch"], depends_on: ["step_1"] },
        { id: 3, description: "tool wins", tool: "calc", tools: "ignored" },
      ],
    });
    expect(result.steps.map((step) => [step.id, step.tool, step.depends_on])).toEqual([
      [1, "web_search", []],
      [2, "search, fetch", [1]],
      [3, "calc", []],
    ]);
  });

  it("keeps the teacher's execution_mode when it is one of the two modes", () => {
    expect(normalizePlanPayload({ execution_mode: " Single_Shot ", steps: [{ id: 1, description: "x" }] })).toMatchObject({
      ok: true,
      executionMode: "single_shot",
      plan: { execution_mode: "single_shot" },
    });
    expect(coerceExecutionMode("parallel")).toBeNull();
  });

  it("reports unusable payloads instead of throwing", () => {
    expect(normalizePlanPayload({ steps: [] })).toMatchObject({ ok: false, reason: "the plan has no steps" });
    expect(normalizePlanPayload({ plan: [] })).toMatchObject({ ok: false });
    expect(normalizePlanPayload("text")).toMatchObject({ ok: false });
    expect(normalizePlanPayload({ steps: [{ id: "first", description: "x" }] })).toMatchObject({ ok: false });
    expect(normalizePlanPayload({ steps: [{ id: 1 }] })).toMatchObject({ ok: false, reason: "step #1: step 1 has no description" });
    expect(normalizePlanPayload({ steps: [{ id: 1, description: "x", tool_params: "q" }] })).toMatchObject({ ok: false });
  });

  it("builds the one-step fallback plan from the task", () => {
    expect(fallbackPlan("Summarise the report")).toEqual({
      steps: [{ id: 1, description: "Summarise the report", tool: null, tool_params: null, depends_on: [] }],
      execution_mode: "stepwise",
    });
  });
});

describe("isTrivialPlan", () => {
  const step = (description: string, extra: Partial<Plan["steps"][number]> = {}) => ({
    id: 1,
    description,
    tool: null,
    tool_params: null,
    depends_on: [],
    ...extra,
  });
  const of = (...steps: Plan["steps"]): Plan => ({ steps, execution_mode: "stepwise" });

  it("treats zero steps and up to two short plain steps as trivial", () => {
    expect(isTrivialPlan(of())).toBe(true);
    expect(isTrivialPlan(of(step("Say hello"), { ...step("Say goodbye"), id: 2 }))).toBe(true);
  });

  it("is not trivial with a third step, a tool, params, dependencies or a complex description", () => {
    const three = of(step("a"), { ...step("b"), id: 2 }, { ...step("c"), id: 3 });
    expect(isTrivialPlan(three)).toBe(false);
    expect(isTrivialPlan(of(step("search", { tool: "web" })))).toBe(false);
    expect(isTrivialPlan(of(step("search", { tool_params: { q: 1 } })))).toBe(false);
    expect(isTrivialPlan(of(step("search", { tool_params: {} })))).toBe(true);
    expect(isTrivialPlan(of(step("after", { depends_on: [1] })))).toBe(false);
    expect(isTrivialPlan(of(step("x".repeat(81))))).toBe(false);
    expect(isTrivialPlan(of(step("x".repeat(80))))).toBe(true);
    for (const char of ["\n", ";", "|", "{", "}", "[", "]"]) expect(isTrivialPlan(of(step(`a${char}b`)))).toBe(false);
    expect(isTrivialPlan(of(step("  ")))).toBe(false);
  });
});
