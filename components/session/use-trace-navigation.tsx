"use client";

import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { openStateKey, parseOpenIds, parseTraceHash, traceElementId, traceHash, type TraceTarget } from "@/lib/session-view/permalink";
import { TraceProvider, type TraceNavigation } from "./trace-context";

/**
 * The expanded steps of a session page, kept in sessionStorage so a reload shows the same. Read after
 * mount only: storage exists in the browser, and the first render must match the server's.
 */
export function useExpandedSteps(sessionId: number) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const stored = parseOpenIds(window.sessionStorage.getItem(openStateKey(sessionId, "steps")));
    // Merged: a permalink may have opened a step already.
    setExpanded((current) => new Set([...stored, ...current]));
    setRestored(true);
  }, [sessionId]);
  useEffect(() => {
    if (restored) window.sessionStorage.setItem(openStateKey(sessionId, "steps"), JSON.stringify([...expanded]));
  }, [sessionId, expanded, restored]);

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
  return { expanded, toggleStep, openStep };
}

/**
 * The opened calls and what the URL fragment names. Its own component, so opening a call re-renders
 * the calls and attempts that read it, not the whole page. The fragment names the last step or call
 * opened (a permalink); a fragment on load or a followed link opens what it names.
 */
export function TraceNavigationProvider({ sessionId, openStep, children }: { sessionId: number; openStep: (stepId: number) => void; children: ReactNode }) {
  const [openCalls, setOpenCalls] = useState<ReadonlySet<number>>(() => new Set());
  const [target, setTarget] = useState<TraceTarget | null>(null);
  const [restored, setRestored] = useState(false);

  const goTo = useCallback(
    (named: TraceTarget) => {
      openStep(named.stepId);
      if (named.callId !== null) setOpenCalls((current) => (current.has(named.callId!) ? current : new Set(current).add(named.callId!)));
      setTarget({ ...named });
      pointUrlAt(named);
      requestAnimationFrame(() => document.getElementById(traceElementId(named))?.scrollIntoView({ block: "start" }));
    },
    [openStep],
  );

  useEffect(() => {
    const stored = parseOpenIds(window.sessionStorage.getItem(openStateKey(sessionId, "calls")));
    const named = parseTraceHash(window.location.hash);
    if (named) openStep(named.stepId);
    setOpenCalls(new Set(named?.callId ? [...stored, named.callId] : stored));
    setTarget(named);
    setRestored(true);
    // A step is on the page already; attempts and calls scroll themselves once they have loaded.
    if (named && named.attempt === null) requestAnimationFrame(() => document.getElementById(traceElementId(named))?.scrollIntoView({ block: "start" }));
    const followed = () => {
      const link = parseTraceHash(window.location.hash);
      if (link) goTo(link);
    };
    window.addEventListener("hashchange", followed);
    return () => window.removeEventListener("hashchange", followed);
  }, [sessionId, openStep, goTo]);

  useEffect(() => {
    if (restored) window.sessionStorage.setItem(openStateKey(sessionId, "calls"), JSON.stringify([...openCalls]));
  }, [sessionId, openCalls, restored]);

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

  const navigation = useMemo<TraceNavigation>(() => ({ sessionId, target, openCalls, toggleCall, goTo }), [sessionId, target, openCalls, toggleCall, goTo]);
  return <TraceProvider value={navigation}>{children}</TraceProvider>;
}

/** Replaces the fragment without scrolling or a history entry: the URL is a permalink to what was opened last. */
function pointUrlAt(target: TraceTarget): void {
  window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}${traceHash(target)}`);
}

function clearUrlTarget(): void {
  window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}`);
}
