"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { openStateKey, parseOpenState, parseTraceHash, traceElementId, traceHash, type TraceTarget } from "@/lib/session-view/permalink";
import type { TraceNavigation } from "./trace-context";

/**
 * What a session page has open: the expanded steps and the opened calls. Kept in sessionStorage so a
 * reload shows the same; the URL fragment names the last step or call opened (a permalink), and a
 * fragment on load or a followed link opens what it names.
 */
export function useTraceNavigation(sessionId: number) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [openCalls, setOpenCalls] = useState<ReadonlySet<number>>(() => new Set());
  const [target, setTarget] = useState<TraceTarget | null>(null);
  const [restored, setRestored] = useState(false);

  /** Opens what a target names (a followed link, a waterfall bar) and scrolls to it once it is drawn. */
  const goTo = useCallback((named: TraceTarget) => {
    setExpanded((current) => (current.has(named.stepId) ? current : new Set(current).add(named.stepId)));
    if (named.callId !== null) setOpenCalls((current) => (current.has(named.callId!) ? current : new Set(current).add(named.callId!)));
    setTarget({ ...named });
    pointUrlAt(named);
    requestAnimationFrame(() => document.getElementById(traceElementId(named))?.scrollIntoView({ block: "start" }));
  }, []);

  // After mount only: storage and the fragment exist in the browser, and the first render must match the server's.
  useEffect(() => {
    const stored = parseOpenState(window.sessionStorage.getItem(openStateKey(sessionId)));
    const apply = (named: TraceTarget | null, base: { steps: number[]; calls: number[] }) => {
      setExpanded(new Set(named ? [...base.steps, named.stepId] : base.steps));
      setOpenCalls(new Set(named?.callId ? [...base.calls, named.callId] : base.calls));
      setTarget(named);
    };
    const named = parseTraceHash(window.location.hash);
    apply(named, stored);
    setRestored(true);
    // A step is on the page already; attempts and calls scroll themselves once they have loaded.
    if (named && named.attempt === null) requestAnimationFrame(() => document.getElementById(traceElementId(named))?.scrollIntoView({ block: "start" }));
    const followed = () => {
      const named = parseTraceHash(window.location.hash);
      if (named) goTo(named);
    };
    window.addEventListener("hashchange", followed);
    return () => window.removeEventListener("hashchange", followed);
  }, [sessionId, goTo]);

  useEffect(() => {
    if (!restored) return;
    window.sessionStorage.setItem(openStateKey(sessionId), JSON.stringify({ steps: [...expanded], calls: [...openCalls] }));
  }, [sessionId, expanded, openCalls, restored]);

  const toggleStep = useCallback((stepId: number) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(stepId)) {
        next.delete(stepId);
        // A closed step is no longer what the URL points at (a reload would open it again).
        if (parseTraceHash(window.location.hash)?.stepId === stepId) clearUrlTarget();
      } else {
        next.add(stepId);
        pointUrlAt({ stepId, attempt: null, callId: null });
      }
      return next;
    });
  }, []);

  const openStep = useCallback((stepId: number) => {
    setExpanded((current) => (current.has(stepId) ? current : new Set(current).add(stepId)));
  }, []);

  const toggleCall = useCallback<TraceNavigation["toggleCall"]>((call) => {
    setOpenCalls((current) => {
      const next = new Set(current);
      if (next.has(call.id)) {
        next.delete(call.id);
        const named = parseTraceHash(window.location.hash);
        if (named?.callId === call.id) pointUrlAt({ ...named, callId: null });
      } else {
        next.add(call.id);
        if (call.stepId !== null && call.attempt !== null) pointUrlAt({ stepId: call.stepId, attempt: call.attempt, callId: call.id });
      }
      return next;
    });
  }, []);

  const navigation = useMemo<TraceNavigation>(
    () => ({ sessionId, target, openCalls, toggleCall, goTo }),
    [sessionId, target, openCalls, toggleCall, goTo],
  );
  return { expanded, toggleStep, openStep, navigation };
}

/** Replaces the fragment without scrolling or a history entry: the URL is a permalink to what was opened last. */
function pointUrlAt(target: TraceTarget): void {
  window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}${traceHash(target)}`);
}

function clearUrlTarget(): void {
  window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}`);
}
