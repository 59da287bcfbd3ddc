/**
 * Reading a JSON object out of model text: models wrap JSON in ```json fences or a sentence of prose
 * even when asked not to.
 */

export type JsonObjectParse = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

const FENCE = /^```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)\n?\s*```$/;

export function parseJsonObject(text: string): JsonObjectParse {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "empty reply, expected a JSON object" };
  const unfenced = FENCE.exec(trimmed)?.[1]?.trim() ?? trimmed;

  const whole = tryParse(unfenced);
  if (whole.parsed) return asObject(whole.value);

  const embedded = firstBalancedObject(unfenced);
  if (embedded !== null) {
    const inner = tryParse(embedded);
    if (inner.parsed) return asObject(inner.value);
  }
  return { ok: false, error: `not valid JSON: ${preview(trimmed)}` };
}

function tryParse(text: string): { parsed: true; value: unknown } | { parsed: false } {
  try {
    return { parsed: true, value: JSON.parse(text) };
  } catch {
    return { parsed: false };
  }
}

function asObject(value: unknown): JsonObjectParse {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return { ok: true, value: value as Record<string, unknown> };
  }
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  return { ok: false, error: `expected a JSON object, got ${kind}` };
}

/** The first `{ … }` span whose braces balance, ignoring braces inside JSON strings. */
function firstBalancedObject(text: string): string | null {
  const start = text.indexOf("{");
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{") depth += 1;
    else if (char === "}") {
      depth -= 1;
      if (depth === 0) return text.slice(start, index + 1);
    }
  }
  return null;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
