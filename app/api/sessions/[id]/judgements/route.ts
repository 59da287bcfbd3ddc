import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { judgementVersionsOf } from "@/lib/review/judgement-view";
import { getSessionDetail } from "@/lib/sessions/detail";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const { db } = await getDatabase();
  return Response.json(await judgementVersionsOf(db, await getSessionDetail(db, sessionId)));
});
