/**
 * The paired summary against a fixture computed independently in Python
 * (testing/compare-fixture.py: the same random stream, resampling and quantile rule), and the
 * mean Δ and wins/losses/ties by hand: Δ = [0.2, 0, −0.3, 0.5, 0.05, 0] → mean 0.45 / 6 = 0.075.
 */
import { describe, expect, it } from "vitest";
import fixture from "./testing/compare-fixture.json";
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, pairedBootstrapInterval, quantile, summarizeDeltas } from "./statistics";
import { seededRandom } from "@/lib/seeded-random";

describe("paired statistics", () => {
  it("reproduces the random stream of the reference implementation", () => {
    const random = seededRandom(fixture.seed);
    expect(fixture.first_randoms.map(() => random())).toEqual(fixture.first_randoms);
  });

  it("matches the hand-computed mean Δ and wins/losses/ties and the reference bootstrap interval (the defaults)", () => {
    const deltas = fixture.candidate.map((value, index) => value - fixture.base[index]!);
    expect([BOOTSTRAP_SEED, BOOTSTRAP_RESAMPLES]).toEqual([fixture.seed, fixture.resamples]);
    const summary = summarizeDeltas(deltas);
    expect(summary.n).toBe(6);
    expect(summary.meanDelta).toBeCloseTo(0.075, 12);
    expect(summary).toMatchObject({ wins: 3, losses: 1, ties: 2 });
    expect(summary.ci95![0]).toBeCloseTo(fixture.ci95[0]!, 12);
    expect(summary.ci95![1]).toBeCloseTo(fixture.ci95[1]!, 12);
  });

  it("is deterministic, brackets the mean, and collapses when every Δ is equal", () => {
    const deltas = [0.1, -0.2, 0.4, 0.3, 0.05, -0.1, 0.2];
    const first = pairedBootstrapInterval(deltas)!;
    expect(pairedBootstrapInterval(deltas)).toEqual(first);
    const mean = deltas.reduce((sum, value) => sum + value, 0) / deltas.length;
    expect(first[0]).toBeLessThan(mean);
    expect(first[1]).toBeGreaterThan(mean);
    expect(pairedBootstrapInterval([0.25, 0.25, 0.25])).toEqual([0.25, 0.25]);
    expect(pairedBootstrapInterval([])).toBeNull();
    expect(summarizeDeltas([]).meanDelta).toBeNull();
  });

  it("interpolates quantiles between order statistics", () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([7], 0.975)).toBe(7);
  });
});
