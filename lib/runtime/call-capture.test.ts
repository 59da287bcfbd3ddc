import { describe, expect, it } from "vitest";
import { callCapturer } from "./call-capture";

describe("call capture", () => {
  it("replaces secrets anywhere in the request and reply", () => {
    const capture = callCapturer({ secrets: [{ variable: "KEY", value: "sk-secret-123456" }] });
    const captured = capture({ messages: [{ role: "user", content: "use sk-secret-123456 now" }] }, { content: "ok sk-secret-123456" })!;
    expect(JSON.stringify(captured)).not.toContain("sk-secret-123456");
    expect(captured.request.messages).toEqual([{ role: "user", content: "use [redacted KEY] now" }]);
    expect(captured).toMatchObject({ truncated: false, reply: { content: "ok [redacted KEY]" } });
  });

  it("cuts the longest texts to fit the limit and says so, in the record and in the text", () => {
    const capture = callCapturer({ secrets: [], limitBytes: 2_000 });
    const long = "x".repeat(10_000);
    const captured = capture({ prompt: long, metadata: { mode: "execution" } }, { text: `${"y".repeat(3_000)}` })!;
    expect(captured.truncated).toBe(true);
    expect(captured.originalBytes).toBeGreaterThan(13_000);
    expect(captured.limitBytes).toBe(2_000);
    expect(Buffer.byteLength(JSON.stringify({ request: captured.request, reply: captured.reply }))).toBeLessThanOrEqual(2_000);
    expect(captured.request.prompt).toMatch(/^x+… \[\d+ characters cut to fit the capture size limit\]$/);
    expect(captured.request.metadata).toEqual({ mode: "execution" });
  });

  it("keeps a capture that fits as it is", () => {
    const captured = callCapturer({ secrets: [], limitBytes: 2_000 })({ prompt: "short" }, null)!;
    expect(captured).toEqual({ request: { prompt: "short" }, reply: null, truncated: false, originalBytes: 43, limitBytes: 2_000 });
  });
});
