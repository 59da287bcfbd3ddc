/**
 * `atlas tasks import`, `atlas experiment run` and `atlas export --experiment` in-process on a
 * scratch PostgreSQL database, every LLM call to the scripted server.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTaskSetRows } from "@/lib/db/queries/task-sets";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "@/lib/db/testing/databases";
import { ExperimentDetailSchema, CompareResultSchema } from "@/lib/experiments/api-types";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml } from "@/lib/runs/testing/harness";
import { main } from "../main";
import { captureIO } from "../testing";

const postgresSkip = await postgresUnavailableReason();
if (postgresSkip) console.warn(`atlas experiment CLI tests skipped: ${postgresSkip}`);

describe.skipIf(postgresSkip)("atlas tasks / experiment / export --experiment (postgres)", () => {
  let database: TestDatabase;
  let llm: ScriptedLlm;
  let folder: string;
  const cli = async (...args: string[]) => {
    const capture = captureIO({ env: { HOME: folder, [SCRIPTED_KEY_ENV]: "test-key", ATLAS_MAX_CONCURRENT_RUNS: "2" }, cwd: folder });
    const code = await main([...args, "--database-url", database.url!], capture.io);
    return { code, stdout: capture.stdout(), stderr: capture.stderr() };
  };

  beforeAll(async () => {
    [database, llm] = await Promise.all([createTestDatabase("postgres"), startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 2 })]);
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-experiment-cli-"));
    writeFileSync(path.join(folder, "base.yaml"), scriptedConfigYaml(llm.url));
    writeFileSync(path.join(folder, "candidate.yaml"), scriptedConfigYaml(llm.url, { maxRetries: 2 }));
    writeFileSync(path.join(folder, "tasks.jsonl"), ['# two tasks', '{"task": "Plan a picnic", "expected_answer": "sandwiches"}', '{"task": "Name a colour"}', ""].join("\n"));
    writeFileSync(path.join(folder, "tasks.csv"), 'task,expected_answer\n"Plan a picnic",sandwiches\nName a colour,\n');
    writeFileSync(path.join(folder, "bad.jsonl"), '{"task": "fine"}\n{"task": ""}\nnot json\n');
  });
  afterAll(async () => {
    await llm?.close();
    await database?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("tasks import stores a named set from JSONL or CSV; a bad file is reported by line and stores nothing", async () => {
    const jsonl = await cli("tasks", "import", "tasks.jsonl", "--name", "cli jsonl");
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(jsonl.stdout).toMatch(/Task set \d+ "cli jsonl" stored with 2 tasks/);
    const csv = await cli("tasks", "import", "tasks.csv", "--name", "cli csv");
    expect(csv.stdout).toMatch(/"cli csv" stored with 2 tasks/);

    const bad = await cli("tasks", "import", "bad.jsonl", "--name", "cli bad");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad.jsonl:2: task must not be empty");
    expect(bad.stderr).toMatch(/bad\.jsonl:3: not valid JSON/);
    expect((await listTaskSetRows(database.db)).map((row) => row.name)).not.toContain("cli bad");
    expect((await cli("tasks", "import", "tasks.jsonl")).code).toBe(2);
  });

  it("experiment run --json runs both configs over the file's tasks and prints the comparison; export --experiment writes its cells", async () => {
    const result = await cli("experiment", "run", "--tasks", "tasks.jsonl", "--config", "base.yaml", "--config", "candidate.yaml", "--scorer", '{"type": "regex", "flags": "i"}', "--json");
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as { experiment: unknown; comparisons: unknown[] };
    const experiment = ExperimentDetailSchema.parse(output.experiment);
    expect(experiment.status).toBe("completed");
    expect(experiment.counts).toMatchObject({ total: 4, succeeded: 4 });
    expect(experiment.scorer).toEqual({ type: "regex", flags: "i" });
    // "sandwiches" as a pattern: scored 0 or 1 on the task that has it, not at all on the other.
    expect(experiment.runs.filter((run) => run.referenceScore !== null).map((run) => run.taskIndex)).toEqual([0, 0]);
    const [comparison] = output.comparisons.map((entry) => CompareResultSchema.parse(entry));
    expect(comparison).toMatchObject({ base: { id: experiment.arms[0]!.id }, candidate: { id: experiment.arms[1]!.id }, summary: { n: 2 } });

    // The same file again reuses its task set (named after the file and its content).
    const table = await cli("experiment", "run", "--tasks", "tasks.jsonl", "--config", "base.yaml", "--config", "candidate.yaml");
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`task set ${experiment.taskSetId}`);
    expect(table.stdout).toMatch(/completed: 4 cells \(4 succeeded/);
    expect(table.stdout).toMatch(/arm\s+config\s+mean reward\s+reference\s+Δ vs arm 1\s+95% CI\s+W\/L\/T/);
    expect(table.stdout).toMatch(/\n2\s+candidate\.yaml\s+\d\.\d{3}\s+\d\.\d{3}\s+[+-]\d\.\d{3}\s+\[/);

    const all = await cli("export", "--experiment", String(experiment.id), "--output", "-", "--quiet");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trimEnd().split("\n")).toHaveLength(4);
    const arm = await cli("export", "--experiment", String(experiment.id), "--arm", String(experiment.arms[1]!.id), "--output", "-", "--quiet");
    type Exported = { task: string; session_metadata: { atlas: { experiment: Record<string, unknown> } } };
    const records = arm.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Exported);
    expect(records.map((record) => record.task).sort()).toEqual(["Name a colour", "Plan a picnic"]);
    // The cell and its reference score travel in the record's additive atlas block.
    const picnic = records.find((record) => record.task === "Plan a picnic")!;
    const cell = experiment.runs.find((run) => run.armId === experiment.arms[1]!.id && run.taskIndex === 0)!;
    expect(picnic.session_metadata.atlas.experiment).toEqual({
      experiment_id: experiment.id,
      arm_id: experiment.arms[1]!.id,
      task_index: 0,
      repeat: 0,
      retry_of: null,
      reference_score: cell.referenceScore,
      reference_rationale: expect.stringMatching(/sandwiches/),
    });
    expect((await cli("export", "--experiment", "x", "--output", "-")).code).toBe(2);

    // A cell's record imports like any session's, into another database, with its event log replayed.
    writeFileSync(path.join(folder, "arm.jsonl"), arm.stdout);
    const other = await createTestDatabase("postgres");
    try {
      const capture = captureIO({ env: { HOME: folder }, cwd: folder });
      const code = await main(["import", "arm.jsonl", "--database-url", other.url!], capture.io);
      expect(code, capture.stderr()).toBe(0);
      expect(capture.stdout()).toContain("imported 2, skipped 0");
      expect(capture.stderr()).toBe("");
    } finally {
      await other.close();
    }
  });

  it("refuses bad flags and a bad config file before running anything", async () => {
    expect((await cli("experiment", "run", "--config", "base.yaml")).stderr).toContain("--tasks");
    expect((await cli("experiment", "run", "--tasks", "tasks.jsonl", "--config", "base.yaml", "--repeats", "0")).code).toBe(2);
    const badScorer = await cli("experiment", "run", "--tasks", "tasks.jsonl", "--config", "base.yaml", "--scorer", "fuzzy");
    expect(badScorer.code).toBe(2);
    expect(badScorer.stderr).toContain("--scorer");
    writeFileSync(path.join(folder, "broken.yaml"), "agent: [unclosed\n");
    const broken = await cli("experiment", "run", "--tasks", "tasks.jsonl", "--config", "broken.yaml");
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("broken.yaml");
    const unknown = await cli("experiment", "run", "--tasks", "no such set", "--config", "base.yaml");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('task set "no such set" not found');
  });
});
