import { validateConfigText, ValidateConfigRequestSchema } from "@/lib/configs";
import { handle, readJson } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** A dry run: an invalid config is a successful answer ({ok: false, issues}), not an error. */
export const POST = handle(async (request) => {
  const { yaml } = await readJson(request, ValidateConfigRequestSchema);
  return Response.json(validateConfigText(yaml));
});
