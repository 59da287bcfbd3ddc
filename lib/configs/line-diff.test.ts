import { describe, expect, it } from "vitest";
import { diffCounts, diffLines, foldUnchanged, type DiffLine } from "./line-diff";

/** Compact form: " a" same, "-a" removed, "+a" added. */
function render(lines: DiffLine[]): string[] {
  return lines.map((line) => `${{ same: " ", added: "+", removed: "-" }[line.kind]}${line.text}`);
}

/** Rebuilds both texts from the diff: every diff must be a faithful edit script. */
function sides(lines: DiffLine[]): { before: string[]; after: string[] } {
  return {
    before: lines.filter((line) => line.kind !== "added").map((line) => line.text),
    after: lines.filter((line) => line.kind !== "removed").map((line) => line.text),
  };
}

describe("diffLines", () => {
  it("shows nothing changed for equal texts, and ignores only the final newline", () => {
    expect(render(diffLines("a\nb\n", "a\nb\n"))).toEqual([" a", " b"]);
    expect(diffCounts(diffLines("a\nb\n", "a\nb"))).toEqual({ added: 0, removed: 0 });
    expect(diffLines("", "")).toEqual([]);
  });

  it("marks a changed line as removed then added, keeping the lines around it", () => {
    const lines = diffLines("teacher:\n  temperature: 0.2\n  model: x\n", "teacher:\n  temperature: 0.3\n  model: x\n");
    expect(render(lines)).toEqual([" teacher:", "-  temperature: 0.2", "+  temperature: 0.3", "   model: x"]);
    expect(lines[1]).toEqual({ kind: "removed", text: "  temperature: 0.2", oldNumber: 2, newNumber: null });
    expect(lines[2]).toEqual({ kind: "added", text: "  temperature: 0.3", oldNumber: null, newNumber: 2 });
    expect(lines[3]).toEqual({ kind: "same", text: "  model: x", oldNumber: 3, newNumber: 3 });
  });

  it("finds the longest common subsequence, not just a common prefix and suffix", () => {
    // LCS of ABCBDAB / BDCABA has length 4.
    const lines = diffLines("A\nB\nC\nB\nD\nA\nB", "B\nD\nC\nA\nB\nA");
    expect(lines.filter((line) => line.kind === "same")).toHaveLength(4);
    expect(sides(lines)).toEqual({ before: ["A", "B", "C", "B", "D", "A", "B"], after: ["B", "D", "C", "A", "B", "A"] });
  });

  it("handles insertions and deletions at the edges and from or to empty text", () => {
    expect(render(diffLines("b\n", "a\nb\nc\n"))).toEqual(["+a", " b", "+c"]);
    expect(render(diffLines("a\nb\nc\n", "b\n"))).toEqual(["-a", " b", "-c"]);
    expect(render(diffLines("", "x\ny"))).toEqual(["+x", "+y"]);
    expect(render(diffLines("x\ny", ""))).toEqual(["-x", "-y"]);
  });

  it("numbers lines on both sides consistently for a random edit", () => {
    const before = Array.from({ length: 60 }, (_, index) => `line ${index % 7} ${index % 3}`);
    const after = [...before.slice(0, 10), "new", ...before.slice(15, 40), ...before.slice(45), "tail"];
    const lines = diffLines(before.join("\n"), after.join("\n"));
    expect(sides(lines)).toEqual({ before, after });
    for (const line of lines) {
      if (line.oldNumber !== null) expect(before[line.oldNumber - 1]).toBe(line.text);
      if (line.newNumber !== null) expect(after[line.newNumber - 1]).toBe(line.text);
    }
    expect(diffCounts(lines)).toEqual({ added: 2, removed: 10 });
  });
});

describe("foldUnchanged", () => {
  it("keeps context around each change and folds long unchanged runs", () => {
    const before = Array.from({ length: 20 }, (_, index) => `l${index + 1}`);
    const after = before.map((line) => (line === "l10" ? "changed" : line));
    const blocks = foldUnchanged(diffLines(before.join("\n"), after.join("\n")), 2);
    expect(blocks.map((block) => (block.kind === "folded" ? `…${block.count}` : render(block.lines).join(",")))).toEqual([
      "…7",
      " l8, l9,-l10,+changed, l11, l12",
      "…8",
    ]);
  });

  it("folds everything when nothing changed", () => {
    expect(foldUnchanged(diffLines("a\nb\n", "a\nb\n"))).toEqual([{ kind: "folded", count: 2 }]);
  });
});
