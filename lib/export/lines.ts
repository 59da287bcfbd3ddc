/** Line readers for JSONL input: numbered, streaming, never the whole input in memory. */
import "server-only";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

export interface NumberedLine {
  /** 1-based, counting blank lines. */
  number: number;
  text: string;
}

export async function* linesOfFile(path: string): AsyncGenerator<NumberedLine> {
  const reader = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let number = 0;
  for await (const text of reader) {
    number += 1;
    yield { number, text };
  }
}

/** Lines of a web byte stream (a request body), split as they arrive; a long line costs linear time. */
export async function* linesOfStream(body: ReadableStream<Uint8Array>): AsyncGenerator<NumberedLine> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Pieces of the current, unfinished line: joined only once its newline arrives.
  let pieces: string[] = [];
  let number = 0;
  const finishLine = (tail: string) => {
    pieces.push(tail);
    const text = pieces.join("").replace(/\r$/, "");
    pieces = [];
    number += 1;
    return { number, text };
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const decoded = done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      let newline = decoded.indexOf("\n");
      while (newline !== -1) {
        yield finishLine(decoded.slice(start, newline));
        start = newline + 1;
        newline = decoded.indexOf("\n", start);
      }
      if (start < decoded.length) pieces.push(decoded.slice(start));
      if (done) break;
    }
    if (pieces.length > 0) yield finishLine("");
  } finally {
    reader.releaseLock();
  }
}
