"use client";

import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { applyEvents } from "@/lib/session-view/apply-event";
import { appendLiveEvent, type EventLogFilter, type EventLogPage } from "@/lib/session-view/event-log";
import { followSessionEvents, type InvalidFrame, type StreamState } from "@/lib/session-view/follow-events";
import { overviewKey, sessionKeys } from "@/lib/session-view/queries";
import type { SessionView } from "@/lib/session-view/types";

export interface StreamInfo {
  state: StreamState;
  detail: string | null;
  invalidFrames: InvalidFrame[];
  received: number;
}

/**
 * Follows the session's live events while it is active and folds them into the cached snapshot (and
 * into loaded event-log pages). Subscribing to the stream is the one job of this effect.
 */
export function useSessionStream(sessionId: number, active: boolean): StreamInfo {
  const queryClient = useQueryClient();
  const [info, setInfo] = useState<StreamInfo>({ state: "closed", detail: null, invalidFrames: [], received: 0 });

  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    const detailKey = sessionKeys.detail(sessionId);
    const apply = batchedApplier(queryClient, sessionId, (count) =>
      setInfo((current) => ({ ...current, received: current.received + count })),
    );
    void followSessionEvents({
      url: (after) => `/api/sessions/${sessionId}/events?after=${after}`,
      after: () => queryClient.getQueryData<SessionView>(detailKey)?.session.lastSeq ?? 0,
      onEvent: apply.push,
      onInvalidFrame: (frame) => {
        console.warn(`dropped an invalid event frame (${frame.event}): ${frame.problem}`);
        setInfo((current) => ({ ...current, invalidFrames: [...current.invalidFrames.slice(-19), frame] }));
      },
      onState: (state, detail) => setInfo((current) => ({ ...current, state, detail: detail ?? null })),
      signal: controller.signal,
    }).then((result) => {
      apply.flush();
      if (result.outcome !== "terminal") return;
      void queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
      void queryClient.invalidateQueries({ queryKey: sessionKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: overviewKey });
      refetchLogsBehind(queryClient, sessionId, result.event.seq);
    });
    return () => {
      controller.abort();
      apply.flush();
    };
  }, [active, queryClient, sessionId]);

  return info;
}

/** Applies events in batches (one cache write per animation frame), so a fast replay renders once. */
function batchedApplier(queryClient: QueryClient, sessionId: number, onApplied: (count: number) => void) {
  let pending: TrajectoryEvent[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    queryClient.setQueryData<SessionView>(sessionKeys.detail(sessionId), (view) => (view ? applyEvents(view, events) : view));
    for (const [key, data] of queryClient.getQueriesData<InfiniteData<EventLogPage, number>>({ queryKey: sessionKeys.eventLogs(sessionId) })) {
      if (!data) continue;
      const filter = filterFromKey(key);
      let pages = data.pages;
      let gap = false;
      for (const event of events) {
        const appended = appendLiveEvent(pages, event, filter);
        pages = appended.pages;
        if (appended.gap) gap = true;
      }
      // Events stored while the page was loading never reached it: reload rather than show a hole.
      if (gap) void queryClient.refetchQueries({ queryKey: key, exact: true });
      else if (pages !== data.pages) queryClient.setQueryData(key, { ...data, pages });
    }
    onApplied(events.length);
  };
  return {
    push(event: TrajectoryEvent) {
      pending.push(event);
      if (scheduled) return;
      scheduled = true;
      if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(flush);
      else setTimeout(flush, 50);
    },
    flush,
  };
}

/** An event log whose pages stop short of the terminal event missed the end while loading. */
function refetchLogsBehind(queryClient: QueryClient, sessionId: number, finalSeq: number): void {
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<EventLogPage, number>>({ queryKey: sessionKeys.eventLogs(sessionId) })) {
    const last = data?.pages.at(-1);
    if (last && !last.full && last.coveredTo < finalSeq) void queryClient.refetchQueries({ queryKey: key, exact: true });
  }
}

function filterFromKey(key: readonly unknown[]): EventLogFilter {
  const [types, actor, stepId] = JSON.parse(String(key[4] ?? "[[],null,null]")) as [EventLogFilter["types"], EventLogFilter["actor"], EventLogFilter["stepId"]];
  return { types, actor, stepId };
}
