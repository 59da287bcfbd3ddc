/**
 * Deterministic scoring of a final answer against a task's expected answer: exact, contains, regex
 * (the expected answer is the pattern), numeric within a tolerance, JSON subset. Each gives a score
 * in [0, 1] and says why. Plain TypeScript, no I/O.
 */
import type { ReferenceScorer } from "./api-types";

export const DEFAULT_SCORER: ReferenceScorer = { type: "exact" };

export interface ReferenceScore {
  score: number | null;
  rationale: string;
}

const normalize = (text: string, caseSensitive: boolean) => {
  const collapsed = text.trim().replace(/\s+/g, " ");
  return caseSensitive ? collapsed : collapsed.toLowerCase();
};

export type DeterministicScorer = Exclude<ReferenceScorer, { type: "module" } | { type: "judge" }>;

export const DEFAULT_JUDGE_PROMPT = [
  "You grade an answer against a reference answer.",
  "Task: {task}",
  "Reference answer: {expected_answer}",
  "Answer to grade: {output}",
  'Reply with only a JSON object: {"score": <a number from 0 (wrong) to 1 (matches the reference)>, "rationale": "<one sentence>"}.',
].join("\n");

/** The judge prompt with its placeholders filled in. */
export function judgePrompt(template: string, values: { task: string; expected: string; output: string }): string {
  return template.replaceAll("{expected_answer}", values.expected).replaceAll("{output}", values.output).replaceAll("{task}", values.task);
}

/** What a module scorer or a judge returned: a number in [0, 1], or `{score, rationale}`. */
export function checkScoreResult(value: unknown, source: string): ReferenceScore {
  const [score, rationale] =
    typeof value === "number"
      ? [value, null]
      : value !== null && typeof value === "object"
        ? [(value as { score?: unknown }).score, (value as { rationale?: unknown }).rationale]
        : [value, null];
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
    return { score: null, rationale: `the ${source} returned ${JSON.stringify(value)}; expected a number in [0, 1] or {score, rationale}` };
  }
  return { score, rationale: typeof rationale === "string" && rationale !== "" ? rationale : `scored by the ${source}` };
}

export function scoreDeterministic(scorer: DeterministicScorer, output: string, expected: string): ReferenceScore {
  switch (scorer.type) {
    case "exact": {
      const equal = normalize(output, scorer.caseSensitive ?? false) === normalize(expected, scorer.caseSensitive ?? false);
      return { score: equal ? 1 : 0, rationale: equal ? "the answer equals the expected answer" : "the answer differs from the expected answer" };
    }
    case "contains": {
      const found = normalize(output, scorer.caseSensitive ?? false).includes(normalize(expected, scorer.caseSensitive ?? false));
      return { score: found ? 1 : 0, rationale: found ? "the answer contains the expected answer" : "the expected answer is not in the answer" };
    }
    case "regex": {
      let pattern: RegExp;
      try {
        pattern = new RegExp(expected, scorer.flags ?? "");
      } catch (error) {
        return { score: null, rationale: `the expected answer is not a valid regular expression: ${(error as Error).message}` };
      }
      const matched = pattern.test(output);
      return { score: matched ? 1 : 0, rationale: matched ? `the answer matches /${expected}/` : `the answer does not match /${expected}/` };
    }
    case "numeric":
      return scoreNumeric(output, expected, scorer.tolerance ?? 0);
    case "json_subset":
      return scoreJsonSubset(output, expected);
  }
}

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER)].map((match) => Number(match[0].replace(/,/g, ""))).filter(Number.isFinite);
}

function scoreNumeric(output: string, expected: string, tolerance: number): ReferenceScore {
  const [target] = numbersIn(expected);
  if (target === undefined) return { score: null, rationale: `the expected answer has no number: ${JSON.stringify(expected)}` };
  const found = numbersIn(output);
  if (found.length === 0) return { score: 0, rationale: "the answer has no number" };
  const closest = found.reduce((best, value) => (Math.abs(value - target) < Math.abs(best - target) ? value : best));
  const within = Math.abs(closest - target) <= tolerance;
  return {
    score: within ? 1 : 0,
    rationale: within ? `${closest} is within ${tolerance} of ${target}` : `the closest number, ${closest}, is more than ${tolerance} from ${target}`,
  };
}

/** The whole answer as JSON, else the first fenced or braced JSON block in it. */
function jsonIn(text: string): { ok: true; value: unknown } | { ok: false } {
  const candidates = [text.trim(), ...[...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/g)].map((match) => match[1]!.trim())];
  const braced = text.match(/[[{][\s\S]*[\]}]/);
  if (braced) candidates.push(braced[0]);
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // try the next candidate
    }
  }
  return { ok: false };
}

/** Every key of an expected object is in the actual one with a subset value; every expected array item is matched by some actual item. */
export function isJsonSubset(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((item) => actual.some((candidate) => isJsonSubset(item, candidate)));
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([key, value]) => Object.hasOwn(actual, key) && isJsonSubset(value, (actual as Record<string, unknown>)[key]));
  }
  return Object.is(expected, actual);
}

function scoreJsonSubset(output: string, expected: string): ReferenceScore {
  const want = jsonIn(expected);
  if (!want.ok) return { score: null, rationale: "the expected answer is not JSON" };
  const got = jsonIn(output);
  if (!got.ok) return { score: 0, rationale: "the answer holds no JSON" };
  const subset = isJsonSubset(want.value, got.value);
  return { score: subset ? 1 : 0, rationale: subset ? "the answer's JSON contains the expected JSON" : "the answer's JSON lacks part of the expected JSON" };
}
