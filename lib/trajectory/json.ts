/** The one plain-object guard and the one stable stringifier. */

export type JsonObject = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys at every level: stable cache keys, content hashes and comparisons. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/**
 * A copy that survives JSON.stringify and a jsonb column: depth-limited (deeper values become their
 * JSON text), non-finite numbers become null, functions/symbols/bigints become strings.
 */
export function jsonSafe(value: unknown, maxDepth = 6): unknown {
  return copy(value, 0, maxDepth, new WeakSet());
}

function copy(value: unknown, depth: number, maxDepth: number, seen: WeakSet<object>): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "object") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return "[circular]";
  if (depth >= maxDepth) return stringifyLoosely(value);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1, maxDepth, seen));
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out[key] = copy(item, depth + 1, maxDepth, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function stringifyLoosely(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
