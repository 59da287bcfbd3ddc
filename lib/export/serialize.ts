/**
 * `JSON.stringify(record)`, byte for byte, without serialising the same object twice. The upstream record
 * repeats large subtrees by design (events in two places, every metadata key lifted to the step, attempt history
 * twice, the stored reward inside `reward.raw` and `raw_evaluation`); they are the same objects in memory, so
 * each is stringified once and its text reused.
 */
import { RawJson } from "./raw-json";
import type { SessionRecord } from "./types";

type Memo = Map<object, string>;

export function serializeRecord(record: SessionRecord): string {
  const memo: Memo = new Map();
  const steps = `[${record.steps.map((step) => objectJson(step, memo, nested(memo, ["metadata", "reward", "raw_evaluation"]))).join(",")}]`;
  const events = (key: string, value: unknown) => (key === "trajectory_events" && Array.isArray(value) ? eventsJson(value, memo) : undefined);
  return objectJson(record, memo, (key, value) => {
    if (key === "steps") return steps;
    if (key === "session_metadata") return objectJson(value as object, memo, events);
    return events(key, value);
  });
}

/** Event entries hold `RawJson`: written entry by entry so the text goes out as it is. */
function eventsJson(entries: unknown[], memo: Memo): string {
  const cached = memo.get(entries);
  if (cached !== undefined) return cached;
  const text = `[${entries.map((entry) => (isPlainObject(entry) ? objectJson(entry, memo) : (JSON.stringify(entry) ?? "null"))).join(",")}]`;
  memo.set(entries, text);
  return text;
}

/** Serialises the named children key by key too, so their own children can hit the memo. */
function nested(memo: Memo, keys: string[]) {
  const wanted = new Set(keys);
  const special = (key: string, value: unknown): string | undefined => {
    if (!wanted.has(key) || !isPlainObject(value)) return undefined;
    const cached = memo.get(value);
    if (cached !== undefined) return cached;
    const text = objectJson(value, memo, special);
    memo.set(value, text);
    return text;
  };
  return special;
}

function objectJson(value: object, memo: Memo, special?: (key: string, value: unknown) => string | undefined): string {
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = special?.(key, item) ?? valueJson(item, memo);
    // JSON.stringify leaves out undefined, functions and symbols inside objects.
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

function valueJson(value: unknown, memo: Memo): string | undefined {
  if (value instanceof RawJson) return value.json;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const cached = memo.get(value);
  if (cached !== undefined) return cached;
  const text = JSON.stringify(value);
  memo.set(value, text);
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
