import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { SessionDetailQuerySchema } from "@/lib/sessions/api-types";
import { withJudgementVersion } from "@/lib/review/judgement-view";
import { getSessionDetail } from "@/lib/sessions/detail";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const query = parseSearchParams(request.url, SessionDetailQuerySchema);
  const { db } = await getDatabase();
  const detail = await getSessionDetail(db, sessionId, { evaluations: query.evaluations === "include" });
  return Response.json(query.judgement === undefined ? detail : await withJudgementVersion(db, detail, query.judgement));
});
