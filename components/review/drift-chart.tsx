"use client";

import { formatScore } from "@/components/ui/format";

interface DriftData {
  value: number;
  window: number[];
  mean: number | null;
  stddev: number | null;
  z: number | null;
  madZ: number | null;
  threshold: number;
  reason: string | null;
}

function asDrift(value: Record<string, unknown> | null): DriftData | null {
  if (!value || typeof value.value !== "number" || !Array.isArray(value.window)) return null;
  return value as unknown as DriftData;
}

const WIDTH = 320;
const HEIGHT = 80;

/** The recent window of rewards (oldest left) and this session's reward (the last point), with mean ± threshold·sd. */
export function DriftChart({ drift: raw }: { drift: Record<string, unknown> | null }) {
  const drift = asDrift(raw);
  if (!drift || drift.window.length === 0) return null;
  const points = [...drift.window].reverse().concat(drift.value);
  const x = (index: number) => (points.length === 1 ? WIDTH / 2 : (index / (points.length - 1)) * (WIDTH - 8) + 4);
  const y = (reward: number) => HEIGHT - 4 - Math.min(1, Math.max(0, reward)) * (HEIGHT - 8);
  const band =
    drift.mean !== null && drift.stddev !== null
      ? { top: y(drift.mean + drift.threshold * drift.stddev), bottom: y(drift.mean - drift.threshold * drift.stddev) }
      : null;
  return (
    <figure className="mt-3" data-testid="drift-chart">
      <svg width={WIDTH} height={HEIGHT} role="img" aria-label="rewards of the recent sessions of this config" className="rounded border border-slate-200 bg-slate-50">
        {band ? <rect x={0} width={WIDTH} y={band.top} height={Math.max(1, band.bottom - band.top)} className="fill-emerald-100" /> : null}
        {drift.mean !== null ? <line x1={0} x2={WIDTH} y1={y(drift.mean)} y2={y(drift.mean)} className="stroke-emerald-500" strokeDasharray="3 3" /> : null}
        <polyline points={points.map((reward, index) => `${x(index)},${y(reward)}`).join(" ")} className="fill-none stroke-slate-400" />
        {points.map((reward, index) => (
          <circle
            key={index}
            cx={x(index)}
            cy={y(reward)}
            r={index === points.length - 1 ? 4 : 2}
            className={index === points.length - 1 ? "fill-violet-600" : "fill-slate-500"}
          />
        ))}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        Reward {formatScore(drift.value)} against the last {drift.window.length} sessions of this config
        {drift.z !== null ? ` · z ${drift.z.toFixed(2)} · MAD-z ${drift.madZ?.toFixed(2)} · threshold ${drift.threshold}` : " · too few earlier sessions to judge"}
        {drift.reason && drift.reason !== "insufficient_baseline" ? ` · flagged (${drift.reason})` : ""}
      </figcaption>
    </figure>
  );
}
