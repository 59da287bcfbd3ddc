import { getDatabase } from "@/lib/db/client";
import { exportCount } from "@/lib/export/http";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** `{sessions, steps}` an export with these filters would write. */
export const GET = handle(async (request: Request) => Response.json(await exportCount((await getDatabase()).db, request)));
