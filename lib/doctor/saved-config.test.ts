import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveConfig } from "@/lib/configs";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { rejection } from "@/lib/testing/rejection";
import { DoctorRequestSchema } from "./report";
import { diagnoseNamedConfig } from "./saved-config";

const EXAMPLES = path.resolve(import.meta.dirname, "../../configs/examples");
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

const request = (name: string, ping = false) => DoctorRequestSchema.parse({ config: { name }, ping });

describe("the launch page's check of a named config", () => {
  it("an example: its routes, and its agent resolved against the configs directory", async () => {
    const report = await diagnoseNamedConfig(database.db, request("examples/demo_offline"), {});
    expect(report.problems).toEqual([]);
    expect(report.agent).toMatchObject({ resolves_to: path.join(EXAMPLES, "agents/demo_agent.mjs"), loads: true });
  });

  it("a saved config: a missing key is a problem; the key's value never appears", async () => {
    const yaml = [
      "agent: {type: litellm, name: a, system_prompt: s, llm: {model: anthropic/claude-haiku-4-5}}",
      "teacher: {llm: {model: gpt-5-mini}}",
      "rim: {small_model: {model: xai/grok-4-fast}, large_model: {model: gemini/gemini-2.5-pro}}",
      "",
    ].join("\n");
    await saveConfig(database.db, "providers", yaml);
    const report = await diagnoseNamedConfig(database.db, request("providers"), { OPENAI_API_KEY: "sk-secret-1", XAI_API_KEY: "xai-secret-2" });
    expect(report.llms.map((llm) => [llm.path, llm.provider, llm.key_env, llm.key_set])).toEqual([
      ["teacher.llm", "openai", "OPENAI_API_KEY", true],
      ["rim.small_model", "xai", "XAI_API_KEY", true],
      ["rim.large_model", "gemini", "GEMINI_API_KEY", false],
      ["agent.llm", "anthropic", "ANTHROPIC_API_KEY", false],
    ]);
    expect(report.problems).toEqual([
      "rim.large_model: environment variable GEMINI_API_KEY is not set",
      "agent.llm: environment variable ANTHROPIC_API_KEY is not set",
    ]);
    expect(JSON.stringify(report)).not.toMatch(/secret-/);
  });

  it("an unknown config is not_found", async () => {
    expect((await rejection(diagnoseNamedConfig(database.db, request("nope"), {}))).code).toBe("not_found");
  });
});
