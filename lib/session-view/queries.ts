/**
 * React Query keys and option factories for the runs/sessions pages (browser side of the HTTP
 * contract in lib/sessions/api-types.ts). One place decides what is cached under which key.
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/api-client";
import { TERMINAL_STATUSES, type SessionStatus } from "@/lib/trajectory";
import {
  sessionPageSnapshotPath,
  stepDetailPath,
  type EventLogPage as EventLogPageBody,
  type Overview,
  type SessionDetail,
  type SessionListResponse,
  type StepDetail,
} from "@/lib/sessions/api-types";
import { addExtraEvent, EXTRA_EVENT_TYPES } from "./extras";
import { eventLogQuery, filterKey, nextPageCursor, type EventLogFilter, type EventLogPage } from "./event-log";
import { filtersToParams, sessionsApiQuery, type SessionFilters } from "./list-filters";
import { toSessionView, type ExtrasIndex, type SessionView } from "./types";

export const SESSION_PAGE_SIZE = 50;
export const EVENT_LOG_PAGE_SIZE = 200;
const HISTORY_PAGE_SIZE = 1000;
const LIVE_REFRESH_MS = 2000;

export const sessionKeys = {
  all: ["sessions"] as const,
  lists: () => ["sessions", "list"] as const,
  list: (filters: SessionFilters) => ["sessions", "list", filtersToParams(filters).toString()] as const,
  detail: (id: number) => ["sessions", "detail", id] as const,
  extras: (id: number) => ["sessions", "detail", id, "extras"] as const,
  step: (id: number, stepId: number) => ["sessions", "detail", id, "step", stepId] as const,
  eventLogs: (id: number) => ["sessions", "detail", id, "event-log"] as const,
  eventLog: (id: number, filter: EventLogFilter, start: number) =>
    ["sessions", "detail", id, "event-log", filterKey(filter), start] as const,
};

export const overviewKey = ["overview"] as const;

export const launchConfigKeys = {
  list: ["launch-configs"] as const,
  detail: (name: string) => ["launch-configs", name] as const,
};

export function isActive(status: SessionStatus | string): boolean {
  return !TERMINAL_STATUSES.includes(status as SessionStatus);
}

export function sessionQuery(id: number) {
  return queryOptions({
    queryKey: sessionKeys.detail(id),
    queryFn: async (): Promise<SessionView> => fetchedSnapshot(await fetchJson<SessionDetail>(sessionPageSnapshotPath(id))),
    // The event stream keeps a live snapshot current; a refetch could only race it.
    staleTime: Number.POSITIVE_INFINITY,
    // A refetched snapshot keeps the extras that only arrived as live events.
    structuralSharing: (previous: unknown, next: unknown) => keepLiveState(previous as SessionView | undefined, next as SessionView),
    retry: (failures, error) => failures < 2 && (error as { code?: string }).code !== "not_found",
  });
}

/** Views that came from the server (as opposed to ones the live reducer produced). */
const fetchedSnapshots = new WeakSet<SessionView>();

function fetchedSnapshot(detail: SessionDetail): SessionView {
  const view = toSessionView(detail);
  fetchedSnapshots.add(view);
  return view;
}

/**
 * How a new cache value replaces the old one. A refetched snapshot keeps the live-only state (tool
 * calls, samples, arbiter models that arrived as events) and never steps back behind events already
 * applied; a value written by the live reducer is taken as is.
 */
export function keepLiveState(previous: SessionView | undefined, next: SessionView): SessionView {
  if (!previous || !fetchedSnapshots.has(next) || previous.session.id !== next.session.id) return next;
  if (previous.session.lastSeq > next.session.lastSeq) return previous;
  return { ...next, live: previous.live };
}

