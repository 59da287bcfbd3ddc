import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentConfigSchema, type AgentConfig } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { createAdapter, registerAdapter } from "./index";
import { createModuleAdapter } from "./module";

let baseDir: string;

beforeAll(() => {
  baseDir = mkdtempSync(path.join(tmpdir(), "atlas-adapter-registry-"));
  writeFileSync(path.join(baseDir, "agent.mjs"), `export default (prompt) => "module:" + prompt;\n`);
});

afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

const base = { name: "agent", system_prompt: "You are a test agent." };
const llm = { provider: "openai", model: "gpt-4o-mini", api_key_env: "TEST_KEY" };

function agentConfig(fields: Record<string, unknown>): AgentConfig {
  return AgentConfigSchema.parse({ ...base, ...fields });
}

function context() {
  return { env: process.env, baseDir };
}

describe("createAdapter", () => {
  it("dispatches on the agent type", async () => {
    const adapters = [
      createAdapter(agentConfig({ type: "http_api", transport: { base_url: "http://127.0.0.1:9/agent" } }), context()),
      createAdapter(agentConfig({ type: "python", import_path: "agent" }), context()),
      createAdapter(agentConfig({ type: "module", module: "agent.mjs" }), context()),
      createAdapter(agentConfig({ type: "openai", llm }), context()),
      createAdapter(agentConfig({ type: "litellm", llm }), context()),
    ];
    expect(adapters.map((adapter) => adapter.type)).toEqual(["http_api", "python", "module", "openai", "openai"]);
    await Promise.all(adapters.map((adapter) => adapter.close()));
  });

  it("returns a working adapter", async () => {
    const adapter = createAdapter(agentConfig({ type: "module", module: "agent.mjs" }), context());
    await expect(
      adapter.invoke({ prompt: "hi", metadata: { mode: "planning" }, signal: new AbortController().signal }),
    ).resolves.toEqual({ text: "module:hi" });
  });

  it("rejects a type nobody registered", () => {
    const config = { ...base, type: "carrier_pigeon" } as unknown as AgentConfig;
    let thrown: unknown;
    try {
      createAdapter(config, context());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AtlasError);
    expect((thrown as AtlasError).code).toBe("invalid_config");
    expect((thrown as AtlasError).message).toBe("no adapter registered for type carrier_pigeon");
  });
});

describe("registerAdapter", () => {
  it("replaces the factory of a type, like upstream", async () => {
    const seen: string[] = [];
    registerAdapter("module", (config) => {
      seen.push(config.module);
      return {
        type: "module",
        invoke: async ({ prompt }) => ({ text: `replaced:${prompt}` }),
        close: async () => {},
      };
    });
    try {
      const adapter = createAdapter(agentConfig({ type: "module", module: "agent.mjs" }), context());
      await expect(
        adapter.invoke({ prompt: "hi", metadata: { mode: "planning" }, signal: new AbortController().signal }),
      ).resolves.toEqual({ text: "replaced:hi" });
      expect(seen).toEqual(["agent.mjs"]);
    } finally {
      registerAdapter("module", createModuleAdapter);
    }
  });
});
