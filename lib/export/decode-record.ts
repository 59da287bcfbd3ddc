/**
 * One JSONL line → what the import stores, without touching the database: a malformed line's reason,
 * or the write (replay the record's events, or store the rows it states) and, for an Atlas record
 * whose event log could not be replayed, why.
 */
import type { ImportWrite } from "@/lib/db/queries/import";
import { isJsonObject } from "@/lib/trajectory";
import { decodeEventLog, REPLAY_START_STATUS, replayOf } from "./import-events";
import { importKeyOf } from "./import-key";
import { eventEntriesOf, ImportRecordSchema, MalformedRecord, versionedBlock } from "./record-fields";
import { recordMapping } from "./record-mapping";

export type DecodedLine =
  | { ok: false; reason: string }
  | {
      ok: true;
      write: ImportWrite;
      /** Set for an Atlas record stored from its fields because its event log is incomplete. */
      incompleteLog: string | null;
    };

export function decodeRecordLine(text: string): DecodedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!isJsonObject(value)) return { ok: false, reason: "not a JSON object" };
  for (const key of ["task", "steps"]) if (!(key in value)) return { ok: false, reason: `missing "${key}"` };
  const parsed = ImportRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join(".") || "(record)"}: ${issue.message}` };
  }
  const record = parsed.data;
  const log = decodeEventLog(eventEntriesOf(record));
  let mapping: ReturnType<typeof recordMapping>;
  try {
    mapping = recordMapping(record, log.rows.reduce((max, event) => Math.max(max, event.seq), 0));
  } catch (error) {
    if (error instanceof MalformedRecord) return { ok: false, reason: error.message };
    throw error;
  }
  const head = { ...mapping.head, importKey: importKeyOf(record) };
  const atlas = versionedBlock(record.session_metadata?.atlas);
  // The upstream SDK's records carry no event log of ours: their rows are all there is.
  if (!atlas) return { ok: true, write: { kind: "rows", head, rows: mapping.rows, events: log.rows }, incompleteLog: null };
  const replay = replayOf(atlas, log, mapping.rows, head);
  if (!replay.replayable) {
    return { ok: true, write: { kind: "rows", head, rows: mapping.rows, events: log.rows }, incompleteLog: replay.reason };
  }
  return { ok: true, write: { kind: "replay", head, status: REPLAY_START_STATUS, events: replay.events }, incompleteLog: null };
}
