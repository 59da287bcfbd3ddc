import { getSessionCalls } from "@/lib/calls/calls";
import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { CallListQuerySchema } from "@/lib/sessions/api-types";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const query = parseSearchParams(request.url, CallListQuerySchema);
  return Response.json(await getSessionCalls((await getDatabase()).db, sessionId, query));
});
