/**
 * Every provider over real HTTP: its base URL pointed at the scripted server through
 * ATLAS_<PROVIDER>_BASE_URL, then the request log shows what each provider would have received.
 */
import { describe, expect, it } from "vitest";
import { LLMParametersSchema } from "@/lib/config";
import { createLlmClient } from "./client";
import { JSON_INSTRUCTION } from "./request-body";
import { scriptedLlmPerFile } from "./scripted/testing";
import type { LlmRequest } from "./types";

const server = scriptedLlmPerFile({ rules: [{ reply: { json: { ok: true } } }] });

const request: LlmRequest = {
  actor: "teacher",
  stage: "validation",
  messages: [
    { role: "system", content: "You are the Teacher evaluating the student's step execution." },
    { role: "user", content: '{"step": 1}\nReturn json.' },
  ],
  json: true,
  maxTokens: 300,
};

async function callThrough(fields: Record<string, unknown>, env: Record<string, string>, extra: Partial<LlmRequest> = {}) {
  const params = LLMParametersSchema.parse({ retry: { attempts: 1, backoff_seconds: 0 }, ...fields });
  const reply = await createLlmClient(params, { env, label: "teacher.llm" }).complete({ ...request, ...extra });
  const received = server.requests.at(-1);
  if (!received) throw new Error("the scripted server received nothing");
  return { reply, received };
}

