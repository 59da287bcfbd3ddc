import { createSessionEventsHandler } from "@/lib/runs/events-handler";
import { processEventStreamDeps } from "@/lib/runs/process";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Server-Sent Events: replay after `Last-Event-ID` / `?after=`, then live, closed after the terminal event. */
export const GET = createSessionEventsHandler(processEventStreamDeps);
