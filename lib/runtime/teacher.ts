/**
 * The Teacher: reviews the Student's plan and validates each step attempt with
 * `teacher.llm`. Guidance for a retry is the validation's `guidance` (no extra call, as upstream).
 */
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import { parseJsonObject } from "@/lib/llm/json";
import type { LlmClient } from "@/lib/llm/types";
import { parseJsonText, stripCodeFence } from "./json-text";
import { type ExecutionMode, isJsonObject, jsonSafe, type Plan, type PlanStep, stableStringify } from "@/lib/trajectory";
import { coerceExecutionMode, isTrivialPlan, normalizePlanPayload } from "./plan-normalize";
import type { TeacherPrompts } from "./prompts";
import type { StructuredOutput } from "./step-messages";

export interface TeacherOptions {
  llm: LlmClient;
  prompts: TeacherPrompts;
  planCacheSeconds: number;
  /** Token limits of the Teacher's calls (`teacher.max_review_tokens`, …); unset: only llm.max_output_tokens applies. */
  limits?: TeacherLimits;
  /** Milliseconds clock for the plan cache. */
  now?: () => number;
}

export interface PlanReview {
  plan: Plan;
  originalPlan: Plan;
  mode: ExecutionMode;
  concerns: string | null;
  /** What the review changed, for people: added/removed/edited steps and the mode. */
  changes: string[];
  cached: boolean;
}

export interface ValidateStepInput {
  step: PlanStep;
  attempt: number;
  trace: string;
  structuredOutput: StructuredOutput;
  /** Validated outputs of earlier steps, keyed by step id. */
  priorResults: Record<string, unknown>;
  /** Guidance this step received before this attempt. */
  priorGuidance: readonly string[];
  /** Guidance given to this attempt (what the Student saw). */
  attemptGuidance: readonly string[];
  signal: AbortSignal;
}

/** The validation verdict stored in the evaluation, with a strict boolean `valid`. */
export interface StepValidation extends Record<string, unknown> {
  valid: boolean;
  guidance: string | null;
  status: string;
}

export interface TeacherLimits {
  reviewTokens?: number;
  validationTokens?: number;
  /** Guidance longer than this (at about 4 characters a token) is cut before the Student sees it. */
  guidanceTokens?: number;
}

const RETURN_JSON = "\nReturn json.";
const CHARACTERS_PER_TOKEN = 4;

export class Teacher {
  private readonly cache = new Map<string, { at: number; review: PlanReview }>();
  private readonly now: () => number;

  constructor(private readonly options: TeacherOptions) {
    this.now = options.now ?? Date.now;
  }

  async reviewPlan(task: string, plan: Plan, signal: AbortSignal): Promise<PlanReview> {
    const key = stableStringify({ task, plan });
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at <= this.options.planCacheSeconds * 1000) return { ...hit.review, cached: true };

    const content = await this.call("plan review", {
      stage: "plan_review",
      system: this.options.prompts.plan_review,
      user: JSON.stringify({ task, plan }) + RETURN_JSON,
      maxTokens: this.options.limits?.reviewTokens,
      signal,
    });
    const review = interpretPlanReview(plan, content);
    this.cache.set(key, { at: this.now(), review });
    return review;
  }

  async validateStep(input: ValidateStepInput): Promise<StepValidation> {
    const { step, structuredOutput: output } = input;
    const payload = jsonSafe({
      step,
      trace: input.trace,
      status: output.status,
      student_response: output.text,
      deliverable: output.deliverable,
      artifacts: output.artifacts,
      result: output.result,
      reason: output.reason ?? null,
      structured_output: output,
      validated_context: input.priorResults,
      prior_guidance: [...input.priorGuidance],
      attempt_guidance: [...input.attemptGuidance],
    });
    const name = `validation of step ${step.id} (attempt ${input.attempt})`;
    const guidanceTokens = this.options.limits?.guidanceTokens;
    const content = await this.call(name, {
      stage: "validation",
      system:
        guidanceTokens === undefined
          ? this.options.prompts.validation
          : `${this.options.prompts.validation}\n\nKeep "guidance" under ${guidanceTokens} tokens.`,
      maxTokens: this.options.limits?.validationTokens,
      user: JSON.stringify(payload) + RETURN_JSON,
      stepId: step.id,
      attempt: input.attempt,
      signal: input.signal,
    });
    // An unreadable verdict is a failed Teacher call, not a failed attempt: the session ends naming
    // this call (no re-ask). A readable one with a non-boolean `valid` is handled by interpretValidation.
    const parsed = parseJsonObject(content);
    if (!parsed.ok) {
      throw new AtlasError("llm_error", `Teacher ${name} returned an unusable reply (${parsed.error})`);
    }
    const validation = interpretValidation(parsed.value, output);
    if (guidanceTokens !== undefined) validation.guidance = clip(validation.guidance, guidanceTokens * CHARACTERS_PER_TOKEN);
    return validation;
  }

  private async call(
    name: string,
    request: { stage: string; system: string; user: string; maxTokens?: number; stepId?: number; attempt?: number; signal: AbortSignal },
  ): Promise<string> {
    try {
      const reply = await this.options.llm.complete({
        actor: "teacher",
        stage: request.stage,
        messages: [
          { role: "system", content: request.system },
          { role: "user", content: request.user },
        ],
        json: true,
        ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
        ...(request.stepId === undefined ? {} : { stepId: request.stepId }),
        ...(request.attempt === undefined ? {} : { attempt: request.attempt }),
        signal: request.signal,
      });
      return reply.content;
    } catch (error) {
      if (request.signal.aborted || (isAtlasError(error) && error.code === "cancelled")) throw error;
      throw new AtlasError("llm_error", `Teacher ${name} call failed: ${errorMessage(error)}`, { cause: error });
    }
  }
}

