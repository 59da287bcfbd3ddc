import { describe, expect, it } from "vitest";
import { parseConfigText } from "@/lib/config";
import { issueRange } from "./issue-range";

const TEXT = "agent:\n  name: demo   \nteacher:\n  llm:\n    temperature: hot\n";

describe("issueRange", () => {
  it("underlines from the column to the end of the line, without trailing spaces", () => {
    const range = issueRange(TEXT, { line: 2, column: 9 });
    expect(TEXT.slice(range.from, range.to)).toBe("demo");
  });

  it("underlines the place parseConfigText reports", () => {
    const parsed = parseConfigText(TEXT);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const temperature = parsed.issues.find((issue) => issue.path === "teacher.llm.temperature");
    expect(temperature).toBeDefined();
    const range = issueRange(TEXT, temperature!);
    expect(TEXT.slice(range.from, range.to)).toBe("hot");
  });

  it("clamps positions outside the text and never returns an empty range when text remains", () => {
    expect(issueRange(TEXT, {})).toEqual({ from: 0, to: 6 });
    const pastEnd = issueRange(TEXT, { line: 99, column: 5 });
    expect(pastEnd).toEqual({ from: TEXT.length, to: TEXT.length });
    const emptyLine = issueRange("a:\n\nb: 1", { line: 2, column: 1 });
    expect(emptyLine).toEqual({ from: 3, to: 4 });
    expect(issueRange("", { line: 1, column: 1 })).toEqual({ from: 0, to: 0 });
  });
});
