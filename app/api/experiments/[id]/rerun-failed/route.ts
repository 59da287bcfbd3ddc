import { processExperimentDeps } from "@/lib/experiments/process";
import { rerunFailedCells } from "@/lib/experiments/service";
import { handle, parseIdParam } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** A new session, linked by `retryOf`, for every cell whose latest session failed or was interrupted. */
export const POST = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "experiment");
  return Response.json(await rerunFailedCells(await processExperimentDeps(), id), { status: 202 });
});
