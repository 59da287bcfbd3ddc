/**
 * Live validation of the launch form's metadata field: empty is fine, otherwise a JSON object.
 * Syntax errors carry the 1-based line and column, whichever wording the JS engine uses.
 */

export type JsonObjectInput =
  | { ok: true; value: Record<string, unknown> | undefined }
  | { ok: false; message: string; line: number; column: number };

export function parseJsonObjectInput(text: string): JsonObjectInput {
  if (text.trim() === "") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, ...locate((error as Error).message, text) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const start = text.length - text.trimStart().length;
    return { ok: false, message: `expected a JSON object ({ … }), got ${describe(value)}`, ...lineColumn(text, start) };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function locate(message: string, text: string): { message: string; line: number; column: number } {
  const clean = message
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/\s+in JSON at position \d+/, "")
    .replace(/^JSON\.parse: /, "");
  const explicit = /line (\d+) column (\d+)/.exec(message);
  if (explicit) return { message: clean, line: Number(explicit[1]), column: Number(explicit[2]) };
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  return { message: clean, ...lineColumn(text, offset) };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
