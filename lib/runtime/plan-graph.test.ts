import { describe, expect, it } from "vitest";
import { PlanGraph, resolveDependency } from "./plan-graph";
import type { Plan } from "@/lib/trajectory";

function planOf(deps: Record<number, (number | string)[]>): Plan {
  return {
    steps: Object.entries(deps).map(([id, depends_on]) => ({
      id: Number(id),
      description: `step ${id}`,
      tool: null,
      tool_params: null,
      depends_on,
    })),
    execution_mode: "stepwise",
  };
}

describe("PlanGraph", () => {
  it("handles #n placeholders (upstream test_dependency_graph_handles_placeholders)", () => {
    expect(new PlanGraph(planOf({ 1: [], 2: [1, "#1"], 3: ["#2"] })).topologicalLevels()).toEqual([[1], [2], [3]]);
  });

  it("groups independent steps into one ascending level", () => {
    expect(new PlanGraph(planOf({ 3: [], 1: [], 2: [3, 1], 4: [2], 5: [1] })).topologicalLevels()).toEqual([
      [1, 3],
      [2, 5],
      [4],
    ]);
  });

  it("names the steps of a cycle (upstream test_dependency_graph_detects_cycles)", () => {
    const graph = new PlanGraph(planOf({ 1: [2], 2: [1] }));
    expect(graph.hasCycles()).toBe(true);
    expect(() => graph.topologicalLevels()).toThrow("Plan contains circular dependencies: steps 1 → 2 → 1");
    expect(() => new PlanGraph(planOf({ 1: [], 2: [4], 3: [2], 4: [3] })).topologicalLevels()).toThrow(
      "Plan contains circular dependencies: steps 2 → 4 → 3 → 2",
    );
  });

  it("names the step and the unknown dependency", () => {
    expect(() => new PlanGraph(planOf({ 1: [], 3: [9] }))).toThrow("Step 3 depends on unknown step 9");
  });

  it("rejects unsupported dependency values with upstream's messages", () => {
    expect(() => resolveDependency("2")).toThrow("Unsupported dependency value '2'");
    expect(() => resolveDependency("#x")).toThrow("Invalid dependency placeholder '#x'");
    expect(resolveDependency("#12")).toBe(12);
  });

  it("finds transitive dependents", () => {
    expect(new PlanGraph(planOf({ 1: [], 2: [1], 3: [2], 4: [] })).dependentsOf(1)).toEqual([2, 3]);
  });
});
