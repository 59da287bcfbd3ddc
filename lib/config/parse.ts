/**
 * Parses configuration text (YAML, or JSON which is YAML) and objects into a validated AtlasConfig,
 * reporting every problem with its dotted path and, for text, its line and column.
 * Browser-safe: no Node imports.
 */
import { Lexer, LineCounter, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";
import { errorMessage, type Issue } from "@/lib/errors";
import type { AtlasConfig } from "./schema";
import { keyStartAtOrAfter, offsetForPath, pathAtOffset } from "./source-positions";
import { dottedPath, validateConfigValue, type ConfigValidationIssue } from "./validate";

/** On success, `document` is the configuration as written (before defaults), e.g. to show or re-serialise it. */
export type ConfigParseResult =
  | { ok: true; config: AtlasConfig; document: unknown }
  | { ok: false; issues: Issue[] };

type Position = { line: number; column: number };
type PositionOf = (offset: number) => Position;

const EMPTY_CONFIG_MESSAGE = "configuration is empty: expected a mapping with agent, teacher and rim";

/**
 * Bounds that keep a hostile document cheap: its size, how deeply it nests (a deep flow `[[[…` exhausts
 * the parser's memory) and how many aliases it expands (a "billion laughs" document).
 */
export const YAML_LIMITS = { maxChars: 512 * 1024, maxDepth: 64, maxAliasCount: 100 } as const;

export interface ParseConfigOptions {
  /** Further rules on a schema-valid config (the server's code-location rule); their issues get positions too. */
  check?: (config: AtlasConfig) => ConfigValidationIssue[];
}

/** Validates an already-parsed value (JSON body, API input); issues carry paths but no positions. */
export function parseConfigObject(value: unknown): ConfigParseResult {
  const validation = validateConfigValue(value);
  if (validation.ok) return { ok: true, config: validation.config, document: value };
  return {
    ok: false,
    issues: validation.issues.map((issue) => ({ path: dottedPath(issue.segments), message: issue.message })),
  };
}

export function parseConfigText(text: string, options: ParseConfigOptions = {}): ConfigParseResult {
  const boundIssue = documentBoundIssue(text);
  if (boundIssue) return { ok: false, issues: [boundIssue] };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positionOf: PositionOf = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntaxIssues = yamlSyntaxIssues(document, positionOf);
  if (syntaxIssues.length > 0) return { ok: false, issues: sortByPosition(syntaxIssues) };

  const rootIssue = nonMappingRootIssue(document, positionOf);
  if (rootIssue) return { ok: false, issues: [rootIssue] };

  if (nodeDepth(document.contents) > YAML_LIMITS.maxDepth) {
    return { ok: false, issues: [{ path: "", message: `invalid YAML: nested more than ${YAML_LIMITS.maxDepth} levels deep`, line: 1, column: 1 }] };
  }

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
  } catch (error) {
    // e.g. too many aliases (a "billion laughs" document)
    return { ok: false, issues: [{ path: "", message: `invalid YAML: ${errorMessage(error)}`, line: 1, column: 1 }] };
  }

  const validation = validateConfigValue(value);
  const ruleIssues = validation.ok ? (options.check?.(validation.config) ?? []) : [];
  if (validation.ok && ruleIssues.length === 0) return { ok: true, config: validation.config, document: value };
  const issues = (validation.ok ? ruleIssues : validation.issues).map((issue) => ({
    path: dottedPath(issue.segments),
    message: issue.message,
    ...positionOf(offsetForPath(document, issue.segments, issue.target)),
  }));
  return { ok: false, issues: sortByPosition(issues) };
}

/** Size and flow nesting, checked on the token stream before anything is built from the text. */
function documentBoundIssue(text: string): Issue | null {
  if (text.length > YAML_LIMITS.maxChars) {
    return { path: "", message: `invalid YAML: the document is ${text.length} characters; at most ${YAML_LIMITS.maxChars}`, line: 1, column: 1 };
  }
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") depth += 1;
    else if (token === "]" || token === "}") depth -= 1;
    if (depth > YAML_LIMITS.maxDepth) {
      return { path: "", message: `invalid YAML: nested more than ${YAML_LIMITS.maxDepth} levels deep`, line: 1, column: 1 };
    }
  }
  return null;
}

/** Deepest collection nesting, walked without recursion (aliases are not followed). */
function nodeDepth(root: unknown): number {
  let deepest = 0;
  const pending: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (!isCollection(node)) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > YAML_LIMITS.maxDepth) return deepest;
    for (const item of node.items) {
      if (isPair(item)) pending.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      else pending.push({ node: item, depth: depth + 1 });
    }
  }
  return deepest;
}

function yamlSyntaxIssues(document: Document, positionOf: PositionOf): Issue[] {
  const parserIssues = document.errors.map((error) => {
    const isDuplicateKey = error.code === "DUPLICATE_KEY";
    if (!isDuplicateKey) {
      // The document around a syntax error is not what the author meant: no config path can be trusted.
      return { path: "", message: `invalid YAML: ${error.message}`, ...positionOf(error.pos[0]) };
    }
    const offset = keyStartAtOrAfter(document, error.pos[0]) ?? error.pos[0];
    const path = pathAtOffset(document, offset);
    const duplicateKey = path.split(".").at(-1);
    const message = duplicateKey ? `duplicate key "${duplicateKey}"` : `invalid YAML: ${error.message}`;
    return { path, message, ...positionOf(offset) };
  });
  const aliasIssues = unresolvedAliases(document).map(({ name, offset }) => ({
    path: pathAtOffset(document, offset),
    message: `unknown alias "*${name}": no anchor "&${name}" defined before it`,
    ...positionOf(offset),
  }));
  return [...parserIssues, ...aliasIssues];
}

/** `toJS()` throws on an alias without an anchor; find them first so they get a position. */
function unresolvedAliases(document: Document): { name: string; offset: number }[] {
  const found: { name: string; offset: number }[] = [];
  visit(document, {
    Alias(_key, alias) {
      if (alias.resolve(document) === undefined) found.push({ name: alias.source, offset: alias.range?.[0] ?? 0 });
    },
  });
  return found;
}

function nonMappingRootIssue(document: Document, positionOf: PositionOf): Issue | undefined {
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return { path: "", message: EMPTY_CONFIG_MESSAGE, line: 1, column: 1 };
  }
  if (isMap(root)) return undefined;
  return {
    path: "",
    message: `configuration must be a mapping (got ${describeNode(root)})`,
    ...positionOf(root.range?.[0] ?? 0),
  };
}

function describeNode(node: Node): string {
  if (isSeq(node)) return "a sequence";
  if (isAlias(node)) return "an alias";
  if (isScalar(node)) {
    const kind = typeof node.value;
    if (kind === "string") return "a string";
    if (kind === "number" || kind === "bigint") return "a number";
    if (kind === "boolean") return "a boolean";
  }
  return "a scalar";
}

function sortByPosition(issues: Issue[]): Issue[] {
  const last = Number.MAX_SAFE_INTEGER;
  return [...issues].sort((a, b) => (a.line ?? last) - (b.line ?? last) || (a.column ?? last) - (b.column ?? last));
}
