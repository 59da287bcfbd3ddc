/**
 * The shape every importable JSONL record has (ours or the upstream exporter's), readers of its loosely
 * typed fields, and the error of a record that cannot be read.
 */
import { z } from "zod";
import { isJsonObject, type JsonObject } from "@/lib/trajectory";

export const ImportRecordSchema = z.looseObject({
  task: z.string({ error: "task must be a string" }),
  final_answer: z.string().nullable().optional(),
  plan: z.unknown().optional(),
  steps: z.array(z.record(z.string(), z.unknown()), { error: "steps must be a list of objects" }),
  session_metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  trajectory_events: z.array(z.unknown()).nullable().optional(),
});
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

/** The record's event list: top level, or (older exports) inside the session metadata. */
export function eventEntriesOf(record: ImportRecord): unknown[] {
  return record.trajectory_events ?? asList(record.session_metadata?.trajectory_events);
}

/** A record the importer cannot store (reported with its line, the rest of the file goes on). */
export class MalformedRecord extends Error {}

/** Our additive `atlas` block (versioned); anything else under the key is the user's. */
export function versionedBlock(value: unknown): JsonObject | null {
  return isJsonObject(value) && typeof value.schema_version === "number" ? value : null;
}

/** An ISO-8601 timestamp the database will accept, else null. */
export function timestamp(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function integerOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}

export function booleanOrNull(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}
