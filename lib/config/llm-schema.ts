/**
 * LLM connection settings shared by the agent adapters, the Teacher and the judges (spec §1.2).
 * Browser-safe: no Node imports.
 */
import { z } from "zod";

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
  .describe("Model provider. `gemini` and `xai` are accepted as later Atlas SDK versions added them.");
export type LLMProvider = z.infer<typeof LLMProviderSchema>;

export const LLMParametersSchema = z
  .strictObject({
    provider: LLMProviderSchema.default("openai"),
    model: z.string().describe("Model identifier, e.g. `gpt-4o-mini` or `gemini/gemini-2.5-flash`."),
    api_key_env: z
      .string()
      .regex(ENV_VAR_NAME_PATTERN, { error: "api_key_env must be an environment variable name, e.g. OPENAI_API_KEY" })
      .nullable()
      .default("OPENAI_API_KEY")
      .describe(
        "Name of the environment variable holding the API key; read when the call is made. " +
          "Extension: `null` for servers that need no key (Ollama, vLLM, the built-in demo model).",
      ),
    api_base: z
      .string()
      .nullable()
      .default(null)
      .describe(
        "Base URL of any OpenAI-compatible server (a proxy, vLLM, Ollama, LM Studio, …). " +
          "`builtin:demo` selects the scripted demo model Atlas serves itself (offline demo; not a real LLM).",
      ),
    organization: z.string().nullable().default(null),
    temperature: z.number().min(0).max(2).default(0),
    top_p: z.number().min(0).max(1).nullable().default(null),
    max_output_tokens: z.number().int().min(1).nullable().default(null).describe("Upper bound on generated tokens per call."),
    timeout_seconds: z.number().min(0).default(60).describe("Per-request timeout."),
    retry: RetryPolicySchema.prefault({}).describe("Retry policy for LLM calls (ignored upstream, honoured by Atlas)."),
    additional_headers: z.record(z.string(), z.string()).default(() => ({})).describe("Extra HTTP headers sent with every call."),
    reasoning_effort: z
      .enum(["low", "medium", "high"])
      .nullable()
      .default(null)
      .describe("Reasoning effort, sent only to reasoning-capable models."),
  })
  .describe("How to call one LLM.");
export type LLMParameters = z.infer<typeof LLMParametersSchema>;
