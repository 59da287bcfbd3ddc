import { CompareQuerySchema } from "@/lib/experiments/api-types";
import { compareArms } from "@/lib/experiments/compare";
import { processExperimentDeps } from "@/lib/experiments/process";
import { getExperimentDetail } from "@/lib/experiments/service";
import { handle, parseIdParam } from "@/lib/http/respond";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

/** `base` must be an arm of this experiment; `candidate` may belong to another experiment over the same task set. */
export const GET = handle(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "experiment");
  const query = parseSearchParams(request.url, CompareQuerySchema);
  const db = await (await processExperimentDeps()).database();
  const experiment = await getExperimentDetail(db, id);
  return Response.json(await compareArms(db, query.base, query.candidate, { experimentId: experiment.id }));
});
