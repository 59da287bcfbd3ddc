import { describe, expect, it } from "vitest";
import type { PlanStep } from "@/lib/trajectory";
import { layoutPlan, planLevels } from "./plan-layout";
import { buildPlan } from "./testing/session-events";

function step(id: number, depends_on: (number | string)[] = []): PlanStep {
  return { id, description: `step ${id}`, tool: null, tool_params: null, depends_on };
}

describe("planLevels", () => {
  it("puts each step one level after its deepest dependency, ids ascending within a level", () => {
    expect(planLevels([step(3, [1, 2]), step(2), step(1), step(4, ["#3"]), step(5, [1])])).toEqual([[1, 2], [3, 5], [4]]);
  });

  it("ignores unknown and self dependencies and collects a cycle in a last level", () => {
    expect(planLevels([step(1, [99, 1]), step(2, [3]), step(3, [2])])).toEqual([[1], [2, 3]]);
  });

  it("lays out a 300-step plan in compact form with one edge per dependency", () => {
    const plan = buildPlan(300);
    const layout = layoutPlan(plan.steps);
    expect(layout.nodes).toHaveLength(300);
    expect(layout.compact).toBe(true);
    expect(layout.edges.length).toBe(plan.steps.reduce((sum, s) => sum + s.depends_on.length, 0));
  });
});

describe("layoutPlan", () => {
  it("places columns by level and draws one edge per dependency from left to right", () => {
    const layout = layoutPlan([step(1), step(2), step(3, [1, 2])]);
    const byId = new Map(layout.nodes.map((node) => [node.id, node]));
    expect(byId.get(1)?.x).toBe(0);
    expect(byId.get(2)?.x).toBe(0);
    expect(byId.get(2)?.y).toBeGreaterThan(byId.get(1)?.y ?? 0);
    expect(byId.get(3)?.x).toBeGreaterThan(0);
    expect(layout.edges.map((edge) => [edge.from, edge.to])).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(layout.edges[0]?.path.startsWith(`M ${layout.nodeWidth} `)).toBe(true);
    expect(layout.width).toBe(2 * layout.nodeWidth + 56);
  });

  it("returns an empty layout for an empty plan", () => {
    expect(layoutPlan([])).toMatchObject({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
