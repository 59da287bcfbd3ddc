/**
 * Reply-text helpers shared by the Student and the Teacher: fenced JSON replies, safe parsing, excerpts.
 */

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

/** Milliseconds rounded to 3 decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
