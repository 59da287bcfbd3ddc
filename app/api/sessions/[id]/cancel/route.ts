import { handle, parseIdParam } from "@/lib/http/respond";
import { getRunManager } from "@/lib/runs/process";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  return Response.json(await getRunManager().cancel(sessionId));
});
