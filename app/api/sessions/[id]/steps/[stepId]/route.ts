import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { getStepDetail } from "@/lib/sessions/detail";

export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string; stepId: string }> }) => {
  const params = await context.params;
  const sessionId = parseIdParam(params.id, "session");
  const stepId = parseIdParam(params.stepId, "step", { positive: false });
  return Response.json(await getStepDetail((await getDatabase()).db, sessionId, stepId));
});
