import { CreateExperimentSchema } from "@/lib/experiments/api-types";
import { processExperimentDeps } from "@/lib/experiments/process";
import { createExperiment, listExperiments } from "@/lib/experiments/service";
import { handle, readJson } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const deps = await processExperimentDeps();
  return Response.json({ experiments: await listExperiments(await deps.database()) });
});

/** Pins each arm's config version, stores the experiment and starts scheduling its cells; 202 at once. */
export const POST = handle(async (request: Request) => {
  const body = await readJson(request, CreateExperimentSchema);
  return Response.json(await createExperiment(await processExperimentDeps(), body), { status: 202 });
});
