import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfigFile, resolveConfigPath } from "./load-file";

const directory = mkdtempSync(join(tmpdir(), "atlas-config-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const VALID = `agent:
  type: module
  name: demo
  system_prompt: Answer briefly.
  module: ./agents/demo.ts
teacher:
  llm: {model: gpt-4o-mini}
rim:
  small_model: {model: gpt-4o-mini}
  large_model: {model: gpt-4o}
`;

describe("loadConfigFile", () => {
  it("reads, parses and reports the absolute path", async () => {
    const path = join(directory, "valid.yaml");
    writeFileSync(path, VALID);
    const result = await loadConfigFile(path);
    expect(result.path).toBe(path);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.agent).toMatchObject({ type: "module", module: "./agents/demo.ts", export: "default" });
  });

  it("keeps positions of validation issues", async () => {
    const path = join(directory, "invalid.yaml");
    writeFileSync(path, VALID.replace("  module: ./agents/demo.ts\n", ""));
    const result = await loadConfigFile(path);
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: "agent.module", message: 'missing required key "module"', line: 1, column: 1 }],
    });
  });

  it("reports a missing file with its absolute path", async () => {
    const result = await loadConfigFile(join(directory, "nope", "..", "absent.yaml"));
    const absolute = join(directory, "absent.yaml");
    expect(result).toEqual({
      ok: false,
      path: absolute,
      text: null,
      issues: [{ path: "", message: `configuration file not found: ${absolute}` }],
    });
  });

  it("reports other read errors", async () => {
    const result = await loadConfigFile(directory);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.message).toMatch(/^failed to read configuration: /);
  });
});

describe("resolveConfigPath", () => {
  it("expands ~ and resolves relative paths", () => {
    expect(resolveConfigPath("~/atlas.yaml")).toBe(join(homedir(), "atlas.yaml"));
    expect(resolveConfigPath("~")).toBe(homedir());
    expect(resolveConfigPath("configs/x.yaml")).toBe(join(process.cwd(), "configs/x.yaml"));
    expect(resolveConfigPath("~other/x.yaml")).toBe(join(process.cwd(), "~other/x.yaml"));
  });
});
