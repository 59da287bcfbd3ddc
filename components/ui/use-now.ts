"use client";

import { useSyncExternalStore } from "react";

/** One shared 1-second clock for every ticking duration on the page. */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const idle = () => () => undefined;
// Subscribing refreshes `now`; React reads the snapshot again after subscribing, so a stale value never sticks.

/** The current time, re-rendering every second while `ticking`; null during server rendering. */
export function useNow(ticking: boolean): number | null {
  return useSyncExternalStore(
    ticking ? subscribe : idle,
    () => now,
    () => null,
  );
}
