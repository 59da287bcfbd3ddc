import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DoctorReportSchema, type DoctorReport } from "@/lib/doctor";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import { main } from "../main";
import { captureIO } from "../testing";

const root = path.resolve(import.meta.dirname, "../../..");
const examples = path.join(root, "configs/examples");
const upstream = path.resolve(root, "../shared/upstream-fixtures");
const scratch = mkdtempSync(path.join(tmpdir(), "atlas-doctor-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const server = scriptedLlmPerFile({ rules: [{ reply: { content: "OK" } }] });

async function doctor(args: string[], env: Record<string, string> = {}) {
  const capture = captureIO({ env, cwd: root });
  const code = await main(["doctor", ...args], capture.io);
  return { code, stdout: capture.stdout(), stderr: capture.stderr() };
}

async function report(file: string, env: Record<string, string> = {}, extra: string[] = []): Promise<{ code: number; report: DoctorReport }> {
  const { code, stdout, stderr } = await doctor([file, "--json", ...extra], env);
  if (stdout === "") throw new Error(`no report: ${stderr}`);
  return { code, report: DoctorReportSchema.parse(JSON.parse(stdout)) };
}

const routes = (value: DoctorReport) => value.llms.map(({ path, provider, base_url, model, key_env }) => ({ path, provider, base_url, model, key_env }));

/** Writes a config whose four LLMs are the given ones (agent: litellm). */
function configWith(name: string, llms: { agent: string; teacher: string; small: string; large: string }): string {
  const file = path.join(scratch, `${name}.yaml`);
  writeFileSync(
    file,
    [
      "agent:",
      "  type: litellm",
      "  name: a",
      "  system_prompt: s",
      `  llm: ${llms.agent}`,
      "teacher:",
      `  llm: ${llms.teacher}`,
      "rim:",
      `  small_model: ${llms.small}`,
      `  large_model: ${llms.large}`,
      "",
    ].join("\n"),
  );
  return file;
}

async function stoppedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const { port } = listener.address() as AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

describe("atlas doctor --json on the project's example configs", () => {
  const files = readdirSync(examples).filter((name) => name.endsWith(".yaml"));

  it.each(files)("%s reports every LLM's route and the agent", async (file) => {
    const { report: value } = await report(path.join(examples, file), { OPENAI_API_KEY: "k", GEMINI_API_KEY: "k", ANTHROPIC_API_KEY: "k" });
    expect(value.llms.map((llm) => llm.path)).toEqual(expect.arrayContaining(["teacher.llm", "rim.small_model", "rim.large_model"]));
    for (const llm of value.llms) expect(llm.base_url).not.toBeNull();
  });

  it("openai: the examples go to api.openai.com with OPENAI_API_KEY, and say when it is missing", async () => {
    const { code, report: value } = await report(path.join(examples, "openai_agent.yaml"));
    expect(code).toBe(1);
    expect(routes(value)).toEqual([
      { path: "teacher.llm", provider: "openai", base_url: "https://api.openai.com/v1", model: "gpt-4o-mini", key_env: "OPENAI_API_KEY" },
      { path: "rim.small_model", provider: "openai", base_url: "https://api.openai.com/v1", model: "gpt-4o-mini", key_env: "OPENAI_API_KEY" },
      { path: "rim.large_model", provider: "openai", base_url: "https://api.openai.com/v1", model: "gpt-4o", key_env: "OPENAI_API_KEY" },
      { path: "agent.llm", provider: "openai", base_url: "https://api.openai.com/v1", model: "o4-mini", key_env: "OPENAI_API_KEY" },
    ]);
    expect(value.llms.every((llm) => llm.key_set === false)).toBe(true);
    expect(value.problems).toContain("teacher.llm: environment variable OPENAI_API_KEY is not set");
    expect(value.agent).toMatchObject({ type: "openai", resolves_to: "agent.llm" });
  });

  it("never prints a key's value", async () => {
    const { code, stdout } = await doctor([path.join(examples, "openai_agent.yaml"), "--json"], { OPENAI_API_KEY: "sk-very-secret-value" });
    expect(code).toBe(0);
    expect(stdout).not.toContain("sk-very-secret-value");
    expect(JSON.parse(stdout).llms[0]).toMatchObject({ key_env: "OPENAI_API_KEY", key_set: true });
  });

  it("the offline demo needs no key and its module agent loads", async () => {
    const { code, report: value } = await report(path.join(examples, "demo_offline.yaml"));
    expect(code).toBe(0);
    expect(value.llms.every((llm) => llm.key_env === null && llm.base_url === "builtin:demo")).toBe(true);
    expect(value.agent).toMatchObject({ type: "module", resolves_to: path.join(examples, "agents/demo_agent.mjs"), loads: true, error: null });
  });

  it("the python example's callable imports", async () => {
    const { report: value } = await report(path.join(examples, "python_agent.yaml"), { OPENAI_API_KEY: "k", PATH: process.env.PATH ?? "" });
    expect(value.agent).toMatchObject({ type: "python", resolves_to: "agents.python_agent:run_agent", loads: true });
  });
});

describe.skipIf(!existsSync(upstream))("atlas doctor --json on the upstream fixtures", () => {
  if (!existsSync(upstream)) console.warn(`skipping: ${upstream} not found`);

  it("gemini: the v0.1.1 ARC demo's judges go to Gemini with GOOGLE_API_KEY although provider: openai", async () => {
    for (const file of ["v0.1.1/examples/arc_agi_demo/configs/arc_agi_demo.yaml", "v0.1.1/docker/configs/atlas.docker.yaml"]) {
      const { code, report: value } = await report(path.join(upstream, file), { OPENAI_API_KEY: "k", GOOGLE_API_KEY: "k" });
      const gemini = "https://generativelanguage.googleapis.com/v1beta/openai";
      expect(routes(value)).toEqual([
        { path: "teacher.llm", provider: "openai", base_url: "https://api.openai.com/v1", model: "gpt-5-mini", key_env: "OPENAI_API_KEY" },
        { path: "rim.small_model", provider: "gemini", base_url: gemini, model: "gemini-2.5-flash", key_env: "GOOGLE_API_KEY" },
        { path: "rim.large_model", provider: "gemini", base_url: gemini, model: "gemini-2.5-pro", key_env: "GOOGLE_API_KEY" },
      ]);
      expect(value.llms[1]?.provider_chosen_by).toBe("model prefix");
      // The ARC agent module is not part of the fixtures: the check says so and the exit code is 1.
      expect(value.agent).toMatchObject({ type: "python", resolves_to: "examples.arc_agi_demo.agent.demo_agent:invoke", loads: false });
      expect(code).toBe(1);
    }
  });

  it.each(["configs/examples/http_agent.yaml", "configs/examples/openai_agent.yaml", "configs/examples/python_agent.yaml"])(
    "openai: v0.1.1 %s routes everything to OpenAI",
    async (file) => {
      const { report: value } = await report(path.join(upstream, "v0.1.1", file), { OPENAI_API_KEY: "k" });
      expect(value.llms.every((llm) => llm.provider === "openai" && llm.base_url === "https://api.openai.com/v1")).toBe(true);
    },
  );

  it("anthropic: the v0.1.15 Claude configs go to Anthropic with ANTHROPIC_API_KEY (later-version sections removed)", async () => {
    const text = readFileSync(path.join(upstream, "v0.1.15/configs/eval/learning/baseline_claude.yaml"), "utf8");
    const file = path.join(scratch, "baseline_claude.yaml");
    writeFileSync(file, text.slice(0, text.indexOf("\nlearning:")));
    const { report: value } = await report(file, { ANTHROPIC_API_KEY: "k" });
    const anthropic = "https://api.anthropic.com/v1";
    expect(routes(value)).toEqual([
      { path: "teacher.llm", provider: "anthropic", base_url: anthropic, model: "claude-sonnet-4-5-20250929", key_env: "ANTHROPIC_API_KEY" },
      { path: "rim.small_model", provider: "anthropic", base_url: anthropic, model: "claude-haiku-4-5", key_env: "ANTHROPIC_API_KEY" },
      { path: "rim.large_model", provider: "anthropic", base_url: anthropic, model: "claude-sonnet-4-5-20250929", key_env: "ANTHROPIC_API_KEY" },
      { path: "agent.llm", provider: "anthropic", base_url: anthropic, model: "claude-haiku-4-5", key_env: "ANTHROPIC_API_KEY" },
    ]);
  });

  it("reports the validation issues of a config it cannot read (later-version sections) and exits 1", async () => {
    const { code, stderr } = await doctor([path.join(upstream, "v0.1.15/configs/examples/openai_agent.yaml")]);
    expect(code).toBe(1);
    expect(stderr).toContain('section "learning" is from a later Atlas SDK version and is not supported yet');
  });
});

describe("atlas doctor routes per provider", () => {
  it.each([
    ["xai", "{model: xai/grok-4-fast}", { provider: "xai", base_url: "https://api.x.ai/v1", model: "grok-4-fast", key_env: "XAI_API_KEY" }],
    ["gemini (provider: google)", "{provider: google, model: gemini-2.5-pro}", { provider: "gemini", model: "gemini-2.5-pro", key_env: "GEMINI_API_KEY" }],
    ["openrouter", "{model: openrouter/meta-llama/llama-3.3-70b-instruct}", { provider: "openrouter", base_url: "https://openrouter.ai/api/v1", model: "meta-llama/llama-3.3-70b-instruct", key_env: "OPENROUTER_API_KEY" }],
    ["groq", "{model: groq/llama-3.1-8b-instant}", { provider: "groq", base_url: "https://api.groq.com/openai/v1", model: "llama-3.1-8b-instant", key_env: "GROQ_API_KEY" }],
    ["mistral", "{model: mistral/mistral-small-latest}", { provider: "mistral", base_url: "https://api.mistral.ai/v1", model: "mistral-small-latest", key_env: "MISTRAL_API_KEY" }],
    ["deepseek", "{model: deepseek/deepseek-chat}", { provider: "deepseek", base_url: "https://api.deepseek.com/v1", model: "deepseek-chat", key_env: "DEEPSEEK_API_KEY" }],
    ["together_ai", "{model: together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo}", { provider: "together_ai", base_url: "https://api.together.xyz/v1", key_env: "TOGETHERAI_API_KEY" }],
    ["ollama", "{model: ollama/llama3.1}", { provider: "ollama", base_url: "http://localhost:11434/v1", model: "llama3.1", key_env: null, key_set: null }],
    ["bedrock", "{provider: bedrock, model: openai.gpt-oss-20b-1:0}", { provider: "bedrock", base_url: "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", key_env: "AWS_BEARER_TOKEN_BEDROCK" }],
    ["azure", "{provider: azure-openai, model: prod-4o}", { provider: "azure", base_url: null, model: "prod-4o", key_env: "AZURE_OPENAI_API_KEY" }],
  ])("%s", async (name, llm, expected) => {
    const file = configWith(name.replace(/\W+/g, "-"), { agent: llm, teacher: llm, small: llm, large: llm });
    const { report: value } = await report(file);
    for (const check of value.llms) expect(check).toMatchObject(expected);
  });

  it("azure without an endpoint is a problem that says what to set", async () => {
    const llm = "{provider: azure-openai, model: prod-4o}";
    const { code, report: value } = await report(configWith("azure-missing", { agent: llm, teacher: llm, small: llm, large: llm }), { AZURE_OPENAI_API_KEY: "k" });
    expect(code).toBe(1);
    expect(value.problems[0]).toBe("teacher.llm: Azure OpenAI has no default endpoint: set api_base or ATLAS_AZURE_BASE_URL / AZURE_OPENAI_ENDPOINT");
  });

  it("shows an environment override as the base URL and where it came from", async () => {
    const llm = "{model: gemini/gemini-2.5-flash}";
    const { report: value } = await report(configWith("gemini-override", { agent: llm, teacher: llm, small: llm, large: llm }), {
      ATLAS_GEMINI_BASE_URL: "http://127.0.0.1:9/v1",
    });
    expect(value.llms[0]).toMatchObject({ base_url: "http://127.0.0.1:9/v1", base_url_from: "ATLAS_GEMINI_BASE_URL" });
  });
});

describe("atlas doctor --ping", () => {
  it("sends one tiny request per LLM and reports its latency", async () => {
    const llm = "{model: gemini/gemini-2.5-flash}";
    const file = configWith("ping-ok", { agent: llm, teacher: llm, small: llm, large: llm });
    const { code, report: value } = await report(file, { ATLAS_GEMINI_BASE_URL: server.url, GEMINI_API_KEY: "g-key" }, ["--ping"]);
    expect(code).toBe(0);
    expect(value.llms.map((check) => check.ping?.ok)).toEqual([true, true, true, true]);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.every((request) => request.model === "gemini-2.5-flash" && request.headers.authorization === "Bearer g-key")).toBe(true);
  });

  it("against a stopped port reports the connection error and exits 1", async () => {
    const port = await stoppedPort();
    const llm = `{model: gpt-4o-mini, api_base: "http://127.0.0.1:${port}/v1", api_key_env: null}`;
    const file = configWith("ping-dead", { agent: llm, teacher: llm, small: llm, large: llm });
    const { code, stdout } = await doctor([file, "--ping"]);
    expect(code).toBe(1);
    expect(stdout).toContain(`ping         failed: teacher.llm call to gpt-4o-mini failed after 1 try: cannot reach http://127.0.0.1:${port}/v1: connection refused (ECONNREFUSED 127.0.0.1:${port})`);
    expect(stdout).toContain("4 problems:");
  });

  it("connects to an http_api agent's endpoint", async () => {
    const port = await stoppedPort();
    const file = path.join(scratch, "http-dead.yaml");
    const llm = `{model: m, api_base: "${server.url}", api_key_env: null}`;
    writeFileSync(
      file,
      `agent: {type: http_api, name: h, system_prompt: s, transport: {base_url: "http://127.0.0.1:${port}/agent"}}\nteacher: {llm: ${llm}}\nrim: {small_model: ${llm}, large_model: ${llm}}\n`,
    );
    const { code, report: value } = await report(file, {}, ["--ping"]);
    expect(code).toBe(1);
    expect(value.agent).toMatchObject({ type: "http_api", loads: false, error: `cannot reach http://127.0.0.1:${port}/agent: connection refused (ECONNREFUSED 127.0.0.1:${port})` });
  });
});

describe("atlas doctor on agents that do not load", () => {
  it("a module file that does not exist", async () => {
    const file = path.join(scratch, "module-missing.yaml");
    const llm = `{model: m, api_base: builtin:demo}`;
    writeFileSync(file, `agent: {type: module, name: m, system_prompt: s, module: ./nowhere.mjs}\nteacher: {llm: ${llm}}\nrim: {small_model: ${llm}, large_model: ${llm}}\n`);
    const { code, report: value } = await report(file);
    expect(code).toBe(1);
    expect(value.agent).toMatchObject({ resolves_to: path.join(scratch, "nowhere.mjs"), loads: false, error: `agent module not found: ${path.join(scratch, "nowhere.mjs")}` });
  });

  it("a usage error without a file", async () => {
    const { code, stderr } = await doctor([]);
    expect(code).toBe(2);
    expect(stderr).toContain("Usage: atlas doctor CONFIG [--json] [--ping]");
  });
});
