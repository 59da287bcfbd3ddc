/**
 * Streaming export: pages of sessions (newest first, keyset paginated), each page read in one short
 * REPEATABLE READ snapshot with a handful of set-based queries, yielded one JSONL line at a time. Memory stays
 * bounded by one page whatever the number of sessions.
 */
import type { AtlasDb } from "@/lib/db/types";
import type { ExportFilters } from "./filters";
import { loadBundles, selectSessionPage, type SessionCursor } from "./queries";
import { assembleSessionRecord } from "./record";
import { serializeRecord } from "./serialize";
import { flattenForTraining, preferencePairs } from "./training";
import type { SessionBundle, SessionRecord } from "./types";

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

export function emptyStats(): ExportStats {
  return { sessions: 0, steps: 0, lines: 0, batches: 0 };
}

/** Session bundles matching `filters`, page by page. */
async function* bundlePages(db: AtlasDb, filters: ExportFilters, signal?: AbortSignal): AsyncGenerator<SessionBundle[]> {
  let remaining = filters.limit ?? Number.POSITIVE_INFINITY;
  let cursor: SessionCursor | null = null;
  let offset = filters.offset;
  const idMode = filters.sessionIds.length > 0;
  while (remaining > 0) {
    signal?.throwIfAborted();
    const size = Math.min(filters.batchSize, remaining);
    const bundles = await db.transaction(
      async (tx) => {
        const page = await selectSessionPage(tx, { filters, size, cursor, offset });
        return loadBundles(tx, page, filters.trajectoryEventLimit);
      },
      // One snapshot per page: a session still running is exported as it stood, never half-updated.
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    if (bundles.length === 0) return;
    yield bundles;
    remaining -= bundles.length;
    if (bundles.length < size) return;
    const last = bundles[bundles.length - 1]!.session;
    if (idMode) {
      // The id list is the order: page through it by position.
      offset += bundles.length;
    } else {
      cursor = { createdAt: last.createdAt, id: last.id };
      offset = 0;
    }
  }
}

/** Session records (spec §9.3) matching `filters`. */
export async function* exportRecords(
  db: AtlasDb,
  filters: ExportFilters,
  options: ExportOptions = {},
): AsyncGenerator<SessionRecord> {
  for await (const page of bundlePages(db, filters, options.signal)) {
    for (const bundle of page) yield assembleSessionRecord(bundle);
  }
}

/** JSONL lines (each ending in "\n") in the requested format. */
export async function* exportLines(
  db: AtlasDb,
  filters: ExportFilters,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const stats = options.stats ?? emptyStats();
  for await (const page of bundlePages(db, filters, options.signal)) {
    for (const bundle of page) {
      const record = assembleSessionRecord(bundle);
      stats.sessions += 1;
      stats.steps += record.steps.length;
      for (const line of linesOf(record, filters.format)) {
        stats.lines += 1;
        yield line;
      }
    }
    stats.batches += 1;
    options.onBatch?.(stats);
  }
}

function* linesOf(record: SessionRecord, format: ExportFilters["format"]): Generator<string> {
  if (format === "sessions") {
    yield `${serializeRecord(record)}\n`;
    return;
  }
  const items = format === "steps" ? flattenForTraining(record) : preferencePairs(record);
  for (const item of items) yield `${JSON.stringify(item)}\n`;
}
