/** Small JSON helpers that mirror the Python exporter's coercions. Browser-safe. */

import { isJsonObject, type JsonObject } from "@/lib/trajectory";

/** Python truthiness: None, False, 0, "", [] and {} are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** `_coerce_json`: strings are decoded (undecodable → null), objects and lists pass through. */
export function decodeJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

/** `_coerce_dict`: object → copy, null → {}, list → {"0": …}, scalar → {"<v>": v}. */
export function coerceObject(value: unknown): JsonObject {
  if (isJsonObject(value)) return { ...value };
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return { [String(value)]: value };
}

/** Python `float(v)` with the exporter's fallback to 0.0. */
export function asFloat(value: unknown): number {
  return asOptionalFloat(value) ?? 0;
}

export function asOptionalFloat(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** Copies an object with `first` keys (when present) ahead of the rest, which keep their order. */
export function withKeyOrder<T extends JsonObject>(value: T, first: readonly string[]): T {
  const ordered: JsonObject = {};
  for (const key of first) if (key in value) ordered[key] = value[key];
  for (const [key, item] of Object.entries(value)) if (!(key in ordered)) ordered[key] = item;
  return ordered as T;
}

/** True when `withKeyOrder(value, first)` would not move anything. */
export function hasKeyOrder(value: JsonObject, first: readonly string[]): boolean {
  const keys = Object.keys(value);
  const expected = first.filter((key) => key in value);
  return expected.every((key, index) => keys[index] === key);
}


/** Python's `datetime.isoformat()` for a UTC instant: microseconds only when non-zero, `+00:00` offset. */
export function pythonIsoTimestamp(value: string | Date): string {
  if (value instanceof Date) {
    const iso = value.toISOString();
    const millis = iso.slice(20, 23);
    return `${iso.slice(0, 19)}${millis === "000" ? "" : `.${millis}000`}+00:00`;
  }
  return value.replace(/\.0{6}(?=[+-]\d{2}:\d{2}$)/, "");
}
