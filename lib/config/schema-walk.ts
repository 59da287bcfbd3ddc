/**
 * Walks the config's JSON Schema by YAML path: the keys a mapping accepts, with their descriptions and
 * allowed values, at any depth (unions merged, list items by index). The editor's completion, hover
 * and "did you mean", and the validator's suggestions, read the schema through it. Browser-safe.
 */
import { atlasConfigJsonSchema } from "./json-schema";

type SchemaNode = Record<string, unknown>;

export interface KeyInfo {
  name: string;
  description: string | null;
  /** Allowed scalar values (`enum`, `const`, booleans), for value completion. */
  values: string[];
  type: string | null;
}

let cached: SchemaNode | null = null;

/** The config schema, built once per process (or page). */
export function configSchema(): SchemaNode {
  cached ??= atlasConfigJsonSchema();
  return cached;
}

/** The schema nodes a value at `path` may match (several under a union); a number segment is a list item. */
export function nodesAt(path: readonly (string | number)[], root: SchemaNode = configSchema()): SchemaNode[] {
  let nodes = expand(root);
  for (const segment of path) {
    const next: SchemaNode[] = [];
    for (const node of nodes) {
      if (typeof segment === "number") {
        if (isNode(node.items)) next.push(...expand(node.items));
        continue;
      }
      const properties = isNode(node.properties) ? node.properties : {};
      const child = properties[segment];
      if (isNode(child)) next.push(...expand(child));
      else if (isNode(node.additionalProperties)) next.push(...expand(node.additionalProperties));
    }
    nodes = next;
  }
  return nodes;
}

/** The keys the mapping at `path` accepts, in schema order (union variants merged, first description wins). */
export function keysAt(path: readonly (string | number)[], root?: SchemaNode): KeyInfo[] {
  const keys = new Map<string, KeyInfo>();
  for (const node of nodesAt(path, root)) {
    if (!isNode(node.properties)) continue;
    for (const [name, child] of Object.entries(node.properties)) {
      if (!isNode(child)) continue;
      const info = keyInfo(name, child);
      const known = keys.get(name);
      if (!known) keys.set(name, info);
      else keys.set(name, { ...known, description: known.description ?? info.description, values: unique([...known.values, ...info.values]) });
    }
  }
  return [...keys.values()];
}

/** The key of `candidates` a misspelt `key` most likely meant, or null when none is close. */
export function closestKey(key: string, candidates: readonly string[]): string | null {
  const wanted = normalise(key);
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const distance = editDistance(wanted, normalise(name));
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (!best || best.name === key) return null;
  const allowed = Math.max(1, Math.floor(Math.max(key.length, best.name.length) / 4));
  return best.distance <= allowed ? best.name : null;
}

function keyInfo(name: string, node: SchemaNode): KeyInfo {
  const variants = expand(node);
  const description = variants.map((variant) => variant.description).find((text): text is string => typeof text === "string") ?? null;
  const values: string[] = [];
  let type: string | null = null;
  for (const variant of variants) {
    if (Array.isArray(variant.enum)) values.push(...variant.enum.filter(isScalar).map(String));
    if (isScalar(variant.const)) values.push(String(variant.const));
    if (variant.type === "boolean" && variant.const === undefined) values.push("true", "false");
    if (typeof variant.type === "string" && variant.type !== "null") type ??= variant.type;
  }
  return { name, description, values: unique(values), type };
}

/** A node and, for unions, each variant (nested unions flattened); the node's own description is kept on each. */
function expand(node: SchemaNode): SchemaNode[] {
  const variants = [node.oneOf, node.anyOf, node.allOf].find(Array.isArray) as unknown[] | undefined;
  if (!variants) return [node];
  const description = typeof node.description === "string" ? node.description : undefined;
  return variants
    .filter(isNode)
    .flatMap((variant) => expand(description && variant.description === undefined ? { ...variant, description } : variant));
}

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/-/g, "_");
}

/** Optimal string alignment distance (a swap of two neighbours counts once). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) => Array.from({ length: cols }, (_, col) => (row === 0 ? col : col === 0 ? row : 0)));
  for (let row = 1; row < rows; row += 1) {
    for (let col = 1; col < cols; col += 1) {
      const cost = a[row - 1] === b[col - 1] ? 0 : 1;
      let best = Math.min(table[row - 1]![col]! + 1, table[row]![col - 1]! + 1, table[row - 1]![col - 1]! + cost);
      if (row > 1 && col > 1 && a[row - 1] === b[col - 2] && a[row - 2] === b[col - 1]) best = Math.min(best, table[row - 2]![col - 2]! + 1);
      table[row]![col] = best;
    }
  }
  return table[rows - 1]![cols - 1]!;
}
