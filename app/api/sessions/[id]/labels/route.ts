import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam, readJson } from "@/lib/http/respond";
import { LabelRequestSchema } from "@/lib/review/api-types";
import { addLabel, labelsOf } from "@/lib/review/labels";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = handle(async (_request: Request, context: Context) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  return Response.json(await labelsOf((await getDatabase()).db, sessionId));
});

export const POST = handle(async (request: Request, context: Context) => {
  const sessionId = parseIdParam((await context.params).id, "session");
  const body = await readJson(request, LabelRequestSchema);
  return Response.json(await addLabel((await getDatabase()).db, sessionId, body), { status: 201 });
});
