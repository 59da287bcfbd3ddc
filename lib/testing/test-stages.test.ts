import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDuration, runStages, selectStages, TEST_STAGES, type Stage } from "./test-stages";

const node = (name: string, script: string): Stage => ({ name, command: process.execPath, args: ["-e", script] });

describe("runStages", () => {
  it("runs every stage after a failing one and reports each, failed or passed", async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), "atlas-stages-")), "later-stage-ran");
    let output = "";
    const results = await runStages(
      [node("first", "process.exit(3)"), node("second", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "yes")`)],
      { stdio: "ignore", write: (text) => (output += text) },
    );
    expect(results.map(({ name, passed }) => ({ name, passed }))).toEqual([
      { name: "first", passed: false },
      { name: "second", passed: true },
    ]);
    expect(existsSync(marker)).toBe(true);
    const summary = output.slice(output.indexOf("=== summary"));
    expect(summary).toMatch(/^first: {2}failed \(\d+\.\ds\)$/m);
    expect(summary).toMatch(/^second: passed \(\d+\.\ds\)$/m);
    expect(summary).toMatch(/^stages: 1 passed, 1 failed$/m);
  });

  it("reports a stage that cannot start as failed", async () => {
    let output = "";
    const [result] = await runStages([{ name: "missing", command: "/nonexistent/tool", args: [] }], {
      stdio: "ignore",
      write: (text) => (output += text),
    });
    expect(result).toMatchObject({ name: "missing", passed: false });
    expect(output).toMatch(/^missing: failed \(\d+\.\ds\), could not start: /m);
  });
});

describe("the npm test command", () => {
  it("has the typecheck, lint, unit, e2e and stress stages, in that order", () => {
    expect(TEST_STAGES.map((stage) => stage.name)).toEqual(["typecheck", "lint", "unit", "e2e", "stress"]);
  });

  it("runs only the stages named, and refuses an unknown one", () => {
    expect(selectStages(["unit", "lint"]).map((stage) => stage.name)).toEqual(["lint", "unit"]);
    expect(() => selectStages(["lnit"])).toThrow(/unknown stage\(s\) lnit; the stages are typecheck, lint, unit, e2e, stress/);
    const cli = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "test-stages.ts"), "lnit"], { encoding: "utf8" });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain("unknown stage(s) lnit");
  });

  it("formats durations as seconds, then minutes", () => {
    expect(formatDuration(1234)).toBe("1.2s");
    expect(formatDuration(119_700)).toBe("2m00s");
    expect(formatDuration(83_400)).toBe("1m23s");
  });
});
