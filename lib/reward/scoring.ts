/**
 * Reading judge replies and deciding escalation.
 */
import { parseJsonObject } from "@/lib/llm/json";
import type { Principle } from "@/lib/trajectory";

export interface ParsedJudgement {
  score: number;
  rationale: string;
  principles: Principle[];
  /** Null when the judgement has no numeric uncertainty (allowed for arbiters only). */
  uncertainty: number | null;
  /** `reasoning` the judge wrote into its JSON, if any. */
  reasoning: unknown;
}

export type JudgementParse = { ok: true; judgement: ParsedJudgement } | { ok: false; error: string };

/**
 * A tier-1 sample: a JSON object with a numeric score and uncertainty (numeric strings count, as
 * Python's float() would accept them). Anything else is discarded with the reason.
 */
export function parseSample(content: string): JudgementParse {
  const parsed = parseJsonObject(content);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const payload = parsed.value;
  const score = toNumber(payload.score);
  if (score === null) return { ok: false, error: `score is not a number: ${describe(payload.score)}` };
  const uncertainty = toNumber(payload.uncertainty);
  if (uncertainty === null) return { ok: false, error: `uncertainty is not a number: ${describe(payload.uncertainty)}` };
  return { ok: true, judgement: judgementOf(payload, score, uncertainty) };
}

/** An arbiter reply: a JSON object; a missing or non-numeric score counts as 0. */
export function parseArbiterReply(content: string): JudgementParse {
  const parsed = parseJsonObject(content);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const payload = parsed.value;
  return { ok: true, judgement: judgementOf(payload, toNumber(payload.score) ?? 0, toNumber(payload.uncertainty)) };
}

function judgementOf(payload: Record<string, unknown>, score: number, uncertainty: number | null): ParsedJudgement {
  return {
    score,
    rationale: rationaleOf(payload),
    principles: normalisePrinciples(payload.principles),
    uncertainty,
    reasoning: payload.reasoning ?? null,
  };
}

function rationaleOf(payload: Record<string, unknown>): string {
  const text = payload.rationale ?? payload.explanation;
  return typeof text === "string" ? text : "";
}

/**
 * Keeps `{name: string, weight: number, description?: string}` entries and bare strings
 * (weight 1, description = name), then rescales the weights to sum to 1 when the sum is positive.
 */
export function normalisePrinciples(value: unknown): Principle[] {
  if (!Array.isArray(value)) return [];
  const principles: Principle[] = [];
  for (const entry of value) {
    if (typeof entry === "string") {
      principles.push({ name: entry, weight: 1, description: entry });
      continue;
    }
    if (entry === null || typeof entry !== "object") continue;
    const { name, weight, description } = entry as Record<string, unknown>;
    const numericWeight = toNumber(weight);
    if (typeof name !== "string" || numericWeight === null) continue;
    principles.push({ name, weight: numericWeight, description: typeof description === "string" ? description : "" });
  }
  const total = principles.reduce((sum, principle) => sum + principle.weight, 0);
  if (total > 0) for (const principle of principles) principle.weight /= total;
  return principles;
}

export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function describe(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

export function clampScore(score: number): number {
  return Math.min(1, Math.max(0, score));
}

export type EscalationReason = "tier1_no_valid_samples" | "tier1_variance_or_uncertainty";

export interface EscalationDecision {
  escalate: boolean;
  reason: EscalationReason | null;
  /** Population standard deviation of the sample scores; null without samples. */
  spread: number | null;
  maxUncertainty: number | null;
}

export function decideEscalation(
  samples: readonly { score: number; uncertainty: number }[],
  thresholds: { variance: number; uncertainty: number },
): EscalationDecision {
  if (samples.length === 0) {
    return { escalate: true, reason: "tier1_no_valid_samples", spread: null, maxUncertainty: null };
  }
  const spread = populationStdDev(samples.map((sample) => sample.score));
  const maxUncertainty = Math.max(...samples.map((sample) => sample.uncertainty));
  const escalate = spread > thresholds.variance || maxUncertainty > thresholds.uncertainty;
  return { escalate, reason: escalate ? "tier1_variance_or_uncertainty" : null, spread, maxUncertainty };
}

/**
 * Rounded to 12 decimals so float noise cannot cross a threshold: identical scores give exactly 0,
 * as Python's exact `statistics.pstdev` does upstream.
 */
export function populationStdDev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return Math.round(Math.sqrt(variance) * 1e12) / 1e12;
}

/** The sample with the lowest uncertainty; the first one (lowest temperature) on ties. */
export function mostCertain<T extends { uncertainty: number }>(samples: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const sample of samples) if (best === undefined || sample.uncertainty < best.uncertainty) best = sample;
  return best;
}

/** Weighted mean of judge scores (plain mean when all weights are equal or all are zero). */
export function aggregateScore(judges: readonly { score: number; weight: number }[]): number {
  if (judges.length === 0) return 0;
  const totalWeight = judges.reduce((sum, judge) => sum + judge.weight, 0);
  if (totalWeight <= 0) return clampScore(judges.reduce((sum, judge) => sum + judge.score, 0) / judges.length);
  return clampScore(judges.reduce((sum, judge) => sum + judge.score * judge.weight, 0) / totalWeight);
}
