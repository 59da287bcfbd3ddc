import { processExperimentDeps } from "@/lib/experiments/process";
import { getExperimentDetail } from "@/lib/experiments/service";
import { handle, parseIdParam } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "experiment");
  const deps = await processExperimentDeps();
  return Response.json(await getExperimentDetail(await deps.database(), id));
});
