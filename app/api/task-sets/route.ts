import { getDatabase } from "@/lib/db/client";
import { handle, readJson } from "@/lib/http/respond";
import { CreateTaskSetSchema } from "@/lib/task-sets/api-types";
import { createTaskSet, listTaskSets } from "@/lib/task-sets/service";

export const dynamic = "force-dynamic";

export const GET = handle(async () => Response.json({ taskSets: await listTaskSets((await getDatabase()).db) }));

/** Stores a named, immutable task set; every bad task is a 400 issue naming `tasks.N.field`. */
export const POST = handle(async (request: Request) => {
  const body = await readJson(request, CreateTaskSetSchema);
  return Response.json(await createTaskSet((await getDatabase()).db, body), { status: 201 });
});
