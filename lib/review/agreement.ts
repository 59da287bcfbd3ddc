/**
 * How well the judges agree with human labels: Spearman's rank correlation and the mean absolute error over the
 * labels with a score, Cohen's kappa and the confusion matrix on accept/reject at the retry threshold (a judge
 * accepts a score ≥ threshold; a human accepts with "good", or without a verdict with a score ≥ threshold).
 * Pure arithmetic, browser-safe.
 */

export interface LabelledJudgement {
  sessionId: number;
  /** Null for a session-level label (judged by the session reward). */
  stepId: number | null;
  judge: number;
  humanScore: number | null;
  humanVerdict: "good" | "bad" | null;
}

export interface Confusion {
  /** Judge accepts, human accepts. */
  tp: number;
  /** Judge accepts, human rejects. */
  fp: number;
  tn: number;
  /** Judge rejects, human accepts. */
  fn: number;
}

export interface Disagreement {
  sessionId: number;
  stepId: number | null;
  judge: number;
  human: number | "good" | "bad";
}

export interface Agreement {
  pairs: number;
  threshold: number;
  spearman: number | null;
  mae: number | null;
  kappa: number | null;
  confusion: Confusion;
  disagreements: Disagreement[];
}

/** A score gap this large counts as a disagreement even when both sides accept (or both reject). */
export const SCORE_GAP = 0.3;

export function agreementOf(items: readonly LabelledJudgement[], threshold: number): Agreement {
  const scored = items.filter((item) => item.humanScore !== null);
  const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const disagreements: Disagreement[] = [];
  for (const item of items) {
    const judgeAccepts = item.judge >= threshold;
    const humanAccepts = item.humanVerdict !== null ? item.humanVerdict === "good" : (item.humanScore ?? 0) >= threshold;
    if (judgeAccepts && humanAccepts) confusion.tp += 1;
    else if (judgeAccepts) confusion.fp += 1;
    else if (humanAccepts) confusion.fn += 1;
    else confusion.tn += 1;
    const gap = item.humanScore === null ? 0 : Math.abs(item.judge - item.humanScore);
    if (judgeAccepts !== humanAccepts || gap >= SCORE_GAP) {
      disagreements.push({ sessionId: item.sessionId, stepId: item.stepId, judge: item.judge, human: item.humanScore ?? item.humanVerdict ?? "bad" });
    }
  }
  return {
    pairs: items.length,
    threshold,
    spearman: spearman(scored.map((item) => item.judge), scored.map((item) => item.humanScore!)),
    mae: scored.length === 0 ? null : round(scored.reduce((sum, item) => sum + Math.abs(item.judge - item.humanScore!), 0) / scored.length),
    kappa: kappa(confusion),
    confusion,
    disagreements,
  };
}

/** Cohen's kappa; null when chance agreement is already total (both raters used one class only). */
export function kappa({ tp, fp, tn, fn }: Confusion): number | null {
  const total = tp + fp + tn + fn;
  if (total === 0) return null;
  const observed = (tp + tn) / total;
  const expected = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / (total * total);
  return expected === 1 ? null : round((observed - expected) / (1 - expected));
}

/** Pearson correlation of the average ranks; null with fewer than two pairs or no spread on a side. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2 || a.length !== b.length) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let covariance = 0;
  let va = 0;
  let vb = 0;
  for (let index = 0; index < ra.length; index += 1) {
    covariance += (ra[index]! - ma) * (rb[index]! - mb);
    va += (ra[index]! - ma) ** 2;
    vb += (rb[index]! - mb) ** 2;
  }
  return va === 0 || vb === 0 ? null : round(covariance / Math.sqrt(va * vb));
}

/** 1-based ranks, ties sharing their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const result = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let position = start; position <= end; position += 1) result[order[position]!.index] = rank;
    start = end + 1;
  }
  return result;
}

function round(value: number): number {
  return Number(value.toFixed(6));
}
