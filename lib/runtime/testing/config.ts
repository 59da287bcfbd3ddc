/**
 * Test configs: a valid AtlasConfig whose LLMs point at a scripted server and whose agent is whatever
 * the test supplies (the agent config is only used by tests that go through createAdapter).
 */
import { parseConfigObject, type AtlasConfig } from "@/lib/config";

export interface TestConfigOptions {
  llmUrl: string;
  systemPrompt?: string;
  maxRetries?: number;
  /** LLM tries per call (LLMParameters.retry.attempts). */
  llmAttempts?: number;
  llmTimeoutSeconds?: number;
  extra?: Record<string, unknown>;
}

export const TEST_KEY_ENV = "ATLAS_TEST_LLM_KEY";
export const TEST_ENV = { [TEST_KEY_ENV]: "test-key" } as unknown as NodeJS.ProcessEnv;

export function llmParams(url: string, model: string, options: { attempts?: number; timeoutSeconds?: number } = {}) {
  return {
    model,
    api_base: url,
    api_key_env: TEST_KEY_ENV,
    timeout_seconds: options.timeoutSeconds ?? 10,
    retry: { attempts: options.attempts ?? 1, backoff_seconds: 0 },
  };
}

export function testConfig(options: TestConfigOptions): AtlasConfig {
  const llm = { attempts: options.llmAttempts, timeoutSeconds: options.llmTimeoutSeconds };
  const document = {
    agent: {
      type: "module",
      name: "test-agent",
      system_prompt: options.systemPrompt ?? "You are a test agent.",
      module: "./unused.mjs",
    },
    teacher: { llm: llmParams(options.llmUrl, "teacher-model", llm) },
    orchestration: { max_retries: options.maxRetries ?? 1 },
    rim: {
      small_model: llmParams(options.llmUrl, "judge-small", llm),
      large_model: llmParams(options.llmUrl, "judge-large", llm),
    },
    ...options.extra,
  };
  const parsed = parseConfigObject(document);
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.config;
}
