import { describe, expect, it } from "vitest";
import { parseJsonObject } from "./json";

describe("parseJsonObject", () => {
  it("parses a bare object", () => {
    expect(parseJsonObject(' {"score": 0.8} ')).toEqual({ ok: true, value: { score: 0.8 } });
  });

  it("strips ```json fences", () => {
    expect(parseJsonObject('```json\n{"a": [1, 2]}\n```')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseJsonObject('```\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("finds the object inside prose, ignoring braces inside strings", () => {
    const text = 'Sure! Here is my verdict: {"rationale": "uses } and { freely", "score": 1} Hope that helps.';
    expect(parseJsonObject(text)).toEqual({ ok: true, value: { rationale: "uses } and { freely", score: 1 } });
  });

  it("finds a fenced object surrounded by prose", () => {
    expect(parseJsonObject('Result:\n```json\n{"valid": false}\n```\nThanks')).toEqual({ ok: true, value: { valid: false } });
  });

  it("rejects arrays, scalars, empty text and broken JSON with a reason", () => {
    expect(parseJsonObject("[1, 2]")).toEqual({ ok: false, error: "expected a JSON object, got an array" });
    expect(parseJsonObject("42")).toEqual({ ok: false, error: "expected a JSON object, got a number" });
    expect(parseJsonObject("   ")).toEqual({ ok: false, error: "empty reply, expected a JSON object" });
    const broken = parseJsonObject('{"score": 0.8,');
    expect(broken.ok).toBe(false);
    expect(broken.ok ? "" : broken.error).toContain("not valid JSON");
  });
});
