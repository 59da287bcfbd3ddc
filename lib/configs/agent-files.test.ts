/**
 * A saved or inline config resolves relative agent paths against the configs directory, and validation
 * on the server says when the file it names does not exist.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { runTask } from "@/lib/compose";
import { resolveConfigForRun, saveConfig, validateConfigText } from "./service";

const EXAMPLES = path.resolve(import.meta.dirname, "../../configs/examples");
const DEMO = readFileSync(path.join(EXAMPLES, "demo_offline.yaml"), "utf8");

const previousConfigsDir = process.env.ATLAS_CONFIGS_DIR;
let database: TestDatabase;
beforeAll(async () => {
  process.env.ATLAS_CONFIGS_DIR = EXAMPLES;
  database = await createTestDatabase("pglite");
});
afterAll(async () => {
  if (previousConfigsDir === undefined) delete process.env.ATLAS_CONFIGS_DIR;
  else process.env.ATLAS_CONFIGS_DIR = previousConfigsDir;
  await database?.close();
});

describe("relative agent paths of configs stored in the database", () => {
  it("a saved copy of the offline demo finds its agent module in the configs directory and runs", async () => {
    expect(validateConfigText(DEMO)).toEqual({ ok: true });
    await saveConfig(database.db, "my-demo", DEMO);
    const resolved = await resolveConfigForRun(database.db, { name: "my-demo" });
    expect(resolved.baseDir).toBe(EXAMPLES);
    const result = await runTask({ task: "Plan a team offsite", config: resolved.config, baseDir: resolved.baseDir, store: "none" });
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
  });

  it("inline YAML resolves the same way", async () => {
    const resolved = await resolveConfigForRun(database.db, { yaml: DEMO });
    expect(resolved.baseDir).toBe(EXAMPLES);
  });

  it("validation says when the module file does not exist, at the module key", () => {
    const missing = DEMO.replace("module: ./agents/demo_agent.mjs", "module: ./agents/missing_agent.mjs");
    const line = missing.split("\n").findIndex((text) => text.includes("missing_agent.mjs")) + 1;
    expect(validateConfigText(missing)).toEqual({
      ok: false,
      issues: [
        {
          path: "agent.module",
          message: `no file at ${path.join(EXAMPLES, "agents/missing_agent.mjs")} (relative paths resolve against ${EXAMPLES})`,
          line,
          column: 11,
        },
      ],
    });
  });

  it("a run of such a config is refused before a session exists", async () => {
    const missing = DEMO.replace("module: ./agents/demo_agent.mjs", "module: ./agents/missing_agent.mjs");
    await expect(resolveConfigForRun(database.db, { yaml: missing })).rejects.toMatchObject({
      code: "invalid_config",
      issues: [expect.objectContaining({ path: "agent.module" })],
    });
  });

  it("validation says when a python working_directory does not exist", () => {
    const python = readFileSync(path.join(EXAMPLES, "python_agent.yaml"), "utf8");
    expect(validateConfigText(python)).toEqual({ ok: true });
    const result = validateConfigText(python.replace("working_directory: ./", "working_directory: ./no-such-folder"));
    expect(result.ok ? [] : result.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["agent.working_directory", `no directory at ${path.join(EXAMPLES, "no-such-folder")} (relative paths resolve against ${EXAMPLES})`],
    ]);
  });
});
