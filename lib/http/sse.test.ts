import { describe, expect, it } from "vitest";
import { formatSseComment, formatSseFrame, parseSseStream, type SseMessage } from "./sse";

async function collect(chunks: (string | Uint8Array)[]): Promise<SseMessage[]> {
  async function* source() {
    yield* chunks;
  }
  const messages: SseMessage[] = [];
  for await (const message of parseSseStream(source())) messages.push(message);
  return messages;
}

describe("SSE framing", () => {
  it("writes id, event and one data line per line of data", () => {
    expect(formatSseFrame({ id: 7, event: "llm.call", data: '{"a":1}' })).toBe('id: 7\nevent: llm.call\ndata: {"a":1}\n\n');
    expect(formatSseFrame({ data: "one\ntwo" })).toBe("data: one\ndata: two\n\n");
    expect(formatSseComment("keep-alive")).toBe(": keep-alive\n\n");
  });

  it("refuses an id or event that would break the framing", () => {
    expect(() => formatSseFrame({ id: "1\n2", data: "" })).toThrow(/single line/);
    expect(() => formatSseFrame({ event: "a\rb", data: "" })).toThrow(/single line/);
  });

  it("parses its own frames back whatever the chunk boundaries", async () => {
    const frames = [
      formatSseComment("connected"),
      formatSseFrame({ id: 1, event: "session.started", data: JSON.stringify({ text: "héllo\nworld" }) }),
      formatSseFrame({ id: 2, event: "multi", data: "line one\nline two" }),
      formatSseComment("keep-alive"),
      formatSseFrame({ data: "no id, no event" }),
    ];
    const bytes = new TextEncoder().encode(frames.join(""));
    const expected: SseMessage[] = [
      { id: "1", event: "session.started", data: JSON.stringify({ text: "héllo\nworld" }) },
      { id: "2", event: "multi", data: "line one\nline two" },
      // The last id persists, as in EventSource.
      { id: "2", event: "message", data: "no id, no event" },
    ];
    for (const size of [1, 2, 3, 5, 8, 13, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.slice(start, start + size));
      expect(await collect(chunks), `chunk size ${size}`).toEqual(expected);
    }
  });

  it("accepts CR, LF and CRLF line ends, even split across chunks", async () => {
    const messages = await collect(["id: 3\r", "\nevent: x\rdata: a\r", "\n\r", "\ndata: b\n\n"]);
    expect(messages).toEqual([
      { id: "3", event: "x", data: "a" },
      { id: "3", event: "message", data: "b" },
    ]);
  });

  it("reads a web ReadableStream", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("id: 1\nevent: e\ndata: d\n\n"));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    for await (const message of parseSseStream(stream)) messages.push(message);
    expect(messages).toEqual([{ id: "1", event: "e", data: "d" }]);
  });
});
