/**
 * Parses configuration text (YAML, or JSON which is YAML) and objects into a validated AtlasConfig,
 * reporting every problem with its dotted path and, for text, its line and column.
 * Browser-safe: no Node imports.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";
import { errorMessage, type Issue } from "@/lib/errors";
import type { AtlasConfig } from "./schema";
import { keyStartAtOrAfter, offsetForPath, pathAtOffset } from "./source-positions";
import { dottedPath, type PathSegment, validateConfigValue } from "./validate";

/** On success, `document` is the configuration as written (before defaults), e.g. to show or re-serialise it. */
export type ConfigParseResult =
  | { ok: true; config: AtlasConfig; document: unknown }
  | { ok: false; issues: Issue[] };

type Position = { line: number; column: number };
type PositionOf = (offset: number) => Position;

const EMPTY_CONFIG_MESSAGE = "configuration is empty: expected a mapping with agent, teacher and rim";

/** Validates an already-parsed value (JSON body, API input); issues carry paths but no positions. */
export function parseConfigObject(value: unknown): ConfigParseResult {
  const validation = validateConfigValue(value);
  if (validation.ok) return { ok: true, config: validation.config, document: value };
  return {
    ok: false,
    issues: validation.issues.map((issue) => ({ path: dottedPath(issue.segments), message: issue.message })),
  };
}

export function parseConfigText(text: string): ConfigParseResult {
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

  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // e.g. too many aliases (a "billion laughs" document)
    return { ok: false, issues: [{ path: "", message: `invalid YAML: ${errorMessage(error)}`, line: 1, column: 1 }] };
  }

  const validation = validateConfigValue(value);
  if (validation.ok) return { ok: true, config: validation.config, document: value };
  const issues = validation.issues.map((issue) => ({
    path: dottedPath(issue.segments),
    message: issue.message,
    ...positionOf(offsetForPath(document, issue.segments, issue.target)),
  }));
  return { ok: false, issues: sortByPosition(issues) };
}

/** Places problems found after validation (by path) in the text they came from. */
export function issuesInText(text: string, problems: readonly { segments: PathSegment[]; message: string }[]): Issue[] {
  if (problems.length === 0) return [];
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  return problems.map((problem) => {
    const { line, col } = lineCounter.linePos(offsetForPath(document, problem.segments, "value"));
    return { path: dottedPath(problem.segments), message: problem.message, line, column: col };
  });
}

function yamlSyntaxIssues(document: Document, positionOf: PositionOf): Issue[] {
  const parserIssues = document.errors.map((error) => {
    const isDuplicateKey = error.code === "DUPLICATE_KEY";
    const offset = isDuplicateKey ? (keyStartAtOrAfter(document, error.pos[0]) ?? error.pos[0]) : error.pos[0];
    const path = pathAtOffset(document, offset);
    const duplicateKey = path.split(".").at(-1);
    const message = isDuplicateKey && duplicateKey ? `duplicate key "${duplicateKey}"` : `invalid YAML: ${error.message}`;
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
