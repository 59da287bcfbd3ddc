/**
 * Every config field that upstream accepted and ignored now does what its name says: each test runs a
 * session and shows the field's effect in what the scripted server (or the agent) received.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMIT_INTERMEDIATE_STEPS_UNSUPPORTED_MESSAGE, parseConfigObject, parseConfigText, type AtlasConfig } from "@/lib/config";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { RecordedRequest, ScriptRule } from "@/lib/llm/scripted/types";
import { startHttpAgent, type HttpAgent } from "@/lib/runtime/testing/http-agent";
import { llmParams, TEST_ENV } from "@/lib/runtime/testing/config";
import { agreeingJudges, keepPlanReview, userPayload, validVerdict } from "@/lib/runtime/testing/scripts";
import { runTask } from "./run-task";

const server = scriptedLlmPerFile();

const TOOL = { name: "lookup", description: "Looks a fact up.", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } };

/** The scripted server plays the agent's own model too: one step, answered without tools. */
const agentModel: ScriptRule[] = [
  { caller: "planner", reply: { json: { steps: [{ id: 1, description: "Answer the question" }] } } },
  { caller: "executor", reply: { content: '{"status": "ok", "result": {"deliverable": "42"}}' } },
  { caller: "synthesizer", reply: { content: "Summary: s\nFinal Answer: 42" } },
];

