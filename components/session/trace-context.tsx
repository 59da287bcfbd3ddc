"use client";

import { createContext, useContext, useEffect, useRef } from "react";
import type { TraceTarget } from "@/lib/session-view/permalink";

export interface TraceNavigation {
  sessionId: number;
  /** What the URL fragment named when the page loaded (or the last link followed). */
  target: TraceTarget | null;
  openCalls: ReadonlySet<number>;
  toggleCall: (call: { id: number; stepId: number | null; attempt: number | null }) => void;
  /** Opens the step, attempt or call a target names and scrolls to it. */
  goTo: (target: TraceTarget) => void;
}

const TraceContext = createContext<TraceNavigation | null>(null);

export const TraceProvider = TraceContext.Provider;

export function useTrace(): TraceNavigation {
  const value = useContext(TraceContext);
  if (!value) throw new Error("useTrace() outside a session page");
  return value;
}

/** Scrolls the element into view once it is drawn, when it is what the permalink (or a followed link) names. */
export function useScrollWhenTarget(elementId: string, target: TraceTarget | null, isTarget: boolean): void {
  const done = useRef<TraceTarget | null>(null);
  useEffect(() => {
    if (!isTarget || done.current === target) return;
    done.current = target;
    document.getElementById(elementId)?.scrollIntoView({ block: "start" });
  }, [elementId, target, isTarget]);
}
