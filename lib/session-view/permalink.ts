/**
 * Permalinks into a session page: `#step-2`, `#step-2/attempt-1`, `#step-2/attempt-1/call-57` (the
 * call's id is the seq of its event). The page opens what the fragment names and scrolls to it.
 */
export interface TraceTarget {
  stepId: number;
  attempt: number | null;
  callId: number | null;
}

const PATTERN = /^#?step-(\d+)(?:\/attempt-(\d+)(?:\/call-(\d+))?)?$/;

export function parseTraceHash(hash: string): TraceTarget | null {
  const match = PATTERN.exec(decodeURIComponent(hash.trim()));
  if (!match) return null;
  return { stepId: Number(match[1]), attempt: match[2] ? Number(match[2]) : null, callId: match[3] ? Number(match[3]) : null };
}

export function traceHash(target: TraceTarget): string {
  let hash = `#step-${target.stepId}`;
  if (target.attempt !== null) hash += `/attempt-${target.attempt}`;
  if (target.attempt !== null && target.callId !== null) hash += `/call-${target.callId}`;
  return hash;
}

/** The element id of what a target names: the anchor the page scrolls to. */
export function traceElementId(target: TraceTarget): string {
  return traceHash(target).slice(1);
}

/** Where a session page keeps what it has open (the expanded steps, the opened calls) across reloads. */
export function openStateKey(sessionId: number, part: "steps" | "calls"): string {
  return `atlas:session:${sessionId}:open-${part}`;
}

/** A stored list of ids, read defensively: anything else is an empty list. */
export function parseOpenIds(text: string | null): number[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id) && id >= 0) : [];
  } catch {
    return [];
  }
}
