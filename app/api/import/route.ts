import { getDatabase } from "@/lib/db/client";
import { importUpload } from "@/lib/export/http";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Imports an NDJSON body of session records (ours or upstream's); idempotent; 200 with the summary. */
export const POST = handle(async (request: Request) => Response.json(await importUpload((await getDatabase()).db, request)));
