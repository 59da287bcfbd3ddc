import { describe, expect, it } from "vitest";
import {
  aggregateScore,
  decideEscalation,
  mostCertain,
  normalisePrinciples,
  parseArbiterReply,
  parseSample,
  populationStdDev,
} from "./scoring";

describe("normalisePrinciples", () => {
  it("keeps named weighted entries and bare strings, then rescales weights to sum to 1", () => {
    expect(
      normalisePrinciples([
        { name: "A", weight: 2, description: "first" },
        { name: "B", weight: "2" },
        "C",
        { name: "no weight" },
        { weight: 1 },
        42,
      ]),
    ).toEqual([
      { name: "A", weight: 0.4, description: "first" },
      { name: "B", weight: 0.4, description: "" },
      { name: "C", weight: 0.2, description: "C" },
    ]);
  });

  it("leaves zero weights alone and ignores non-lists", () => {
    expect(normalisePrinciples([{ name: "A", weight: 0 }])).toEqual([{ name: "A", weight: 0, description: "" }]);
    expect(normalisePrinciples("A, B")).toEqual([]);
  });
});

describe("parseSample", () => {
  it("accepts numeric strings like Python's float() and falls back to explanation", () => {
    const parsed = parseSample('{"score": "0.7", "uncertainty": 0.1, "explanation": "ok"}');
    expect(parsed).toEqual({
      ok: true,
      judgement: { score: 0.7, rationale: "ok", principles: [], uncertainty: 0.1, reasoning: null },
    });
  });

  it("discards a sample without a numeric uncertainty", () => {
    expect(parseSample('{"score": 0.7}')).toEqual({ ok: false, error: "uncertainty is not a number: missing" });
  });

  it("reads the arbiter's score as 0 when it is not numeric", () => {
    const parsed = parseArbiterReply('{"score": "n/a", "rationale": 5}');
    expect(parsed.ok && parsed.judgement).toMatchObject({ score: 0, rationale: "" });
  });
});

describe("escalation", () => {
  const thresholds = { variance: 0.15, uncertainty: 0.3 };

  it("measures spread as the population standard deviation", () => {
    expect(populationStdDev([0.8, 0.8, 0.8])).toBe(0);
    expect(populationStdDev([0.5])).toBe(0);
    expect(populationStdDev([0.9, 0.5, 0.7])).toBeCloseTo(0.163299, 6);
  });

  it("escalates above either threshold, never at it", () => {
    expect(decideEscalation([{ score: 0.5, uncertainty: 0.3 }], thresholds)).toMatchObject({ escalate: false, reason: null });
    expect(decideEscalation([{ score: 0.5, uncertainty: 0.31 }], thresholds)).toMatchObject({
      escalate: true,
      reason: "tier1_variance_or_uncertainty",
    });
    expect(decideEscalation([], thresholds)).toEqual({
      escalate: true,
      reason: "tier1_no_valid_samples",
      spread: null,
      maxUncertainty: null,
    });
  });

  it("picks the first of the least uncertain samples", () => {
    const picked = mostCertain([
      { id: "a", uncertainty: 0.2 },
      { id: "b", uncertainty: 0.1 },
      { id: "c", uncertainty: 0.1 },
    ]);
    expect(picked?.id).toBe("b");
  });
});

describe("aggregateScore", () => {
  it("is a weighted mean, a plain mean when weights are all zero, and 0 without judges", () => {
    expect(aggregateScore([{ score: 1, weight: 3 }, { score: 0, weight: 1 }])).toBe(0.75);
    expect(aggregateScore([{ score: 1, weight: 0 }, { score: 0, weight: 0 }])).toBe(0.5);
    expect(aggregateScore([])).toBe(0);
  });
});
