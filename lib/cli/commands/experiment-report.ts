/** What `atlas experiment run` prints: the progress line and the comparison table at the end. */
import type { CompareResult, ExperimentDetail } from "@/lib/experiments/api-types";
import { mean } from "@/lib/experiments/statistics";

const BAR_WIDTH = 30;

export function progressLine(detail: ExperimentDetail): string {
  const { counts } = detail;
  const done = counts.total - counts.pending - counts.skipped;
  const filled = counts.total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * done) / counts.total);
  return (
    `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${done}/${counts.total} cells` +
    ` · ${counts.running} running · ${counts.failed} failed · $${detail.costUsd.toFixed(4)}`
  );
}

export function outcomeLine(detail: ExperimentDetail): string {
  const { counts } = detail;
  const parts = [`${counts.succeeded} succeeded`, `${counts.failed} failed`, `${counts.cancelled} cancelled`, `${counts.interrupted} interrupted`];
  if (counts.skipped > 0) parts.push(`${counts.skipped} not started`);
  return `Experiment ${detail.id} ${detail.status}: ${counts.total} cells (${parts.join(", ")}), cost $${detail.costUsd.toFixed(4)}`;
}

const fixed = (value: number | null, digits = 3) => (value === null ? "—" : value.toFixed(digits));
const signed = (value: number | null) => (value === null ? "—" : `${value >= 0 ? "+" : ""}${value.toFixed(3)}`);
const times = (value: number | null) => (value === null ? "—" : `${value.toFixed(2)}×`);

/** One row per arm; every arm after the first is compared with the first (the baseline). */
export function comparisonTable(detail: ExperimentDetail, comparisons: CompareResult[], labels: string[]): string {
  const latest = new Map(detail.runs.map((run) => [`${run.armId}/${run.taskIndex}/${run.repeat}`, run]));
  const meanReward = (armId: number) =>
    mean([...latest.values()].filter((run) => run.armId === armId && run.reward !== null).map((run) => run.reward as number));
  const meanReference = (armId: number) =>
    mean([...latest.values()].filter((run) => run.armId === armId && run.referenceScore !== null).map((run) => run.referenceScore as number));
  const header = ["arm", "config", "mean reward", "reference", "Δ vs arm 1", "95% CI", "W/L/T", "cost ×", "latency ×"];
  const rows = detail.arms.map((arm, index) => {
    const compared = comparisons.find((comparison) => comparison.candidate.id === arm.id);
    const summary = compared?.summary;
    return [
      String(index + 1),
      labels[index] ?? arm.configName,
      fixed(meanReward(arm.id)),
      fixed(meanReference(arm.id)),
      summary ? signed(summary.meanDelta) : "—",
      summary?.ci95 ? `[${signed(summary.ci95[0])}, ${signed(summary.ci95[1])}]` : "—",
      summary ? `${summary.wins}/${summary.losses}/${summary.ties}` : "—",
      summary ? times(summary.costRatio) : "—",
      summary ? times(summary.latencyRatio) : "—",
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
