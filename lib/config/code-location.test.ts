/**
 * Agent code loads only from the allowed folders: the rule as the server applies it when validating
 * (`validateConfigText`, used by PUT /api/configs/:name, POST /api/configs/validate and POST /api/runs),
 * and again when the adapters load the code.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createModuleAdapter } from "@/lib/adapters/module";
import { createPythonAdapter } from "@/lib/adapters/python";
import { invokeAdapter } from "@/lib/adapters/testing";
import { ModuleAgentConfigSchema, PythonAgentConfigSchema } from "@/lib/config";
import { validateConfigText } from "@/lib/configs";
import { rejection } from "@/lib/testing/rejection";
import { agentCodeRoots, AGENT_PATHS_RULE } from "./code-location";

const root = path.resolve(import.meta.dirname, "../..");
const outside = mkdtempSync(path.join(tmpdir(), "atlas-outside-"));
writeFileSync(path.join(outside, "evil.mjs"), "export default () => 'pwned';\n");
writeFileSync(path.join(outside, "evil_agent.py"), "def main(prompt, metadata):\n    return 'pwned'\n");
const allowed = mkdtempSync(path.join(tmpdir(), "atlas-allowed-"));
mkdirSync(path.join(allowed, "agents"));
writeFileSync(path.join(allowed, "agents", "ok.mjs"), "export default (prompt) => 'ok:' + prompt;\n");
writeFileSync(path.join(allowed, "ok_agent.py"), "def main(prompt, metadata):\n    return 'ok:' + prompt\n");
symlinkSync(path.join(outside, "evil.mjs"), path.join(allowed, "agents", "link.mjs"));
afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
  rmSync(allowed, { recursive: true, force: true });
});

const head = ["teacher:", "  llm: {provider: openai, model: t, api_base: 'http://127.0.0.1:9/v1', api_key_env: null}", "rim:",
  "  small_model: {provider: openai, model: s, api_base: 'http://127.0.0.1:9/v1', api_key_env: null}",
  "  large_model: {provider: openai, model: l, api_base: 'http://127.0.0.1:9/v1', api_key_env: null}"].join("\n");
const moduleConfig = (module: string) => `agent:\n  type: module\n  name: a\n  system_prompt: s\n  module: ${JSON.stringify(module)}\n${head}\n`;
const pythonConfig = (importPath: string, directory?: string) =>
  `agent:\n  type: python\n  name: a\n  system_prompt: s\n  import_path: ${importPath}\n${directory ? `  working_directory: ${JSON.stringify(directory)}\n` : ""}${head}\n`;

function issuesOf(yaml: string) {
  const result = validateConfigText(yaml);
  return result.ok ? [] : result.issues;
}

describe("where agent code may load from, when the server validates", () => {
  it("by default: the project's configs/ folder (relative paths resolve from the configs directory)", () => {
    expect(agentCodeRoots({}, root)).toEqual([path.join(root, "configs")]);
    expect(agentCodeRoots({ ATLAS_CONFIGS_DIR: "/srv/atlas/configs" }, root)).toEqual([path.join(root, "configs"), "/srv/atlas/configs"]);
    expect(agentCodeRoots({ ATLAS_AGENT_PATHS: `/a${path.delimiter}rel` }, root)).toEqual(["/a", path.join(root, "rel")]);
    expect(issuesOf(moduleConfig("agents/demo_agent.mjs"))).toEqual([]);
    expect(issuesOf(moduleConfig(path.join(root, "configs/examples/agents/demo_agent.mjs")))).toEqual([]);
    expect(issuesOf(pythonConfig("agents.python_agent", "."))).toEqual([]);
  });

  it("rejects an absolute path, '..', and a symlink out of the allowed folders, naming the rule", () => {
    for (const module of [path.join(outside, "evil.mjs"), "configs/../../etc/evil.mjs", "/etc/passwd"]) {
      const [issue, ...rest] = issuesOf(moduleConfig(module));
      expect(rest).toEqual([]);
      expect(issue).toMatchObject({ path: "agent.module", line: 5 });
      expect(issue?.message).toContain(AGENT_PATHS_RULE);
    }
    process.env.ATLAS_AGENT_PATHS = allowed;
    try {
      expect(issuesOf(moduleConfig(path.join(allowed, "agents", "ok.mjs")))).toEqual([]);
      expect(issuesOf(moduleConfig(path.join(allowed, "agents", "link.mjs")))[0]?.message).toContain("is outside the allowed folders");
    } finally {
      delete process.env.ATLAS_AGENT_PATHS;
    }
  });

  it("rejects a python module outside the allowed folders: os, subprocess, or a working directory elsewhere", () => {
    for (const importPath of ["os", "subprocess", "os.path"]) {
      const [issue] = issuesOf(pythonConfig(importPath, "."));
      expect(issue).toMatchObject({ path: "agent.import_path" });
      expect(issue?.message).toContain(`python module "${importPath.split(".")[0]}" is not a file or package in the working directory`);
      expect(issue?.message).toContain(AGENT_PATHS_RULE);
    }
    expect(issuesOf(pythonConfig("evil_agent", outside))[0]).toMatchObject({ path: "agent.working_directory" });
    // Without a working directory the configs directory is searched: an allowed folder.
    expect(issuesOf(pythonConfig("agents.python_agent"))).toEqual([]);
    expect(issuesOf(pythonConfig("os"))[0]?.message).toContain(AGENT_PATHS_RULE);
    expect(issuesOf(pythonConfig("__import__('os')", "."))[0]?.message).toContain("is not a python module path");
  });
});

describe("where agent code may load from, when the adapter loads it", () => {
  const context = { env: process.env, baseDir: allowed, codeRoots: [allowed] };

  it("a module agent outside the folders is refused before it is imported; inside, it runs", async () => {
    const refused = createModuleAdapter(ModuleAgentConfigSchema.parse({ type: "module", name: "a", system_prompt: "s", module: path.join(outside, "evil.mjs") }), context);
    const error = await rejection(invokeAdapter(refused));
    expect(error).toMatchObject({ code: "invalid_config" });
    expect(String((error as Error).message)).toContain(AGENT_PATHS_RULE);
    const linked = createModuleAdapter(ModuleAgentConfigSchema.parse({ type: "module", name: "a", system_prompt: "s", module: "agents/link.mjs" }), context);
    expect(await rejection(invokeAdapter(linked))).toMatchObject({ code: "invalid_config" });
    const ok = createModuleAdapter(ModuleAgentConfigSchema.parse({ type: "module", name: "a", system_prompt: "s", module: "agents/ok.mjs" }), context);
    await expect(invokeAdapter(ok, "hi")).resolves.toEqual({ text: "ok:hi" });
  });

  it("the python worker refuses a module found outside the folders (os) before importing it; inside, it runs", async () => {
    const agent = (importPath: string) =>
      createPythonAdapter(PythonAgentConfigSchema.parse({ type: "python", name: "a", system_prompt: "s", import_path: importPath, attribute: "getcwd" }), context);
    const refused = agent("os");
    try {
      const error = await rejection(invokeAdapter(refused));
      expect(String((error as Error).message)).toContain("python module 'os'");
      expect(String((error as Error).message)).toContain(AGENT_PATHS_RULE);
    } finally {
      await refused.close();
    }
    const ok = createPythonAdapter(PythonAgentConfigSchema.parse({ type: "python", name: "a", system_prompt: "s", import_path: "ok_agent" }), context);
    try {
      await expect(invokeAdapter(ok, "hi")).resolves.toEqual({ text: "ok:hi" });
    } finally {
      await ok.close();
    }
  });

  it("without code roots (a config file run by the CLI) code loads from the config's own folder", async () => {
    const adapter = createModuleAdapter(ModuleAgentConfigSchema.parse({ type: "module", name: "a", system_prompt: "s", module: "evil.mjs" }), { env: process.env, baseDir: outside });
    await expect(invokeAdapter(adapter)).resolves.toEqual({ text: "pwned" });
  });
});
