/**
 * The dependency graph of a plan: dependencies are step ids or `"#<id>"` placeholders;
 * steps run level by level, each level holding the steps whose dependencies are all in earlier levels.
 */
import { AtlasError } from "@/lib/errors";
import type { Plan } from "@/lib/trajectory";

export class PlanGraph {
  /** Dependencies of each step id (resolved to ids), in plan order. Later duplicate ids win. */
  readonly dependencies: ReadonlyMap<number, readonly number[]>;

  constructor(plan: Plan) {
    const dependencies = new Map<number, number[]>();
    for (const step of plan.steps) {
      dependencies.set(step.id, step.depends_on.map(resolveDependency));
    }
    for (const [id, deps] of dependencies) {
      for (const dep of deps) {
        if (!dependencies.has(dep)) {
          throw new AtlasError("invalid_input", `Step ${id} depends on unknown step ${dep}`);
        }
      }
    }
    this.dependencies = dependencies;
  }

  /** Kahn's algorithm, level by level, each level in ascending id order. */
  topologicalLevels(): number[][] {
    const remaining = new Map<number, Set<number>>();
    for (const [id, deps] of this.dependencies) remaining.set(id, new Set(deps));
    const levels: number[][] = [];
    while (remaining.size > 0) {
      const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id);
      if (ready.length === 0) {
        throw new AtlasError(
          "invalid_input",
          `Plan contains circular dependencies: steps ${describeCycle(this.dependencies, new Set(remaining.keys()))}`,
        );
      }
      ready.sort((a, b) => a - b);
      for (const id of ready) remaining.delete(id);
      for (const deps of remaining.values()) for (const id of ready) deps.delete(id);
      levels.push(ready);
    }
    return levels;
  }

  hasCycles(): boolean {
    try {
      this.topologicalLevels();
      return false;
    } catch {
      return true;
    }
  }

  /** Every step that depends on `id`, directly or through other steps. */
  dependentsOf(id: number): number[] {
    const found = new Set<number>();
    const visit = (target: number) => {
      for (const [candidate, deps] of this.dependencies) {
        if (!found.has(candidate) && deps.includes(target)) {
          found.add(candidate);
          visit(candidate);
        }
      }
    };
    visit(id);
    return [...found].sort((a, b) => a - b);
  }
}

export function resolveDependency(value: number | string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && value.startsWith("#")) {
    const id = value.slice(1);
    if (/^[+-]?\d+$/.test(id)) return Number(id);
    throw new AtlasError("invalid_input", `Invalid dependency placeholder '${value}'`);
  }
  throw new AtlasError("invalid_input", `Unsupported dependency value '${String(value)}'`);
}

/** One cycle among the stuck steps, written `1 → 2 → 1`. */
function describeCycle(dependencies: ReadonlyMap<number, readonly number[]>, stuck: Set<number>): string {
  const start = Math.min(...stuck);
  const path: number[] = [];
  const position = new Map<number, number>();
  let current = start;
  while (!position.has(current)) {
    position.set(current, path.length);
    path.push(current);
    const next = (dependencies.get(current) ?? []).filter((dep) => stuck.has(dep)).sort((a, b) => a - b)[0];
    if (next === undefined) break;
    current = next;
  }
  const cycleStart = position.get(current);
  if (cycleStart === undefined) return [...stuck].sort((a, b) => a - b).join(", ");
  // Read as "a depends on b depends on … a", starting from the smallest id.
  const cycle = path.slice(cycleStart);
  const first = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0]].join(" → ");
}
