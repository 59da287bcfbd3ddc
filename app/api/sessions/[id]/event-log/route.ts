import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { EventLogQuerySchema } from "@/lib/sessions/api-types";
import { getEventLogPage } from "@/lib/sessions/event-log";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const query = parseSearchParams(request.url, EventLogQuerySchema);
  return Response.json(await getEventLogPage((await getDatabase()).db, sessionId, query));
});
