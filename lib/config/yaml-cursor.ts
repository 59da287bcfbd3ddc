/**
 * Where a cursor is in a block-style YAML config: the path of the mapping it is in, and whether it is
 * typing a key or the value of a key. A line-based reading (indentation and `- ` items), so it works on
 * a half-typed document the parser would reject. Browser-safe.
 */
export type YamlPath = (string | number)[];

export interface CursorContext {
  /** The mapping the key belongs to (a list item is index 0: every item has the same schema). */
  path: YamlPath;
  kind: "key" | "value";
  /** The key whose value is being typed (kind "value"). */
  key: string | null;
  /** What is typed so far, and where it starts (the range a completion replaces). */
  prefix: string;
  from: number;
}

const KEY = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
const KEY_TYPED = new RegExp(`^((?:\\s*- )*\\s*)(${KEY})?$`);
const VALUE_TYPED = new RegExp(`^((?:\\s*- )*\\s*)(${KEY}):[ \\t]+([^#]*)$`);

interface LineShape {
  /** Column of the first `- ` of a list item line, or null. */
  dash: number | null;
  /** Column where the key (or content) starts. */
  keyColumn: number;
  key: string | null;
  /** The line is `key:` with nothing (or only a comment) after the colon: a nested mapping or list follows. */
  opensBlock: boolean;
}

export function cursorContext(text: string, offset: number): CursorContext | null {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const value = VALUE_TYPED.exec(before);
  const keyMatch = value ? null : KEY_TYPED.exec(before);
  if (!value && !keyMatch) return null;
  const lead = (value ?? keyMatch)![1]!;
  const shape = lineShape(before);
  const path = parentPath(text.slice(0, lineStart), shape);
  if (value) {
    const typed = value[3] ?? "";
    const trimmed = typed.trimStart();
    return { path, kind: "value", key: value[2]!, prefix: trimmed, from: offset - trimmed.length };
  }
  const prefix = keyMatch![2] ?? "";
  return { path, kind: "key", key: null, prefix, from: lineStart + lead.length };
}

/** The path of the mapping holding a line of this shape, read from the lines above it. */
function parentPath(above: string, shape: LineShape): YamlPath {
  const path: YamlPath = [];
  let target = shape.keyColumn;
  if (shape.dash !== null) {
    path.unshift(0);
    target = shape.dash;
  }
  const lines = above.split("\n");
  for (let index = lines.length - 1; index >= 0 && target > 0; index -= 1) {
    const line = lines[index]!;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const current = lineShape(line);
    if (current.dash !== null && current.dash < target && current.keyColumn <= target) {
      path.unshift(0);
      target = current.dash;
      continue;
    }
    if (current.keyColumn < target && current.key !== null && current.opensBlock) {
      path.unshift(current.key);
      target = current.keyColumn;
    }
  }
  return path;
}

function lineShape(line: string): LineShape {
  let column = 0;
  while (line[column] === " ") column += 1;
  let dash: number | null = null;
  while (line[column] === "-" && (line[column + 1] === " " || column + 1 === line.length)) {
    dash ??= column;
    column += 1;
    while (line[column] === " ") column += 1;
  }
  const rest = line.slice(column);
  const match = new RegExp(`^(${KEY}):(.*)$`).exec(rest);
  const after = match?.[2]?.trim() ?? "";
  return { dash, keyColumn: column, key: match?.[1] ?? null, opensBlock: match !== null && (after === "" || after.startsWith("#")) };
}
