import { describe, expect, it } from "vitest";
import { checkScoreResult, DEFAULT_JUDGE_PROMPT, isJsonSubset, judgePrompt, scoreDeterministic } from "./reference-scorers";

describe("reference scorers", () => {
  it("fills the judge prompt and accepts only scores in [0, 1] from a module or a judge", () => {
    expect(judgePrompt(DEFAULT_JUDGE_PROMPT, { task: "T", expected: "E", output: "O" })).toContain("Task: T\nReference answer: E\nAnswer to grade: O");
    expect(checkScoreResult(0.5, "module scorer")).toEqual({ score: 0.5, rationale: "scored by the module scorer" });
    expect(checkScoreResult({ score: 1, rationale: "right" }, "judge")).toEqual({ score: 1, rationale: "right" });
    expect(checkScoreResult({ score: 1.5 }, "judge").score).toBeNull();
    expect(checkScoreResult("0.5", "judge").rationale).toMatch(/expected a number in \[0, 1\]/);
  });

  it("exact and contains ignore case and runs of whitespace unless told otherwise", () => {
    expect(scoreDeterministic({ type: "exact" }, "  Paris\n", "paris").score).toBe(1);
    expect(scoreDeterministic({ type: "exact", caseSensitive: true }, "Paris", "paris").score).toBe(0);
    expect(scoreDeterministic({ type: "exact" }, "Paris, France", "paris").score).toBe(0);
    expect(scoreDeterministic({ type: "contains" }, "The capital is  PARIS.", "capital is paris").score).toBe(1);
    expect(scoreDeterministic({ type: "contains" }, "Lyon", "paris")).toEqual({ score: 0, rationale: "the expected answer is not in the answer" });
  });

  it("regex uses the expected answer as the pattern; a bad pattern scores null with the reason", () => {
    expect(scoreDeterministic({ type: "regex" }, "order #A-1234 shipped", "#A-\\d{4}").score).toBe(1);
    expect(scoreDeterministic({ type: "regex", flags: "i" }, "YES", "^yes$").score).toBe(1);
    expect(scoreDeterministic({ type: "regex" }, "YES", "^yes$").score).toBe(0);
    const bad = scoreDeterministic({ type: "regex" }, "x", "(");
    expect(bad.score).toBeNull();
    expect(bad.rationale).toMatch(/not a valid regular expression/);
  });

  it("numeric takes the answer's number closest to the expected one, within the tolerance", () => {
    expect(scoreDeterministic({ type: "numeric" }, "It costs 1,250 dollars", "1250").score).toBe(1);
    expect(scoreDeterministic({ type: "numeric", tolerance: 0.05 }, "about 3.14 or 7", "pi is 3.1416").score).toBe(1);
    expect(scoreDeterministic({ type: "numeric", tolerance: 0.001 }, "about 3.14", "3.1416").score).toBe(0);
    expect(scoreDeterministic({ type: "numeric" }, "no digits here", "42")).toEqual({ score: 0, rationale: "the answer has no number" });
    expect(scoreDeterministic({ type: "numeric" }, "42", "forty-two").score).toBeNull();
    expect(scoreDeterministic({ type: "numeric" }, "-3 degrees", "-3").score).toBe(1);
  });

  it("json_subset finds JSON in the answer (whole, fenced or braced) and checks it contains the expected JSON", () => {
    expect(scoreDeterministic({ type: "json_subset" }, '{"a": 1, "b": {"c": [1, 2, 3], "d": "x"}}', '{"b": {"c": [3]}}').score).toBe(1);
    expect(scoreDeterministic({ type: "json_subset" }, 'Here:\n```json\n{"status": "ok", "n": 2}\n```', '{"status": "ok"}').score).toBe(1);
    expect(scoreDeterministic({ type: "json_subset" }, 'Result {"status": "error"} done', '{"status": "ok"}').score).toBe(0);
    expect(scoreDeterministic({ type: "json_subset" }, "plain words", '{"a": 1}')).toEqual({ score: 0, rationale: "the answer holds no JSON" });
    expect(scoreDeterministic({ type: "json_subset" }, "{}", "not json").score).toBeNull();
    expect(isJsonSubset({ a: null }, { a: null, b: 1 })).toBe(true);
    expect(isJsonSubset({ a: 1 }, [1])).toBe(false);
    expect(isJsonSubset([{ id: 2 }], [{ id: 1 }, { id: 2, x: 0 }])).toBe(true);
    expect(isJsonSubset("1", 1)).toBe(false);
  });
});
