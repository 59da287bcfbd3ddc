/**
 * The `agent` section: tools and the adapter variants.
 * Browser-safe: no Node imports.
 */
import { z } from "zod";
import { LLMParametersSchema, RetryPolicySchema } from "./llm-schema";

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const ToolParameterSchemaSchema = z
  .strictObject({
    type: z.literal("object").default("object"),
    properties: JsonObjectSchema.default(() => ({})).describe("JSON Schema of each argument, by name."),
    required: z.array(z.string()).default(() => []),
    additionalProperties: z.boolean().default(false),
  })
  .superRefine((schema, ctx) => {
    const missing = schema.required.filter((name) => !Object.hasOwn(schema.properties, name));
    if (missing.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["required"],
        message: `required fields missing from properties: ${[...new Set(missing)].sort().join(", ")}`,
      });
    }
  })
  .describe("A deliberately restricted JSON Schema for tool arguments: an object with properties.");
export type ToolParameterSchema = z.infer<typeof ToolParameterSchemaSchema>;

export const ToolDefinitionSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  parameters: ToolParameterSchemaSchema.prefault({}),
  // Upstream only accepts the camelCase spelling; `output_schema` is an unknown key.
  outputSchema: JsonObjectSchema.nullable().default(null).describe("JSON Schema of the tool result, if known."),
});
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

/** The agent declares that it wants the structured payloads later upstream versions send (HTTP and Python agents). */
function structuredPayloadsField() {
  return z
    .boolean()
    .default(false)
    .describe(
      "Add `task_payload` (the task) and, on step calls, `step_payload {step_id, description, depends_on}` to the " +
        "metadata, with `max_tokens` (the stage's student limit) and, on step calls, `tool_choice`.",
    );
}

const agentBaseFields = {
  name: z.string().describe("Agent name; part of the learning key and shown in the dashboard."),
  system_prompt: z.string().describe("System prompt of the agent under test."),
  tools: z.array(ToolDefinitionSchema).default(() => []),
};

export const HttpTransportSchema = z.strictObject({
  base_url: z.url({ protocol: /^https?$/, error: "base_url must be an http(s) URL, e.g. http://localhost:8080/agent" }),
  headers: z
    .record(z.string(), z.string())
    .default(() => ({}))
    .describe("HTTP headers. Values may reference environment variables as ${VAR}; they are resolved when the request is sent."),
  timeout_seconds: z.number().min(0).default(60),
  retry: RetryPolicySchema.prefault({}),
});
export type HttpTransport = z.infer<typeof HttpTransportSchema>;

export const HttpAgentConfigSchema = z
  .strictObject({
    type: z.literal("http_api"),
    ...agentBaseFields,
    transport: HttpTransportSchema,
    payload_template: JsonObjectSchema.default(() => ({})).describe(
      "Base JSON body; `prompt` and `metadata` are added unless the template already has them.",
    ),
    result_path: z
      .array(z.string())
      .nullable()
      .default(null)
      .describe('Keys leading to the answer in the JSON response; null means ["output"].'),
    structured_payloads: structuredPayloadsField(),
  })
  .describe("An agent reached over HTTP: every call is a JSON POST to transport.base_url.");
export type HttpAgentConfig = z.infer<typeof HttpAgentConfigSchema>;

export const PythonAgentConfigSchema = z
  .strictObject({
    type: z.literal("python"),
    ...agentBaseFields,
    import_path: z.string().describe("Python module to import, e.g. `agents.my_agent`."),
    attribute: z.string().nullable().default(null).describe('Callable in the module; null means "main".'),
    working_directory: z.string().nullable().default(null).describe("Directory added to the Python module search path."),
    allow_generator: z.boolean().default(false).describe("Accept generator results and concatenate their items."),
    llm: LLMParametersSchema.nullable()
      .default(null)
      .describe("Passed to the callable as metadata.llm_config (timeout_seconds and max_output_tokens are the callable's to honour)."),
    structured_payloads: structuredPayloadsField(),
  })
  .describe("A Python callable invoked as fn(prompt=..., metadata=...).");
export type PythonAgentConfig = z.infer<typeof PythonAgentConfigSchema>;

const OPENAI_COMPATIBLE_PROVIDERS: ReadonlySet<string> = new Set(["openai", "azure-openai"]);

export const OpenAIAgentConfigSchema = z
  .strictObject({
    type: z
      .enum(["openai", "litellm"])
      .describe("`litellm` is the later upstream name of this adapter; it also accepts non-OpenAI providers."),
    ...agentBaseFields,
    llm: LLMParametersSchema,
    response_format: JsonObjectSchema.nullable().default(null).describe("Passed through to the chat-completions call."),
  })
  .superRefine((agent, ctx) => {
    if (agent.type === "openai" && !OPENAI_COMPATIBLE_PROVIDERS.has(agent.llm.provider)) {
      ctx.addIssue({
        code: "custom",
        path: ["llm", "provider"],
        message: "openai adapter requires an OpenAI compatible provider",
      });
    }
  })
  .describe("An agent that is itself a chat-completions model.");
export type OpenAIAgentConfig = z.infer<typeof OpenAIAgentConfigSchema>;

export const ModuleAgentConfigSchema = z
  .strictObject({
    type: z.literal("module"),
    ...agentBaseFields,
    module: z.string().min(1).describe("Atlas extension: path of a JS/TS module that exports the agent function."),
    export: z.string().min(1).default("default").describe("Name of the exported function."),
  })
  .describe("Atlas extension: an agent implemented as a JS/TS function (prompt, metadata) => string.");
export type ModuleAgentConfig = z.infer<typeof ModuleAgentConfigSchema>;

export const AGENT_TYPES = ["http_api", "python", "openai", "litellm", "module"] as const;

export const AgentConfigSchema = z
  .discriminatedUnion("type", [
    HttpAgentConfigSchema,
    PythonAgentConfigSchema,
    OpenAIAgentConfigSchema,
    ModuleAgentConfigSchema,
  ])
  .describe("The agent under test, selected by `type`.");
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentType = AgentConfig["type"];
