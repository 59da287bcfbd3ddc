"use client";

/** Small SVG charts of a comparison: reward distribution per arm, and reward against cost per task. */
import type { CompareRow } from "@/lib/experiments/api-types";

const BINS = 10;
const COLORS = { base: "#64748b", candidate: "#2563eb" } as const;

export function RewardHistogram({ rows, labels }: { rows: CompareRow[]; labels: { base: string; candidate: string } }) {
  const counts = (side: "base" | "candidate") => {
    const bins = new Array<number>(BINS).fill(0);
    for (const row of rows) {
      const reward = row[side].reward;
      if (reward !== null) bins[Math.min(BINS - 1, Math.max(0, Math.floor(reward * BINS)))]! += 1;
    }
    return bins;
  };
  const base = counts("base");
  const candidate = counts("candidate");
  const max = Math.max(1, ...base, ...candidate);
  const width = 320;
  const height = 140;
  const slot = width / BINS;
  const bar = (value: number) => ((height - 20) * value) / max;
  return (
    <figure data-testid="reward-histogram">
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label="Reward distribution per arm">
        {base.map((value, index) => (
          <g key={index}>
            <rect x={index * slot + 2} y={height - 16 - bar(value)} width={slot / 2 - 2} height={bar(value)} fill={COLORS.base}>
              <title>{`${labels.base}: ${value} task(s) with reward in [${index / BINS}, ${(index + 1) / BINS})`}</title>
            </rect>
            <rect x={index * slot + slot / 2} y={height - 16 - bar(candidate[index]!)} width={slot / 2 - 2} height={bar(candidate[index]!)} fill={COLORS.candidate}>
              <title>{`${labels.candidate}: ${candidate[index]} task(s) with reward in [${index / BINS}, ${(index + 1) / BINS})`}</title>
            </rect>
          </g>
        ))}
        <text x={0} y={height - 2} fontSize={10} fill="#64748b">0</text>
        <text x={width - 10} y={height - 2} fontSize={10} fill="#64748b">1</text>
      </svg>
      <Legend labels={labels} caption="Reward distribution per arm" />
    </figure>
  );
}

export function RewardCostScatter({ rows, labels }: { rows: CompareRow[]; labels: { base: string; candidate: string } }) {
  const points = rows.flatMap((row) =>
    (["base", "candidate"] as const).flatMap((side) =>
      row[side].reward === null ? [] : [{ side, taskIndex: row.taskIndex, reward: row[side].reward as number, cost: row[side].costUsd }],
    ),
  );
  const maxCost = Math.max(1e-9, ...points.map((point) => point.cost));
  const width = 320;
  const height = 160;
  return (
    <figure data-testid="reward-cost-scatter">
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label="Reward against cost per task">
        <line x1={20} y1={height - 20} x2={width} y2={height - 20} stroke="#cbd5e1" />
        <line x1={20} y1={0} x2={20} y2={height - 20} stroke="#cbd5e1" />
        {points.map((point) => (
          <circle
            key={`${point.side}-${point.taskIndex}`}
            cx={20 + ((width - 30) * point.cost) / maxCost}
            cy={(height - 25) * (1 - point.reward) + 5}
            r={4}
            fill={COLORS[point.side]}
            fillOpacity={0.75}
          >
            <title>{`task ${point.taskIndex + 1}, ${labels[point.side]}: reward ${point.reward.toFixed(2)}, $${point.cost.toFixed(4)}`}</title>
          </circle>
        ))}
        <text x={22} y={height - 6} fontSize={10} fill="#64748b">cost →</text>
        <text x={0} y={10} fontSize={10} fill="#64748b">1</text>
      </svg>
      <Legend labels={labels} caption="Reward (up) against cost (right), one point per task and arm" />
    </figure>
  );
}

function Legend({ labels, caption }: { labels: { base: string; candidate: string }; caption: string }) {
  return (
    <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600">
      <span>{caption}:</span>
      <span style={{ color: COLORS.base }}>■ base {labels.base}</span>
      <span style={{ color: COLORS.candidate }}>■ candidate {labels.candidate}</span>
    </figcaption>
  );
}
