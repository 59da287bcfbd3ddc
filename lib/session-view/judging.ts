/**
 * The judge panel of one rewarded attempt: per judge the tier-1 samples, their spread and maximum
 * uncertainty against the session's thresholds, whether and why it escalated, the arbiter's decision,
 * and the aggregate score. Works on a finished breakdown, on a partial one while judging runs, and
 * on events alone.
 */
import type { JudgeBreakdown, Principle, RewardBreakdown } from "@/lib/trajectory";
import type { AttemptDetail, AttemptExtras, SessionDetail } from "./types";

export const ARBITER_FAILURE_RATIONALE = "Arbiter model failed to produce a valid response.";
const DEFAULT_THRESHOLDS = { varianceThreshold: 0.15, uncertaintyThreshold: 0.3 };

export interface SampleView {
  temperature: number;
  score: number | null;
  uncertainty: number | null;
  rationale: string;
  principles: Principle[];
  /** Why the sample was discarded (null for a usable sample). */
  error: string | null;
}

export interface ArbiterView {
  model: string | null;
  score: number;
  rationale: string;
  principles: Principle[];
  failed: boolean;
}

export interface JudgeView {
  judge: string;
  samples: SampleView[];
  /** Population standard deviation of the usable sample scores (0 for one sample). */
  spread: number | null;
  maxUncertainty: number | null;
  varianceThreshold: number;
  uncertaintyThreshold: number;
  /** True when the thresholds are the defaults because the session recorded none. */
  thresholdsAssumed: boolean;
  spreadExceeded: boolean;
  uncertaintyExceeded: boolean;
  escalated: boolean;
  escalationReason: string | null;
  /** One sentence on why the judge escalated or not. */
  explanation: string;
  arbiter: ArbiterView | null;
  /** The judge's outcome; null while it is still judging. */
  score: number | null;
  rationale: string | null;
}

export interface JudgePanelView {
  judges: JudgeView[];
  /** The step reward (mean of the judges' outcomes); null until the reward is known. */
  aggregate: number | null;
  /** The reward was skipped (validation failed, non-ok status) or errored: why. */
  skippedReason: string | null;
  judging: boolean;
  /** How the aggregate is computed from the judges: `(0.80×1 + 0.60×1) / 2 = 0.70`; null until it is known. */
  aggregateFormula: string | null;
}

type Thresholds = SessionDetail["session"]["rim"];

export function buildJudgePanel(attempt: AttemptDetail, extras: AttemptExtras, rim: Thresholds): JudgePanelView {
  const reward = rewardOf(attempt);
  const finalJudges = reward?.judges ?? [];
  const names = [...finalJudges.map((judge) => judge.identifier)];
  for (const name of [...Object.keys(extras.samples), ...Object.keys(extras.escalations), ...Object.keys(extras.arbiters)]) {
    if (!names.includes(name)) names.push(name);
  }
  const judges = names.map((name) =>
    judgeView(
      name,
      finalJudges.find((judge) => judge.identifier === name),
      extras,
      rim,
    ),
  );
  const skippedReason = reward && finalJudges.length === 0 ? skipReason(reward, attempt) : null;
  const aggregate = reward && !skippedReason ? reward.score : null;
  return {
    judges,
    aggregate,
    skippedReason,
    judging: !reward && names.length > 0,
    aggregateFormula: aggregate === null ? null : aggregateFormula(finalJudges, rim?.judgeWeights ?? {}, aggregate),
  };
}

/** The weighted mean the reward model takes of the judges' outcomes (weight 1 where the config names none). */
export function aggregateFormula(judges: readonly { identifier: string; score: number }[], weights: Record<string, number>, aggregate: number): string {
  if (judges.length === 0) return aggregate.toFixed(2);
  const weightOf = (identifier: string) => weights[identifier] ?? 1;
  const terms = judges.map((judge) => `${judge.score.toFixed(2)}×${formatWeight(weightOf(judge.identifier))}`);
  const total = judges.reduce((sum, judge) => sum + weightOf(judge.identifier), 0);
  return `(${terms.join(" + ")}) / ${formatWeight(total)} = ${aggregate.toFixed(2)}`;
}

function formatWeight(weight: number): string {
  return Number.isInteger(weight) ? String(weight) : String(Number(weight.toFixed(3)));
}

/** The reward breakdown inside an attempt's evaluation, if it has one yet. */
export function rewardOf(attempt: AttemptDetail): RewardBreakdown | null {
  const reward = attempt.evaluation?.reward as RewardBreakdown | undefined;
  return reward && typeof reward === "object" && Array.isArray(reward.judges) ? reward : null;
}

