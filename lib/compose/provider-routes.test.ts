/**
 * The upstream fixture configs and the project's example configs run end to end as written (only agents
 * that live outside the repository are pointed at local stand-ins), with every provider's base URL pointed
 * at the scripted server through the environment. The request log then shows, per provider, the model
 * names litellm would have sent and the key each provider received.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText, type AtlasConfig } from "@/lib/config";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { CallerRole, RecordedRequest, ScriptRule } from "@/lib/llm/scripted/types";
import { startHttpAgent, type HttpAgent } from "@/lib/runtime/testing/http-agent";
import { judgeReply, keepPlanReview, validVerdict } from "@/lib/runtime/testing/scripts";
import { runTask } from "./run-task";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLES = path.join(ROOT, "configs/examples");
const UPSTREAM = path.resolve(ROOT, "../shared/upstream-fixtures");
const HAVE_UPSTREAM = existsSync(UPSTREAM);
if (!HAVE_UPSTREAM) console.warn(`skipping the upstream fixture runs: ${UPSTREAM} not found`);

const server = scriptedLlmPerFile();
let httpAgent: HttpAgent;
beforeAll(async () => {
  httpAgent = await startHttpAgent();
});
afterAll(async () => {
  await httpAgent.close();
});

/** Each provider under its own path on the one scripted server, so the log shows where a call went. */
function providerEnv(): NodeJS.ProcessEnv {
  const origin = server.url.replace(/\/v1$/, "");
  return {
    OPENAI_BASE_URL: `${origin}/openai/v1`,
    ATLAS_GEMINI_BASE_URL: `${origin}/gemini/v1beta/openai`,
    ATLAS_ANTHROPIC_BASE_URL: `${origin}/anthropic/v1`,
    ATLAS_XAI_BASE_URL: `${origin}/xai/v1`,
    OPENAI_API_KEY: "sk-openai",
    GOOGLE_API_KEY: "google-key",
    GEMINI_API_KEY: "gemini-key",
    ANTHROPIC_API_KEY: "anthropic-key",
    XAI_API_KEY: "xai-key",
    SUPPORT_AGENT_TOKEN: "support-token",
    PATH: process.env.PATH ?? "",
    PYTHONDONTWRITEBYTECODE: "1",
  } as unknown as NodeJS.ProcessEnv;
}

/** Judges unsure enough to escalate, so the arbiter (the large model) is called too. */
const rules: ScriptRule[] = [
  keepPlanReview(),
  validVerdict,
  { caller: ["process_judge", "helpfulness_judge"], reply: judgeReply(0.8, 0.9) },
  { caller: ["process_arbiter", "helpfulness_arbiter"], reply: judgeReply(0.8, 0.1) },
  { caller: "planner", reply: { json: { steps: [{ id: 1, description: "Work out the answer" }] } } },
  { caller: "executor", reply: { content: '{"status": "ok", "result": {"deliverable": "done"}}' } },
  { caller: "synthesizer", reply: { content: "Summary: s\nFinal Answer: done" } },
];

interface Route {
  /** The provider's path on the scripted server. */
  at: "openai" | "gemini" | "anthropic" | "xai";
  model: string;
  key: string;
}

interface Case {
  file: string;
  /** Where relative agent paths resolve from. */
  baseDir: string;
  text: () => string;
  teacher: Route;
  small: Route;
  large: Route;
  agent?: Route;
  /** Agents that live outside the repository get a local stand-in. */
  patchAgent?: (agent: AtlasConfig["agent"]) => AtlasConfig["agent"];
}

