/**
 * Where an issue sits in the text, as offsets an editor can underline.
 * Browser-safe: no Node imports.
 */
import type { Issue } from "@/lib/errors";

export interface TextRange {
  from: number;
  to: number;
}

/**
 * From the issue's line and column to the end of that line (trailing spaces left out), so a wrong value
 * or an unknown key is underlined whole. Issues without a position point at the start of the text.
 */
export function issueRange(text: string, issue: Pick<Issue, "line" | "column">): TextRange {
  const lineStarts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lineStarts.push(index + 1);

  const lineIndex = Math.min(Math.max((issue.line ?? 1) - 1, 0), lineStarts.length - 1);
  const lineStart = lineStarts[lineIndex]!;
  const nextStart = lineStarts[lineIndex + 1];
  const lineEnd = nextStart === undefined ? text.length : nextStart - 1;
  const lineText = text.slice(lineStart, lineEnd);
  const contentEnd = lineStart + lineText.replace(/\s+$/, "").length;

  const from = Math.min(lineStart + Math.max((issue.column ?? 1) - 1, 0), lineEnd);
  const to = Math.max(contentEnd, from);
  // An empty range would be invisible; cover one character when there is one.
  return { from, to: to === from && from < text.length ? from + 1 : to };
}
