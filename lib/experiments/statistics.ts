/**
 * Paired statistics of per-task reward differences: mean Δ, a paired bootstrap 95% percentile
 * interval (seeded, so the same deltas always give the same interval), wins/losses/ties.
 */
import { seededRandom } from "@/lib/seeded-random";

export const BOOTSTRAP_RESAMPLES = 10_000;
export const BOOTSTRAP_SEED = 20_240_601;
/** Differences smaller than this are ties: rewards are means of floats. */
export const TIE_EPSILON = 1e-9;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Linear interpolation between order statistics (h = (n − 1)·p), of sorted values. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** Resamples the tasks (pairs) with replacement and takes the 2.5% and 97.5% quantiles of the resampled means. */
export function pairedBootstrapInterval(
  deltas: readonly number[],
  { resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED }: { resamples?: number | undefined; seed?: number | undefined } = {},
): [number, number] | null {
  const n = deltas.length;
  if (n === 0) return null;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b += 1) {
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += deltas[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  const sorted = Array.from(means).sort((a, b) => a - b);
  return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
}

export interface PairedSummary {
  n: number;
  meanDelta: number | null;
  ci95: [number, number] | null;
  wins: number;
  losses: number;
  ties: number;
}

export function summarizeDeltas(deltas: readonly number[], options?: { resamples?: number | undefined; seed?: number | undefined }): PairedSummary {
  return {
    n: deltas.length,
    meanDelta: mean(deltas),
    ci95: pairedBootstrapInterval(deltas, options),
    wins: deltas.filter((delta) => delta > TIE_EPSILON).length,
    losses: deltas.filter((delta) => delta < -TIE_EPSILON).length,
    ties: deltas.filter((delta) => Math.abs(delta) <= TIE_EPSILON).length,
  };
}
