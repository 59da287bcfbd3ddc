import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAtlasError, type Issue } from "@/lib/errors";
import { parseCsv } from "./csv";
import { detectTaskFileFormat, parseTaskFile } from "./parse";

function issuesOf(run: () => unknown): Issue[] {
  try {
    run();
  } catch (error) {
    if (isAtlasError(error)) return error.issues ?? [];
    throw error;
  }
  throw new Error("expected the file to be refused");
}

const UPSTREAM = "/work/shared/upstream-fixtures/v0.1.15/atlas/data/synthetic_runtime_tasks.jsonl";

describe("task files", () => {
  it("reads JSONL, skipping blank and # comment lines", () => {
    const text = ['# a comment', '{"task": "one", "expected_answer": "1", "metadata": {"tag": "a"}}', "", '{"task": "two"}', ""].join("\n");
    expect(parseTaskFile(text, "jsonl")).toEqual([
      { task: "one", expected_answer: "1", metadata: { tag: "a" } },
      { task: "two" },
    ]);
  });

  it("reports every bad JSONL line by its number and returns nothing", () => {
    const text = ['{"task": "ok"}', "not json", '{"task": ""}', '{"task": "x", "extra": 1}', '{"task": "y", "metadata": []}'].join("\n");
    const issues = issuesOf(() => parseTaskFile(text, "jsonl"));
    expect(issues.map((issue) => issue.line)).toEqual([2, 3, 4, 5]);
    expect(issues[0]!.message).toMatch(/not valid JSON/);
    expect(issues[1]!.path).toBe("line 3.task");
    expect(issues[3]!.path).toBe("line 5.metadata");
  });

  it("reads CSV with a task column, quoted fields spanning lines, and extra columns as metadata", () => {
    const text = 'task,expected_answer,difficulty\r\n"Say ""hi""",hi,easy\n"two\nlines",,hard\n';
    expect(parseTaskFile(text, "csv")).toEqual([
      { task: 'Say "hi"', expected_answer: "hi", metadata: { difficulty: "easy" } },
      { task: "two\nlines", metadata: { difficulty: "hard" } },
    ]);
  });

  it("reports CSV problems by line: a missing task column, a short row, an empty task", () => {
    expect(issuesOf(() => parseTaskFile("prompt,answer\nx,y\n", "csv"))[0]).toMatchObject({ line: 1, message: expect.stringContaining('no "task" column') });
    const issues = issuesOf(() => parseTaskFile('task,expected_answer\nok,1\n"multi\nline",2\nshort\n,3\n', "csv"));
    expect(issues.map((issue) => issue.line)).toEqual([5, 6]);
    expect(issuesOf(() => parseTaskFile('task\n"never closed\n', "csv"))[0]).toMatchObject({ line: 2, message: expect.stringContaining("never closed") });
  });

  it("refuses a file without tasks", () => {
    expect(issuesOf(() => parseTaskFile("# only a comment\n", "jsonl"))[0]!.message).toBe("no tasks found");
  });

  it("detects the format from the content first, then the name", () => {
    expect(detectTaskFileFormat("tasks.csv", '{"task": "x"}')).toBe("jsonl");
    expect(detectTaskFileFormat("tasks.csv", "task\nx")).toBe("csv");
    expect(detectTaskFileFormat("tasks.jsonl", "task\nx")).toBe("jsonl");
    expect(parseCsv("a,b\n1,2").rows.map((row) => row.line)).toEqual([1, 2]);
  });

  it.skipIf(!existsSync(UPSTREAM))(`reads upstream's synthetic_runtime_tasks.jsonl (skipped: ${UPSTREAM} absent)`, () => {
    const text = readFileSync(UPSTREAM, "utf8");
    const tasks = parseTaskFile(text, detectTaskFileFormat(UPSTREAM, text));
    expect(tasks.length).toBe(text.split("\n").filter((line) => line.trim().startsWith("{")).length);
    expect(tasks.every((task) => task.task.length > 0 && typeof task.expected_answer === "string")).toBe(true);
  });
});
