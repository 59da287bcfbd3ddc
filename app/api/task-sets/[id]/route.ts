import { getDatabase } from "@/lib/db/client";
import { handle, parseIdParam } from "@/lib/http/respond";
import { getTaskSet } from "@/lib/task-sets/service";

export const dynamic = "force-dynamic";

export const GET = handle(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await context.params).id, "task set");
  return Response.json(await getTaskSet((await getDatabase()).db, id));
});
