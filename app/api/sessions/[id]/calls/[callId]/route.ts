import { getSessionCall } from "@/lib/calls/calls";
import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string; callId: string }> }) => {
  const params = await context.params;
  const sessionId = parseIdParam(params.id, "session");
  const callId = parseIdParam(params.callId, "call");
  return Response.json(await getSessionCall((await getDatabase()).db, sessionId, callId));
});
