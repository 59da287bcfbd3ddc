/**
 * Imports JSONL session records (ours, or the Python exporter's) line by line so they can be reviewed
 * like recorded runs, and sums up what happened. Each line is decoded on its own (./decode-record.ts)
 * and written in its own transaction (lib/db/queries/import.ts). Idempotent: a record already imported
 * is skipped. A malformed line is reported and skipped.
 *
 * An Atlas record is replayed through the same event writer as a run, so its rows are what the run's
 * events project to. When its event log is incomplete — cut by the export's event limit, missing
 * (older exports), or not accounting for the record — it is stored from the record's fields, as an
 * upstream record is, and the summary lists it with the reason.
 */
import "server-only";
import { storeImportedSession } from "@/lib/db/queries/import";
import type { AtlasDb } from "@/lib/db/types";
import { decodeRecordLine } from "./decode-record";
import type { NumberedLine } from "./lines";

export interface MalformedLine {
  line: number;
  reason: string;
}

/** An Atlas record stored from its fields because its event log could not be replayed. */
export interface IncompleteLog {
  line: number;
  sessionId: number;
  reason: string;
}

export interface ImportSummary {
  /** Non-blank lines read. */
  records: number;
  imported: number;
  skipped: number;
  alreadyImported: number;
  malformed: MalformedLine[];
  /** Ids of the sessions this import created, in file order. */
  sessionIds: number[];
  /** Imported Atlas records whose rows come from the record's fields, not from replaying its events. */
  incompleteLogs: IncompleteLog[];
}

export function emptyImportSummary(): ImportSummary {
  return { records: 0, imported: 0, skipped: 0, alreadyImported: 0, malformed: [], sessionIds: [], incompleteLogs: [] };
}

const LISTED_MALFORMED = 5;

/** "imported 3, skipped 2 (already imported 1, malformed 1: line 3: …)" */
export function describeImport(summary: ImportSummary): string {
  const head = `imported ${summary.imported}, skipped ${summary.skipped}`;
  if (summary.skipped === 0) return head;
  const listed = summary.malformed.slice(0, LISTED_MALFORMED).map((entry) => `line ${entry.line}: ${entry.reason}`);
  const more = summary.malformed.length - listed.length;
  const malformed = [...listed, ...(more > 0 ? [`and ${more} more`] : [])].join("; ");
  return `${head} (already imported ${summary.alreadyImported}, malformed ${summary.malformed.length}${malformed ? `: ${malformed}` : ""})`;
}

/** "event log incomplete (the export kept 200 of its 412 events): stored from the record's fields" */
export function describeIncompleteLog(entry: IncompleteLog): string {
  return `event log incomplete (${entry.reason}): stored from the record's fields`;
}

export async function importLines(
  db: AtlasDb,
  lines: AsyncIterable<NumberedLine>,
  options: { signal?: AbortSignal } = {},
): Promise<ImportSummary> {
  const summary = emptyImportSummary();
  for await (const { number, text } of lines) {
    options.signal?.throwIfAborted();
    if (text.trim() === "") continue;
    summary.records += 1;
    const decoded = decodeRecordLine(text);
    if (!decoded.ok) {
      summary.skipped += 1;
      summary.malformed.push({ line: number, reason: decoded.reason });
      continue;
    }
    const sessionId = await storeImportedSession(db, decoded.write);
    if (sessionId === null) {
      summary.skipped += 1;
      summary.alreadyImported += 1;
      continue;
    }
    summary.imported += 1;
    summary.sessionIds.push(sessionId);
    if (decoded.incompleteLog) summary.incompleteLogs.push({ line: number, sessionId, reason: decoded.incompleteLog });
  }
  return summary;
}