function skipReason(reward: RewardBreakdown, attempt: AttemptDetail): string {
  const raw = reward.raw as { reason?: unknown; error?: unknown } | null;
  if (raw && typeof raw === "object" && typeof raw.error === "string") return `reward not computed: ${raw.error}`;
  const reason = (raw && typeof raw.reason === "string" ? raw.reason : null) ?? reward.rationale ?? "skipped";
  if (reason === "validation_failed") return "not judged: the teacher did not validate this attempt";
  if (reason.startsWith("status_")) return `not judged: the agent reported status "${reason.slice("status_".length)}"`;
  if (reason === "dependency_failed") return "not judged: a dependency did not succeed";
  return attempt.rewardSkipped === false ? reason : `not judged: ${reason}`;
}

function judgeView(name: string, final: JudgeBreakdown | undefined, extras: AttemptExtras, rim: Thresholds): JudgeView {
  const escalation = extras.escalations[name];
  const samples: SampleView[] = final
    ? final.samples.map((sample) => ({ ...sample, error: null }))
    : (extras.samples[name] ?? []).map((record) =>
        record.sample
          ? { ...record.sample, error: null }
          : { temperature: record.temperature, score: null, uncertainty: null, rationale: "", principles: [], error: record.error },
      );
  // Discarded samples exist only as events: show them next to the usable ones.
  if (final) {
    for (const record of extras.samples[name] ?? []) {
      if (!record.sample) {
        samples.push({ temperature: record.temperature, score: null, uncertainty: null, rationale: "", principles: [], error: record.error });
      }
    }
    samples.sort((a, b) => a.temperature - b.temperature);
  }
  const scores = samples.map((sample) => sample.score).filter((score): score is number => score !== null);
  const uncertainties = samples.map((sample) => sample.uncertainty).filter((value): value is number => value !== null);
  const spread = scores.length > 0 ? populationStdDev(scores) : (escalation?.spread ?? null);
  const maxUncertainty = uncertainties.length > 0 ? Math.max(...uncertainties) : (escalation?.maxUncertainty ?? null);
  const thresholds = rim ?? escalation ?? DEFAULT_THRESHOLDS;
  const varianceThreshold = thresholds.varianceThreshold;
  const uncertaintyThreshold = thresholds.uncertaintyThreshold;
  const escalated = final?.escalated ?? Boolean(escalation);
  const escalationReason = final?.escalation_reason ?? escalation?.reason ?? null;
  const arbiter = arbiterView(name, final, extras);
  const decided = Boolean(final) || Boolean(arbiter);
  const view: JudgeView = {
    judge: name,
    samples,
    spread,
    maxUncertainty,
    varianceThreshold,
    uncertaintyThreshold,
    thresholdsAssumed: !rim && !escalation,
    spreadExceeded: spread !== null && spread > varianceThreshold,
    uncertaintyExceeded: maxUncertainty !== null && maxUncertainty > uncertaintyThreshold,
    escalated,
    escalationReason,
    explanation: "",
    arbiter,
    score: final?.score ?? arbiter?.score ?? null,
    rationale: final?.rationale ?? arbiter?.rationale ?? null,
  };
  view.explanation = explain(view, decided);
  return view;
}

function arbiterView(name: string, final: JudgeBreakdown | undefined, extras: AttemptExtras): ArbiterView | null {
  const recorded = extras.arbiters[name];
  if (recorded) return { ...recorded };
  if (!final?.escalated) return null;
  return {
    model: null,
    score: final.score,
    rationale: final.rationale,
    principles: final.principles,
    failed: final.rationale === ARBITER_FAILURE_RATIONALE,
  };
}

function explain(view: JudgeView, decided: boolean): string {
  const spread = view.spread === null ? "no spread" : `spread ${fixed(view.spread)}`;
  const uncertainty = view.maxUncertainty === null ? "no uncertainty" : `max uncertainty ${fixed(view.maxUncertainty)}`;
  const spreadCheck = `${spread} ${view.spreadExceeded ? ">" : "≤"} ${fixed(view.varianceThreshold)}`;
  const uncertaintyCheck = `${uncertainty} ${view.uncertaintyExceeded ? ">" : "≤"} ${fixed(view.uncertaintyThreshold)}`;
  if (view.escalated) {
    if (view.escalationReason === "tier1_no_valid_samples") {
      return "Escalated: no tier-1 sample was usable, so the arbiter judged on its own.";
    }
    const causes = [
      ...(view.spreadExceeded ? [`${spreadCheck} (variance threshold)`] : []),
      ...(view.uncertaintyExceeded ? [`${uncertaintyCheck} (uncertainty threshold)`] : []),
    ];
    return `Escalated: ${causes.length > 0 ? causes.join(" and ") : (view.escalationReason ?? "tier-1 disagreement")}; the arbiter decided.`;
  }
  if (!decided) return `Judging: ${view.samples.length} sample${view.samples.length === 1 ? "" : "s"} so far.`;
  return `Not escalated: ${spreadCheck} and ${uncertaintyCheck}; the lowest-uncertainty sample decided.`;
}

export function populationStdDev(values: readonly number[]): number {
  if (values.length <= 1) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
}

function fixed(value: number): string {
  return value.toFixed(2);
}
