/**
 * A line diff by longest common subsequence, for showing an edited config against a saved version.
 * Browser-safe: no Node imports.
 */

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
  /** 1-based line in the old text (null for added lines). */
  oldNumber: number | null;
  /** 1-based line in the new text (null for removed lines). */
  newNumber: number | null;
}

/** A run of lines to show, or a count of unchanged lines folded away. */
export type DiffBlock = { kind: "lines"; lines: DiffLine[] } | { kind: "folded"; count: number };

/** Beyond this many table cells the middle is shown as one replaced block (configs never get near it). */
const MAX_TABLE_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const oldLines = splitLines(before);
  const newLines = splitLines(after);

  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix++;
  }

  const oldMiddle = oldLines.slice(prefix, oldLines.length - suffix);
  const newMiddle = newLines.slice(prefix, newLines.length - suffix);
  const operations = [
    ...Array<Operation>(prefix).fill("same"),
    ...middleOperations(oldMiddle, newMiddle),
    ...Array<Operation>(suffix).fill("same"),
  ];
  return numberLines(operations, oldLines, newLines);
}

export function diffCounts(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === "added") added++;
    else if (line.kind === "removed") removed++;
  }
  return { added, removed };
}

/** Keeps `context` unchanged lines around each change and folds the rest. */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): DiffBlock[] {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let near = Math.max(0, index - context); near <= Math.min(lines.length - 1, index + context); near++) keep[near] = true;
  });

  const blocks: DiffBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = index;
    const kept = keep[index];
    while (index < lines.length && keep[index] === kept) index++;
    blocks.push(kept ? { kind: "lines", lines: lines.slice(start, index) } : { kind: "folded", count: index - start });
  }
  return blocks;
}

type Operation = "same" | "added" | "removed";

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function middleOperations(oldLines: string[], newLines: string[]): Operation[] {
  const rows = oldLines.length;
  const columns = newLines.length;
  if (rows === 0 || columns === 0 || (rows + 1) * (columns + 1) > MAX_TABLE_CELLS) {
    return [...Array<Operation>(rows).fill("removed"), ...Array<Operation>(columns).fill("added")];
  }

  // common[i][j]: length of the LCS of oldLines[i..] and newLines[j..], stored row-major.
  const width = columns + 1;
  const common = new Uint32Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      common[i * width + j] =
        oldLines[i] === newLines[j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }

  const operations: Operation[] = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < columns) {
    if (oldLines[i] === newLines[j]) {
      operations.push("same");
      i++;
      j++;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      operations.push("removed");
      i++;
    } else {
      operations.push("added");
      j++;
    }
  }
  while (i++ < rows) operations.push("removed");
  while (j++ < columns) operations.push("added");
  return operations;
}

function numberLines(operations: Operation[], oldLines: string[], newLines: string[]): DiffLine[] {
  let oldIndex = 0;
  let newIndex = 0;
  return operations.map((kind) => {
    if (kind === "same") {
      const line = { kind, text: newLines[newIndex]!, oldNumber: oldIndex + 1, newNumber: newIndex + 1 };
      oldIndex++;
      newIndex++;
      return line;
    }
    if (kind === "removed") return { kind, text: oldLines[oldIndex]!, oldNumber: ++oldIndex, newNumber: null };
    return { kind, text: newLines[newIndex]!, oldNumber: null, newNumber: ++newIndex };
  });
}
