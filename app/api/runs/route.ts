import { readJson, handle } from "@/lib/http/respond";
import { getRunManager } from "@/lib/runs/process";
import { RunRequestSchema } from "@/lib/sessions/api-types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Starts a run; answers 202 once the session row exists (running, or queued behind the concurrency limit). */
export const POST = handle(async (request: Request) => {
  const body = await readJson(request, RunRequestSchema);
  const accepted = await getRunManager().startRun(body);
  return Response.json(accepted, { status: 202 });
});
