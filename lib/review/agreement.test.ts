import { describe, expect, it } from "vitest";
import { agreementOf, kappa, spearman, type LabelledJudgement } from "./agreement";

const label = (judge: number, humanScore: number | null, humanVerdict: "good" | "bad" | null = null, stepId = 1): LabelledJudgement => ({
  sessionId: 1,
  stepId,
  judge,
  humanScore,
  humanVerdict,
});

describe("judge–human agreement against a hand-computed fixture", () => {
  // threshold 0.6. judge / human:
  //  0.9 / 0.8  accept-accept (tp)         |0.1|
  //  0.7 / 0.3  accept-reject (fp)         |0.4|  disagreement
  //  0.4 / 0.5  reject-reject (tn)         |0.1|
  //  0.2 / 0.1  reject-reject (tn)         |0.1|
  //  0.5 / good reject-accept (fn)                disagreement (no score)
  //  0.8 / 0.9  accept-accept (tp)         |0.1|
  const items = [label(0.9, 0.8, null, 1), label(0.7, 0.3, null, 2), label(0.4, 0.5, null, 3), label(0.2, 0.1, null, 4), label(0.5, null, "good", 5), label(0.8, 0.9, null, 6)];

  it("confusion, kappa, MAE, Spearman and the disagreements", () => {
    const result = agreementOf(items, 0.6);
    expect(result.pairs).toBe(6);
    expect(result.confusion).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    // po = 4/6; judge accepts 3/6, human accepts 3/6 → pe = 0.5; kappa = (2/3 − 1/2) / (1/2) = 1/3.
    expect(result.kappa).toBeCloseTo(1 / 3, 6);
    // Scored pairs: |0.1| + |0.4| + |0.1| + |0.1| + |0.1| = 0.8 over 5.
    expect(result.mae).toBeCloseTo(0.16, 6);
    // Judge ranks (0.9, 0.7, 0.4, 0.2, 0.8) → 5, 3, 2, 1, 4; human (0.8, 0.3, 0.5, 0.1, 0.9) → 4, 2, 3, 1, 5.
    // Σd² = 1 + 1 + 1 + 0 + 1 = 4; ρ = 1 − 6·4 / (5·24) = 0.8.
    expect(result.spearman).toBeCloseTo(0.8, 6);
    expect(result.disagreements).toEqual([
      { sessionId: 1, stepId: 2, judge: 0.7, human: 0.3 },
      { sessionId: 1, stepId: 5, judge: 0.5, human: "good" },
    ]);
  });

  it("a verdict decides the human side of kappa even when a score is given", () => {
    expect(agreementOf([label(0.9, 0.2, "good")], 0.6).confusion).toEqual({ tp: 1, fp: 0, tn: 0, fn: 0 });
  });

  it("degenerate inputs give null rather than a made-up number", () => {
    expect(agreementOf([], 0.6)).toMatchObject({ pairs: 0, spearman: null, mae: null, kappa: null });
    expect(spearman([0.5], [0.5])).toBeNull();
    expect(spearman([0.5, 0.5, 0.5], [0.1, 0.2, 0.3])).toBeNull();
    expect(kappa({ tp: 3, fp: 0, tn: 0, fn: 0 })).toBeNull();
    expect(kappa({ tp: 2, fp: 0, tn: 2, fn: 0 })).toBe(1);
  });

  it("ties share their average rank", () => {
    // ranks a: 1.5, 1.5, 3; b: 1, 2, 3 → Pearson of ranks = 0.866025.
    expect(spearman([0.2, 0.2, 0.9], [0.1, 0.5, 0.7])).toBeCloseTo(0.866025, 5);
  });
});
