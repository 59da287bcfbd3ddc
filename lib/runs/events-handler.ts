/**
 * `GET /api/sessions/:id/events`: the session's events as Server-Sent Events, resumable with
 * `Last-Event-ID` or `?after=<seq>`, closed after the terminal event. Everything that can fail with a
 * status (unknown session, bad cursor) happens before the stream starts; later failures become a
 * `stream.error` frame.
 */
import "server-only";
import { getSessionById } from "@/lib/db/queries/sessions";
import { listSessionEvents, terminalEventSeq } from "@/lib/db/queries/session-views";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, errorMessage } from "@/lib/errors";
import { errorResponse, parseIdParam } from "@/lib/http/respond";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { sessionEventStream, type Clock, type SessionEventSource } from "./event-stream";
import type { LiveBus } from "./live-bus";
import { formatSseComment, formatSseFrame } from "@/lib/http/sse";

export interface EventsHandlerDeps {
  database(): Promise<AtlasDb>;
  bus: LiveBus;
  /** True while this process runs or queues the session. */
  isLive(sessionId: number): boolean;
  keepAliveMs?: number;
  pollMs?: number;
  clock?: Clock;
}

export interface RouteContext {
  params: Promise<{ id: string }>;
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

export function createSessionEventsHandler(getDeps: () => EventsHandlerDeps | Promise<EventsHandlerDeps>) {
  return async function GET(request: Request, context: RouteContext): Promise<Response> {
    try {
      const sessionId = parseIdParam((await context.params).id, "session");
      const after = resumeCursor(request);
      const deps = await getDeps();
      const db = await deps.database();
      if (!(await getSessionById(db, { id: sessionId }))) throw new AtlasError("not_found", `session ${sessionId} not found`);
      return new Response(sseBody(deps, db, sessionId, after, request.signal), { headers: SSE_HEADERS });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** `Last-Event-ID` (what a reconnecting EventSource sends) wins over `?after=`. */
export function resumeCursor(request: Request): number {
  const header = request.headers.get("last-event-id");
  if (header !== null && header.trim() !== "") return parseCursor(header.trim(), "Last-Event-ID header");
  const query = new URL(request.url).searchParams.get("after");
  if (query !== null && query.trim() !== "") return parseCursor(query.trim(), "after");
  return 0;
}

function parseCursor(text: string, where: string): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw new AtlasError("invalid_input", `${where} must be the non-negative integer seq of an event, got ${JSON.stringify(text)}`, {
      issues: [{ path: where, message: "expected a non-negative integer" }],
    });
  }
  return Number(text);
}

function sseBody(deps: EventsHandlerDeps, db: AtlasDb, sessionId: number, after: number, requestSignal: AbortSignal) {
  const stop = new AbortController();
  const onRequestAbort = () => stop.abort();
  requestSignal.addEventListener("abort", onRequestAbort);
  const events = sessionEventStream({
    source: databaseEventSource(deps, db, sessionId),
    after,
    signal: stop.signal,
    keepAliveMs: deps.keepAliveMs,
    pollMs: deps.pollMs,
    clock: deps.clock,
  });
  const encoder = new TextEncoder();
  const finish = () => {
    requestSignal.removeEventListener("abort", onRequestAbort);
    stop.abort();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(formatSseComment("connected")));
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) {
          finish();
          closeQuietly(controller);
          return;
        }
        controller.enqueue(encoder.encode(next.value === null ? formatSseComment("keep-alive") : eventFrame(next.value)));
      } catch (error) {
        finish();
        if (stop.signal.aborted && requestSignal.aborted) return;
        try {
          const message = `event stream of session ${sessionId} failed: ${errorMessage(error)}`;
          controller.enqueue(encoder.encode(formatSseFrame({ event: "stream.error", data: JSON.stringify({ message }) })));
          controller.close();
        } catch {
          // The client is gone; nothing left to tell it.
        }
      }
    },
    async cancel() {
      finish();
      await events.return(undefined);
    },
  });
}

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    controller.close();
  } catch {
    // Already closed or cancelled by the client.
  }
}

export function eventFrame(event: TrajectoryEvent): string {
  return formatSseFrame({ id: event.seq, event: event.type, data: JSON.stringify(event) });
}

function databaseEventSource(deps: EventsHandlerDeps, db: AtlasDb, sessionId: number): SessionEventSource {
  return {
    loadAfter: (after, limit) => listSessionEvents(db, { sessionId, after, limit }),
    terminalSeq: () => terminalEventSeq(db, sessionId),
    subscribe: (listener) => deps.bus.subscribe(sessionId, listener),
    isLive: () => deps.isLive(sessionId),
  };
}
