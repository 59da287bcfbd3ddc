import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { SessionDetailQuerySchema } from "@/lib/sessions/api-types";
import { getSessionDetail } from "@/lib/sessions/detail";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const query = parseSearchParams(request.url, SessionDetailQuerySchema);
  return Response.json(await getSessionDetail((await getDatabase()).db, sessionId, { evaluations: query.evaluations === "include" }));
});