const SAMPLE_PYTHON_AGENT = (agent: AtlasConfig["agent"]): AtlasConfig["agent"] => {
  if (agent.type !== "python") throw new Error("expected a python agent");
  return { ...agent, import_path: "agents.python_agent", attribute: "run_agent", working_directory: EXAMPLES };
};
const LOCAL_HTTP_AGENT = (agent: AtlasConfig["agent"]): AtlasConfig["agent"] => {
  if (agent.type !== "http_api") throw new Error("expected an http_api agent");
  return { ...agent, transport: { ...agent.transport, base_url: httpAgent.url, retry: { attempts: 1, backoff_seconds: 0 } } };
};
/** Later-version sections (`learning`, `adaptive_teaching`) are not supported yet: the run uses the rest. */
const withoutLaterSections = (text: string) => text.replace(/^(learning|adaptive_teaching):[\s\S]*?(?=^\S|(?![\s\S]))/gm, "");

const openai = (model: string): Route => ({ at: "openai", model, key: "sk-openai" });
const upstreamFile = (file: string) => () => withoutLaterSections(readFileSync(path.join(UPSTREAM, file), "utf8"));
const exampleFile = (file: string) => () => readFileSync(path.join(EXAMPLES, file), "utf8");

const UPSTREAM_CASES: Case[] = [
  {
    file: "v0.1.1/configs/examples/http_agent.yaml",
    baseDir: EXAMPLES,
    text: upstreamFile("v0.1.1/configs/examples/http_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
    patchAgent: LOCAL_HTTP_AGENT,
  },
  {
    file: "v0.1.1/configs/examples/openai_agent.yaml",
    baseDir: EXAMPLES,
    text: upstreamFile("v0.1.1/configs/examples/openai_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
    agent: openai("o4-mini"),
  },
  {
    file: "v0.1.1/configs/examples/python_agent.yaml",
    baseDir: EXAMPLES,
    text: upstreamFile("v0.1.1/configs/examples/python_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
    patchAgent: SAMPLE_PYTHON_AGENT,
  },
  ...["v0.1.1/docker/configs/atlas.docker.yaml", "v0.1.1/examples/arc_agi_demo/configs/arc_agi_demo.yaml"].map(
    (file): Case => ({
      file,
      baseDir: EXAMPLES,
      text: upstreamFile(file),
      teacher: openai("gpt-5-mini"),
      small: { at: "gemini", model: "gemini-2.5-flash", key: "google-key" },
      large: { at: "gemini", model: "gemini-2.5-pro", key: "google-key" },
      patchAgent: SAMPLE_PYTHON_AGENT,
    }),
  ),
  {
    file: "v0.1.15/configs/examples/openai_agent.yaml",
    baseDir: EXAMPLES,
    text: upstreamFile("v0.1.15/configs/examples/openai_agent.yaml"),
    teacher: openai("gpt-5-mini"),
    small: { at: "gemini", model: "gemini-2.5-flash", key: "gemini-key" },
    large: { at: "gemini", model: "gemini-2.5-flash", key: "gemini-key" },
    agent: openai("gpt-5-mini"),
  },
  {
    file: "v0.1.15/configs/eval/learning/baseline_claude.yaml",
    baseDir: EXAMPLES,
    text: upstreamFile("v0.1.15/configs/eval/learning/baseline_claude.yaml"),
    teacher: { at: "anthropic", model: "claude-sonnet-4-5-20250929", key: "anthropic-key" },
    small: { at: "anthropic", model: "claude-haiku-4-5", key: "anthropic-key" },
    large: { at: "anthropic", model: "claude-sonnet-4-5-20250929", key: "anthropic-key" },
    agent: { at: "anthropic", model: "claude-haiku-4-5", key: "anthropic-key" },
  },
];

const EXAMPLE_CASES: Case[] = [
  {
    file: "http_agent.yaml",
    baseDir: EXAMPLES,
    text: exampleFile("http_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
    patchAgent: LOCAL_HTTP_AGENT,
  },
  {
    file: "openai_agent.yaml",
    baseDir: EXAMPLES,
    text: exampleFile("openai_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
    agent: openai("o4-mini"),
  },
  {
    file: "python_agent.yaml",
    baseDir: EXAMPLES,
    text: exampleFile("python_agent.yaml"),
    teacher: openai("gpt-4o-mini"),
    small: openai("gpt-4o-mini"),
    large: openai("gpt-4o"),
  },
  {
    file: "mixed_providers.yaml",
    baseDir: EXAMPLES,
    text: exampleFile("mixed_providers.yaml"),
    teacher: openai("gpt-5-mini"),
    small: { at: "xai", model: "grok-4-fast", key: "xai-key" },
    large: { at: "gemini", model: "gemini-2.5-pro", key: "gemini-key" },
    agent: { at: "anthropic", model: "claude-haiku-4-5", key: "anthropic-key" },
  },
];

const ROLES: Record<"teacher" | "small" | "large" | "agent", CallerRole[]> = {
  teacher: ["plan_review", "validation"],
  small: ["process_judge", "helpfulness_judge"],
  large: ["process_arbiter", "helpfulness_arbiter"],
  agent: ["planner", "executor", "synthesizer"],
};

function expectRoute(requests: RecordedRequest[], who: keyof typeof ROLES, route: Route) {
  const calls = requests.filter((request) => ROLES[who].includes(request.callerRole));
  expect(calls.length, `${who} calls`).toBeGreaterThan(0);
  for (const call of calls) {
    expect({ who, at: call.url.split("/")[1], model: call.model, auth: call.headers.authorization }).toEqual({
      who,
      at: route.at,
      model: route.model,
      auth: `Bearer ${route.key}`,
    });
  }
}

async function runCase(example: Case) {
  const parsed = parseConfigText(example.text());
  if (!parsed.ok) throw new Error(`${example.file}: ${JSON.stringify(parsed.issues)}`);
  const config = { ...parsed.config, agent: example.patchAgent ? example.patchAgent(parsed.config.agent) : parsed.config.agent };
  server.setRules(rules);
  const result = await runTask({ task: "Summarise the quarter", config, baseDir: example.baseDir, store: "none", env: providerEnv() });
  expect(result.error ?? null).toBeNull();
  expect(result.status).toBe("succeeded");
  const requests = [...server.requests];
  expectRoute(requests, "teacher", example.teacher);
  expectRoute(requests, "small", example.small);
  expectRoute(requests, "large", example.large);
  if (example.agent) expectRoute(requests, "agent", example.agent);
  return requests;
}

describe.skipIf(!HAVE_UPSTREAM)("upstream fixture configs run end to end with litellm's model names on the wire", () => {
  it.each(UPSTREAM_CASES.map((example) => [example.file, example] as const))("%s", async (_file, example) => {
    await runCase(example);
  });

  it("a gpt-5-mini teacher gets max_completion_tokens (its stage limits) and no temperature", async () => {
    const example = UPSTREAM_CASES.find((candidate) => candidate.file.endsWith("arc_agi_demo.yaml")) as Case;
    const requests = await runCase(example);
    const review = requests.find((request) => request.callerRole === "plan_review");
    expect(review?.body).toMatchObject({ model: "gpt-5-mini", max_completion_tokens: 8192 });
    expect(review?.body).not.toHaveProperty("temperature");
    expect(requests.find((request) => request.callerRole === "process_judge")?.body).toMatchObject({ max_tokens: 8192 });
  });

  it("Anthropic gets no response_format: the agent's json_object becomes an instruction in the prompt", async () => {
    const example = UPSTREAM_CASES.find((candidate) => candidate.file.endsWith("baseline_claude.yaml")) as Case;
    const requests = await runCase(example);
    const planner = requests.find((request) => request.callerRole === "planner");
    expect(planner?.response_format).toBeNull();
    expect(planner?.messages[0]?.content).toMatch(/Respond with a single JSON object and nothing else/);
  });
});

describe("the project's example configs run end to end with each provider's model names on the wire", () => {
  it.each(EXAMPLE_CASES.map((example) => [example.file, example] as const))("%s", async (_file, example) => {
    await runCase(example);
  });
});
