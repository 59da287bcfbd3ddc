"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { memo, useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNotice } from "@/components/ui/error-notice";
import type { AtlasError } from "@/lib/errors";
import type { Actor, EventType, TrajectoryEvent } from "@/lib/trajectory";
import {
  ACTORS,
  EVENT_TYPES,
  isFiltered,
  lastLoadedSeq,
  NO_EVENT_FILTER,
  notLoadedCount,
  summarizeEvent,
  visibleEvents,
  type EventLogFilter,
} from "@/lib/session-view/event-log";
import { EVENT_LOG_PAGE_SIZE, eventLogQueryOptions } from "@/lib/session-view/queries";

/** The stored events, paged from the event-log API and extended live while the pages have caught up. */
export function EventLog({
  sessionId,
  lastSeq,
  active,
  stepIds,
}: {
  sessionId: number;
  lastSeq: number;
  active: boolean;
  stepIds: number[];
}) {
  const [filter, setFilter] = useState<EventLogFilter>(NO_EVENT_FILTER);
  const [start, setStart] = useState(0);
  const query = useInfiniteQuery(eventLogQueryOptions(sessionId, filter, start));
  const pages = useMemo(() => query.data?.pages ?? [], [query.data]);
  const last = pages.at(-1);
  const missedEnd = !active && !query.isFetching && last !== undefined && !last.full && last.coveredTo < lastSeq;
  const { refetch } = query;
  // Named exception to "no effects for server state": a page that was loading while the run ended
  // can miss the last events, and no live event will follow to reveal the gap. Reload it once.
  useEffect(() => {
    if (missedEnd) void refetch();
  }, [missedEnd, refetch]);
  const events = useMemo(() => visibleEvents(pages, filter), [pages, filter]);
  const loadedTo = lastLoadedSeq(pages);
  const behind = query.hasNextPage ? notLoadedCount(pages, lastSeq) : 0;

  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          Event log <Badge>{lastSeq.toLocaleString("en-US")} events</Badge>
        </span>
      }
    >
      <EventFilters filter={filter} stepIds={stepIds} onChange={(next) => setFilter(next)} />
      {start > 0 ? (
        <p className="mt-3 text-xs text-slate-600" data-testid="event-log-skipped">
          {start.toLocaleString("en-US")} earlier events not loaded.{" "}
          <button type="button" className="font-medium text-blue-700 hover:underline" onClick={() => setStart(0)}>
            Start from the first event
          </button>
        </p>
      ) : null}
      {query.error ? <ErrorNotice error={query.error as AtlasError} title="Could not load the event log" /> : null}
      <div className="mt-3 overflow-x-auto">
        <table className="w-full min-w-[720px] text-left text-xs" data-testid="event-log">
          <thead className="text-slate-500">
            <tr>
              <th className="w-14 py-1 font-medium">seq</th>
              <th className="w-24 py-1 font-medium">time</th>
              <th className="w-36 py-1 font-medium">type</th>
              <th className="w-16 py-1 font-medium">actor</th>
              <th className="w-16 py-1 font-medium">step</th>
              <th className="py-1 font-medium">summary</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <EventRow key={event.seq} event={event} />
            ))}
          </tbody>
        </table>
      </div>
      {query.isPending ? <p className="mt-2 text-sm text-slate-500">Loading events…</p> : null}
      {!query.isPending && events.length === 0 && !query.hasNextPage ? (
        <p className="mt-2 text-sm text-slate-500" data-testid="event-log-empty">
          {isFiltered(filter) ? "No loaded event matches these filters." : "No events recorded yet."}
        </p>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-3 text-xs text-slate-600">
        {query.hasNextPage ? (
          <>
            <span data-testid="event-log-more">
              {isFiltered(filter)
                ? `Loaded up to event ${loadedTo.toLocaleString("en-US")}; ${behind.toLocaleString("en-US")} later events are not searched yet.`
                : `${behind.toLocaleString("en-US")} more not loaded.`}
            </span>
            <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} data-testid="event-log-load-more">
              {query.isFetchingNextPage ? "Loading…" : `Load ${EVENT_LOG_PAGE_SIZE} more`}
            </Button>
            {!isFiltered(filter) && behind > EVENT_LOG_PAGE_SIZE ? (
              <Button variant="secondary" onClick={() => setStart(Math.max(0, lastSeq - EVENT_LOG_PAGE_SIZE))}>
                Jump to the newest
              </Button>
            ) : null}
          </>
        ) : pages.length > 0 ? (
          <span data-testid="event-log-complete">
            {active
              ? `All events up to ${loadedTo.toLocaleString("en-US")} shown; new ones are added live.`
              : `All ${loadedTo.toLocaleString("en-US")} events shown; the session has ended.`}
          </span>
        ) : null}
      </div>
    </Card>
  );
}

const EventRow = memo(function EventRow({ event }: { event: TrajectoryEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr
        data-testid="event-row"
        data-seq={event.seq}
        data-type={event.type}
        className="cursor-pointer border-t border-slate-100 align-top hover:bg-slate-50"
        onClick={() => setOpen(!open)}
      >
        <td className="py-1 font-mono tabular-nums">{event.seq}</td>
        <td className="py-1 tabular-nums text-slate-500">{new Date(event.ts).toLocaleTimeString("en-GB")}</td>
        <td className="py-1 font-mono">{event.type}</td>
        <td className="py-1">{event.actor}</td>
        <td className="py-1">
          {event.stepId ?? ""}
          {event.attempt ? `.${event.attempt}` : ""}
        </td>
        <td className="py-1 break-words text-slate-700">{summarizeEvent(event)}</td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={6} className="pb-2">
            <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] whitespace-pre-wrap">
              {JSON.stringify(event, null, 2)}
            </pre>
          </td>
        </tr>
      ) : null}
    </>
  );
});

function EventFilters({
  filter,
  stepIds,
  onChange,
}: {
  filter: EventLogFilter;
  stepIds: number[];
  onChange: (filter: EventLogFilter) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-4 text-xs">
      <label className="flex flex-col gap-1">
        <span className="font-medium text-slate-600">Type</span>
        <select
          data-testid="event-filter-type"
          className="rounded border border-slate-300 bg-white px-2 py-1"
          value={filter.types[0] ?? ""}
          onChange={(event) => onChange({ ...filter, types: event.target.value ? [event.target.value as EventType] : [] })}
        >
          <option value="">all types</option>
          {EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium text-slate-600">Actor</span>
        <select
          data-testid="event-filter-actor"
          className="rounded border border-slate-300 bg-white px-2 py-1"
          value={filter.actor ?? ""}
          onChange={(event) => onChange({ ...filter, actor: (event.target.value || null) as Actor | null })}
        >
          <option value="">all actors</option>
          {ACTORS.map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium text-slate-600">Step</span>
        <select
          data-testid="event-filter-step"
          className="rounded border border-slate-300 bg-white px-2 py-1"
          value={filter.stepId ?? ""}
          onChange={(event) => onChange({ ...filter, stepId: event.target.value ? Number(event.target.value) : null })}
        >
          <option value="">all steps</option>
          {stepIds.map((id) => (
            <option key={id} value={id}>
              step {id}
            </option>
          ))}
        </select>
      </label>
      {isFiltered(filter) ? (
        <button type="button" className="pb-1 font-medium text-blue-700 hover:underline" onClick={() => onChange(NO_EVENT_FILTER)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
