/**
 * Server-Sent Events framing (WHATWG HTML §9.2): the writer used by the event-stream route and the
 * parser used by tests, benchmarks and the browser. Browser-safe: no Node imports.
 */

export interface SseFrame {
  id?: string | number;
  event?: string;
  data: string;
}

/** One message as a client sees it; `event` defaults to "message" as in EventSource. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export function formatSseFrame(frame: SseFrame): string {
  let text = "";
  if (frame.id !== undefined) text += `id: ${singleLine(String(frame.id), "id")}\n`;
  if (frame.event !== undefined) text += `event: ${singleLine(frame.event, "event")}\n`;
  for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment line: ignored by clients, used to flush headers and keep idle connections open. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/\r\n|\r|\n/g, " ")}\n\n`;
}

function singleLine(value: string, field: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must be a single line, got ${JSON.stringify(value)}`);
  return value;
}

type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/**
 * Parses an SSE byte stream into messages (comments are skipped). Follows the spec's dispatch rules:
 * a blank line dispatches, `data` lines are joined with "\n", the last `id` persists.
 */
export async function* parseSseStream(source: ByteSource): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let pending = "";
  let lastId: string | null = null;
  let event = "";
  let data: string[] = [];
  let sawData = false;

  for await (const chunk of iterate(source)) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let lineEnd: number;
    while ((lineEnd = findLineEnd(pending)) >= 0) {
      const line = pending.slice(0, lineEnd);
      pending = pending.slice(pending[lineEnd] === "\r" && pending[lineEnd + 1] === "\n" ? lineEnd + 2 : lineEnd + 1);
      if (line === "") {
        if (sawData) yield { id: lastId, event: event || "message", data: data.join("\n") };
        event = "";
        data = [];
        sawData = false;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") {
        data.push(value);
        sawData = true;
      } else if (field === "event") event = value;
      else if (field === "id" && !value.includes("\0")) lastId = value;
    }
  }
}

function findLineEnd(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === "\n") return index;
    // A lone "\r" at the end of a chunk may be the first half of "\r\n": wait for more.
    if (char === "\r") return index + 1 < text.length ? index : -1;
  }
  return -1;
}

async function* iterate(source: ByteSource): AsyncGenerator<Uint8Array | string> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array | string>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
