/**
 * Agent outputs are often JSON (`{"status": "ok", "result": {...}}`): show them indented so they read
 * line by line and diff line by line. Anything else is shown exactly as recorded.
 */
export function displayOutput(text: string): { text: string; json: boolean } {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return { text, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

export interface ReadableField {
  /** Where the value sits, e.g. `result.deliverable`; "" for a bare value. */
  path: string;
  /** Strings as they are (real line breaks), anything else as compact JSON. */
  text: string;
}

/**
 * A JSON output as labelled texts: each leaf with its path, strings unescaped, so a multi-line answer
 * inside `{"result": {"deliverable": "…\n…"}}` reads as lines. null when the text is not JSON.
 */
export function readableFields(text: string): ReadableField[] | null {
  const shown = displayOutput(text);
  if (!shown.json) return null;
  const fields: ReadableField[] = [];
  const visit = (value: unknown, path: string) => {
    if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) visit(item, Array.isArray(value) ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);
      return;
    }
    fields.push({ path, text: typeof value === "string" ? value : JSON.stringify(value) });
  };
  visit(JSON.parse(text.trim()) as unknown, "");
  return fields;
}
