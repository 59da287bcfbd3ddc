"use client";

import { formatDuration } from "./format";
import { useNow } from "./use-now";

/** A duration: fixed once finished, ticking every second while running. */
export function Elapsed({
  since,
  until,
  durationMs,
  running,
  testId,
}: {
  since: string | null;
  until?: string | null;
  durationMs?: number | null;
  running: boolean;
  testId?: string;
}) {
  const now = useNow(running && since !== null);
  let ms: number | null = durationMs ?? null;
  if (ms === null && since) {
    const end = until ? Date.parse(until) : running ? now : null;
    ms = end === null ? null : Math.max(0, end - Date.parse(since));
  }
  return (
    <span data-testid={testId} className="tabular-nums">
      {formatDuration(ms)}
    </span>
  );
}
