import { describe, expect, it } from "vitest";
import { LLMParametersSchema } from "@/lib/config";
import { defaultKeyEnv, PROVIDER_IDS, PROVIDERS, routeModel } from "./providers";
import { resolveRoute } from "./route";

const llm = (fields: Record<string, unknown>) => LLMParametersSchema.parse(fields);

describe("routeModel", () => {
  it.each([
    ["gemini/gemini-2.5-flash", "gemini", "gemini-2.5-flash"],
    ["anthropic/claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"],
    ["xai/grok-4-fast", "xai", "grok-4-fast"],
    ["azure/my-deployment", "azure", "my-deployment"],
    ["openrouter/anthropic/claude-sonnet-4.5", "openrouter", "anthropic/claude-sonnet-4.5"],
    ["groq/llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile"],
    ["mistral/mistral-large-latest", "mistral", "mistral-large-latest"],
    ["deepseek/deepseek-chat", "deepseek", "deepseek-chat"],
    ["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai", "meta-llama/Llama-3.3-70B-Instruct-Turbo"],
    ["ollama/llama3.1:8b", "ollama", "llama3.1:8b"],
    ["openai/gpt-4o-mini", "openai", "gpt-4o-mini"],
  ])("%s goes to %s as %s, whatever provider: says", (model, provider, wire) => {
    expect(routeModel(model, "openai")).toEqual({ provider, wireModel: wire, chosenBy: "model prefix" });
  });

  it.each([
    ["openai", "openai"],
    ["gemini", "gemini"],
    ["google", "gemini"],
    ["anthropic", "anthropic"],
    ["xai", "xai"],
    ["azure-openai", "azure"],
    ["bedrock", "bedrock"],
  ])("without a prefix, provider: %s picks %s and the model is sent as written", (field, provider) => {
    expect(routeModel("some-model", field)).toEqual({ provider, wireModel: "some-model", chosenBy: "provider field" });
  });

  it("leaves unknown prefixes alone (they are part of the model name)", () => {
    expect(routeModel("meta-llama/Llama-3-70b", "openai")).toEqual({ provider: "openai", wireModel: "meta-llama/Llama-3-70b", chosenBy: "provider field" });
  });
});

