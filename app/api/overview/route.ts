import { getDatabase } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { getOverview } from "@/lib/sessions/overview";

export const dynamic = "force-dynamic";

export const GET = handle(async () => Response.json(await getOverview((await getDatabase()).db)));
