import { getDatabase } from "@/lib/db/client";
import { sessionDownload } from "@/lib/export/http";
import { handle, parseIdParam } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** One session as JSONL (`?format=` and `?trajectory_event_limit=` as in the bulk export). */
export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  return sessionDownload((await getDatabase()).db, request, sessionId);
});
