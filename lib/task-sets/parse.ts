/**
 * Reads a task file, JSONL (`{task, expected_answer?, metadata?}` per line; blank lines and `#`
 * comment lines are skipped) or CSV (a header row with a `task` column, optional `expected_answer`),
 * into tasks. Every bad line is reported with its 1-based line number, and nothing is returned unless
 * every line is good. Browser-safe: the import form, the CLI and the server share it.
 */
import { AtlasError, type Issue } from "@/lib/errors";
import { type TaskSetTask, TaskSetTaskSchema } from "./api-types";
import { parseCsv } from "./csv";

export type TaskFileFormat = "jsonl" | "csv";

const MAX_REPORTED_ISSUES = 50;

/** `csv` for a `.csv` name, `jsonl` otherwise; a text whose first real character is `{` is JSONL whatever its name. */
export function detectTaskFileFormat(fileName: string, text: string): TaskFileFormat {
  const first = text.trimStart()[0];
  if (first === "{" || first === "#") return "jsonl";
  return /\.csv$/i.test(fileName) ? "csv" : "jsonl";
}

export function parseTaskFile(text: string, format: TaskFileFormat, source = "task file"): TaskSetTask[] {
  const { tasks, issues } = format === "csv" ? fromCsv(text) : fromJsonl(text);
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : "";
    throw new AtlasError("invalid_input", `${source}: ${issues.length} bad line(s), nothing was stored; first at line ${issues[0]!.line}${more}`, {
      issues: shown,
    });
  }
  if (tasks.length === 0) throw new AtlasError("invalid_input", `${source}: no tasks found`, { issues: [{ path: "", message: "no tasks found" }] });
  return tasks;
}

function fromJsonl(text: string): { tasks: TaskSetTask[]; issues: Issue[] } {
  const tasks: TaskSetTask[] = [];
  const issues: Issue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      issues.push({ path: `line ${line}`, line, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    checkTask(value, line, tasks, issues);
  });
  return { tasks, issues };
}

function fromCsv(text: string): { tasks: TaskSetTask[]; issues: Issue[] } {
  const tasks: TaskSetTask[] = [];
  const issues: Issue[] = [];
  const parsed = parseCsv(text);
  if (parsed.error) return { tasks, issues: [{ path: `line ${parsed.error.line}`, line: parsed.error.line, message: parsed.error.message }] };
  const [header, ...rows] = parsed.rows;
  if (!header) return { tasks, issues };
  const columns = header.cells.map((cell) => cell.trim());
  const taskColumn = columns.indexOf("task");
  if (taskColumn < 0) {
    return { tasks, issues: [{ path: `line ${header.line}`, line: header.line, message: `the header has no "task" column (found: ${columns.join(", ")})` }] };
  }
  const expectedColumn = columns.indexOf("expected_answer");
  const metadataColumns = columns.map((name, index) => ({ name, index })).filter(({ index }) => index !== taskColumn && index !== expectedColumn && columns[index] !== "");
  for (const row of rows) {
    if (row.cells.every((cell) => cell.trim() === "")) continue;
    if (row.cells.length !== columns.length) {
      issues.push({ path: `line ${row.line}`, line: row.line, message: `expected ${columns.length} fields, found ${row.cells.length}` });
      continue;
    }
    const expected = expectedColumn >= 0 ? row.cells[expectedColumn]! : "";
    const metadata = Object.fromEntries(metadataColumns.map(({ name, index }) => [name, row.cells[index]!]));
    checkTask(
      {
        task: row.cells[taskColumn],
        ...(expected !== "" ? { expected_answer: expected } : {}),
        ...(metadataColumns.length > 0 ? { metadata } : {}),
      },
      row.line,
      tasks,
      issues,
    );
  }
  return { tasks, issues };
}

function checkTask(value: unknown, line: number, tasks: TaskSetTask[], issues: Issue[]): void {
  const parsed = TaskSetTaskSchema.safeParse(value);
  if (parsed.success) {
    tasks.push(parsed.data);
    return;
  }
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join(".");
    issues.push({ path: field ? `line ${line}.${field}` : `line ${line}`, line, message: issue.message });
  }
}
