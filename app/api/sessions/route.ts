import { getDatabase } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { SessionListQuerySchema } from "@/lib/sessions/api-types";
import { listSessions } from "@/lib/sessions/list";
import { parseSearchParams } from "@/lib/sessions/query";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  const query = parseSearchParams(request.url, SessionListQuerySchema);
  return Response.json(await listSessions((await getDatabase()).db, query));
});
