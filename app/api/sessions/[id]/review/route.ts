import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam, readJson } from "@/lib/http/respond";
import { ReviewRequestSchema } from "@/lib/review/api-types";
import { reviewOf, setReviewStatus } from "@/lib/review/status";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = handle(async (_request: Request, context: Context) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  return Response.json(await reviewOf((await getDatabase()).db, sessionId));
});

export const POST = handle(async (request: Request, context: Context) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const body = await readJson(request, ReviewRequestSchema);
  return Response.json(await setReviewStatus((await getDatabase()).db, sessionId, body));
});
