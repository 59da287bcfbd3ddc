import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { rejudgeStatus } from "@/lib/review/rejudge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "re-judge");
  return Response.json(await rejudgeStatus((await getDatabase()).db, id));
});
