/**
 * `JSON.stringify(record)`, byte for byte, written as a sequence of fragments:
 * - each shared subtree is stringified once: the upstream record repeats large subtrees by design (events in
 *   two places, every metadata key lifted to the step, attempt history twice, the stored reward inside both
 *   `reward.raw` and `raw_evaluation`), and they are the same objects in memory;
 * - the line is never built as one string: a session line runs to hundreds of kB, and V8 allocates strings
 *   that large straight into the old generation, where they pile up until a full collection.
 */
import { RawJson } from "./raw-json";
import type { SessionRecord } from "./types";

type Sink = (fragment: string) => void;
type Special = (key: string, value: unknown, sink: Sink) => boolean;

interface Context {
  /** Fragments already written for a subtree, by identity. */
  memo: Map<object, string[]>;
}

/** Keys of a step whose objects are written key by key, so their children can be shared. */
const STEP_NESTED = new Set(["metadata", "reward", "raw_evaluation"]);

export function serializeRecordTo(record: SessionRecord, sink: Sink): void {
  const context: Context = { memo: new Map() };
  const events: Special = (key, value, out) => {
    if (key !== "trajectory_events" || !Array.isArray(value)) return false;
    writeShared(value, out, context, (inner) => writeEvents(value, inner, context));
    return true;
  };
  const stepNested: Special = (key, value, out) => {
    if (!STEP_NESTED.has(key) || !isPlainObject(value)) return false;
    writeShared(value, out, context, (inner) => writeObject(value, inner, context, stepNested));
    return true;
  };
  writeObject(record, sink, context, (key, value, out) => {
    if (key === "steps" && Array.isArray(value)) {
      out("[");
      value.forEach((step, index) => {
        if (index > 0) out(",");
        if (isPlainObject(step)) writeObject(step, out, context, stepNested);
        else out(JSON.stringify(step) ?? "null");
      });
      out("]");
      return true;
    }
    if (key === "session_metadata" && isPlainObject(value)) {
      writeObject(value, out, context, events);
      return true;
    }
    return events(key, value, out);
  });
}

/** The whole line as one string (tests, small records). */
export function serializeRecord(record: SessionRecord): string {
  const parts: string[] = [];
  serializeRecordTo(record, (fragment) => parts.push(fragment));
  return parts.join("");
}

function writeObject(value: Record<string, unknown>, sink: Sink, context: Context, special?: Special) {
  let first = true;
  sink("{");
  for (const [key, item] of Object.entries(value)) {
    // JSON.stringify leaves out undefined, functions and symbols inside objects.
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    sink(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    if (!special?.(key, item, sink)) writeValue(item, sink, context);
  }
  sink("}");
}

function writeValue(value: unknown, sink: Sink, context: Context) {
  if (value instanceof RawJson) return sink(value.json);
  if (value === null || typeof value !== "object") return sink(JSON.stringify(value));
  writeShared(value, sink, context, (inner) => inner(JSON.stringify(value)));
}

/** Event entries hold `RawJson`: written entry by entry so each text goes out as it is. */
function writeEvents(entries: unknown[], sink: Sink, context: Context) {
  sink("[");
  entries.forEach((entry, index) => {
    if (index > 0) sink(",");
    if (isPlainObject(entry)) writeObject(entry, sink, context);
    else sink(JSON.stringify(entry) ?? "null");
  });
  sink("]");
}

/** Writes a subtree once and replays its fragments wherever the same object appears again. */
function writeShared(value: object, sink: Sink, context: Context, write: (sink: Sink) => void) {
  let fragments = context.memo.get(value);
  if (!fragments) {
    const collected: string[] = [];
    write((fragment) => collected.push(fragment));
    fragments = collected;
    context.memo.set(value, fragments);
  }
  for (const fragment of fragments) sink(fragment);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawJson);
}
