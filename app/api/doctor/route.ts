import { getDatabase } from "@/lib/db/client";
import { DoctorRequestSchema } from "@/lib/doctor/report";
import { diagnoseNamedConfig } from "@/lib/doctor/saved-config";
import { handle, readJson } from "@/lib/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `atlas doctor` for a saved config or example: routes, keys (set or not, never values), the agent; `ping` calls each LLM once. */
export const POST = handle(async (request: Request) => {
  const body = await readJson(request, DoctorRequestSchema);
  const { db } = await getDatabase();
  return Response.json(await diagnoseNamedConfig(db, body, process.env));
});
