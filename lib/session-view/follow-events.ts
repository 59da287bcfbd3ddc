/**
 * Follows a session's event stream (`GET /api/sessions/:id/events?after=<seq>`, SSE) from the browser:
 * validates every frame against the event union (invalid frames are dropped and reported), hands
 * events over in order without duplicates, reconnects with backoff from the last event handed over,
 * and finishes on the terminal event. Browser-safe; `fetch` is injectable.
 */
import { parseSseStream } from "@/lib/http/sse";
import { isTerminalEvent, TrajectoryEventSchema, type TrajectoryEvent } from "@/lib/trajectory";

export type StreamState = "connecting" | "open" | "reconnecting" | "closed";

export interface InvalidFrame {
  event: string;
  data: string;
  problem: string;
}

export interface FollowOptions {
  /** The stream URL for a cursor. */
  url: (after: number) => string;
  /** The last seq already applied; read at every (re)connect so a reconnect resumes exactly there. */
  after: () => number;
  onEvent: (event: TrajectoryEvent) => void;
  onInvalidFrame?: (frame: InvalidFrame) => void;
  onState?: (state: StreamState, detail?: string) => void;
  signal: AbortSignal;
  fetch?: typeof fetch;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Give up after this many failed connections in a row (a session that no longer exists). */
  maxFailures?: number;
}

export type FollowResult = { outcome: "terminal"; event: TrajectoryEvent } | { outcome: "aborted" } | { outcome: "gave_up"; reason: string };

export async function followSessionEvents(options: FollowOptions): Promise<FollowResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const initial = options.initialBackoffMs ?? 500;
  const max = options.maxBackoffMs ?? 10_000;
  const maxFailures = options.maxFailures ?? 20;
  let delay = initial;
  let failures = 0;
  let lastSeen = options.after();

  while (!options.signal.aborted) {
    lastSeen = Math.max(lastSeen, options.after());
    options.onState?.(failures === 0 ? "connecting" : "reconnecting");
    let received = 0;
    try {
      const response = await fetchImpl(options.url(lastSeen), {
        headers: { accept: "text/event-stream" },
        cache: "no-store",
        signal: options.signal,
      });
      if (!response.ok || !response.body) {
        const reason = `the event stream answered ${response.status}`;
        // A client error will not get better by retrying (the session is gone or the request is wrong).
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          options.onState?.("closed", reason);
          return { outcome: "gave_up", reason };
        }
        throw new Error(reason);
      }
      options.onState?.("open");
      for await (const message of parseSseStream(response.body)) {
        if (message.event === STREAM_ERROR_FRAME) {
          options.onState?.("reconnecting", streamErrorMessage(message.data));
          continue;
        }
        const event = parseFrame(message.event, message.data, options.onInvalidFrame);
        if (!event || event.seq <= lastSeen) continue;
        lastSeen = event.seq;
        received += 1;
        options.onEvent(event);
        if (isTerminalEvent(event)) {
          options.onState?.("closed");
          return { outcome: "terminal", event };
        }
      }
    } catch (error) {
      if (options.signal.aborted) break;
      options.onState?.("reconnecting", (error as Error).message);
    }
    if (options.signal.aborted) break;
    // The stream ended before the terminal event: reconnect from the last event we applied.
    failures = received > 0 ? 1 : failures + 1;
    if (received > 0) delay = initial;
    if (failures >= maxFailures) {
      const reason = `gave up after ${failures} connection attempts`;
      options.onState?.("closed", reason);
      return { outcome: "gave_up", reason };
    }
    options.onState?.("reconnecting");
    await sleep(delay + Math.random() * delay * 0.2, options.signal);
    delay = Math.min(max, delay * 2);
  }
  options.onState?.("closed");
  return { outcome: "aborted" };
}

/** The server's in-stream failure report; the stream closes after it and we reconnect. */
const STREAM_ERROR_FRAME = "stream.error";

function streamErrorMessage(data: string): string {
  try {
    const parsed = JSON.parse(data) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : data;
  } catch {
    return data;
  }
}

function parseFrame(type: string, data: string, report: FollowOptions["onInvalidFrame"]): TrajectoryEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    report?.({ event: type, data, problem: `not JSON: ${(error as Error).message}` });
    return null;
  }
  const parsed = TrajectoryEventSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join(".") : "(root)";
    report?.({ event: type, data, problem: `${where}: ${first?.message ?? "invalid event"}` });
    return null;
  }
  if (type !== "message" && type !== parsed.data.type) {
    report?.({ event: type, data, problem: `frame type "${type}" does not match the event type "${parsed.data.type}"` });
    return null;
  }
  return parsed.data;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
