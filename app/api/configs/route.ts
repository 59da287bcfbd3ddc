import { getDatabase } from "@/lib/db/client";
import { listConfigs } from "@/lib/configs";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const { db } = await getDatabase();
  return Response.json({ configs: await listConfigs(db) });
});
