/**
 * Validates a plain value against AtlasConfigSchema and words the problems for people.
 * Browser-safe: no Node imports.
 */
import { z } from "zod";
import { unknownKeyMessage } from "./later-version-keys";
import { AtlasConfigSchema, type AtlasConfig } from "./schema";
import { keysAt } from "./schema-walk";

export type PathSegment = string | number;

/** A validation problem before it is placed in a source text. */
export interface ConfigValidationIssue {
  segments: PathSegment[];
  message: string;
  /** Whether the problem is the key itself (an unknown key) rather than the value under it. */
  target: "key" | "value";
}

export type ConfigValidationResult =
  | { ok: true; config: AtlasConfig }
  | { ok: false; issues: ConfigValidationIssue[] };

export function validateConfigValue(value: unknown): ConfigValidationResult {
  const result = AtlasConfigSchema.safeParse(value, { error: describeIssue });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toValidationIssues) };
}

export function dottedPath(segments: readonly PathSegment[]): string {
  return segments.join(".");
}

function toValidationIssues(issue: z.core.$ZodIssue): ConfigValidationIssue[] {
  const segments = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  if (issue.code === "unrecognized_keys") {
    // zod reports all unknown keys of one mapping together; each key gets its own issue and position.
    const parentPath = dottedPath(segments);
    const known = keysAt(segments).map((info) => info.name);
    return issue.keys.map((key) => ({
      segments: [...segments, key],
      message: unknownKeyMessage(parentPath, key, known),
      target: "key",
    }));
  }
  return [{ segments, message: issue.message, target: "value" }];
}

/** Per-parse error map: replaces zod's generic wording; schema-level messages still take precedence. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const key = issue.path?.at(-1);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined && key !== undefined) return `missing required key "${String(key)}"`;
      if (issue.expected === "int") return `expected an integer, got ${describeValue(issue.input)}`;
      return `expected ${article(issue.expected)}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(" | ")}, got ${describeValue(issue.input)}`;
    case "too_small":
      return describeBound(issue.origin, issue.inclusive === false ? "greater than" : "at least", issue.minimum, issue.input);
    case "too_big":
      return describeBound(issue.origin, issue.inclusive === false ? "less than" : "at most", issue.maximum, issue.input);
    case "invalid_union":
      if (issue.discriminator !== undefined) return describeDiscriminatorIssue(issue);
      return undefined;
    default:
      return undefined;
  }
}

function describeDiscriminatorIssue(issue: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>): string {
  const discriminator = issue.discriminator ?? "type";
  const options: readonly unknown[] = "options" in issue && Array.isArray(issue.options) ? issue.options : [];
  const expected = options.map(String).join(", ");
  const input = issue.input;
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return `expected a mapping with "${discriminator}", got ${describeValue(input)}`;
  }
  const given = (input as Record<string, unknown>)[discriminator];
  if (given === undefined) return `missing required key "${discriminator}" (one of ${expected})`;
  return `${discriminator} must be one of ${expected}; got ${describeValue(given)}`;
}

function article(expected: string): string {
  if (expected === "object" || expected === "record") return "a mapping";
  if (expected === "array") return "a list";
  if (expected === "null") return "null";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}

function describeBound(origin: string, relation: string, limit: number | bigint, input: unknown): string {
  if (origin === "array" || origin === "set") return `must have ${relation} ${String(limit)} items`;
  if (origin === "string") {
    return relation === "at least" && limit === 1 ? "must not be empty" : `must have ${relation} ${String(limit)} characters`;
  }
  return `must be ${relation} ${String(limit)}, got ${describeValue(input)}`;
}
