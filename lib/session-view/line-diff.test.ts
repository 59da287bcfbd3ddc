import { describe, expect, it } from "vitest";
import { diffLines } from "./line-diff";

const kinds = (text: string, other: string) => diffLines(text, other).lines.map((line) => `${line.kind[0]} ${line.text}`);

describe("diffLines", () => {
  it("marks lines removed and added between two outputs, keeping shared ones", () => {
    expect(kinds("a\nb\nc\nd", "a\nc\nx\nd")).toEqual(["s a", "r b", "s c", "a x", "s d"]);
    const diff = diffLines("a\nb", "a\nb\nc");
    expect([diff.added, diff.removed, diff.approximate]).toEqual([1, 0, false]);
  });

  it("handles empty outputs and identical outputs", () => {
    expect(kinds("", "one\ntwo")).toEqual(["a one", "a two"]);
    expect(kinds("one", "")).toEqual(["r one"]);
    expect(diffLines("same\ntext", "same\ntext").lines.every((line) => line.kind === "same")).toBe(true);
  });

  it("treats CRLF and LF alike", () => {
    expect(kinds("a\r\nb", "a\nb")).toEqual(["s a", "s b"]);
  });

  it("falls back to removed-then-added for a middle larger than the bound, keeping prefix and suffix", () => {
    const diff = diffLines("head\nx1\nx2\ntail", "head\ny1\ny2\ntail", 3);
    expect(diff.approximate).toBe(true);
    expect(diff.lines.map((line) => `${line.kind[0]} ${line.text}`)).toEqual(["s head", "r x1", "r x2", "a y1", "a y2", "s tail"]);
  });

  it("aligns thousands of lines without blowing up", () => {
    const before = Array.from({ length: 3000 }, (_, index) => `line ${index}`).join("\n");
    const after = before.replace("line 1500", "changed");
    const diff = diffLines(before, after);
    expect([diff.added, diff.removed]).toEqual([1, 1]);
  });
});
