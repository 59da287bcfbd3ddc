/**
 * Turning a model's plan JSON into a Plan. The Student's rules are
 * applied to Teacher plans too, so `"step_2"` ids or `"2"` dependencies never crash a run.
 */
import { type ExecutionMode, isJsonObject, type JsonObject, type Plan, type PlanStep } from "@/lib/trajectory";

export type PlanNormalization =
  | { ok: true; plan: Plan; executionMode: ExecutionMode | null }
  /** `reason` says why the payload cannot be used (no steps, a step without description, …). */
  | { ok: false; reason: string; executionMode: ExecutionMode | null };

/** Normalises a parsed plan payload: an object with `steps`, or a bare list of steps. */
export function normalizePlanPayload(payload: unknown): PlanNormalization {
  const root: unknown = Array.isArray(payload) ? { steps: payload } : payload;
  if (!isJsonObject(root)) return { ok: false, reason: `expected a JSON object with "steps"`, executionMode: null };
  const executionMode = coerceExecutionMode(root.execution_mode);
  const rawSteps = root.steps;
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) {
    return { ok: false, reason: `the plan has no steps`, executionMode };
  }
  const steps: PlanStep[] = [];
  for (const [index, rawStep] of rawSteps.entries()) {
    const step = normalizeStep(rawStep);
    if (typeof step === "string") return { ok: false, reason: `step #${index + 1}: ${step}`, executionMode };
    steps.push(step);
  }
  return { ok: true, plan: { steps, execution_mode: executionMode ?? "stepwise" }, executionMode };
}

/** `execution_mode` trimmed and lower-cased; anything but the two modes is dropped. */
export function coerceExecutionMode(value: unknown): ExecutionMode | null {
  if (typeof value !== "string") return null;
  const mode = value.trim().toLowerCase();
  return mode === "stepwise" || mode === "single_shot" ? mode : null;
}

/** The step, or the reason it is unusable. */
function normalizeStep(raw: unknown): PlanStep | string {
  if (!isJsonObject(raw)) return "a step must be a JSON object";
  const id = normalizeStepId(raw.id);
  if (id === null) return `step id ${JSON.stringify(raw.id) ?? "(missing)"} is not an integer`;
  if (typeof raw.description !== "string") return `step ${id} has no description`;
  const tool = normalizeTool(raw);
  if (tool === undefined) return `step ${id} has a tool that is not a name`;
  const toolParams = raw.tool_params ?? null;
  if (toolParams !== null && !isJsonObject(toolParams)) return `step ${id} has tool_params that are not an object`;
  const dependsOn = normalizeDependencies(raw.depends_on);
  if (dependsOn === null) return `step ${id} has depends_on that is not a list`;
  return { id, description: raw.description, tool, tool_params: toolParams, depends_on: dependsOn };
}

/** `"step_3"`, `"Step3"`, `"s3"` → 3: the first matching prefix is stripped, case-insensitively. */
export function normalizeStepId(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) ? value : null;
  if (typeof value !== "string") return null;
  let text = value.trim();
  for (const prefix of ["step_", "step", "s"]) {
    if (text.toLowerCase().startsWith(prefix)) {
      text = text.slice(prefix.length);
      break;
    }
  }
  return parseInteger(text);
}

/**
 * Upstream strips leading characters from the SET {s, t, e, p, _} (Python `lstrip("step_")`), so
 * `"step_2"` → 2 and `"pets3"` → 3, while `"#2"` stays a placeholder for the dependency graph.
 */
export function normalizeDependency(value: unknown): number | string | null {
  if (typeof value === "number") return Number.isInteger(value) ? value : null;
  if (typeof value !== "string") return null;
  const stripped = value.trim().replace(/^[step_]+/, "");
  return parseInteger(stripped) ?? stripped;
}

function normalizeDependencies(value: unknown): (number | string)[] | null {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: (number | string)[] = [];
  for (const item of list) {
    const dependency = normalizeDependency(item);
    if (dependency === null) return null;
    out.push(dependency);
  }
  return out;
}

/** `tool` (or its alias `tools`), a list joined with commas; undefined when unusable. */
function normalizeTool(step: JsonObject): string | null | undefined {
  const value = "tool" in step ? step.tool : (step.tools ?? null);
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return value.length === 0 ? null : value.join(", ");
  }
  return undefined;
}

function parseInteger(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : null;
}

/** The plan used when the Student's reply cannot be used: the task itself as one step. */
export function fallbackPlan(task: string): Plan {
  return {
    steps: [{ id: 1, description: task, tool: null, tool_params: null, depends_on: [] }],
    execution_mode: "stepwise",
  };
}

const TRIVIAL_DESCRIPTION_LIMIT = 80;
const NON_TRIVIAL_CHARACTERS = /[\n;|{}[\]]/;

/**
 * With no explicit mode, a plan is single-shot when it is trivial: no steps, or at
 * most two steps that each have no tool, no tool parameters, no dependencies and a short one-line
 * description.
 */
export function isTrivialPlan(plan: Plan): boolean {
  if (plan.steps.length === 0) return true;
  if (plan.steps.length > 2) return false;
  return plan.steps.every((step) => {
    const description = step.description.trim();
    return (
      !step.tool &&
      (step.tool_params === null || Object.keys(step.tool_params).length === 0) &&
      step.depends_on.length === 0 &&
      description.length > 0 &&
      description.length <= TRIVIAL_DESCRIPTION_LIMIT &&
      !NON_TRIVIAL_CHARACTERS.test(description)
    );
  });
}
