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
