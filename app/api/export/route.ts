import { getDatabase } from "@/lib/db/client";
import { exportDownload } from "@/lib/export/http";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Streams matching sessions as JSONL (`application/x-ndjson`); filters as in `atlas export` (lib/export/filters.ts). */
export const GET = handle(async (request: Request) => exportDownload((await getDatabase()).db, request));
