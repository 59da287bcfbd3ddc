/**
 * Layered layout of a plan's dependency graph: one column per level (a step sits one level after its
 * deepest dependency), steps of a level stacked in id order, edges as curves between columns.
 * O(steps + edges); unknown dependencies are ignored and steps caught in a cycle share a last column.
 */
import type { PlanStep } from "@/lib/trajectory";

export interface GraphNode {
  id: number;
  description: string;
  level: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  path: string;
}

export interface PlanLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  levels: number[][];
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  /** Small id-only nodes for large plans. */
  compact: boolean;
}

const COMPACT_ABOVE = 40;

export function dependencyIds(step: Pick<PlanStep, "depends_on">): number[] {
  const ids: number[] = [];
  for (const value of step.depends_on) {
    if (typeof value === "number" && Number.isInteger(value)) ids.push(value);
    else if (typeof value === "string" && /^#[+-]?\d+$/.test(value)) ids.push(Number(value.slice(1)));
  }
  return ids;
}

export function planLevels(steps: readonly Pick<PlanStep, "id" | "depends_on">[]): number[][] {
  const known = new Set(steps.map((step) => step.id));
  const waiting = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const step of steps) {
    const deps = [...new Set(dependencyIds(step).filter((dep) => known.has(dep) && dep !== step.id))];
    waiting.set(step.id, deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), step.id]);
  }
  const levels: number[][] = [];
  let ready = [...waiting].filter(([, count]) => count === 0).map(([id]) => id);
  const placed = new Set<number>();
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    levels.push(ready);
    const next: number[] = [];
    for (const id of ready) {
      placed.add(id);
      for (const dependent of dependents.get(id) ?? []) {
        const left = (waiting.get(dependent) ?? 0) - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    ready = next;
  }
  const stuck = [...waiting.keys()].filter((id) => !placed.has(id)).sort((a, b) => a - b);
  if (stuck.length > 0) levels.push(stuck);
  return levels;
}

export function layoutPlan(steps: readonly PlanStep[]): PlanLayout {
  const compact = steps.length > COMPACT_ABOVE;
  const nodeWidth = compact ? 44 : 180;
  const nodeHeight = compact ? 26 : 52;
  const gapX = compact ? 28 : 56;
  const gapY = compact ? 8 : 16;
  const levels = planLevels(steps);
  const byId = new Map(steps.map((step) => [step.id, step]));
  const nodes: GraphNode[] = [];
  const position = new Map<number, GraphNode>();
  levels.forEach((ids, level) => {
    ids.forEach((id, row) => {
      const node = {
        id,
        description: byId.get(id)?.description ?? "",
        level,
        x: level * (nodeWidth + gapX),
        y: row * (nodeHeight + gapY),
      };
      nodes.push(node);
      position.set(id, node);
    });
  });
  const edges: GraphEdge[] = [];
  for (const step of steps) {
    const to = position.get(step.id);
    if (!to) continue;
    for (const dep of new Set(dependencyIds(step))) {
      const from = position.get(dep);
      if (!from || dep === step.id) continue;
      edges.push({ from: dep, to: step.id, path: curve(from, to, nodeWidth, nodeHeight) });
    }
  }
  const tallest = Math.max(0, ...levels.map((ids) => ids.length));
  return {
    nodes,
    edges,
    levels,
    width: Math.max(0, levels.length * (nodeWidth + gapX) - gapX),
    height: Math.max(0, tallest * (nodeHeight + gapY) - gapY),
    nodeWidth,
    nodeHeight,
    compact,
  };
}

function curve(from: GraphNode, to: GraphNode, width: number, height: number): string {
  const x1 = from.x + width;
  const y1 = from.y + height / 2;
  const x2 = to.x;
  const y2 = to.y + height / 2;
  if (x2 <= x1) {
    // Same or earlier column (a cycle): loop below the nodes.
    const below = Math.max(from.y, to.y) + height + 12;
    return `M ${from.x + width / 2} ${from.y + height} C ${from.x + width / 2} ${below}, ${to.x + width / 2} ${below}, ${to.x + width / 2} ${to.y + height}`;
  }
  const middle = (x1 + x2) / 2;
  return `M ${x1} ${y1} C ${middle} ${y1}, ${middle} ${y2}, ${x2} ${y2}`;
}
