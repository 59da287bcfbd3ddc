import { processExperimentDeps } from "@/lib/experiments/process";
import { cancelExperiment } from "@/lib/experiments/service";
import { handle, parseIdParam } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Stops scheduling cells and cancels the sessions in flight; answers with the experiment afterwards. */
export const POST = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "experiment");
  return Response.json(await cancelExperiment(await processExperimentDeps(), id));
});
