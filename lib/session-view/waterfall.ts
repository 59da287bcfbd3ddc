/**
 * The waterfall's geometry: every step, attempt and call as a span of milliseconds from the session's
 * start, and a span's place on the axis in percent. Steps and attempts come from the snapshot; calls are
 * fetched per step when a row is opened, so a 300-step session draws 300 rows and no call until asked.
 */
import type { CallSummary } from "@/lib/sessions/api-types";
import type { StepDetail } from "@/lib/trajectory";

export interface Span {
  /** Milliseconds after the origin. */
  start: number;
  end: number;
}

export interface WaterfallAttempt {
  attempt: number;
  outcome: string | null;
  span: Span;
}

export interface WaterfallStep {
  stepId: number;
  description: string;
  status: string;
  span: Span | null;
  attempts: WaterfallAttempt[];
}

export interface WaterfallLayout {
  /** Epoch milliseconds of the axis' zero. */
  origin: number;
  /** Length of the axis in milliseconds (at least 1). */
  total: number;
  steps: WaterfallStep[];
}

const time = (value: string | null): number | null => (value === null ? null : Date.parse(value));

/** Unfinished spans run to `now` (epoch ms). */
export function waterfallLayout(steps: readonly StepDetail[], sessionStart: string | null, now: number): WaterfallLayout {
  const starts = steps.flatMap((step) => [time(step.startedAt), ...step.attemptDetails.map((attempt) => time(attempt.startedAt))]);
  const known = starts.filter((value): value is number => value !== null && Number.isFinite(value));
  const origin = time(sessionStart) ?? (known.length > 0 ? Math.min(...known) : now);
  const spanOf = (start: string | null, end: string | null): Span | null => {
    const from = time(start);
    if (from === null) return null;
    const to = time(end) ?? now;
    return { start: Math.max(0, from - origin), end: Math.max(from, to) - origin };
  };
  let total = 1;
  const rows = steps.map((step): WaterfallStep => {
    const attempts = step.attemptDetails.flatMap((attempt) => {
      const span = spanOf(attempt.startedAt, attempt.finishedAt);
      return span ? [{ attempt: attempt.attempt, outcome: attempt.outcome, span }] : [];
    });
    const span = spanOf(step.startedAt, step.completedAt);
    for (const item of [span, ...attempts.map((attempt) => attempt.span)]) if (item) total = Math.max(total, item.end);
    return { stepId: step.stepId, description: step.description, status: step.status, span, attempts };
  });
  return { origin, total, steps: rows };
}

/** A call's span: it ended at `finishedAt` and took `latencyMs`. */
export function callSpan(call: Pick<CallSummary, "startedAt" | "finishedAt">, origin: number): Span {
  return { start: Math.max(0, Date.parse(call.startedAt) - origin), end: Math.max(0, Date.parse(call.finishedAt) - origin) };
}

/** Left offset and width in percent of the axis; a zero-length span stays visible. */
export function placement(span: Span, total: number): { left: number; width: number } {
  const left = Math.min(100, (span.start / total) * 100);
  const width = Math.max(0.25, Math.min(100 - left, ((span.end - span.start) / total) * 100));
  return { left, width };
}

export function overlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The slowest of a list of calls, or null. */
export function slowestCall<T extends Pick<CallSummary, "latencyMs">>(calls: readonly T[]): T | null {
  return calls.reduce<T | null>((slowest, call) => (slowest === null || call.latencyMs > slowest.latencyMs ? call : slowest), null);
}
