import { describe, expect, it } from "vitest";
import { type OpenAIAgentConfig, OpenAIAgentConfigSchema } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { LlmCallRecord } from "@/lib/llm/types";
import { createOpenAIAdapter } from "./openai";
import type { AgentCallMetadata, StepMetadata } from "./types";

const KEY_VAR = "ATLAS_TEST_AGENT_KEY";
/** Next's typings make NODE_ENV mandatory in ProcessEnv; a test environment does not need it. */
const env = { [KEY_VAR]: "sk-agent" } as Record<string, string> as NodeJS.ProcessEnv;

const server = scriptedLlmPerFile({ rules: [{ reply: { content: "agent says hi" } }] });

function agentConfig(overrides: Record<string, unknown> = {}): OpenAIAgentConfig {
  return OpenAIAgentConfigSchema.parse({
    type: "openai",
    name: "test-agent",
    system_prompt: "You are a careful research agent.",
    llm: { model: "gpt-4o-mini", api_key_env: KEY_VAR, api_base: server.url, retry: { attempts: 1, backoff_seconds: 0 } },
    ...overrides,
  });
}

function adapter(config = agentConfig(), records: LlmCallRecord[] = []) {
  return createOpenAIAdapter(config, { env, baseDir: process.cwd(), recorder: (record) => records.push(record) });
}

const signal = () => new AbortController().signal;

function stepMetadata(overrides: Partial<StepMetadata> = {}): StepMetadata {
  return {
    mode: "execution",
    task: "Find the weather in Lyon",
    step: { id: 1, description: "Look up the forecast", depends_on: [], tool: "search", tool_params: null },
    attempt: 2,
    guidance: ["Use the search tool."],
    tools: [
      {
        name: "search",
        description: "Search the web",
        parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
      },
    ],
    messages: [],
    ...overrides,
  };
}