describe("resolveRoute", () => {
  it("takes an explicit api_base over everything, still stripping a known prefix", () => {
    const route = resolveRoute(llm({ model: "gemini/gemini-2.5-flash", api_base: "http://proxy.local/v1/" }), {
      ATLAS_GEMINI_BASE_URL: "http://ignored/v1",
    });
    expect(route).toMatchObject({ provider: "gemini", baseUrl: "http://proxy.local/v1", baseUrlFrom: "api_base", model: "gemini-2.5-flash" });
  });

  it("reads ATLAS_<PROVIDER>_BASE_URL for every provider", () => {
    for (const provider of PROVIDER_IDS) {
      const variable = `ATLAS_${provider.toUpperCase()}_BASE_URL`;
      const route = resolveRoute(llm({ model: `${provider}/m` }), { [variable]: `http://${provider}.test/v1` });
      expect(route.baseUrl).toBe(`http://${provider}.test/v1`);
      expect(route.baseUrlFrom).toBe(variable);
    }
  });

  it("honours OPENAI_BASE_URL for openai, after ATLAS_OPENAI_BASE_URL", () => {
    expect(resolveRoute(llm({ model: "gpt-4o" }), { OPENAI_BASE_URL: "http://sdk.test/v1" })).toMatchObject({
      baseUrl: "http://sdk.test/v1",
      baseUrlFrom: "OPENAI_BASE_URL",
    });
    expect(
      resolveRoute(llm({ model: "gpt-4o" }), { OPENAI_BASE_URL: "http://sdk.test/v1", ATLAS_OPENAI_BASE_URL: "http://atlas.test/v1" }).baseUrl,
    ).toBe("http://atlas.test/v1");
    expect(resolveRoute(llm({ model: "gemini/gemini-2.5-pro" }), { OPENAI_BASE_URL: "http://sdk.test/v1" }).baseUrl).toBe(PROVIDERS.gemini.baseUrl);
  });

  it("uses each provider's public endpoint by default", () => {
    expect(resolveRoute(llm({ model: "gpt-4o" }), {}).baseUrl).toBe("https://api.openai.com/v1");
    expect(resolveRoute(llm({ model: "gemini/gemini-2.5-flash" }), {}).baseUrl).toBe("https://generativelanguage.googleapis.com/v1beta/openai");
    expect(resolveRoute(llm({ model: "claude-haiku-4-5", provider: "anthropic" }), {}).baseUrl).toBe("https://api.anthropic.com/v1");
    expect(resolveRoute(llm({ model: "xai/grok-4" }), {}).baseUrl).toBe("https://api.x.ai/v1");
    expect(resolveRoute(llm({ model: "ollama/llama3" }), {}).baseUrl).toBe("http://localhost:11434/v1");
  });

  it("routes Azure to AZURE_OPENAI_ENDPOINT with the deployment and an api-version", () => {
    const route = resolveRoute(llm({ model: "prod-gpt4o", provider: "azure-openai" }), {
      AZURE_OPENAI_ENDPOINT: "https://acme.openai.azure.com/",
      OPENAI_API_VERSION: "2025-01-01-preview",
    });
    expect(route).toMatchObject({
      provider: "azure",
      baseUrl: "https://acme.openai.azure.com",
      baseUrlFrom: "AZURE_OPENAI_ENDPOINT",
      keyEnv: "AZURE_OPENAI_API_KEY",
      azure: { deployment: "prod-gpt4o", apiVersion: "2025-01-01-preview" },
    });
    expect(resolveRoute(llm({ model: "azure/prod" }), {}).baseUrl).toBeNull();
  });

  it("serves Bedrock through its OpenAI-compatible endpoint in AWS_REGION with a Bedrock API key", () => {
    const route = resolveRoute(llm({ model: "openai.gpt-oss-120b-1:0", provider: "bedrock" }), { AWS_REGION: "eu-west-1" });
    expect(route).toMatchObject({
      provider: "bedrock",
      baseUrl: "https://bedrock-runtime.eu-west-1.amazonaws.com/openai/v1",
      keyEnv: "AWS_BEARER_TOKEN_BEDROCK",
    });
  });

  it("needs no key for the built-in demo model", () => {
    expect(resolveRoute(llm({ model: "demo", api_base: "builtin:demo" }), {})).toMatchObject({ builtinDemo: true, keyEnv: null });
  });
});

describe("api_key_env defaults to the provider's variable", () => {
  it.each([
    [{ model: "gpt-4o-mini" }, "OPENAI_API_KEY"],
    [{ model: "gemini/gemini-2.5-flash" }, "GEMINI_API_KEY"],
    [{ model: "gemini-2.5-flash", provider: "google" }, "GEMINI_API_KEY"],
    [{ model: "claude-haiku-4-5", provider: "anthropic" }, "ANTHROPIC_API_KEY"],
    [{ model: "xai/grok-4-fast" }, "XAI_API_KEY"],
    [{ model: "azure/prod" }, "AZURE_OPENAI_API_KEY"],
    [{ model: "openrouter/openai/gpt-4o" }, "OPENROUTER_API_KEY"],
    [{ model: "groq/llama-3.1-8b-instant" }, "GROQ_API_KEY"],
    [{ model: "mistral/mistral-small-latest" }, "MISTRAL_API_KEY"],
    [{ model: "deepseek/deepseek-chat" }, "DEEPSEEK_API_KEY"],
    [{ model: "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo" }, "TOGETHERAI_API_KEY"],
    [{ model: "ollama/llama3" }, null],
  ])("%o → %s", (fields, keyEnv) => {
    expect(llm(fields).api_key_env).toBe(keyEnv);
    expect(defaultKeyEnv(String(fields.model), (fields as { provider?: string }).provider)).toBe(keyEnv);
  });

  it("keeps a variable the config names, and null", () => {
    expect(llm({ model: "gemini/gemini-2.5-flash", api_key_env: "GOOGLE_API_KEY" }).api_key_env).toBe("GOOGLE_API_KEY");
    expect(llm({ model: "gpt-4o", api_key_env: null }).api_key_env).toBeNull();
  });
});
