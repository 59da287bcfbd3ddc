/**
 * Small JSON helpers shared by the Student and the Teacher: fenced replies, safe parsing and
 * JSON-safe copies of arbitrary values (spec §4.1 step 4, §4.2, §5.3 step 12).
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes one leading ``` (or ```json) fence and its trailing ``` the way upstream does. */
export function stripCodeFence(text: string): string {
  let cleaned = text.trim();
  if (!cleaned.startsWith("```")) return cleaned;
  let body = cleaned.slice(3);
  if (body.trimStart().startsWith("json")) body = body.trimStart().slice(4);
  cleaned = body.trim();
  if (cleaned.endsWith("```")) cleaned = cleaned.slice(0, -3).trim();
  return cleaned;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonText(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Parses fenced or bare JSON; `undefined` when the text is not JSON. */
export function parseFencedJson(text: string): unknown {
  const parsed = parseJsonText(stripCodeFence(text));
  return parsed.ok ? parsed.value : undefined;
}

/** A short, single-line excerpt for error messages. */
export function excerpt(text: string, limit = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
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

/** JSON with sorted keys at every level: stable cache keys. */
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

/** Milliseconds rounded to 3 decimals (spec §5.3 step 11). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