/** One step in full, for an opened step whose evaluations the snapshot left out. */
export function stepDetailQuery(id: number, stepId: number) {
  return queryOptions({
    queryKey: sessionKeys.step(id, stepId),
    queryFn: () => fetchJson<StepDetail>(stepDetailPath(id, stepId)),
    // Live events keep the step current; the fetch only fills in what the snapshot left out.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The extras (tool calls, samples, escalations, arbiter decisions) stored before the page opened. */
export function sessionExtrasQuery(id: number, upToSeq: number) {
  return queryOptions({
    queryKey: sessionKeys.extras(id),
    queryFn: async (): Promise<ExtrasIndex> => {
      let index: ExtrasIndex = {};
      let after = 0;
      const filter = { types: [...EXTRA_EVENT_TYPES], actor: null, stepId: null };
      for (;;) {
        const page = await fetchEventPage(id, eventLogQuery(filter, after, HISTORY_PAGE_SIZE));
        for (const event of page.events) if (event.seq <= upToSeq) index = addExtraEvent(index, event);
        if (page.nextAfter === null || page.nextAfter >= upToSeq) return index;
        after = page.nextAfter;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function eventLogQueryOptions(id: number, filter: EventLogFilter, start: number) {
  return infiniteQueryOptions({
    queryKey: sessionKeys.eventLog(id, filter, start),
    initialPageParam: start,
    queryFn: async ({ pageParam }): Promise<EventLogPage> => {
      const page = await fetchEventPage(id, eventLogQuery(filter, pageParam, EVENT_LOG_PAGE_SIZE));
      const lastEvent = page.events.at(-1)?.seq ?? pageParam;
      return { events: page.events, after: pageParam, full: page.nextAfter !== null, coveredTo: page.nextAfter ?? Math.max(lastEvent, page.lastSeq) };
    },
    getNextPageParam: (_last, pages) => nextPageCursor(pages),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

async function fetchEventPage(id: number, query: string): Promise<EventLogPageBody> {
  return fetchJson<EventLogPageBody>(`/api/sessions/${id}/event-log?${query}`);
}

export function sessionListQuery(filters: SessionFilters, pageSize = SESSION_PAGE_SIZE) {
  return infiniteQueryOptions({
    queryKey: [...sessionKeys.list(filters), pageSize] as const,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson<SessionListResponse>(`/api/sessions?${sessionsApiQuery(filters, pageParam, pageSize)}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 5_000,
    // Poll only while a visible session can still change.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.sessions.some((session) => isActive(session.status))) ? LIVE_REFRESH_MS : false,
  });
}

export function overviewQuery() {
  return queryOptions({
    queryKey: overviewKey,
    queryFn: () => fetchJson<Overview>("/api/overview"),
    staleTime: 5_000,
    refetchInterval: (query) => ((query.state.data?.running.length ?? 0) > 0 ? LIVE_REFRESH_MS : false),
  });
}

export interface LaunchConfigSummary {
  name: string;
  source: "saved" | "example";
  valid: boolean;
  version?: number | null;
  hash?: string;
  description?: string;
  issueCount?: number;
}

export interface LaunchConfigDetail {
  name: string;
  source: string;
  yaml: string;
  version: number | null;
  hash: string;
}

export function launchConfigsQuery() {
  return queryOptions({
    queryKey: launchConfigKeys.list,
    queryFn: () => fetchJson<{ configs: LaunchConfigSummary[] }>("/api/configs"),
    staleTime: 10_000,
  });
}

/**
 * The session a "Run again" link names (`/runs/new?session=ID`): its task and config fill the form.
 * The task travels by id, never in the URL, where a long one overflows the request header limit.
 */
export function launchSourceQuery(sessionId: number) {
  return queryOptions({
    queryKey: ["launch-source", sessionId] as const,
    queryFn: async () => {
      const detail = await fetchJson<SessionDetail>(sessionPageSnapshotPath(sessionId));
      return { task: detail.session.task, configName: detail.session.configName };
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function launchConfigQuery(name: string) {
  return queryOptions({
    queryKey: launchConfigKeys.detail(name),
    queryFn: () => fetchJson<LaunchConfigDetail>(`/api/configs/${name.split("/").map(encodeURIComponent).join("/")}`),
    staleTime: 10_000,
  });
}
