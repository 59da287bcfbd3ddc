import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { contentHash } from "@/lib/configs/hash";
import { openPglite } from "@/lib/db/drivers/pglite";
import { configVersions, sessions } from "@/lib/db/schema";
import type { RunResult } from "@/lib/runtime/types";
import { main } from "../main";
import { captureIO as captureCommandIO } from "../testing";

const REPO = path.resolve(import.meta.dirname, "../../..");
const DEMO = "configs/examples/demo_offline.yaml";

function captureIO(env: Record<string, string> = {}, isTTY = false) {
  return captureCommandIO({ env, cwd: REPO, isTTY });
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "atlas-run-cli-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("atlas run", () => {
  it("streams the STEP telemetry and the completion block, exit 0", async () => {
    const capture = captureIO();
    const code = await main(["run", "--config", DEMO, "--task", "Plan a team offsite", "--no-store", "--stream"], capture.io);
    const lines = capture.stdout().split("\n");
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^=== Atlas task started: Plan a team offsite \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\) ===$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^STEP 1: Collect the key facts needed for "Plan a team offsite" \| actor=student \| attempt=1 \| validation=FAIL \(List at least three concrete facts.*\) \| duration=\d+\.\dms$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^STEP 1: .* \| actor=student \| attempt=2 \| validation=PASS \(ok\) \| duration=/));
    expect(lines).toContainEqual(expect.stringMatching(/^STEP 1: .* \| actor=teacher \| attempt=2 \| guidance=List at least three/));
    const completed = lines.findIndex((line) => /^=== Atlas task completed in \d+\.\ds ===$/.test(line));
    expect(completed).toBeGreaterThan(0);
    expect(lines.slice(completed + 1, completed + 5)).toEqual([
      "Plan:",
      '  1. Collect the key facts needed for "Plan a team offsite"',
      '  2. Identify the main options, trade-offs and risks for "Plan a team offsite"',
      '  3. Draft a recommendation for "Plan a team offsite" that builds on the facts and the trade-offs',
    ]);
    expect(lines).toContain("Final Answer:");
    expect(lines).toContainEqual(expect.stringMatching(/^Summary \| execution_mode=stepwise \| total_runtime=\d+\.\ds \| judge_samples=\d+ \| arbiter_calls=\d+$/));
    expect(lines).toContain("  attempts: 1=2, 2=1, 3=1");
    expect(capture.stderr()).toBe("");
  });

  it("prints the RunResult as JSON on stdout with --json and only the summary (on stderr) when not streaming", async () => {
    const capture = captureIO({}, true);
    const code = await main(
      ["run", "--config", DEMO, "--task", "Plan a team offsite", "--no-store", "--no-stream", "--json", "--metadata", '{"team":"ops"}'],
      capture.io,
    );
    expect(code).toBe(0);
    const result = JSON.parse(capture.stdout()) as RunResult;
    expect(result).toMatchObject({ sessionId: null, status: "succeeded", plan: { execution_mode: "stepwise" } });
    expect(result.stepResults.map((step) => step.attempts)).toEqual([2, 1, 1]);
    expect(capture.stderr()).toMatch(/^=== Atlas task completed in \d+\.\ds ===\n/);
    expect(capture.stderr()).not.toContain("STEP 1");
  });

  it("stores the session in the database from DATABASE_URL / ATLAS_DATA_DIR", async () => {
    const capture = captureIO({ ATLAS_DATA_DIR: "memory://" });
    const code = await main(["run", "--config", DEMO, "--task", "Plan a team offsite", "--no-stream"], capture.io);
    expect(code).toBe(0);
    expect(capture.stdout()).toMatch(/\nSession \d+ stored \(status succeeded\)\.\n$/);
  });

  it("pins the config file's text as a version, so the session links to a config that exists", async () => {
    const dataDir = path.join(scratch, "pinned-db");
    const file = path.join(scratch, "My Offsite.yaml");
    const demo = await readFile(path.join(REPO, DEMO), "utf8");
    await writeFile(file, demo.replace("module: ./agents/demo_agent.mjs", `module: ${path.join(REPO, "configs/examples/agents/demo_agent.mjs")}`));
    for (const config of [file, file, DEMO]) {
      const capture = captureIO({ ATLAS_DATA_DIR: dataDir });
      expect(await main(["run", "--config", config, "--task", "Plan a team offsite", "--no-stream"], capture.io)).toBe(0);
    }
    const handle = await openPglite(dataDir);
    try {
      const rows = await handle.db
        .select({ id: sessions.id, configName: sessions.configName, configHash: sessions.configHash, version: configVersions.version, yaml: configVersions.yaml })
        .from(sessions)
        .leftJoin(configVersions, eq(configVersions.id, sessions.configVersionId))
        .orderBy(asc(sessions.id));
      const fileText = await readFile(file, "utf8");
      expect(rows.map(({ configName, version }) => ({ configName, version }))).toEqual([
        { configName: "my-offsite", version: 1 },
        { configName: "my-offsite", version: 1 },
        { configName: "examples/demo_offline", version: 1 },
      ]);
      expect(rows[0]!.yaml).toBe(fileText);
      expect(rows[0]!.configHash).toBe(contentHash(fileText));
      expect(rows[2]!.yaml).toBe(demo);
    } finally {
      await handle.close();
    }
  });

  it("reports config issues as FILE:LINE:COL path: message and exits 1", async () => {
    const file = path.join(scratch, "bad.yaml");
    const demo = await readFile(path.join(REPO, DEMO), "utf8");
    await writeFile(file, demo.replace("max_retries: 1", "max_retries: 9"));
    const capture = captureIO();
    const code = await main(["run", "--config", file, "--task", "t", "--no-store"], capture.io);
    expect(code).toBe(1);
    expect(capture.stderr()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ orchestration\\.max_retries: .+\\n$`));
    expect(capture.stdout()).toBe("");
  });

  it("exits 1 with the failure line when the session fails", async () => {
    const agent = path.join(scratch, "broken_agent.mjs");
    await writeFile(agent, "export default function () { throw new Error('agent is broken'); }\n");
    const file = path.join(scratch, "broken.yaml");
    const demo = await readFile(path.join(REPO, DEMO), "utf8");
    await writeFile(file, demo.replace("module: ./agents/demo_agent.mjs", `module: ${agent}`));
    const capture = captureIO();
    const code = await main(["run", "--config", file, "--task", "t", "--no-store", "--no-stream"], capture.io);
    expect(code).toBe(1);
    expect(capture.stdout()).toMatch(/^=== Atlas task failed after \d+\.\ds: Student planning call to the agent failed: .*agent is broken/);
  });

  it("rejects missing options and bad --metadata as usage errors (exit 2)", async () => {
    for (const args of [
      ["run", "--task", "t"],
      ["run", "--config", DEMO],
      ["run", "--config", DEMO, "--task", "t", "--metadata", "[1]"],
      ["run", "--config", DEMO, "--task", "t", "--metadata", "{oops"],
    ]) {
      const capture = captureIO();
      expect(await main(args, capture.io)).toBe(2);
      expect(capture.stderr()).toMatch(/^atlas run: .*\nUsage: atlas run --config FILE --task TEXT/);
    }
  });
});

describe("atlas run checks every key the config needs before the session starts", () => {
  it("names each missing variable with the config paths that need it, exit 1, nothing run", async () => {
    const file = path.join(scratch, "needs-keys.yaml");
    const demo = await readFile(path.join(REPO, DEMO), "utf8");
    // The judges become Gemini models (their key: GEMINI_API_KEY); the teacher stays on the demo model.
    await writeFile(
      file,
      demo
        .replace("model: atlas-demo-judge\n    api_base: builtin:demo   # scripted demo judges\n    api_key_env: null", "model: gemini/gemini-2.5-flash")
        .replace("model: atlas-demo-arbiter\n    api_base: builtin:demo   # scripted demo arbiter\n    api_key_env: null", "model: gemini/gemini-2.5-pro"),
    );
    const capture = captureIO();
    const code = await main(["run", "--config", file, "--task", "t", "--no-store", "--stream"], capture.io);
    expect(code).toBe(1);
    expect(capture.stderr()).toBe("atlas run: environment variable GEMINI_API_KEY is not set (needed by rim.small_model, rim.large_model)\n");
    expect(capture.stdout()).toBe("");
  });
});