describe("litellm model prefixes, each pointed at the scripted server", () => {
  it.each([
    ["gemini/gemini-2.5-flash", "GEMINI", "GEMINI_API_KEY", "gemini-2.5-flash", true],
    ["anthropic/claude-haiku-4-5", "ANTHROPIC", "ANTHROPIC_API_KEY", "claude-haiku-4-5", false],
    ["xai/grok-4-fast", "XAI", "XAI_API_KEY", "grok-4-fast", true],
    ["openrouter/anthropic/claude-sonnet-4.5", "OPENROUTER", "OPENROUTER_API_KEY", "anthropic/claude-sonnet-4.5", false],
    ["groq/llama-3.3-70b-versatile", "GROQ", "GROQ_API_KEY", "llama-3.3-70b-versatile", true],
    ["mistral/mistral-large-latest", "MISTRAL", "MISTRAL_API_KEY", "mistral-large-latest", true],
    ["deepseek/deepseek-chat", "DEEPSEEK", "DEEPSEEK_API_KEY", "deepseek-chat", true],
    ["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "TOGETHER_AI", "TOGETHERAI_API_KEY", "meta-llama/Llama-3.3-70B-Instruct-Turbo", false],
    ["openai/gpt-4o-mini", "OPENAI", "OPENAI_API_KEY", "gpt-4o-mini", true],
  ])("%s (provider: openai) is sent to ATLAS_%s_BASE_URL with %s as %s", async (model, upper, keyEnv, wire, jsonMode) => {
    const { received } = await callThrough({ provider: "openai", model }, { [`ATLAS_${upper}_BASE_URL`]: server.url, [keyEnv]: `key-for-${upper}` });
    expect(received.model).toBe(wire);
    expect(received.headers.authorization).toBe(`Bearer key-for-${upper}`);
    expect(received.body.max_tokens).toBe(300);
    if (jsonMode) {
      expect(received.response_format).toEqual({ type: "json_object" });
    } else {
      // No JSON mode there: the prompt asks for JSON instead.
      expect(received.response_format).toBeNull();
      expect(received.messages[0]?.content.endsWith(JSON_INSTRUCTION)).toBe(true);
    }
  });

  it("ollama/ needs no key and is sent without a real one", async () => {
    const { received } = await callThrough({ model: "ollama/llama3.1:8b" }, { ATLAS_OLLAMA_BASE_URL: server.url });
    expect(received.model).toBe("llama3.1:8b");
    expect(received.headers.authorization).toBe("Bearer no-key-needed");
  });

  it("azure/ uses the Azure client: deployment URL, api-version, api-key header", async () => {
    const endpoint = server.url.replace(/\/v1$/, "");
    const { received } = await callThrough(
      { model: "azure/prod-gpt-4o" },
      { ATLAS_AZURE_BASE_URL: endpoint, AZURE_OPENAI_API_KEY: "azure-key", AZURE_OPENAI_API_VERSION: "2024-10-21" },
    );
    expect(received.url).toBe("/openai/deployments/prod-gpt-4o/chat/completions?api-version=2024-10-21");
    expect(received.headers["api-key"]).toBe("azure-key");
    expect(received.model).toBe("prod-gpt-4o");
  });

  it("AZURE_OPENAI_ENDPOINT serves provider: azure-openai", async () => {
    const endpoint = server.url.replace(/\/v1$/, "");
    const { received } = await callThrough(
      { model: "prod-mini", provider: "azure-openai" },
      { AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: "azure-key" },
    );
    expect(received.url).toMatch(/^\/openai\/deployments\/prod-mini\/chat\/completions\?api-version=/);
  });

  it("OPENAI_BASE_URL is honoured for openai models", async () => {
    const { received } = await callThrough({ model: "gpt-4o-mini" }, { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-env" });
    expect(received.model).toBe("gpt-4o-mini");
    expect(received.headers.authorization).toBe("Bearer sk-env");
  });

  it("bedrock is sent to its OpenAI-compatible endpoint with the Bedrock API key", async () => {
    const { received } = await callThrough(
      { model: "openai.gpt-oss-120b-1:0", provider: "bedrock" },
      { ATLAS_BEDROCK_BASE_URL: server.url, AWS_BEARER_TOKEN_BEDROCK: "bedrock-key" },
    );
    expect(received.model).toBe("openai.gpt-oss-120b-1:0");
    expect(received.headers.authorization).toBe("Bearer bedrock-key");
  });
});

describe("reasoning settings per provider", () => {
  it("OpenAI reasoning models: no temperature, max_completion_tokens, reasoning_effort", async () => {
    const { received } = await callThrough(
      { model: "gpt-5-mini", reasoning_effort: "low", temperature: 0.2 },
      { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "k" },
    );
    expect(received.body).toMatchObject({ max_completion_tokens: 300, reasoning_effort: "low" });
    expect(received.body).not.toHaveProperty("temperature");
    expect(received.body).not.toHaveProperty("max_tokens");
  });

  it("Gemini 2.5 keeps its temperature and max_tokens and takes reasoning_effort", async () => {
    const { received } = await callThrough(
      { model: "gemini/gemini-2.5-pro", reasoning_effort: "high", temperature: 0.2 },
      { ATLAS_GEMINI_BASE_URL: server.url, GEMINI_API_KEY: "g" },
    );
    expect(received.body).toMatchObject({ temperature: 0.2, max_tokens: 300, reasoning_effort: "high" });
  });

  it("Anthropic gets no reasoning_effort and a max_tokens even when nothing sets one", async () => {
    const { received } = await callThrough(
      { model: "claude-sonnet-4-5", provider: "anthropic", reasoning_effort: "high" },
      { ATLAS_ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: "a" },
      { maxTokens: undefined },
    );
    expect(received.body.max_tokens).toBe(4096);
    expect(received.body).not.toHaveProperty("reasoning_effort");
  });

  it("xAI sends reasoning_effort to grok-3-mini only (grok-4 rejects it)", async () => {
    const env = { ATLAS_XAI_BASE_URL: server.url, XAI_API_KEY: "x" };
    expect((await callThrough({ model: "xai/grok-3-mini", reasoning_effort: "low" }, env)).received.body.reasoning_effort).toBe("low");
    expect((await callThrough({ model: "xai/grok-4", reasoning_effort: "low" }, env)).received.body).not.toHaveProperty("reasoning_effort");
  });

  it("OpenRouter takes the effort as reasoning.effort", async () => {
    const { received } = await callThrough(
      { model: "openrouter/openai/o4-mini", reasoning_effort: "medium" },
      { ATLAS_OPENROUTER_BASE_URL: server.url, OPENROUTER_API_KEY: "o" },
    );
    expect(received.body.reasoning).toEqual({ effort: "medium" });
  });
});

describe("cost", () => {
  it("prices cached prompt tokens at the cached-input rate when the reply reports them", async () => {
    server.setRules([
      {
        reply: {
          json: { ok: true },
          usage: { prompt_tokens: 1_000_000, completion_tokens: 0 },
        },
      },
    ]);
    const env = { ATLAS_GEMINI_BASE_URL: server.url, GEMINI_API_KEY: "g" };
    const { reply } = await callThrough({ model: "gemini/gemini-2.5-flash" }, env);
    expect(reply.costUsd).toBeCloseTo(0.3, 9);
    server.setRules([{ reply: { json: { ok: true }, usage: { prompt_tokens: 1_000_000, completion_tokens: 0, cached_tokens: 500_000 } } }]);
    const cached = await callThrough({ model: "gemini/gemini-2.5-flash" }, env);
    expect(cached.reply.costUsd).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.03, 9);
  });
});
