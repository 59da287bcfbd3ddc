import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "lib/cli/bin.mjs");
const upstream = path.resolve(root, "../shared/upstream-fixtures/v0.1.1");
const scratch = mkdtempSync(path.join(tmpdir(), "atlas-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the real `atlas` executable, as `npx atlas` would. */
async function atlas(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("atlas --help", () => {
  it("lists every command", async () => {
    const { code, stdout } = await atlas(["--help"]);
    expect(code).toBe(0);
    for (const command of ["validate", "run", "export", "import", "db", "serve"]) expect(stdout).toContain(`  ${command}`);
  });

  it("rejects an unknown command with exit 2", async () => {
    const { code, stderr } = await atlas(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});

describe("atlas validate", () => {
  it("exits 0 for the project's own example configs", async () => {
    const files = ["configs/examples/http_agent.yaml", "configs/examples/openai_agent.yaml", "configs/examples/python_agent.yaml"];
    const { code, stdout } = await atlas(["validate", ...files]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual(files.map((file) => `${file}: ok`));
  });

  const upstreamConfigs = [
    "configs/examples/http_agent.yaml",
    "configs/examples/openai_agent.yaml",
    "configs/examples/python_agent.yaml",
    "docker/configs/atlas.docker.yaml",
    "examples/arc_agi_demo/configs/arc_agi_demo.yaml",
  ].map((file) => path.join(upstream, file));
  const haveUpstream = existsSync(upstream);
  if (!haveUpstream) console.warn(`[skip] upstream fixture validation: ${upstream} not found`);

  it.skipIf(!haveUpstream)("exits 0 for every v0.1.1 upstream AtlasConfig", async () => {
    const { code, stderr } = await atlas(["validate", ...upstreamConfigs]);
    expect(stderr).toContain("5 of 5 config(s) valid");
    expect(code).toBe(0);
  });

  it("prints FILE:LINE:COL path: message for each problem and exits 1", async () => {
    const file = path.join(scratch, "broken.yaml");
    writeFileSync(
      file,
      [
        "agent:",
        "  type: http_api",
        "  name: broken",
        "  system_prompt: hi",
        "  transport:",
        "    base_url: http://127.0.0.1:9/agent",
        "teacher:",
        "  llm:",
        "    model: gpt-4o-mini",
        "    temperature: hot",
        "rim:",
        "  small_model: {model: gpt-4o-mini}",
        "  large_model: {model: gpt-4o}",
        "  surprise: 1",
        "",
      ].join("\n"),
    );
    const { code, stderr } = await atlas(["validate", file]);
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${file}:10:18 teacher\\.llm\\.temperature: `));
    expect(lines[1]).toBe(`${file}:14:3 rim.surprise: unknown key "surprise"`);
    expect(lines.at(-1)).toBe("0 of 1 config(s) valid");
  });

  it("reports a missing file without a stack trace", async () => {
    const { code, stderr } = await atlas(["validate", "nope.yaml"]);
    expect(code).toBe(1);
    expect(stderr).toContain("configuration file not found");
    expect(stderr).not.toContain("    at ");
  });
});

describe("atlas db migrate", () => {
  it("migrates a fresh embedded database, then reports it up to date", async () => {
    const dataDir = path.join(scratch, "pgdata");
    const first = await atlas(["db", "migrate"], { ATLAS_DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\) to pglite /);
    const second = await atlas(["db", "migrate"], { ATLAS_DATA_DIR: dataDir });
    expect(second.stdout).toMatch(/is up to date/);
  });

  it("rejects an unknown action with usage", async () => {
    const { code, stderr } = await atlas(["db", "explode"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown db action "explode"');
    expect(stderr).toContain("Usage: atlas db migrate");
  });
});
