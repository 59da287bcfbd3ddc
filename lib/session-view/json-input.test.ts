import { describe, expect, it } from "vitest";
import { lineColumn, parseJsonObjectInput } from "./json-input";

describe("parseJsonObjectInput", () => {
  it("accepts an empty field and a JSON object", () => {
    expect(parseJsonObjectInput("  \n")).toEqual({ ok: true, value: undefined });
    expect(parseJsonObjectInput('{"team": "qa", "n": 2}')).toEqual({ ok: true, value: { team: "qa", n: 2 } });
  });

  it("locates a syntax error by line and column", () => {
    const result = parseJsonObjectInput('{\n  "team": "qa",\n  "n": 2,\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.line).toBe(4);
    expect(result.column).toBe(1);
    expect(result.message).not.toMatch(/position \d+/);
  });

  it("points at the end for truncated input", () => {
    const result = parseJsonObjectInput('{"a": [1, 2');
    expect(result).toMatchObject({ ok: false, line: 1 });
    if (!result.ok) expect(result.column).toBeGreaterThanOrEqual(11);
  });

  it("rejects JSON that is not an object", () => {
    expect(parseJsonObjectInput("\n [1]")).toEqual({ ok: false, message: "expected a JSON object ({ … }), got an array", line: 2, column: 2 });
    expect(parseJsonObjectInput("null")).toMatchObject({ ok: false, message: "expected a JSON object ({ … }), got null" });
  });
});

describe("lineColumn", () => {
  it("counts from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
