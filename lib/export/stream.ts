/**
 * Streaming export: pages of sessions (newest first, keyset paginated), each page read in one short
 * REPEATABLE READ snapshot with a handful of set-based queries, yielded one JSONL line at a time. Memory stays
 * bounded by one page whatever the number of sessions.
 */
import "server-only";
import { countSelection, selectPageRows, selectSessionPage, type SessionCursor } from "@/lib/db/queries/export";
import type { AtlasDb } from "@/lib/db/types";
import { bundlesOf } from "./bundles";
import type { ExportFilters } from "./filters";
import { assembleSessionRecord } from "./record";
import { serializeRecordTo } from "./serialize";
import { flattenForTraining, preferencePairs } from "./training";
import type { SelectionCount, SessionBundle, SessionRecord } from "./types";

export interface ExportStats {
  sessions: number;
  steps: number;
  lines: number;
  batches: number;
}

export interface ExportOptions {
  /** Called after each page has been yielded, with the running totals (progress output). */
  onBatch?: (stats: Readonly<ExportStats>) => void;
  /** Updated in place as lines are yielded, so callers can read the totals after (or during) the export. */
  stats?: ExportStats;
  signal?: AbortSignal;
}

/** How many sessions (and their recorded steps) an export with these filters writes: the page's live count. */
export function countSessions(db: AtlasDb, filters: ExportFilters): Promise<SelectionCount> {
  return countSelection(db, filters);
}

export function emptyStats(): ExportStats {
  return { sessions: 0, steps: 0, lines: 0, batches: 0 };
}

/**
 * Session bundles matching `filters`, page by page. The next page is requested as soon as the current one
 * arrives, so the database works while the caller serialises and writes (at most two pages in memory).
 */
async function* bundlePages(db: AtlasDb, filters: ExportFilters, signal?: AbortSignal): AsyncGenerator<SessionBundle[]> {
  let remaining = filters.limit ?? Number.POSITIVE_INFINITY;
  let offset = filters.offset;
  let size = Math.min(filters.batchSize, remaining);
  const idMode = filters.sessionIds.length > 0;
  const fetchPage = (pageSize: number, cursor: SessionCursor | null, pageOffset: number) => {
    const page = db.transaction(
      async (tx) => {
        const sessions = await selectSessionPage(tx, { filters, size: pageSize, cursor, offset: pageOffset });
        const rows = await selectPageRows(tx, sessions.map((session) => session.id), filters.trajectoryEventLimit);
        return bundlesOf(sessions, rows);
      },
      // One snapshot per page: a session still running is exported as it stood, never half-updated.
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    page.catch(() => undefined); // observed when awaited; never an unhandled rejection meanwhile
    return page;
  };
  let pending: Promise<SessionBundle[]> | null = size > 0 ? fetchPage(size, null, offset) : null;
  try {
    while (pending) {
      signal?.throwIfAborted();
      const bundles = await pending;
      pending = null;
      if (bundles.length === 0) return;
      remaining -= bundles.length;
      if (bundles.length === size && remaining > 0) {
        const last = bundles[bundles.length - 1]!.session;
        // In session-id mode the id list is the order: page through it by position.
        offset = idMode ? offset + bundles.length : 0;
        size = Math.min(filters.batchSize, remaining);
        pending = fetchPage(size, idMode ? null : { createdAt: last.createdAt, id: last.id }, offset);
      }
      yield bundles;
    }
  } finally {
    // A caller that stops early must not close the database under a page still being read.
    await pending?.catch(() => undefined);
  }
}

/** Session records matching `filters`. */
export async function* exportRecords(
  db: AtlasDb,
  filters: ExportFilters,
  options: ExportOptions = {},
): AsyncGenerator<SessionRecord> {
  for await (const page of bundlePages(db, filters, options.signal)) {
    for (const bundle of page) yield assembleSessionRecord(bundle);
  }
}

/** Text chunks of about this size: below V8's large-object threshold, large enough for few writes. */
export const CHUNK_CHARS = 64 * 1024;

/**
 * The export as text chunks of about `CHUNK_CHARS` (a line may span chunks; lines end with "\n"): what the CLI
 * and the HTTP route write. A record is never built as one string.
 */
export async function* exportChunks(
  db: AtlasDb,
  filters: ExportFilters,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const stats = options.stats ?? emptyStats();
  let pending: string[] = [];
  let pendingChars = 0;
  const ready: string[] = [];
  const sink = (fragment: string) => {
    pending.push(fragment);
    pendingChars += fragment.length;
    if (pendingChars >= CHUNK_CHARS) {
      ready.push(pending.join(""));
      pending = [];
      pendingChars = 0;
    }
  };
  for await (const page of bundlePages(db, filters, options.signal)) {
    for (let index = 0; index < page.length; index += 1) {
      const record = assembleSessionRecord(page[index]!);
      // Let the rows of a written session go while the rest of the page is written.
      page[index] = undefined as unknown as SessionBundle;
      stats.sessions += 1;
      stats.steps += record.steps.length;
      stats.lines += writeRecord(record, filters.format, sink);
      yield* ready.splice(0);
    }
    stats.batches += 1;
    options.onBatch?.(stats);
  }
  if (pending.length > 0) yield pending.join("");
}

/** JSONL lines (each ending in "\n") in the requested format, one string per line. */
export async function* exportLines(
  db: AtlasDb,
  filters: ExportFilters,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  let partial = "";
  for await (const chunk of exportChunks(db, filters, options)) {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    for (const line of lines) yield `${line}\n`;
  }
  if (partial) yield partial;
}

/** Writes the record's lines in `format` and returns how many. */
function writeRecord(record: SessionRecord, format: ExportFilters["format"], sink: (fragment: string) => void): number {
  if (format === "sessions") {
    serializeRecordTo(record, sink);
    sink("\n");
    return 1;
  }
  const items = format === "steps" ? flattenForTraining(record) : preferencePairs(record);
  for (const item of items) sink(`${JSON.stringify(item)}\n`);
  return items.length;
}
