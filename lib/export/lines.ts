/** Line readers for JSONL input: numbered, streaming, never the whole input in memory. */
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

/** Lines of a web byte stream (a request body), split as they arrive. */
export async function* linesOfStream(body: ReadableStream<Uint8Array>): AsyncGenerator<NumberedLine> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  let number = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      let newline = pending.indexOf("\n", start);
      while (newline !== -1) {
        number += 1;
        yield { number, text: pending.slice(start, newline).replace(/\r$/, "") };
        start = newline + 1;
        newline = pending.indexOf("\n", start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending !== "") {
      number += 1;
      yield { number, text: pending.replace(/\r$/, "") };
    }
  } finally {
    reader.releaseLock();
  }
}
