import { describe, expect, it } from "vitest";
import { backoffMs, maxTriesFor, retryAfterMs } from "./retry";

describe("maxTriesFor", () => {
  it("gives every call at least three tries and lets retry.attempts raise it", () => {
    expect(maxTriesFor(undefined)).toBe(3);
    expect(maxTriesFor(1)).toBe(3);
    expect(maxTriesFor(5)).toBe(5);
  });
});

describe("retryAfterMs", () => {
  it("reads retry-after-ms, seconds and HTTP dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMs(new Headers())).toBeNull();
  });
});

describe("backoffMs", () => {
  it("uses full jitter over an exponentially growing ceiling, capped at 30 s", () => {
    expect(backoffMs(2, 1, null, () => 0.999)).toBe(999);
    expect(backoffMs(3, 1, null, () => 0.999)).toBe(1998);
    expect(backoffMs(4, 1, null, () => 0.5)).toBe(2000);
    expect(backoffMs(20, 1, null, () => 0.999)).toBe(29_970);
    expect(backoffMs(2, 1, null, () => 0)).toBe(0);
  });

  it("honours Retry-After over the backoff, capped at 30 s", () => {
    expect(backoffMs(2, 1, 5000, () => 0)).toBe(5000);
    expect(backoffMs(2, 1, 120_000, () => 0)).toBe(30_000);
  });
});
