/** Display formatting shared by every page. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} m ${Math.round(seconds % 60)} s`;
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "—";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? "—" : score.toFixed(2);
}

/** 9,999 · 27.5k · 999.9k · 2.75M: never a four-digit number of thousands. */
export function formatTokens(count: number | null | undefined): string {
  if (!count) return "0";
  if (count < 10_000) return count.toLocaleString("en-US");
  if (count < 999_950) return `${(count / 1000).toFixed(1)}k`;
  if (count < 999_995_000) return `${(count / 1_000_000).toFixed(2)}M`;
  return `${(count / 1_000_000_000).toFixed(2)}B`;
}

export function formatTimestamp(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}
