import { getDatabase } from "@/lib/db/client";
import { handle, readJson } from "@/lib/http/respond";
import { RejudgeRequestSchema } from "@/lib/review/api-types";
import { startRejudge } from "@/lib/review/rejudge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handle(async (request: Request) => {
  const body = await readJson(request, RejudgeRequestSchema);
  const started = await startRejudge((await getDatabase()).db, body);
  return Response.json(started, { status: 202 });
});
