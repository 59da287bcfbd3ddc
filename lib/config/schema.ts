/**
 * The Atlas configuration model: one zod schema for YAML files, the API and the editor.
 * Fields marked "Atlas extension" do not exist upstream (Arc-Computer/atlas-sdk v0.1.1).
 * Browser-safe: no Node imports.
 */
import { z } from "zod";
import { AgentConfigSchema } from "./agent-schema";
import { LLMParametersSchema } from "./llm-schema";
import { RuntimeSafetySchema } from "./runtime-safety-schema";

export * from "./agent-schema";
export * from "./llm-schema";
export * from "./runtime-safety-schema";

export const BUILT_IN_JUDGES = ["process", "helpfulness"] as const;

export const PROMPT_REWRITE_UNSUPPORTED_MESSAGE =
  "prompt_rewrite is not supported: Atlas builds persona prompts from templates; " +
  "remove the prompt_rewrite block or use student.prompts / teacher.prompts";

const tokenLimit = (defaultValue: number, description: string) =>
  z.number().int().min(1).default(defaultValue).describe(description);

const AGENT_LIMIT_NOTE =
  " Sent as the agent LLM's token limit for openai/litellm agents (the smaller of this and agent.llm.max_output_tokens); " +
  "http_api/python agents with structured_payloads get it as metadata.max_tokens.";

export const EMIT_INTERMEDIATE_STEPS_UNSUPPORTED_MESSAGE =
  "emit_intermediate_steps: false is not supported: Atlas records every event (the session page, exports and " +
  "`atlas run` telemetry are built from them); use `atlas run --no-stream` for a quiet terminal";
const textByName = () => z.record(z.string(), z.string()).default(() => ({}));

export const StudentPromptsSchema = z
  .strictObject({ planner: z.string(), executor: z.string(), synthesizer: z.string() })
  .describe("Replaces the built-in Student prompt templates; all three are required.");
export type StudentPrompts = z.infer<typeof StudentPromptsSchema>;

export const StudentConfigSchema = z.strictObject({
  prompts: StudentPromptsSchema.nullable().default(null),
  prompt_guidance: textByName().describe("Extra guidance appended to the Student prompts, by prompt name."),
  max_plan_tokens: tokenLimit(2048, `Most tokens the agent may generate for the plan.${AGENT_LIMIT_NOTE}`),
  max_step_tokens: tokenLimit(2048, `Most tokens the agent may generate per step turn.${AGENT_LIMIT_NOTE}`),
  max_synthesis_tokens: tokenLimit(2048, `Most tokens the agent may generate for the final answer.${AGENT_LIMIT_NOTE}`),
  tool_choice: z
    .enum(["auto", "required"])
    .default("auto")
    .describe(
      "Sent as `tool_choice` with the agent's tools on step calls (openai/litellm agents; metadata.tool_choice for " +
        "agents with structured_payloads). `required` makes the model call a tool.",
    ),
});
export type StudentConfig = z.infer<typeof StudentConfigSchema>;

export const TeacherPromptsSchema = z
  .strictObject({
    plan_review: z.string().optional(),
    validation: z.string().optional(),
    guidance: z.string().optional(),
  })
  .describe("Overrides for the Teacher prompt templates; `{base_prompt}` inserts the built-in text.");
export type TeacherPrompts = z.infer<typeof TeacherPromptsSchema>;

export const TeacherConfigSchema = z.strictObject({
  llm: LLMParametersSchema,
  max_review_tokens: tokenLimit(2048, "Most tokens of the plan-review reply (the smaller of this and llm.max_output_tokens)."),
  plan_cache_seconds: z.number().int().min(0).default(300).describe("How long a reviewed plan is reused for the same task."),
  guidance_max_tokens: tokenLimit(
    512,
    "Longest guidance handed to the Student: the validation prompt asks for guidance within it, and longer guidance is cut (about 4 characters per token).",
  ),
  validation_max_tokens: tokenLimit(512, "Most tokens of each validation reply (the smaller of this and llm.max_output_tokens)."),
  prompts: TeacherPromptsSchema.nullable().default(null),
  prompt_guidance: textByName().describe("Extra guidance appended to the Teacher prompts, by prompt name."),
});
export type TeacherConfig = z.infer<typeof TeacherConfigSchema>;

export const OrchestrationConfigSchema = z.strictObject({
  max_retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(1)
    .describe("Retries per step after the first attempt. Atlas extension: upstream caps this at 1."),
  step_timeout_seconds: z.number().min(0).default(900).describe("Wall-clock limit for one step attempt."),
  rim_guidance_tag: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, { error: "rim_guidance_tag must be a tag name, e.g. rim_feedback" })
    .default("rim_feedback")
    .describe(
      "When a step is retried for a reward below retry_threshold, the judges' feedback goes into the Student's guidance " +
        "wrapped in <rim_feedback>…</rim_feedback> (this tag).",
    ),
  emit_intermediate_steps: z
    .literal(true, { error: EMIT_INTERMEDIATE_STEPS_UNSUPPORTED_MESSAGE })
    .default(true)
    .describe("Only true: every event is recorded and streamed (false is rejected)."),
  retry_threshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.6)
    .describe("Atlas extension: a step whose reward is below this score is retried (hard-coded 0.6 upstream)."),
  max_parallel_steps: z
    .number()
    .int()
    .min(1)
    .max(32)
    .default(4)
    .describe("Atlas extension: how many independent plan steps run at once."),
  tool_recursion_limit: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe("Atlas extension: maximum agent turns (tool calls) within one step attempt."),
  max_cost_usd: z
    .number()
    .positive()
    .finite()
    .nullable()
    .default(null)
    .describe("Atlas extension: the session fails, saying so, once its LLM calls have cost more than this many USD (null: no cap)."),
});
export type OrchestrationConfig = z.infer<typeof OrchestrationConfigSchema>;