function config(sections: Record<string, unknown> = {}, agentLlm: Record<string, unknown> = {}): AtlasConfig {
  const parsed = parseConfigObject({
    agent: {
      type: "openai",
      name: "agent-under-test",
      system_prompt: "You answer questions.",
      tools: [TOOL],
      llm: { ...llmParams(server.url, "agent-model"), ...agentLlm },
    },
    teacher: { llm: llmParams(server.url, "teacher-model") },
    rim: { small_model: llmParams(server.url, "judge-small"), large_model: llmParams(server.url, "judge-large") },
    ...sections,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

async function session(cfg: AtlasConfig, rules: ScriptRule[] = [keepPlanReview(), validVerdict, agreeingJudges(0.9)]) {
  server.setRules([...rules, ...agentModel]);
  const before = server.requests.length;
  const result = await runTask({ task: "What is six times seven?", config: cfg, store: "none", env: TEST_ENV });
  return { result, requests: server.requests.slice(before) };
}

const from = (requests: RecordedRequest[], caller: RecordedRequest["callerRole"]) => requests.filter((request) => request.callerRole === caller);

describe("student token limits reach the agent's own LLM", () => {
  it("student.max_plan_tokens is the planner call's max_tokens", async () => {
    const { requests } = await session(config({ student: { max_plan_tokens: 111 } }));
    expect(from(requests, "planner").map((request) => request.body.max_tokens)).toEqual([111]);
  });

  it("student.max_step_tokens is every step call's max_tokens", async () => {
    const { requests } = await session(config({ student: { max_step_tokens: 222 } }));
    const executor = from(requests, "executor");
    expect(executor.length).toBeGreaterThan(0);
    expect(executor.every((request) => request.body.max_tokens === 222)).toBe(true);
  });

  it("student.max_synthesis_tokens is the synthesis call's max_tokens", async () => {
    const { requests } = await session(config({ student: { max_synthesis_tokens: 333 } }));
    expect(from(requests, "synthesizer").map((request) => request.body.max_tokens)).toEqual([333]);
  });

  it("the smaller of a stage limit and agent.llm.max_output_tokens wins; reasoning models get max_completion_tokens", async () => {
    const { requests } = await session(config({ student: { max_plan_tokens: 111, max_step_tokens: 4000 } }, { max_output_tokens: 150 }));
    expect(from(requests, "planner")[0]?.body.max_tokens).toBe(111);
    expect(from(requests, "executor")[0]?.body.max_tokens).toBe(150);
    const reasoning = await session(config({ student: { max_plan_tokens: 111 } }, { model: "o4-mini" }));
    expect(from(reasoning.requests, "planner")[0]?.body).toMatchObject({ model: "o4-mini", max_completion_tokens: 111 });
  });
});

describe("student.tool_choice", () => {
  it("is sent as tool_choice with the agent's tools on step calls", async () => {
    const { requests } = await session(config({ student: { tool_choice: "required" } }));
    const step = from(requests, "executor")[0];
    expect(step?.tools).toHaveLength(1);
    expect(step?.tool_choice).toBe("required");
    const auto = await session(config({ student: { tool_choice: "auto" } }));
    expect(from(auto.requests, "executor")[0]?.tool_choice).toBe("auto");
    // Calls that offer no tools carry no tool_choice.
    expect(from(auto.requests, "planner")[0]?.tool_choice).toBeNull();
  });
});

describe("teacher token limits", () => {
  it("teacher.max_review_tokens is the plan review's max_tokens", async () => {
    const { requests } = await session(config({ teacher: { llm: llmParams(server.url, "teacher-model"), max_review_tokens: 444 } }));
    expect(from(requests, "plan_review").map((request) => request.body.max_tokens)).toEqual([444]);
  });

  it("teacher.validation_max_tokens is each validation's max_tokens", async () => {
    const { requests } = await session(config({ teacher: { llm: llmParams(server.url, "teacher-model"), validation_max_tokens: 555 } }));
    const validations = from(requests, "validation");
    expect(validations.length).toBeGreaterThan(0);
    expect(validations.every((request) => request.body.max_tokens === 555)).toBe(true);
  });

  it("teacher.guidance_max_tokens is asked for and longer guidance is cut before the Student sees it", async () => {
    const long = `Cite the source. ${"Then explain every step in detail. ".repeat(20)}`;
    const { requests } = await session(config({ teacher: { llm: llmParams(server.url, "teacher-model"), guidance_max_tokens: 10 } }), [
      keepPlanReview(),
      { caller: "validation", times: 1, reply: { json: { valid: false, guidance: long } } },
      validVerdict,
      agreeingJudges(0.9),
    ]);
    expect(from(requests, "validation")[0]?.messages[0]?.content).toContain('Keep "guidance" under 10 tokens.');
    const retry = from(requests, "executor").at(-1);
    const prompt = retry?.messages.map((message) => message.content).join("\n") ?? "";
    // 10 tokens at about 4 characters each: 39 characters and an ellipsis.
    expect(prompt).toContain('Guidance History: [\n  "Cite the source. Then explain every ste…"\n]');
    expect(prompt).not.toContain(long.trim());
  });
});

describe("orchestration", () => {
  it("rim_guidance_tag wraps the judges' feedback given to a step retried for a low reward", async () => {
    const { result, requests } = await session(config({ orchestration: { rim_guidance_tag: "judge_notes", retry_threshold: 0.6, max_retries: 1 } }), [
      keepPlanReview(),
      validVerdict,
      agreeingJudges(0.3),
    ]);
    expect(result.stepResults[0]?.attempts).toBe(2);
    const retry = from(requests, "executor").at(-1);
    const prompt = retry?.messages.map((message) => message.content).join("\n") ?? "";
    expect(prompt).toContain("<judge_notes>The reward was 0.30, below the retry threshold 0.6.");
    expect(prompt).toContain("process (0.30): scored 0.3");
    expect(prompt).toContain("</judge_notes>");
    // The teacher's next validation sees it as guidance given so far.
    expect(userPayload(from(requests, "validation").at(-1) as RecordedRequest).attempt_guidance).toEqual([
      expect.stringMatching(/^<judge_notes>[\s\S]*<\/judge_notes>$/),
    ]);
  });

  it("emit_intermediate_steps: false is rejected when validating, with the reason", () => {
    const base = "agent: {type: openai, name: a, system_prompt: s, llm: {model: m}}\nteacher: {llm: {model: m}}\nrim: {small_model: {model: m}, large_model: {model: m}}\n";
    const rejected = parseConfigText(`${base}orchestration:\n  emit_intermediate_steps: false\n`);
    expect(rejected.ok ? [] : rejected.issues).toEqual([
      { path: "orchestration.emit_intermediate_steps", message: EMIT_INTERMEDIATE_STEPS_UNSUPPORTED_MESSAGE, line: 5, column: 28 },
    ]);
    expect(parseConfigText(`${base}orchestration:\n  emit_intermediate_steps: true\n`).ok).toBe(true);
  });
});

describe("agent.llm.timeout_seconds", () => {
  it("bounds each of the agent model's tries", async () => {
    server.setRules([{ caller: "planner", reply: { hang: true } }]);
    const result = await runTask({
      task: "What is six times seven?",
      config: config({}, { timeout_seconds: 0.2 }),
      store: "none",
      env: TEST_ENV,
    });
    expect(result.status).toBe("failed");
    expect(result.error).toContain("agent.llm call to agent-model failed after 3 tries: no reply within 0.2s");
  });
});

describe("structured payloads for agents that declare them", () => {
  let agent: HttpAgent;
  let scratch: string;
  beforeAll(async () => {
    agent = await startHttpAgent();
    scratch = await mkdtemp(path.join(tmpdir(), "atlas-payloads-"));
  });
  afterAll(async () => {
    await agent.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const httpConfig = (structured: boolean) =>
    config({
      agent: { type: "http_api", name: "h", system_prompt: "s", tools: [TOOL], transport: { base_url: agent.url }, result_path: ["data", "output"], structured_payloads: structured },
      student: { max_plan_tokens: 111, max_step_tokens: 222, tool_choice: "required" },
    });

  it("http_api: task_payload, step_payload, max_tokens and tool_choice in the metadata", async () => {
    server.setRules([keepPlanReview(), validVerdict, agreeingJudges(0.9)]);
    agent.bodies.length = 0;
    const result = await runTask({ task: "Help a customer", config: httpConfig(true), store: "none", env: TEST_ENV });
    expect(result.error).toBeNull();
    const metadataOf = (mode: string) => agent.bodies.map((body) => body.metadata as Record<string, unknown>).filter((metadata) => metadata.mode === mode);
    expect(metadataOf("planning")[0]).toEqual({ mode: "planning", task_payload: "Help a customer", max_tokens: 111 });
    expect(metadataOf("execution")[0]).toMatchObject({
      task_payload: "Help a customer",
      step_payload: { step_id: 1, description: "Search the knowledge base for the customer's problem", depends_on: [] },
      max_tokens: 222,
      tool_choice: "required",
    });
    expect(metadataOf("synthesis")[0]).toEqual({ mode: "synthesis", task_payload: "Help a customer", max_tokens: 2048 });
  });

  it("http_api without the declaration: the metadata stays as it was", async () => {
    server.setRules([keepPlanReview(), validVerdict, agreeingJudges(0.9)]);
    agent.bodies.length = 0;
    await runTask({ task: "Help a customer", config: httpConfig(false), store: "none", env: TEST_ENV });
    const planning = agent.bodies.map((body) => body.metadata as Record<string, unknown>).find((metadata) => metadata.mode === "planning");
    expect(planning).toEqual({ mode: "planning" });
  });

  it("python: the callable receives them too", async () => {
    await writeFile(
      path.join(scratch, "payload_agent.py"),
      [
        "import json",
        "def run_agent(prompt, metadata=None):",
        "    metadata = metadata or {}",
        "    if metadata.get('mode') == 'planning':",
        "        return json.dumps({'steps': [{'id': 1, 'description': 'task=' + metadata['task_payload']}]})",
        "    if metadata.get('mode') == 'execution':",
        "        return json.dumps({'status': 'ok', 'result': {'deliverable': metadata['step_payload']}})",
        "    return 'Final Answer: ' + str(metadata.get('max_tokens'))",
        "",
      ].join("\n"),
    );
    server.setRules([keepPlanReview(), validVerdict, agreeingJudges(0.9)]);
    const cfg = config({
      agent: { type: "python", name: "p", system_prompt: "s", import_path: "payload_agent", attribute: "run_agent", working_directory: scratch, structured_payloads: true },
      student: { max_synthesis_tokens: 333 },
    });
    const result = await runTask({ task: "Count the rows", config: cfg, store: "none", env: { ...TEST_ENV, PATH: process.env.PATH ?? "" } as NodeJS.ProcessEnv });
    expect(result.status).toBe("succeeded");
    expect(result.plan.steps[0]?.description).toBe("task=Count the rows");
    expect(result.stepResults[0]?.metadata.deliverable).toEqual({ step_id: 1, description: "task=Count the rows", depends_on: [] });
    expect(result.finalAnswer).toBe("Final Answer: 333");
  });
});
