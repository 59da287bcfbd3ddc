/**
 * The provider table: which OpenAI-compatible endpoint and key variable serve a model, and what each
 * endpoint accepts. A model is routed the way litellm routed it upstream: a known `provider/` prefix on the
 * model picks the provider (and is stripped from the model sent), else the config's `provider` field does.
 * Browser-safe: no Node imports (the config schema uses it for the default `api_key_env`).
 */

export const PROVIDER_IDS = [
  "openai",
  "azure",
  "gemini",
  "anthropic",
  "xai",
  "openrouter",
  "groq",
  "mistral",
  "deepseek",
  "together_ai",
  "ollama",
  "bedrock",
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * How an endpoint takes reasoning settings:
 * - `openai`: OpenAI reasoning models (o1/o3/o4, gpt-5) get no temperature/top_p, `max_completion_tokens`
 *   and `reasoning_effort`; other models `temperature` and `max_tokens`.
 * - `effort`: sampling settings and `max_tokens` always; `reasoning_effort` only to the models the provider
 *   documents it for (`effortModels`).
 * - `openrouter`: sampling settings and `max_tokens`; the effort goes in OpenRouter's `reasoning.effort`.
 * - `none`: the endpoint has no effort setting; `reasoning_effort` is not sent.
 */
export type ReasoningStyle = "openai" | "effort" | "openrouter" | "none";

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  /** Default endpoint; `{region}` is filled from AWS_REGION for Bedrock. Null: there is none (Azure). */
  baseUrl: string | null;
  /** The key variable used when the config does not name one in `api_key_env`; null: no key needed. */
  keyEnv: string | null;
  /** Read for the base URL after `ATLAS_<ID>_BASE_URL` (the variables each vendor's own SDK reads). */
  vendorBaseUrlEnv: readonly string[];
  /** Accepts `response_format` (JSON mode); otherwise the prompt asks for JSON and the reply is read leniently. */
  jsonMode: boolean;
  reasoning: ReasoningStyle;
  /** Models (by their name on the wire) that accept `reasoning_effort`, for the `effort` style. */
  effortModels?: RegExp;
  /** Sent as `max_tokens` when neither the call nor the config sets a limit (the endpoint requires one). */
  defaultMaxTokens?: number;
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderInfo>> = {
  openai: {
    id: "openai",
    name: "OpenAI",
    baseUrl: "https://api.openai.com/v1",
    keyEnv: "OPENAI_API_KEY",
    vendorBaseUrlEnv: ["OPENAI_BASE_URL"],
    jsonMode: true,
    reasoning: "openai",
  },
  azure: {
    id: "azure",
    name: "Azure OpenAI",
    baseUrl: null,
    keyEnv: "AZURE_OPENAI_API_KEY",
    vendorBaseUrlEnv: ["AZURE_OPENAI_ENDPOINT"],
    jsonMode: true,
    reasoning: "openai",
  },
  gemini: {
    id: "gemini",
    name: "Google Gemini",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    keyEnv: "GEMINI_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "effort",
    effortModels: /^gemini-(?:2\.5|[3-9])/,
  },
  anthropic: {
    id: "anthropic",
    name: "Anthropic",
    baseUrl: "https://api.anthropic.com/v1",
    keyEnv: "ANTHROPIC_API_KEY",
    vendorBaseUrlEnv: [],
    // Anthropic's OpenAI-compatible endpoint ignores response_format.
    jsonMode: false,
    reasoning: "none",
    defaultMaxTokens: 4096,
  },
  xai: {
    id: "xai",
    name: "xAI",
    baseUrl: "https://api.x.ai/v1",
    keyEnv: "XAI_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "effort",
    // grok-4 rejects reasoning_effort; grok-3-mini takes it.
    effortModels: /^grok-3-mini/,
  },
  openrouter: {
    id: "openrouter",
    name: "OpenRouter",
    baseUrl: "https://openrouter.ai/api/v1",
    keyEnv: "OPENROUTER_API_KEY",
    vendorBaseUrlEnv: [],
    // Whether JSON mode works depends on the model behind the route.
    jsonMode: false,
    reasoning: "openrouter",
  },
  groq: {
    id: "groq",
    name: "Groq",
    baseUrl: "https://api.groq.com/openai/v1",
    keyEnv: "GROQ_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "effort",
    effortModels: /gpt-oss/,
  },
  mistral: {
    id: "mistral",
    name: "Mistral",
    baseUrl: "https://api.mistral.ai/v1",
    keyEnv: "MISTRAL_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "none",
  },
  deepseek: {
    id: "deepseek",
    name: "DeepSeek",
    baseUrl: "https://api.deepseek.com/v1",
    keyEnv: "DEEPSEEK_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "none",
  },
  together_ai: {
    id: "together_ai",
    name: "Together AI",
    baseUrl: "https://api.together.xyz/v1",
    keyEnv: "TOGETHERAI_API_KEY",
    vendorBaseUrlEnv: [],
    jsonMode: false,
    reasoning: "none",
  },
  ollama: {
    id: "ollama",
    name: "Ollama",
    baseUrl: "http://localhost:11434/v1",
    keyEnv: null,
    vendorBaseUrlEnv: [],
    jsonMode: true,
    reasoning: "none",
  },
  bedrock: {
    id: "bedrock",
    name: "Amazon Bedrock",
    // Bedrock's OpenAI-compatible Chat Completions endpoint, authenticated with a Bedrock API key (no SigV4).
    baseUrl: "https://bedrock-runtime.{region}.amazonaws.com/openai/v1",
    keyEnv: "AWS_BEARER_TOKEN_BEDROCK",
    vendorBaseUrlEnv: [],
    jsonMode: false,
    reasoning: "effort",
    effortModels: /gpt-oss/,
  },
};

/** litellm model prefixes, in the order they are tried. */
const MODEL_PREFIXES: readonly (readonly [string, ProviderId])[] = [
  ["openai/", "openai"],
  ["azure/", "azure"],
  ["gemini/", "gemini"],
  ["anthropic/", "anthropic"],
  ["xai/", "xai"],
  ["openrouter/", "openrouter"],
  ["groq/", "groq"],
  ["mistral/", "mistral"],
  ["deepseek/", "deepseek"],
  ["together_ai/", "together_ai"],
  ["ollama/", "ollama"],
  ["ollama_chat/", "ollama"],
  ["bedrock/", "bedrock"],
];

/** The config's `provider` values. */
const PROVIDER_FIELD: Readonly<Record<string, ProviderId>> = {
  openai: "openai",
  "azure-openai": "azure",
  gemini: "gemini",
  google: "gemini",
  anthropic: "anthropic",
  xai: "xai",
  bedrock: "bedrock",
};

export interface ModelRoute {
  provider: ProviderId;
  /** The model name sent on the wire (the prefix stripped). */
  wireModel: string;
  chosenBy: "model prefix" | "provider field";
}

/** Which provider serves a model: a known prefix first (as litellm did, even over `provider:`), then the field. */
export function routeModel(model: string, providerField: string | undefined): ModelRoute {
  for (const [prefix, provider] of MODEL_PREFIXES) {
    if (model.startsWith(prefix) && model.length > prefix.length) {
      return { provider, wireModel: model.slice(prefix.length), chosenBy: "model prefix" };
    }
  }
  return { provider: PROVIDER_FIELD[providerField ?? "openai"] ?? "openai", wireModel: model, chosenBy: "provider field" };
}

/** `ATLAS_GEMINI_BASE_URL`, `ATLAS_TOGETHER_AI_BASE_URL`, …: where tests and proxies point a provider. */
export function baseUrlOverrideEnv(provider: ProviderId): string {
  return `ATLAS_${provider.toUpperCase()}_BASE_URL`;
}

/** The key variable a config gets when it names none. */
export function defaultKeyEnv(model: string, providerField: string | undefined): string | null {
  return PROVIDERS[routeModel(model, providerField).provider].keyEnv;
}
