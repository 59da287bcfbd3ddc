/**
 * Maps between paths inside a parsed YAML document and offsets in its source text.
 * Browser-safe: no Node imports.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair } from "yaml";
import type { PathSegment } from "./validate";

/**
 * Offset of the node an issue should point at:
 * - `target: "key"`: the key itself (used for unknown keys);
 * - `target: "value"`: the value, or its key when the value is empty;
 * - when the path does not exist (a missing key), the key of the deepest existing mapping,
 *   or the start of that mapping when it has no key (the root, a list item).
 */
export function offsetForPath(document: Document, segments: readonly PathSegment[], target: "key" | "value"): number {
  let node = resolve(document, document.contents);
  let key: Node | null = null;

  for (const segment of segments) {
    const child = childEntry(node, segment);
    if (!child) return startOf(key) ?? startOf(node) ?? 0;
    key = child.key;
    node = resolve(document, child.value);
  }

  if (target === "key" && key) return startOf(key) ?? 0;
  if (isEmptyScalar(node)) return startOf(key) ?? startOf(node) ?? 0;
  return startOf(node) ?? startOf(key) ?? 0;
}

/** Dotted path of the deepest key or list item whose source span contains `offset` ("" if none). */
export function pathAtOffset(document: Document, offset: number): string {
  const segments: PathSegment[] = [];
  let node = document.contents as Node | null;

  while (node) {
    if (isMap(node)) {
      const pair = (node.items as Pair<unknown, unknown>[]).find((item) => pairContains(item, offset));
      if (!pair) break;
      segments.push(keyText(pair.key));
      node = asNode(pair.value);
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => spanContains(asNode(item), offset));
      if (index < 0) break;
      segments.push(index);
      node = asNode(node.items[index]);
    } else {
      break;
    }
  }
  return segments.join(".");
}

/**
 * Start of the first mapping key at or after `offset`. The yaml package reports some key errors
 * (e.g. duplicate keys) at the whitespace before the key; this finds the key itself.
 */
export function keyStartAtOrAfter(document: Document, offset: number): number | undefined {
  let best: number | undefined;
  visit(document, {
    Pair(_key, pair) {
      const start = asNode(pair.key)?.range?.[0];
      if (start !== undefined && start >= offset && (best === undefined || start < best)) best = start;
    },
  });
  return best;
}

interface ChildEntry {
  /** The node naming the child: a mapping key, or the list item itself. */
  key: Node | null;
  value: Node | null;
}

function childEntry(node: Node | null, segment: PathSegment): ChildEntry | undefined {
  if (isMap(node)) {
    const pair = (node.items as Pair<unknown, unknown>[]).find((item) => keyText(item.key) === String(segment));
    return pair ? { key: asNode(pair.key), value: asNode(pair.value) } : undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = asNode(node.items[segment]);
    return item ? { key: item, value: item } : undefined;
  }
  return undefined;
}

function resolve(document: Document, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(document) as Node | undefined) ?? node;
  return asNode(node);
}

function asNode(value: unknown): Node | null {
  return value !== null && typeof value === "object" && "range" in value ? (value as Node) : null;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function startOf(node: Node | null): number | undefined {
  return node?.range?.[0];
}

function isEmptyScalar(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.range != null && node.range[0] === node.range[1]);
}

/** Ranges are [start, valueEnd, nodeEnd) with an exclusive end. */
function spanContains(node: Node | null, offset: number): boolean {
  const range = node?.range;
  return range != null && offset >= range[0] && offset < range[2];
}

function pairContains(pair: Pair<unknown, unknown>, offset: number): boolean {
  const key = asNode(pair.key);
  const value = asNode(pair.value);
  const start = key?.range?.[0];
  const end = Math.max(key?.range?.[2] ?? -1, value?.range?.[2] ?? -1);
  return start !== undefined && offset >= start && offset < end;
}
