/**
 * In-process fan-out of stored events to live viewers. Publishers call `publish` only after the
 * event is durable, so a subscriber never sees an event the database does not have.
 */
import "server-only";
import type { TrajectoryEvent } from "@/lib/trajectory";

export type LiveListener = (event: TrajectoryEvent) => void;

export class LiveBus {
  private readonly listeners = new Map<number, Set<LiveListener>>();

  subscribe(sessionId: number, listener: LiveListener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(sessionId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(sessionId);
    };
  }

  publish(event: TrajectoryEvent): void {
    const set = this.listeners.get(event.sessionId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        // One broken viewer must not starve the others or the run.
        console.error(`live listener of session ${event.sessionId} failed:`, error);
      }
    }
  }

  subscriberCount(sessionId: number): number {
    return this.listeners.get(sessionId)?.size ?? 0;
  }
}
