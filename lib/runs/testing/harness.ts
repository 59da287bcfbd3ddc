/**
 * Test wiring for the run manager: a real engine, a test database, configs whose every LLM (agent,
 * teacher, judges) is the scripted OpenAI-compatible server.
 */
import { runTask } from "@/lib/compose";
import { resolveConfigForRun } from "@/lib/configs";
import { databaseSessionStore } from "@/lib/db/session-store";
import type { AtlasDb } from "@/lib/db/types";
import { RunManager, type RunManagerOptions } from "../run-manager";

export const SCRIPTED_KEY_ENV = "ATLAS_RUNS_TEST_KEY";

/** A config YAML for an OpenAI-compatible agent whose calls all go to `llmUrl`. */
export function scriptedConfigYaml(llmUrl: string, options: { keyEnv?: string; maxRetries?: number } = {}): string {
  const keyEnv = options.keyEnv ?? SCRIPTED_KEY_ENV;
  const llm = (model: string) =>
    [
      `    provider: openai`,
      `    model: ${model}`,
      `    api_base: ${llmUrl}`,
      `    api_key_env: ${keyEnv}`,
      `    timeout_seconds: 30`,
      `    retry: {attempts: 1, backoff_seconds: 0}`,
    ].join("\n");
  return [
    "agent:",
    "  type: openai",
    "  name: scripted-agent",
    "  system_prompt: You are a careful analyst.",
    "  llm:",
    llm("agent-model").replace(/^ {4}/gm, "    "),
    "teacher:",
    "  llm:",
    llm("teacher-model"),
    "orchestration:",
    `  max_retries: ${options.maxRetries ?? 1}`,
    "rim:",
    "  small_model:",
    llm("judge-small"),
    "  large_model:",
    llm("judge-large"),
    "  variance_threshold: 0.15",
    "  uncertainty_threshold: 0.3",
    "",
  ].join("\n");
}

export function testRunManager(db: AtlasDb, overrides: Partial<RunManagerOptions> = {}): RunManager {
  return new RunManager({
    database: async () => db,
    engine: runTask,
    resolveConfig: resolveConfigForRun,
    store: databaseSessionStore,
    maxConcurrent: 2,
    env: { [SCRIPTED_KEY_ENV]: "test-key" },
    // Generous: on a loaded machine a late terminal write must not look like a run that never stopped.
    shutdownGraceMs: 30_000,
    cancelWaitMs: 30_000,
    ...overrides,
  });
}
