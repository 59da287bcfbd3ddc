/**
 * The raw event log of the session page: filters, pages loaded from `GET /api/sessions/:id/event-log`,
 * live events appended once the loaded pages have caught up, and one-line summaries.
 */
import { ActorSchema, EVENT_TYPES, type Actor, type EventType, type TrajectoryEvent } from "@/lib/trajectory";

export interface EventLogFilter {
  types: EventType[];
  actor: Actor | null;
  stepId: number | null;
}

export const NO_EVENT_FILTER: EventLogFilter = { types: [], actor: null, stepId: null };
export const ACTORS = ActorSchema.options;
export { EVENT_TYPES };

export interface EventLogPage {
  events: TrajectoryEvent[];
  /** The cursor this page was loaded after. */
  after: number;
  /** True when more stored events may follow this page (load the next one). */
  full: boolean;
  /**
   * Every stored event up to this seq has been considered for this page (matching or not); live
   * events extend it one seq at a time.
   */
  coveredTo: number;
}

export function isFiltered(filter: EventLogFilter): boolean {
  return filter.types.length > 0 || filter.actor !== null || filter.stepId !== null;
}

export function matchesFilter(event: TrajectoryEvent, filter: EventLogFilter): boolean {
  if (filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.actor !== null && event.actor !== filter.actor) return false;
  if (filter.stepId !== null && event.stepId !== filter.stepId) return false;
  return true;
}

export function filterKey(filter: EventLogFilter): string {
  return JSON.stringify([[...filter.types].sort(), filter.actor, filter.stepId]);
}

/** Query string of one page: the server filters by type; actor and step are filtered here too. */
export function eventLogQuery(filter: EventLogFilter, after: number, limit: number): string {
  const params = new URLSearchParams({ after: String(after), limit: String(limit) });
  for (const type of filter.types) params.append("type", type);
  return params.toString();
}

export function lastLoadedSeq(pages: readonly EventLogPage[]): number {
  for (let index = pages.length - 1; index >= 0; index -= 1) {
    const page = pages[index] as EventLogPage;
    const last = page.events.at(-1);
    if (last) return last.seq;
    if (index === pages.length - 1 && page.after > 0) return page.after;
  }
  return 0;
}

/** The cursor for the next page, or undefined once the last page came back short (caught up). */
export function nextPageCursor(pages: readonly EventLogPage[]): number | undefined {
  const last = pages.at(-1);
  if (!last || !last.full) return undefined;
  return lastLoadedSeq(pages);
}

export type LiveAppend = { pages: EventLogPage[]; gap: false } | { pages: EventLogPage[]; gap: true };

/**
 * Extends loaded pages with a live event when they are caught up with the stored log. An event
 * beyond the next seq means something arrived while the page was loading: report a gap (reload the
 * pages) rather than show a log with a hole. Same pages object back when nothing changes.
 */
export function appendLiveEvent(pages: EventLogPage[], event: TrajectoryEvent, filter: EventLogFilter): LiveAppend {
  const last = pages.at(-1);
  if (!last || last.full || event.seq <= last.coveredTo) return { pages, gap: false };
  if (event.seq > last.coveredTo + 1) return { pages, gap: true };
  const events = matchesFilter(event, filter) ? [...last.events, event] : last.events;
  return { pages: [...pages.slice(0, -1), { ...last, events, coveredTo: event.seq }], gap: false };
}

/** Loaded events that pass the client-side part of the filter. */
export function visibleEvents(pages: readonly EventLogPage[], filter: EventLogFilter): TrajectoryEvent[] {
  const events: TrajectoryEvent[] = [];
  for (const page of pages) for (const event of page.events) if (matchesFilter(event, filter)) events.push(event);
  return events;
}

/** How many stored events after the loaded ones are not shown yet (exact without a filter). */
export function notLoadedCount(pages: readonly EventLogPage[], lastSeq: number): number {
  return Math.max(0, lastSeq - lastLoadedSeq(pages));
}

export function summarizeEvent(event: TrajectoryEvent): string {
  switch (event.type) {
    case "session.started":
      return `task: ${clip(event.task)}`;
    case "session.queued":
      return `queued at position ${event.position} (limit ${event.runningLimit})`;
    case "plan.drafted":
      return `${plural(event.plan.steps.length, "step")}${event.fallback ? " (fallback plan)" : ""}`;
    case "plan.reviewed":
      return `${event.mode}, ${plural(event.plan.steps.length, "step")}${event.changes.length ? `; ${event.changes.length} change(s)` : ""}${event.cached ? " (cached)" : ""}`;
    case "step.started":
      return `level ${event.level}: ${clip(event.description)}`;
    case "attempt.started":
      return event.guidance.length ? `with ${plural(event.guidance.length, "guidance note")}` : "no guidance";
    case "tool.call":
      return `${event.tool}(${clip(JSON.stringify(event.arguments), 80)})`;
    case "tool.result":
      return `${event.tool} → ${event.error ? `error: ${clip(event.error)}` : clip(event.output)} (${Math.round(event.durationMs)} ms)`;
    case "validation":
      return event.valid ? "valid" : `invalid${event.guidance ? `: ${clip(event.guidance)}` : ""}`;
    case "judge.sample":
      return event.sample
        ? `${event.judge} @${event.temperature}: ${event.sample.score.toFixed(2)} (uncertainty ${event.sample.uncertainty.toFixed(2)})`
        : `${event.judge} @${event.temperature}: discarded — ${clip(event.error ?? "")}`;
    case "judge.escalated":
      return `${event.judge}: ${event.reason}${event.spread === null ? "" : `, spread ${event.spread.toFixed(2)}`}`;
    case "arbiter.decision":
      return `${event.judge}: ${event.score.toFixed(2)} by ${event.model}${event.failed ? " (failed)" : ""}`;
    case "reward":
      return event.skipped ? `skipped (${event.breakdown.rationale ?? "not judged"})` : `score ${event.score.toFixed(2)}`;
    case "guidance.issued":
      return `for attempt ${event.forAttempt}: ${clip(event.note)}`;
    case "attempt.finished":
      return `${event.outcome} (${event.status})${event.error ? `: ${clip(event.error)}` : ""}`;
    case "step.finished":
      return `${event.status}${event.reason ? `: ${clip(event.reason)}` : ""}`;
    case "synthesis":
      return clip(event.finalAnswer);
    case "llm.call":
      return `${event.stage} ${event.model}: ${event.promptTokens}+${event.completionTokens} tokens, ${Math.round(event.latencyMs)} ms${event.error ? `, error: ${clip(event.error)}` : ""}`;
    case "agent.call":
      return `${event.mode}: ${Math.round(event.latencyMs)} ms${event.error ? `, error: ${clip(event.error)}` : ""}`;
    case "error":
      return `${event.where}: ${clip(event.message)}`;
    case "session.completed":
      return `completed in ${Math.round(event.durationMs)} ms`;
    case "session.failed":
      return clip(event.error);
    case "session.cancelled":
    case "session.interrupted":
      return clip(event.reason);
  }
}

function clip(text: string, max = 140): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