/** The plan review: normalise the reply like the Student's plan, and honour an explicit single_shot mode. */
export function interpretPlanReview(original: Plan, content: string): PlanReview {
  const unchanged = (changes: string[] = []): PlanReview => ({
    plan: original,
    originalPlan: original,
    mode: original.execution_mode,
    concerns: null,
    changes,
    cached: false,
  });
  if (content.trim() === "") return unchanged();

  const direct = parseJsonText(stripCodeFence(content));
  if (direct.ok && !isJsonObject(direct.value)) return unchanged();
  const parsed = direct.ok && isJsonObject(direct.value) ? { ok: true as const, value: direct.value } : parseJsonObject(content);
  if (!parsed.ok) {
    throw new AtlasError("llm_error", `Teacher plan review returned invalid JSON (${parsed.error})`);
  }
  const payload = parsed.value;
  const concerns = concernsText(payload.concerns);
  const requestedMode = coerceExecutionMode(payload.execution_mode);
  const hasSteps = Array.isArray(payload.steps) && payload.steps.length > 0;

  let steps: PlanStep[];
  const notes: string[] = [];
  if (!hasSteps) {
    if (requestedMode !== "single_shot") return { ...unchanged(), concerns };
    steps = original.steps;
  } else {
    const normalized = normalizePlanPayload({ steps: payload.steps });
    if (normalized.ok) {
      steps = normalized.plan.steps;
    } else {
      steps = original.steps;
      notes.push(`the reviewed plan was unusable (${normalized.reason}); kept the student's steps`);
    }
  }
  const inferred = requestedMode === null;
  const mode: ExecutionMode = requestedMode ?? (isTrivialPlan({ steps, execution_mode: "stepwise" }) ? "single_shot" : "stepwise");
  const plan: Plan = { steps, execution_mode: mode };
  return {
    plan,
    originalPlan: original,
    mode,
    concerns,
    changes: [...notes, ...describePlanChanges(original, plan, inferred)],
    cached: false,
  };
}

function concernsText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.trim() === "" ? null : value;
  return JSON.stringify(value);
}

/** Human-readable differences between the Student's plan and the reviewed one. */
export function describePlanChanges(original: Plan, reviewed: Plan, modeInferred = false): string[] {
  const changes: string[] = [];
  if (reviewed.execution_mode !== original.execution_mode) {
    changes.push(`execution mode set to ${reviewed.execution_mode}${modeInferred ? " (inferred: trivial plan)" : ""}`);
  }
  const before = new Map(original.steps.map((step) => [step.id, step]));
  const after = new Map(reviewed.steps.map((step) => [step.id, step]));
  for (const [id, step] of before) if (!after.has(id)) changes.push(`removed step ${id}: ${step.description}`);
  for (const [id, step] of after) {
    const old = before.get(id);
    if (!old) {
      changes.push(`added step ${id}: ${step.description}`);
      continue;
    }
    const fields = (["description", "tool", "tool_params", "depends_on"] as const).filter(
      (field) => stableStringify(old[field]) !== stableStringify(step[field]),
    );
    if (fields.length > 0) changes.push(`edited step ${id} (${fields.join(", ")})`);
  }
  return changes;
}

/**
 * `valid` must be a boolean (or the strings "true"/"false" in any case). Anything else is
 * a malformed verdict: the attempt is not accepted and the guidance says why.
 */
export function interpretValidation(payload: Record<string, unknown>, output: StructuredOutput): StepValidation {
  const verdict = strictBoolean(payload.valid);
  const teacherGuidance = guidanceText(payload.guidance);
  const validation: StepValidation = {
    valid: verdict ?? false,
    guidance: teacherGuidance,
    status: output.status,
  };
  if (verdict === null) {
    const shown = payload.valid === undefined ? "missing" : JSON.stringify(payload.valid);
    validation.guidance =
      `The teacher's verdict was malformed ("valid" was ${shown}, expected true or false), so this attempt was not accepted.` +
      (teacherGuidance ? ` ${teacherGuidance}` : "");
    validation.malformed_verdict = true;
  }
  if (payload.reasoning !== undefined && payload.reasoning !== null) validation.reasoning = jsonSafe(payload.reasoning);
  if (output.artifacts !== undefined) validation.artifacts = output.artifacts;
  if (output.deliverable !== undefined && output.deliverable !== null) validation.deliverable = jsonSafe(output.deliverable);
  validation.text = output.text;
  if (output.reason !== undefined) validation.reason = output.reason;
  return validation;
}

function strictBoolean(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
  }
  return null;
}

function clip(text: string | null, maxCharacters: number): string | null {
  if (text === null || text.length <= maxCharacters) return text;
  return `${text.slice(0, Math.max(0, maxCharacters - 1)).trimEnd()}…`;
}

function guidanceText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (value === null || value === undefined) return null;
  return JSON.stringify(value);
}