describe("openai adapter", () => {
  it("sends system prompt, the metadata as JSON and the prompt for a planning call", async () => {
    const records: LlmCallRecord[] = [];
    const reply = await adapter(agentConfig(), records).invoke({
      prompt: "You are the Student Planner.\n\nTask: weather",
      metadata: { mode: "planning" },
      signal: signal(),
    });
    expect(reply).toEqual({ text: "agent says hi", toolCalls: [] });
    const [request] = server.requests;
    expect(request?.messages).toEqual([
      { role: "system", content: "You are a careful research agent." },
      { role: "system", content: '{"mode":"planning"}' },
      { role: "user", content: "You are the Student Planner.\n\nTask: weather" },
    ]);
    expect(request?.tools).toBeNull();
    expect(request?.headers.authorization).toBe("Bearer sk-agent");
    expect(records).toEqual([expect.objectContaining({ actor: "agent", stage: "planning", error: null })]);
  });

  it("sends the BYOA tool metadata as a system message on tool calls", async () => {
    const metadata: AgentCallMetadata = { tool: { name: "search", arguments: { query: "Lyon" } } };
    const records: LlmCallRecord[] = [];
    await adapter(agentConfig(), records).invoke({ prompt: JSON.stringify(metadata), metadata, signal: signal() });
    expect(server.requests[0]?.messages[1]).toEqual({ role: "system", content: '{"tool":{"name":"search","arguments":{"query":"Lyon"}}}' });
    expect(records[0]?.stage).toBe("tool");
  });

  it("omits the system prompt when it is empty", async () => {
    await adapter(agentConfig({ system_prompt: "  " })).invoke({ prompt: "hi", metadata: { mode: "synthesis" }, signal: signal() });
    expect(server.requests[0]?.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(server.requests[0]?.messages[0]?.content).toBe('{"mode":"synthesis"}');
  });

  it("sends the step's tools as function tools and leaves messages/tools out of the metadata JSON", async () => {
    const records: LlmCallRecord[] = [];
    await adapter(agentConfig(), records).invoke({ prompt: "Step ID: 1", metadata: stepMetadata(), signal: signal() });
    const [request] = server.requests;
    expect(request?.tools).toEqual([
      {
        type: "function",
        function: {
          name: "search",
          description: "Search the web",
          parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
        },
      },
    ]);
    const metadataMessage = JSON.parse(request?.messages[1]?.content ?? "{}") as Record<string, unknown>;
    expect(Object.keys(metadataMessage)).toEqual(["mode", "task", "step", "attempt", "guidance"]);
    expect(request?.messages.at(-1)).toEqual({ role: "user", content: "Step ID: 1" });
    expect(records[0]).toMatchObject({ stage: "execution", stepId: 1, attempt: 2 });
  });

  it("replays a step's tool-loop conversation exactly once (no duplicated prompt or system prompt) and maps native tool calls back", async () => {
    server.setRules([{ reply: { toolCalls: [{ name: "search", arguments: { query: "Lyon forecast" }, id: "call-9" }] } }]);
    const conversation = [
      { role: "system" as const, content: "You are a careful research agent.\n\nYou are the Student Executor." },
      { role: "user" as const, content: "Step ID: 1" },
      {
        role: "assistant" as const,
        content: "",
        tool_calls: [
          { id: "call-1", name: "search", arguments: { query: "Lyon" } },
          { id: "call-2", name: "lookup", arguments: '{"city": "Lyon"}' as unknown as Record<string, unknown> },
        ],
      },
      { role: "tool" as const, content: '{"result": "sunny"}', tool_call_id: "call-1" },
    ];

    const reply = await adapter().invoke({
      prompt: "SYSTEM: …\n\nHUMAN: Step ID: 1",
      metadata: stepMetadata({ messages: conversation }),
      signal: signal(),
    });

    const [request] = server.requests;
    expect(request?.messages).toEqual([
      { role: "system", content: "You are a careful research agent.\n\nYou are the Student Executor." },
      { role: "user", content: "Step ID: 1" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "call-1", type: "function", function: { name: "search", arguments: '{"query":"Lyon"}' } },
          { id: "call-2", type: "function", function: { name: "lookup", arguments: '{"city":"Lyon"}' } },
        ],
      },
      { role: "tool", content: '{"result": "sunny"}', tool_call_id: "call-1" },
    ]);
    expect(request?.tools).toHaveLength(1);
    expect(reply).toEqual({ text: "", toolCalls: [{ id: "call-9", name: "search", arguments: { query: "Lyon forecast" } }] });
  });

  it("builds the upstream message list from metadata.messages outside step execution (as upstream's openai adapter test)", async () => {
    const metadata = {
      messages: [
        { type: "system", content: "Meta system" },
        { type: "human", content: "Hello" },
        { type: "ai", content: { note: "structured" }, tool_calls: '[{"name": "search", "args": {"query": "x"}}]' },
        { type: "tool", content: { result: "ok" }, tool_call_id: "call-1" },
        { type: "function", content: "dropped" },
      ],
    } as unknown as AgentCallMetadata;
    await adapter().invoke({ prompt: "Prompt", metadata, signal: signal() });
    expect(server.requests[0]?.messages).toEqual([
      { role: "system", content: "You are a careful research agent." },
      { role: "system", content: "Meta system" },
      { role: "user", content: "Hello" },
      {
        role: "assistant",
        content: '{"note":"structured"}',
        tool_calls: [{ id: "search-0", type: "function", function: { name: "search", arguments: '{"query":"x"}' } }],
      },
      { role: "tool", content: '{"result":"ok"}', tool_call_id: "call-1" },
      { role: "user", content: "Prompt" },
    ]);
  });

  it("passes response_format through", async () => {
    const format = { type: "json_schema", json_schema: { name: "out", schema: { type: "object" } } };
    await adapter(agentConfig({ response_format: format })).invoke({ prompt: "x", metadata: { mode: "planning" }, signal: signal() });
    expect(server.requests[0]?.response_format).toEqual(format);
  });

  it("names the missing key variable and agent.llm", async () => {
    const config = agentConfig({ llm: { model: "gpt-4o-mini", api_key_env: "ATLAS_UNSET_AGENT_KEY", api_base: server.url } });
    const failure = adapter(config).invoke({ prompt: "x", metadata: { mode: "planning" }, signal: signal() });
    await expect(failure).rejects.toBeInstanceOf(AtlasError);
    await expect(failure).rejects.toMatchObject({
      code: "missing_secret",
      message: "environment variable ATLAS_UNSET_AGENT_KEY is not set (needed by agent.llm)",
    });
    expect(server.requests).toHaveLength(0);
  });
});
