"use client";

import { createContext, useContext, useEffect, useRef } from "react";
import type { TraceTarget } from "@/lib/session-view/permalink";

export interface TraceNavigation {
  sessionId: number;
  /** What the URL fragment named when the page loaded (or the last link followed). */
  target: TraceTarget | null;
  openCalls: ReadonlySet<number>;
  toggleCall: (call: { id: number; stepId: number | null; attempt: number | null }) => void;
}

const TraceContext = createContext<TraceNavigation | null>(null);

export const TraceProvider = TraceContext.Provider;

export function useTrace(): TraceNavigation {
  const value = useContext(TraceContext);
  if (!value) throw new Error("useTrace() outside a session page");
  return value;
}

/** Scrolls the element into view once, when it is what the permalink names. */
export function useScrollWhenTarget(elementId: string, isTarget: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (!isTarget || done.current) return;
    done.current = true;
    document.getElementById(elementId)?.scrollIntoView({ block: "start" });
  }, [elementId, isTarget]);
}
