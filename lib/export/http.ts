/**
 * HTTP side of export/import, kept out of the route files: query parsing with the shared filter schema,
 * a streamed NDJSON download pulled from the export generator, the live count and the NDJSON import.
 */
import "server-only";
import { sessionExists } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import { readBodyText } from "@/lib/http/body";
import { searchParamsObject, zodIssues } from "@/lib/http/respond";
import { MEDIA_TYPES } from "@/lib/http/route-policy";
import { ExportFiltersSchema, type ExportFilters } from "./filters";
import { describeImport, importLines, type ImportSummary } from "./import";
import { linesOfStream } from "./lines";
import { countSessions, exportChunks } from "./stream";
import type { SelectionCount } from "./types";

export function parseExportQuery(request: Request, overrides: Record<string, unknown> = {}): ExportFilters {
  const parsed = ExportFiltersSchema.safeParse({ ...searchParamsObject(request), ...overrides });
  if (!parsed.success) {
    throw new AtlasError("invalid_input", "invalid export filters", { issues: zodIssues(parsed.error) });
  }
  return parsed.data;
}

/** `GET /api/export`: every matching session as a streamed JSONL download. */
export function exportDownload(db: AtlasDb, request: Request): Response {
  const filters = parseExportQuery(request);
  return ndjsonResponse(db, filters, request.signal, `atlas-export-${new Date().toISOString().slice(0, 10)}.jsonl`);
}

/** `GET /api/sessions/:id/export`: one session (404 when it does not exist). */
export async function sessionDownload(db: AtlasDb, request: Request, sessionId: number): Promise<Response> {
  const filters = parseExportQuery(request, { session_id: String(sessionId) });
  if (!(await sessionExists(db, sessionId))) throw new AtlasError("not_found", `session ${sessionId} not found`);
  return ndjsonResponse(db, filters, request.signal, `atlas-session-${sessionId}.jsonl`);
}

/** `GET /api/export/count`: what a download with these filters would hold. */
export async function exportCount(db: AtlasDb, request: Request): Promise<SelectionCount> {
  return countSessions(db, parseExportQuery(request));
}

function ndjsonResponse(db: AtlasDb, filters: ExportFilters, signal: AbortSignal, filename: string): Response {
  const chunks = exportChunks(db, filters, { signal });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // Pulled: the next page is read from the database only when the client has taken the previous bytes.
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

const ACCEPTED_IMPORT_TYPES = MEDIA_TYPES.ndjson;

export interface ImportResponseBody extends ImportSummary {
  message: string;
}

/** `POST /api/import`: an NDJSON body, read whole (up to the route's limit) so an oversized one imports nothing. */
export async function importUpload(db: AtlasDb, request: Request): Promise<ImportResponseBody> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type && !ACCEPTED_IMPORT_TYPES.includes(type)) {
    throw new AtlasError("invalid_input", `send the JSONL as the request body with content-type application/x-ndjson (got ${type})`);
  }
  const text = await readBodyText(request);
  if (text === "") throw new AtlasError("invalid_input", "the request body is empty: send one JSON session record per line");
  const summary = await importLines(db, linesOfStream(new Blob([text]).stream()), { signal: request.signal });
  if (summary.records === 0) {
    throw new AtlasError("invalid_input", "the request body is empty: send one JSON session record per line");
  }
  const notJson = summary.malformed.filter((entry) => /^not (valid JSON|a JSON object)/.test(entry.reason));
  if (notJson.length === summary.records) {
    throw new AtlasError("invalid_input", "the request body is not NDJSON: no line holds a JSON object", {
      issues: notJson.slice(0, 20).map((entry) => ({ path: "", line: entry.line, message: entry.reason })),
    });
  }
  return { ...summary, message: describeImport(summary) };
}
