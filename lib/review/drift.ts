/**
 * Drift of a session's reward against the recent sessions of its config: the z-score (distance from the mean in
 * standard deviations) and the MAD-z (distance from the median in scaled median absolute deviations, which earlier
 * outliers cannot inflate). Pure arithmetic, browser-safe.
 */
import type { DriftPolicy } from "@/lib/config/runtime-safety-schema";

export type DriftReason = "score_z" | "score_mad_z" | "insufficient_baseline";

export interface DriftCheck {
  [key: string]: unknown;
  metric: "reward";
  value: number;
  /** The earlier rewards compared with, newest first. */
  window: number[];
  mean: number | null;
  stddev: number | null;
  median: number | null;
  mad: number | null;
  z: number | null;
  madZ: number | null;
  threshold: number;
  flagged: boolean;
  reason: DriftReason | null;
}

/** Scales the MAD to the standard deviation of normally distributed data. */
const MAD_SCALE = 0.6745;
/** A window without any spread still flags a different value: deviations are measured against this floor. */
const SPREAD_FLOOR = 1e-6;
const Z_CAP = 1e6;

export function checkDrift(value: number, previous: readonly number[], policy: Pick<DriftPolicy, "window" | "z_threshold" | "min_baseline" | "use_mad">): DriftCheck {
  const window = previous.slice(0, policy.window);
  const base = { metric: "reward" as const, value, window, threshold: policy.z_threshold };
  if (window.length < policy.min_baseline) {
    return { ...base, mean: null, stddev: null, median: null, mad: null, z: null, madZ: null, flagged: false, reason: "insufficient_baseline" };
  }
  const mean = window.reduce((sum, item) => sum + item, 0) / window.length;
  const stddev = Math.sqrt(window.reduce((sum, item) => sum + (item - mean) ** 2, 0) / (window.length - 1));
  const median = medianOf(window);
  const mad = medianOf(window.map((item) => Math.abs(item - median)));
  const z = capped((value - mean) / Math.max(stddev, SPREAD_FLOOR));
  const madZ = capped((MAD_SCALE * (value - median)) / Math.max(mad, SPREAD_FLOOR));
  const reason: DriftReason | null =
    Math.abs(z) >= policy.z_threshold ? "score_z" : policy.use_mad && Math.abs(madZ) >= policy.z_threshold ? "score_mad_z" : null;
  return { ...base, mean, stddev, median, mad, z, madZ, flagged: reason !== null, reason };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function capped(z: number): number {
  return Math.max(-Z_CAP, Math.min(Z_CAP, Number(z.toFixed(6))));
}
