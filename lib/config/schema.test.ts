import { describe, expect, it } from "vitest";
import { parseConfigObject } from "./parse";
import { AtlasConfigSchema, LLMParametersSchema, ToolDefinitionSchema, type AtlasConfigInput } from "./schema";

const minimal: AtlasConfigInput = {
  agent: { type: "http_api", name: "demo", system_prompt: "Answer.", transport: { base_url: "https://agent.example/v1" } },
  teacher: { llm: { model: "gpt-4o-mini" } },
  rim: { small_model: { model: "gpt-4o-mini" }, large_model: { model: "gpt-4o" } },
};

function issuesOf(value: unknown) {
  const result = parseConfigObject(value);
  return result.ok ? [] : result.issues;
}

function configOf(value: unknown) {
  const result = parseConfigObject(value);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe("AtlasConfigSchema defaults", () => {
  const config = AtlasConfigSchema.parse(minimal);

  it("fills upstream defaults", () => {
    expect(config.student).toEqual({
      prompts: null,
      prompt_guidance: {},
      max_plan_tokens: 2048,
      max_step_tokens: 2048,
      max_synthesis_tokens: 2048,
      tool_choice: "auto",
    });
    expect(config.teacher).toMatchObject({
      max_review_tokens: 2048,
      plan_cache_seconds: 300,
      guidance_max_tokens: 512,
      validation_max_tokens: 512,
      prompts: null,
    });
    expect(config.teacher.llm).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      api_key_env: "OPENAI_API_KEY",
      api_base: null,
      organization: null,
      temperature: 0,
      top_p: null,
      max_output_tokens: null,
      timeout_seconds: 60,
      retry: { attempts: 1, backoff_seconds: 1 },
      additional_headers: {},
      reasoning_effort: null,
    });
    expect(config.rim).toMatchObject({
      active_judges: { process: true, helpfulness: true },
      variance_threshold: 0.15,
      uncertainty_threshold: 0.3,
      parallel_workers: 4,
    });
    expect(config.storage).toBeNull();
    expect(config.prompt_rewrite).toBeNull();
    expect(config.metadata).toEqual({});
    expect(config.agent).toMatchObject({
      tools: [],
      payload_template: {},
      result_path: null,
      transport: { headers: {}, timeout_seconds: 60, retry: { attempts: 1, backoff_seconds: 1 } },
    });
  });

  it("fills extension defaults", () => {
    expect(config.orchestration).toEqual({
      max_retries: 1,
      step_timeout_seconds: 900,
      rim_guidance_tag: "rim_feedback",
      emit_intermediate_steps: true,
      retry_threshold: 0.6,
      max_parallel_steps: 4,
      tool_recursion_limit: 8,
      max_cost_usd: null,
    });
    expect(config.rim).toMatchObject({
      sample_temperatures: [0.2, 0.5, 0.8],
      arbiter_temperature: 0.3,
      judge_weights: null,
      custom_judges: [],
      judge_prompt: null,
    });
  });

  it("does not share default objects between parses", () => {
    const other = AtlasConfigSchema.parse(minimal);
    expect(other.metadata).not.toBe(config.metadata);
    expect(other.rim.active_judges).not.toBe(config.rim.active_judges);
  });

  it("applies storage defaults when storage is given", () => {
    const withStorage = AtlasConfigSchema.parse({ ...minimal, storage: { database_url: "postgresql://localhost/atlas" } });
    expect(withStorage.storage).toEqual({
      database_url: "postgresql://localhost/atlas",
      min_connections: 1,
      max_connections: 5,
      statement_timeout_seconds: 30,
    });
  });
});