const JUDGE_IDENTIFIER_PATTERN = /^[a-z][a-z0-9_-]*$/;
const builtInJudgeNames: ReadonlySet<string> = new Set(BUILT_IN_JUDGES);

export const CustomJudgeSchema = z
  .strictObject({
    identifier: z
      .string()
      .regex(JUDGE_IDENTIFIER_PATTERN, { error: "identifier must be a lowercase slug, e.g. factual_accuracy" })
      .refine((identifier) => !builtInJudgeNames.has(identifier), {
        error: (issue) => `identifier "${String(issue.input)}" is reserved for a built-in judge`,
      }),
    prompt: z.string().describe("What this judge rewards; becomes the judge's system prompt."),
    weight: z.number().min(0).default(1),
  })
  .describe("Atlas extension: an extra tier-1 judge defined by a prompt.");
export type CustomJudge = z.infer<typeof CustomJudgeSchema>;

export const RIMConfigSchema = z
  .strictObject({
    small_model: LLMParametersSchema.describe("Tier-1 judge model."),
    large_model: LLMParametersSchema.describe("Tier-2 arbiter model, used when tier-1 samples disagree or are unsure."),
    active_judges: z
      .record(z.string(), z.boolean())
      .default(() => ({ process: true, helpfulness: true }))
      .describe("Built-in judges to run; if none is enabled, all run."),
    variance_threshold: z
      .number()
      .min(0)
      .default(0.15)
      .describe("Escalate when the standard deviation of tier-1 scores exceeds this."),
    uncertainty_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe("Escalate when the largest tier-1 uncertainty exceeds this."),
    parallel_workers: z.number().int().min(1).max(32).default(4).describe("Maximum concurrent judge calls."),
    sample_temperatures: z
      .array(z.number().min(0).max(2))
      .min(1)
      .max(8)
      .default(() => [0.2, 0.5, 0.8])
      .describe("Atlas extension: one tier-1 sample per temperature (fixed at 0.2/0.5/0.8 upstream)."),
    arbiter_temperature: z
      .number()
      .min(0)
      .max(2)
      .default(0.3)
      .describe("Atlas extension: temperature of the tier-2 arbiter call."),
    judge_weights: z
      .record(z.string(), z.number().min(0))
      .nullable()
      .default(null)
      .describe("Atlas extension: weight of each judge in the aggregate reward, by judge name; null weighs all equally."),
    custom_judges: z.array(CustomJudgeSchema).default(() => []).describe("Atlas extension: extra prompt-defined judges."),
    judge_prompt: z
      .string()
      .nullable()
      .default(null)
      .describe("Extra focus text appended to every judge prompt (from later Atlas SDK versions)."),
  })
  .superRefine((rim, ctx) => {
    const seen = new Set<string>();
    rim.custom_judges.forEach((judge, index) => {
      if (seen.has(judge.identifier)) {
        ctx.addIssue({
          code: "custom",
          path: ["custom_judges", index, "identifier"],
          message: `duplicate judge identifier "${judge.identifier}"`,
        });
      }
      seen.add(judge.identifier);
    });
    for (const name of Object.keys(rim.judge_weights ?? {})) {
      if (!builtInJudgeNames.has(name) && !seen.has(name)) {
        ctx.addIssue({
          code: "custom",
          path: ["judge_weights", name],
          message: `judge_weights names an unknown judge "${name}"; use ${[...BUILT_IN_JUDGES, ...seen].join(", ")}`,
        });
      }
    }
  })
  .describe("The reward model: a panel of judges with tiered escalation.");
export type RIMConfig = z.infer<typeof RIMConfigSchema>;

export const StorageConfigSchema = z
  .strictObject({
    database_url: z.string().describe("PostgreSQL connection string."),
    min_connections: z.number().int().min(1).default(1),
    max_connections: z.number().int().min(1).default(5),
    statement_timeout_seconds: z.number().min(0).default(30),
  })
  .describe("Where sessions are persisted; null disables persistence.");
export type StorageConfig = z.infer<typeof StorageConfigSchema>;

export const AtlasConfigSchema = z
  .strictObject({
    agent: AgentConfigSchema,
    student: StudentConfigSchema.prefault({}),
    teacher: TeacherConfigSchema,
    orchestration: OrchestrationConfigSchema.prefault({}),
    rim: RIMConfigSchema,
    storage: StorageConfigSchema.nullable().default(null),
    runtime_safety: RuntimeSafetySchema.nullable().default(null),
    capture_calls: z
      .boolean()
      .default(true)
      .describe(
        "Atlas extension: store every model and agent call's request and reply (secrets redacted, at most 64 KiB each, a cut is marked); false keeps only their timing, tokens and cost.",
      ),
    prompt_rewrite: z
      .null({ error: PROMPT_REWRITE_UNSUPPORTED_MESSAGE })
      .default(null)
      .describe("Not supported: only null is accepted (upstream rejects a prompt_rewrite block at run time)."),
    metadata: z.record(z.string(), z.unknown()).default(() => ({})).describe("Free-form; stored with each session."),
  })
  .describe("Atlas configuration");
export type AtlasConfig = z.infer<typeof AtlasConfigSchema>;
export type AtlasConfigInput = z.input<typeof AtlasConfigSchema>;
