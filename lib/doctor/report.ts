/**
 * What `atlas doctor` and the launch page's check report: where every LLM of a config is sent, whether
 * its key is set (never its value), what the agent resolves to and whether it loads.
 * Browser-safe: no Node imports.
 */
import { z } from "zod";

export const PingResultSchema = z.object({
  ok: z.boolean(),
  latency_ms: z.number().nullable(),
  /** The provider's error or the connection failure, when not ok. */
  error: z.string().nullable(),
});
export type PingResult = z.infer<typeof PingResultSchema>;

export const LlmCheckSchema = z.object({
  /** Config path: teacher.llm, rim.small_model, rim.large_model, agent.llm. */
  path: z.string(),
  provider: z.string(),
  /** "model prefix" (gemini/… wins over provider:) or "provider field". */
  provider_chosen_by: z.string(),
  /** Null when the provider has no endpoint configured (Azure without AZURE_OPENAI_ENDPOINT). */
  base_url: z.string().nullable(),
  /** api_base, the environment variable it came from, or default. */
  base_url_from: z.string(),
  /** The model name sent on the wire. */
  model: z.string(),
  key_env: z.string().nullable(),
  /** Null when no key is needed. */
  key_set: z.boolean().nullable(),
  ping: PingResultSchema.optional(),
});
export type LlmCheck = z.infer<typeof LlmCheckSchema>;

export const AgentCheckSchema = z.object({
  type: z.string(),
  /** The URL, module file, python import path or LLM path the agent resolves to. */
  resolves_to: z.string(),
  details: z.record(z.string(), z.string().nullable()),
  /** Whether the module or callable loads (or, for http_api with a ping, the endpoint accepts connections); null: not checked. */
  loads: z.boolean().nullable(),
  error: z.string().nullable(),
});
export type AgentCheck = z.infer<typeof AgentCheckSchema>;

export const DoctorReportSchema = z.object({
  llms: z.array(LlmCheckSchema),
  agent: AgentCheckSchema,
  /** One line per problem; empty when the config is ready to run. */
  problems: z.array(z.string()),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export const DoctorRequestSchema = z.strictObject({
  config: z.strictObject({ name: z.string().min(1) }),
  ping: z.boolean().default(false),
});
export type DoctorRequest = z.infer<typeof DoctorRequestSchema>;
