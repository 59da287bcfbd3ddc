/**
 * LLM connection settings shared by the agent adapters, the Teacher and the judges.
 * Browser-safe: no Node imports.
 */
import { z } from "zod";
import { defaultKeyEnv } from "@/lib/llm/providers";

export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const RetryPolicySchema = z
  .strictObject({
    attempts: z.number().int().min(1).max(5).default(1).describe("Total attempts, including the first one."),
    backoff_seconds: z
      .number()
      .min(0)
      .default(1.0)
      .describe(
        "Base wait between tries. HTTP agents wait backoff_seconds × n before try n+1 (upstream); " +
          "LLM calls back off exponentially from it with jitter, honour Retry-After and wait at most 30 s at a time.",
      ),
  })
  .describe(
    "Retry policy for a network call. HTTP agents make `attempts` tries in all; LLM calls always get at least 3 tries " +
      "on transient errors (408/409/429/5xx, timeouts, network errors), and `attempts` up to 5 raises that.",
  );
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const LLM_PROVIDERS = ["openai", "anthropic", "azure-openai", "bedrock", "google", "gemini", "xai"] as const;
export const LLMProviderSchema = z
  .enum(LLM_PROVIDERS)
  .describe(
    "Model provider: picks the endpoint and key variable unless the model has a litellm prefix " +
      "(`gemini/`, `anthropic/`, `xai/`, `azure/`, `openrouter/`, `groq/`, `mistral/`, `deepseek/`, `together_ai/`, " +
      "`ollama/`, `openai/`), which wins, as it did upstream. `google` means Gemini; `bedrock` is Bedrock's " +
      "OpenAI-compatible endpoint with a Bedrock API key. `gemini` and `xai` are from later Atlas SDK versions.",
  );
export type LLMProvider = z.infer<typeof LLMProviderSchema>;

const LLMParametersObjectSchema = z.strictObject({
    provider: LLMProviderSchema.default("openai"),
    model: z.string().describe("Model identifier, e.g. `gpt-4o-mini` or `gemini/gemini-2.5-flash`."),
    api_key_env: z
      .string()
      .regex(ENV_VAR_NAME_PATTERN, { error: "api_key_env must be an environment variable name, e.g. OPENAI_API_KEY" })
      .nullable()
      .optional()
      .describe(
        "Name of the environment variable holding the API key; read when the call is made. When omitted, the " +
          "provider's variable (OPENAI_API_KEY, GEMINI_API_KEY, ANTHROPIC_API_KEY, XAI_API_KEY, …; none for Ollama). " +
          "Extension: `null` for servers that need no key (Ollama, vLLM, the built-in demo model).",
      ),
    api_base: z
      .string()
      .nullable()
      .default(null)
      .describe(
        "Base URL of any OpenAI-compatible server (a proxy, vLLM, Ollama, LM Studio, …); overrides the provider's " +
          "endpoint and ATLAS_<PROVIDER>_BASE_URL. For Azure OpenAI, the resource endpoint. " +
          "`builtin:demo` selects the scripted demo model Atlas serves itself (offline demo; not a real LLM).",
      ),
    organization: z.string().nullable().default(null),
    temperature: z.number().min(0).max(2).default(0),
    top_p: z.number().min(0).max(1).nullable().default(null),
    max_output_tokens: z.number().int().min(1).nullable().default(null).describe(
        "Upper bound on generated tokens per call; a smaller stage limit (student.max_*_tokens, teacher.*_tokens) wins for that stage's calls. " +
          "Anthropic needs a limit: 4096 when none is set.",
      ),
    timeout_seconds: z.number().min(0).default(60).describe("Per-request timeout (each try); 0 disables it."),
    retry: RetryPolicySchema.prefault({}).describe("Retry policy for LLM calls (ignored upstream, honoured by Atlas)."),
    additional_headers: z.record(z.string(), z.string()).default(() => ({})).describe("Extra HTTP headers sent with every call."),
    reasoning_effort: z
      .enum(["low", "medium", "high"])
      .nullable()
      .default(null)
      .describe(
        "Reasoning effort, sent only where the provider takes it: OpenAI/Azure reasoning models (o-series, gpt-5), " +
          "Gemini 2.5+, grok-3-mini, gpt-oss on Groq/Bedrock, OpenRouter (as reasoning.effort).",
      ),
  });

export const LLMParametersSchema = LLMParametersObjectSchema.transform((llm) => ({
  ...llm,
  api_key_env: llm.api_key_env === undefined ? defaultKeyEnv(llm.model, llm.provider) : llm.api_key_env,
})).describe("How to call one LLM.");
export type LLMParameters = z.output<typeof LLMParametersSchema>;
