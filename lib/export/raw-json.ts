/**
 * JSON text carried through the exporter without being kept as objects (trajectory events: the largest part
 * of a session, and the exporter only needs their `type` and `name`). `serializeRecord` writes the compact
 * text, made when the session is written; anything else that serialises the record (`JSON.stringify`) gets the
 * parsed value.
 */
export class RawJson {
  private compact: string | null = null;

  /** `text` may carry insignificant whitespace (PostgreSQL prints jsonb as `{"a": 1}`). */
  constructor(private readonly text: string) {}

  get json(): string {
    this.compact ??= compactJsonText(this.text);
    return this.compact;
  }

  toJSON(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

/** A JSON string token (kept whole, escapes included) or a run of whitespace outside strings (dropped). */
const TOKEN = /("(?:[^"\\]|\\.)*")|[ \t\r\n]+/g;

/**
 * Valid JSON text without the whitespace outside strings; numbers and strings stay as written (so `1.0` stays
 * `1.0`, as the Python exporter writes it). One regular-expression pass, cheaper than parse + stringify.
 */
export function compactJsonText(text: string): string {
  return text.replace(TOKEN, "$1");
}
