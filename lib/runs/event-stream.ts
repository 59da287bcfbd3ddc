/**
 * The events of one session as a single ordered sequence: stored events after a cursor, then live
 * ones, with no gap and no duplicate at the switch, ending after the terminal event. Knows nothing
 * of HTTP; `null` items ask the transport for a keep-alive.
 *
 * Order of work matters: subscribe to the live bus first (buffering), then replay from the database,
 * then drain the buffer skipping what the replay already gave. An event stored while we replay is
 * either in the replayed pages or in the buffer (publishing happens after storing), so nothing is lost.
 */
import "server-only";
import { isTerminalEvent, type TrajectoryEvent } from "@/lib/trajectory";

export interface SessionEventSource {
  /** Stored events with `seq > after`, ascending, at most `limit`. */
  loadAfter(after: number, limit: number): Promise<TrajectoryEvent[]>;
  /** Seq of the stored terminal event, or null while the session has none. */
  terminalSeq(): Promise<number | null>;
  /** Receives each event once it is stored; returns the unsubscribe function. */
  subscribe(listener: (event: TrajectoryEvent) => void): () => void;
  /** True while this process runs or queues the session, i.e. its new events will be published. */
  isLive(): boolean;
}

export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
};

export interface SessionEventStreamOptions {
  source: SessionEventSource;
  /** Resume after this seq (0 = from the start). */
  after: number;
  signal?: AbortSignal;
  /** Idle time before a keep-alive item. */
  keepAliveMs?: number;
  /** How often to look at the database when no live run will publish (a run in another process). */
  pollMs?: number;
  pageSize?: number;
  clock?: Clock;
}

export const DEFAULT_KEEP_ALIVE_MS = 15_000;
export const DEFAULT_POLL_MS = 1_000;
const DEFAULT_PAGE_SIZE = 500;

export async function* sessionEventStream(options: SessionEventStreamOptions): AsyncGenerator<TrajectoryEvent | null> {
  const { source, signal } = options;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const clock = options.clock ?? systemClock;

  const buffer: TrajectoryEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = source.subscribe((event) => {
    buffer.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);

  let cursor = options.after;
  try {
    while (!signal?.aborted) {
      const page = await source.loadAfter(cursor, pageSize);
      for (const event of page) {
        if (event.seq <= cursor) continue;
        cursor = event.seq;
        yield event;
        if (isTerminalEvent(event)) return;
      }
      if (page.length < pageSize) break;
    }
    if (signal?.aborted || (await endedAtOrBefore(source, cursor))) return;

    let lastSent = clock.now();
    while (!signal?.aborted) {
      while (buffer.length > 0) {
        const event = buffer.shift() as TrajectoryEvent;
        if (event.seq <= cursor) {
          // A cursor past the terminal event (or a stale duplicate of it): nothing more will come.
          if (isTerminalEvent(event)) return;
          continue;
        }
        if (event.seq > cursor + 1) {
          // Defensive: never skip stored events, whatever the publisher did.
          for (const missing of await source.loadAfter(cursor, event.seq - cursor - 1)) {
            if (missing.seq <= cursor || missing.seq >= event.seq) continue;
            cursor = missing.seq;
            yield missing;
            if (isTerminalEvent(missing)) return;
          }
        }
        cursor = event.seq;
        yield event;
        lastSent = clock.now();
        if (isTerminalEvent(event)) return;
      }

      const untilKeepAlive = keepAliveMs - (clock.now() - lastSent);
      if (untilKeepAlive <= 0) {
        yield null;
        lastSent = clock.now();
        continue;
      }
      const live = source.isLive();
      await waitFor(live ? untilKeepAlive : Math.min(untilKeepAlive, pollMs));
      if (!live && buffer.length === 0 && !signal?.aborted) {
        buffer.push(...(await source.loadAfter(cursor, pageSize)));
        if (buffer.length === 0 && (await endedAtOrBefore(source, cursor))) return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    unsubscribe();
  }

  function waitFor(ms: number): Promise<void> {
    if (buffer.length > 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cancelTimer = clock.setTimer(ms, () => done());
      function done() {
        wake = null;
        cancelTimer();
        resolve();
      }
      wake = done;
    });
  }
}

async function endedAtOrBefore(source: SessionEventSource, cursor: number): Promise<boolean> {
  const terminal = await source.terminalSeq();
  return terminal !== null && terminal <= cursor;
}
