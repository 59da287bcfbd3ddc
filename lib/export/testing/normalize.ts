/** Test helpers that take out what legitimately differs between two exports of the same sessions. */
import { isJsonObject, type JsonObject } from "@/lib/trajectory";

/** Upstream attempt entries are `{attempt, evaluation}`; ours carry more. */
const UPSTREAM_ATTEMPT_KEYS = new Set(["attempt", "evaluation"]);

/** The record as the Python exporter would write it: our additive keys removed, key order kept. */
export function withoutAtlasAdditions(record: JsonObject): JsonObject {
  const copy = structuredClone(record);
  if (isJsonObject(copy.session_metadata)) delete copy.session_metadata.atlas;
  // Review keys come from later upstream versions; the v0.1.1 exporter wrote none.
  for (const key of ["review_status", "review_notes", "human_labels"]) delete copy[key];
  for (const step of Array.isArray(copy.steps) ? copy.steps : []) {
    if (!isJsonObject(step)) continue;
    delete step.atlas;
    const metadata = isJsonObject(step.metadata) ? step.metadata : {};
    delete metadata.atlas;
    for (const list of [metadata.attempt_history, metadata.attempt_details, step.attempt_history, step.attempt_details]) {
      for (const entry of Array.isArray(list) ? list : []) {
        if (!isJsonObject(entry)) continue;
        for (const key of Object.keys(entry)) if (!UPSTREAM_ATTEMPT_KEYS.has(key)) delete entry[key];
      }
    }
  }
  return copy;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Replaces database ids (sessions, event rows, the event envelope's `sessionId`) and, unless asked to keep them,
 * every timestamp by placeholders, and `source` (run / import) by a marker; everything else must match byte for byte.
 */
export function normaliseVolatile(line: string, options: { keepTimestamps?: boolean } = {}): string {
  const record = JSON.parse(line) as JsonObject;
  return JSON.stringify(
    walk(record, (key, value, parent) => {
      if (!options.keepTimestamps && typeof value === "string" && TIMESTAMP.test(value)) return "<timestamp>";
      if (key === "session_id" && typeof value === "number") return "<session-id>";
      if (key === "sessionId" && typeof value === "number") return "<session-id>";
      // Event row ids; plan step ids are data and stay.
      if (key === "id" && typeof value === "number" && parent && "event" in parent && "created_at" in parent) return "<id>";
      if (key === "source" && (value === "run" || value === "import")) return "<source>";
      return value;
    }),
  );
}

type Replace = (key: string, value: unknown, parent: JsonObject | null) => unknown;

function walk(value: unknown, replace: Replace, key = "", parent: JsonObject | null = null): unknown {
  const replaced = replace(key, value, parent);
  if (replaced !== value) return replaced;
  if (Array.isArray(value)) return value.map((item) => walk(item, replace));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, replace, name, value)]));
}

/** The JSON path of the first difference between two JSON texts (key order included), or null when equal. */
export function firstDifference(left: string, right: string): string | null {
  return diff(JSON.parse(left), JSON.parse(right), "$");
}

function diff(left: unknown, right: unknown, path: string): string | null {
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
      const found = diff(left[index], right[index], `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const leftKeys = Object.keys(left);
    const rightKeys = Object.keys(right);
    if (leftKeys.join("\u0000") !== rightKeys.join("\u0000")) {
      return `${path}: keys ${JSON.stringify(leftKeys)} vs ${JSON.stringify(rightKeys)}`;
    }
    for (const key of leftKeys) {
      const found = diff(left[key], right[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return JSON.stringify(left) === JSON.stringify(right)
    ? null
    : `${path}: ${JSON.stringify(left)?.slice(0, 200)} vs ${JSON.stringify(right)?.slice(0, 200)}`;
}