describe("agent variants", () => {
  const base = { name: "demo", system_prompt: "Answer." };

  it("accepts litellm with any provider and keeps its type", () => {
    const result = parseConfigObject({
      ...minimal,
      agent: { ...base, type: "litellm", llm: { provider: "xai", model: "xai/grok-4-fast", api_key_env: "XAI_API_KEY" } },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.agent).toMatchObject({ type: "litellm", response_format: null, llm: { provider: "xai" } });
  });

  it("accepts openai with azure-openai", () => {
    expect(issuesOf({ ...minimal, agent: { ...base, type: "openai", llm: { provider: "azure-openai", model: "gpt-4o" } } })).toEqual(
      [],
    );
  });

  it("requires llm for openai", () => {
    expect(issuesOf({ ...minimal, agent: { ...base, type: "openai" } })).toEqual([
      { path: "agent.llm", message: 'missing required key "llm"' },
    ]);
  });

  it("python: defaults and optional llm", () => {
    const result = parseConfigObject({ ...minimal, agent: { ...base, type: "python", import_path: "agents.demo" } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.agent).toMatchObject({ attribute: null, working_directory: null, allow_generator: false, llm: null });
  });

  it("module: requires module, defaults export", () => {
    expect(issuesOf({ ...minimal, agent: { ...base, type: "module" } })).toEqual([
      { path: "agent.module", message: 'missing required key "module"' },
    ]);
    const result = parseConfigObject({ ...minimal, agent: { ...base, type: "module", module: "./agent.ts", export: "run" } });
    expect(result.ok && result.config.agent).toMatchObject({ type: "module", module: "./agent.ts", export: "run" });
  });

  it("requires name and system_prompt", () => {
    expect(issuesOf({ ...minimal, agent: { type: "python", import_path: "x" } })).toEqual([
      { path: "agent.name", message: 'missing required key "name"' },
      { path: "agent.system_prompt", message: 'missing required key "system_prompt"' },
    ]);
  });

  it("rejects a transport with an ftp URL", () => {
    const agent = { ...base, type: "http_api", transport: { base_url: "ftp://example.com/agent" } };
    expect(issuesOf({ ...minimal, agent })).toEqual([
      { path: "agent.transport.base_url", message: "base_url must be an http(s) URL, e.g. http://localhost:8080/agent" },
    ]);
  });
});

describe("tools", () => {
  it("accepts outputSchema and fills parameter defaults", () => {
    const tool = ToolDefinitionSchema.parse({ name: "t", description: "d", outputSchema: { type: "object" } });
    expect(tool).toEqual({
      name: "t",
      description: "d",
      parameters: { type: "object", properties: {}, required: [], additionalProperties: false },
      outputSchema: { type: "object" },
    });
  });

  it("rejects JSON-Schema keywords beyond the restricted set and non-object types", () => {
    const result = ToolDefinitionSchema.safeParse({ name: "t", description: "d", parameters: { type: "array", $schema: "x" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["parameters.type", "parameters"]);
  });
});

describe("LLMParameters", () => {
  it.each([
    [{ model: "m", temperature: 2.5 }, "temperature"],
    [{ model: "m", top_p: 1.5 }, "top_p"],
    [{ model: "m", max_output_tokens: 0 }, "max_output_tokens"],
    [{ model: "m", max_output_tokens: 10.5 }, "max_output_tokens"],
    [{ model: "m", timeout_seconds: -1 }, "timeout_seconds"],
    [{ model: "m", retry: { attempts: 6 } }, "retry.attempts"],
    [{ model: "m", retry: { backoff_seconds: -1 } }, "retry.backoff_seconds"],
    [{ model: "m", reasoning_effort: "max" }, "reasoning_effort"],
    [{ model: "m", api_key_env: "1KEY" }, "api_key_env"],
    [{ model: "m", additional_headers: { "X-A": 1 } }, "additional_headers.X-A"],
  ])("rejects %j at %s", (value, path) => {
    const result = LLMParametersSchema.safeParse(value);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([path]);
  });

  it("accepts an OpenAI-compatible api_base and explicit nulls", () => {
    const llm = LLMParametersSchema.parse({ model: "llama3", api_base: "http://127.0.0.1:11434/v1", top_p: null });
    expect(llm).toMatchObject({ api_base: "http://127.0.0.1:11434/v1", top_p: null });
  });

  it("accepts api_key_env: null for servers that need no key, and the built-in demo model", () => {
    const llm = LLMParametersSchema.parse({ model: "atlas-demo", api_base: "builtin:demo", api_key_env: null });
    expect(llm).toMatchObject({ api_base: "builtin:demo", api_key_env: null });
  });
});

describe("sections", () => {
  it("student prompts need all three templates", () => {
    expect(issuesOf({ ...minimal, student: { prompts: { planner: "p", executor: "e" } } })).toEqual([
      { path: "student.prompts.synthesizer", message: 'missing required key "synthesizer"' },
    ]);
  });

  it("teacher prompts may be partial", () => {
    expect(issuesOf({ ...minimal, teacher: { ...minimal.teacher, prompts: { validation: "{base_prompt}\nBe strict." } } })).toEqual(
      [],
    );
  });

  it("orchestration bounds", () => {
    expect(issuesOf({ ...minimal, orchestration: { max_retries: 5, retry_threshold: 1.2, max_parallel_steps: 0 } })).toEqual([
      { path: "orchestration.retry_threshold", message: "must be at most 1, got 1.2" },
      { path: "orchestration.max_parallel_steps", message: "must be at least 1, got 0" },
    ]);
  });

  it("rim extensions: temperature bounds and judge identifiers", () => {
    const rim = {
      ...minimal.rim,
      sample_temperatures: [0.1, 2.5],
      custom_judges: [{ identifier: "Bad Name", prompt: "x" }],
    };
    expect(issuesOf({ ...minimal, rim })).toEqual([
      { path: "rim.sample_temperatures.1", message: "must be at most 2, got 2.5" },
      { path: "rim.custom_judges.0.identifier", message: "identifier must be a lowercase slug, e.g. factual_accuracy" },
    ]);
  });

  it("rim extensions: duplicate judges and weights for unknown judges", () => {
    const rim = {
      ...minimal.rim,
      custom_judges: [
        { identifier: "accuracy", prompt: "Reward correct facts." },
        { identifier: "accuracy", prompt: "Again." },
      ],
      judge_weights: { process: 2, accuracy: 1, tone: 1 },
    };
    expect(issuesOf({ ...minimal, rim })).toEqual([
      { path: "rim.custom_judges.1.identifier", message: 'duplicate judge identifier "accuracy"' },
      {
        path: "rim.judge_weights.tone",
        message: 'judge_weights names an unknown judge "tone"; use process, helpfulness, accuracy',
      },
    ]);
    const result = parseConfigObject({ ...minimal, rim: { ...rim, custom_judges: rim.custom_judges.slice(0, 1), judge_weights: { accuracy: 2 } } });
    expect(result.ok && result.config.rim.custom_judges).toEqual([{ identifier: "accuracy", prompt: "Reward correct facts.", weight: 1 }]);
  });

  it("sample_temperatures needs 1 to 8 values", () => {
    expect(issuesOf({ ...minimal, rim: { ...minimal.rim, sample_temperatures: [] } })).toEqual([
      { path: "rim.sample_temperatures", message: "must have at least 1 items" },
    ]);
  });

  it("accepts prompt_rewrite: null and rejects any block", () => {
    expect(issuesOf({ ...minimal, prompt_rewrite: null })).toEqual([]);
    expect(issuesOf({ ...minimal, prompt_rewrite: {} })[0]?.message).toMatch(/^prompt_rewrite is not supported/);
  });

  it("storage requires database_url and positive pool sizes", () => {
    expect(issuesOf({ ...minimal, storage: { min_connections: 0 } })).toEqual([
      { path: "storage.database_url", message: 'missing required key "database_url"' },
      { path: "storage.min_connections", message: "must be at least 1, got 0" },
    ]);
  });

  it("later-version keys get their own message, also nested", () => {
    expect(
      issuesOf({
        ...minimal,
        storage: { database_url: "postgresql://x", apply_schema_on_connect: true },
        learning: {},
        adaptive_teaching: { enabled: true },
      }),
    ).toEqual([
      {
        path: "storage.apply_schema_on_connect",
        message: 'key "storage.apply_schema_on_connect" is from a later Atlas SDK version and is not supported yet',
      },
      {
        path: "learning",
        message: 'section "learning" is from a later Atlas SDK version and is not supported yet',
      },
      {
        path: "adaptive_teaching",
        message: 'section "adaptive_teaching" is from a later Atlas SDK version and is not supported yet',
      },
    ]);
  });

  it("runtime_safety is accepted with upstream's defaults, and absent means no gate", () => {
    expect(configOf(minimal).runtime_safety).toBeNull();
    expect(configOf({ ...minimal, runtime_safety: {} }).runtime_safety).toEqual({
      review: { require_approval: true, default_export_statuses: ["approved"] },
      drift: { enabled: true, window: 50, z_threshold: 3, min_baseline: 5, use_mad: true, failure_rate: 0.5 },
    });
    const custom = configOf({
      ...minimal,
      runtime_safety: {
        review: { require_approval: false, default_export_statuses: ["approved", "pending"] },
        drift: { window: 20, z_threshold: 2.5, use_mad: false },
      },
    }).runtime_safety;
    expect(custom?.review).toEqual({ require_approval: false, default_export_statuses: ["approved", "pending"] });
    expect(custom?.drift).toMatchObject({ window: 20, z_threshold: 2.5, min_baseline: 5, use_mad: false });
  });

  it("runtime_safety rejects unknown statuses and keys with their paths", () => {
    const issues = issuesOf({
      ...minimal,
      runtime_safety: { review: { default_export_statuses: ["approved", "done"] }, drift: { z_threshold: 0, windows: 3 } },
    });
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(["runtime_safety.review.default_export_statuses.1", "runtime_safety.drift.z_threshold", "runtime_safety.drift.windows"]),
    );
  });
});
