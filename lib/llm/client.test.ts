import { describe, expect, it } from "vitest";
import { type LLMParameters, LLMParametersSchema } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { BUILTIN_DEMO_API_BASE, createLlmClient } from "./client";
import { parseJsonObject } from "./json";
import { DEFAULT_PRICES } from "./pricing";
import { scriptedLlmPerFile } from "./scripted/testing";
import type { LlmCallRecord, LlmRequest } from "./types";

const KEY_VAR = "ATLAS_TEST_LLM_KEY";
const env = { [KEY_VAR]: "sk-test-123" };

const server = scriptedLlmPerFile();

function llm(overrides: Record<string, unknown> = {}): LLMParameters {
  return LLMParametersSchema.parse({
    model: "gpt-4o-mini",
    api_key_env: KEY_VAR,
    api_base: server.url,
    timeout_seconds: 5,
    retry: { attempts: 1, backoff_seconds: 0 },
    ...overrides,
  });
}

function plannerRequest(extra: Partial<LlmRequest> = {}): LlmRequest {
  return {
    actor: "teacher",
    stage: "plan_review",
    messages: [
      { role: "system", content: "You are the Teacher Plan Reviewer. Output JSON only." },
      { role: "user", content: '{"task": "plan a picnic"}\nReturn json.' },
    ],
    json: true,
    ...extra,
  };
}

function recorded() {
  const records: LlmCallRecord[] = [];
  return { records, recorder: (record: LlmCallRecord) => records.push(record) };
}

async function failureOf(promise: Promise<unknown>): Promise<AtlasError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasError);
    return error as AtlasError;
  }
  throw new Error("expected the call to fail");
}

/** Polls until the condition holds; one that never does fails the test by its timeout. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("createLlmClient against the scripted server", () => {
  it("sends the request in OpenAI format and returns a JSON reply", async () => {
    server.setRules([{ caller: "plan_review", reply: { json: { execution_mode: "stepwise", steps: [] } } }]);
    const { records, recorder } = recorded();
    const client = createLlmClient(llm({ temperature: 0.4, top_p: 0.9, max_output_tokens: 300 }), {
      env,
      recorder,
      label: "teacher.llm",
    });

    const reply = await client.complete(plannerRequest({ stepId: 2, attempt: 1 }));

    expect(parseJsonObject(reply.content)).toEqual({ ok: true, value: { execution_mode: "stepwise", steps: [] } });
    expect(reply.tries).toBe(1);
    const [request] = server.requests;
    expect(request?.callerRole).toBe("plan_review");
    expect(request?.model).toBe("gpt-4o-mini");
    expect(request?.temperature).toBe(0.4);
    expect(request?.body.top_p).toBe(0.9);
    expect(request?.body.max_tokens).toBe(300);
    expect(request?.response_format).toEqual({ type: "json_object" });
    expect(request?.headers.authorization).toBe("Bearer sk-test-123");
    expect(request?.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor: "teacher", stage: "plan_review", stepId: 2, attempt: 1, tries: 1, error: null });
  });

  it("lets the request temperature and max tokens override the configured ones and resolves ${VAR} headers", async () => {
    server.setRules([{ reply: { content: "ok" } }]);
    const client = createLlmClient(
      llm({ temperature: 0.9, additional_headers: { "X-Team": "atlas", "X-Token": "Bearer ${ATLAS_TEST_HEADER}" } }),
      { env: { ...env, ATLAS_TEST_HEADER: "h-1" } },
    );
    await client.complete(plannerRequest({ temperature: 0.2, maxTokens: 42, json: false }));
    const [request] = server.requests;
    expect(request?.temperature).toBe(0.2);
    expect(request?.body.max_tokens).toBe(42);
    expect(request?.response_format).toBeNull();
    expect(request?.headers["x-team"]).toBe("atlas");
    expect(request?.headers["x-token"]).toBe("Bearer h-1");
  });

  it("passes a response_format through verbatim", async () => {
    server.setRules([{ reply: { content: "{}" } }]);
    const schema = { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } };
    await createLlmClient(llm(), { env }).complete(plannerRequest({ responseFormat: schema }));
    expect(server.requests[0]?.response_format).toEqual(schema);
  });

  it("sends reasoning models reasoning_effort and max_completion_tokens, without temperature or top_p", async () => {
    server.setRules([{ reply: { content: "done", reasoning: "thought it through", usage: { prompt_tokens: 10, completion_tokens: 30, reasoning_tokens: 20 } } }]);
    const client = createLlmClient(llm({ model: "o4-mini", reasoning_effort: "high", top_p: 0.5, max_output_tokens: 100 }), { env });
    const reply = await client.complete(plannerRequest({ temperature: 0.2 }));
    const body = server.requests[0]?.body ?? {};
    expect(body.reasoning_effort).toBe("high");
    expect(body.max_completion_tokens).toBe(100);
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    expect(body).not.toHaveProperty("max_tokens");
    expect(reply.reasoning).toEqual({ reasoning_content: "thought it through", token_counts: { reasoning_tokens: 20 } });
    expect(reply.usage).toEqual({ promptTokens: 10, completionTokens: 30, reasoningTokens: 20 });
  });

  it("extracts JSON from a fenced reply", async () => {
    server.setRules([{ reply: { content: 'Here you go:\n```json\n{"valid": true, "guidance": null}\n```' } }]);
    const reply = await createLlmClient(llm(), { env }).complete(plannerRequest());
    expect(parseJsonObject(reply.content)).toEqual({ ok: true, value: { valid: true, guidance: null } });
  });

  it("waits as long as Retry-After asks after a 429, then succeeds", async () => {
    server.setRules([{ times: 1, reply: { status: 429, retryAfter: 1 } }, { reply: { content: "after the wait" } }]);
    const { records, recorder } = recorded();
    const reply = await createLlmClient(llm(), { env, recorder }).complete(plannerRequest());

    expect(reply.content).toBe("after the wait");
    expect(reply.tries).toBe(2);
    const [first, second] = server.requests;
    expect(first?.status).toBe(429);
    // backoff_seconds is 0, so only Retry-After explains a gap this long (small allowance for timer rounding).
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(records).toHaveLength(1);
    expect(records[0]?.tries).toBe(2);
  });

  it("retries server errors and succeeds on the third try", async () => {
    server.setRules([{ times: 2, reply: { status: 503 } }, { reply: { content: "recovered" } }]);
    const reply = await createLlmClient(llm(), { env }).complete(plannerRequest());
    expect(reply.content).toBe("recovered");
    expect(reply.tries).toBe(3);
    expect(server.requests.map((request) => request.status)).toEqual([503, 503, 200]);
  });

  it("gives up after a storm of 500s with an llm_error naming the label, the model and the tries", async () => {
    server.setRules([{ reply: { status: 500, message: "upstream exploded" } }]);
    const { records, recorder } = recorded();
    const error = await failureOf(
      createLlmClient(llm(), { env, recorder, label: "teacher.llm" }).complete(plannerRequest()),
    );
    expect(error.code).toBe("llm_error");
    expect(error.message).toBe("teacher.llm call to gpt-4o-mini failed after 3 tries: HTTP 500: upstream exploded");
    expect(server.requests).toHaveLength(3);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tries: 3, error: "HTTP 500: upstream exploded", promptTokens: 0, costUsd: 0 });
  });

  it("uses retry.attempts when it allows more than three tries", async () => {
    server.setRules([{ reply: { status: 502 } }]);
    const error = await failureOf(
      createLlmClient(llm({ retry: { attempts: 5, backoff_seconds: 0 } }), { env }).complete(plannerRequest()),
    );
    expect(error.message).toContain("failed after 5 tries");
    expect(server.requests).toHaveLength(5);
  });

  it("does not retry a non-retryable 4xx", async () => {
    server.setRules([{ reply: { status: 401, message: "bad key" } }]);
    const error = await failureOf(createLlmClient(llm(), { env, label: "rim.small_model" }).complete(plannerRequest()));
    expect(error.message).toBe("rim.small_model call to gpt-4o-mini failed after 1 try: HTTP 401: bad key");
    expect(server.requests).toHaveLength(1);
  });

  it("times out a hanging server on every try, then fails", async () => {
    server.setRules([{ reply: { hang: true } }]);
    const error = await failureOf(
      createLlmClient(llm({ timeout_seconds: 0.2 }), { env, label: "teacher.llm" }).complete(plannerRequest()),
    );
    expect(error.code).toBe("llm_error");
    expect(error.message).toBe("teacher.llm call to gpt-4o-mini failed after 3 tries: no reply within 0.2s");
    expect(server.requests).toHaveLength(3);
  });

  it("retries a malformed JSON body and then fails with a clear message", async () => {
    server.setRules([{ reply: { malformed: true } }]);
    const error = await failureOf(createLlmClient(llm(), { env }).complete(plannerRequest()));
    expect(error.code).toBe("llm_error");
    expect(error.message).toMatch(/failed after 3 tries: malformed response body \(not JSON\)/);
    expect(server.requests).toHaveLength(3);
  });

  it("returns an empty string for null content", async () => {
    server.setRules([{ reply: { empty: true } }]);
    const reply = await createLlmClient(llm(), { env }).complete(plannerRequest());
    expect(reply.content).toBe("");
    expect(reply.toolCalls).toEqual([]);
  });

  it("names the missing key variable and the label, without sending anything", async () => {
    server.setRules([{ reply: { content: "never" } }]);
    const client = createLlmClient(llm({ api_key_env: "OPENAI_API_KEY" }), { env: {}, label: "teacher.llm" });
    const error = await failureOf(client.complete(plannerRequest()));
    expect(error.code).toBe("missing_secret");
    expect(error.message).toBe("environment variable OPENAI_API_KEY is not set (needed by teacher.llm)");
    expect(server.requests).toHaveLength(0);
  });

  it("needs no key when api_key_env is null", async () => {
    server.setRules([{ reply: { content: "local model" } }]);
    const params = llm({ api_key_env: null });
    const reply = await createLlmClient(params, { env: {} }).complete(plannerRequest());
    expect(reply.content).toBe("local model");
    expect(server.requests[0]?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it("rejects promptly with cancelled when aborted mid-call and sends no further request", async () => {
    server.setRules([{ reply: { hang: true } }]);
    const { records, recorder } = recorded();
    const controller = new AbortController();
    const pending = createLlmClient(llm({ timeout_seconds: 0 }), { env, recorder, label: "teacher.llm" }).complete(
      plannerRequest({ signal: controller.signal }),
    );
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error = await failureOf(pending);
    expect(error.code).toBe("cancelled");
    expect(error.message).toContain("teacher.llm");
    // A retry would have been sent at once, so before a call this test starts only now.
    server.setRules([{ reply: { json: { after: "the cancel" } } }]);
    const after = plannerRequest({ messages: [{ role: "user", content: "after the cancel. Return json." }] });
    await createLlmClient(llm(), { env }).complete(after);
    expect(server.requests.map((request) => request.messages.at(-1)?.content)).toEqual([
      '{"task": "plan a picnic"}\nReturn json.',
      "after the cancel. Return json.",
    ]);
    expect(records).toEqual([expect.objectContaining({ tries: 1, error: "cancelled" })]);
  });

  it("does not start a call when the signal is already aborted", async () => {
    server.setRules([{ reply: { content: "never" } }]);
    const controller = new AbortController();
    controller.abort();
    const error = await failureOf(createLlmClient(llm(), { env }).complete(plannerRequest({ signal: controller.signal })));
    expect(error.code).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
  });

  it("round-trips tools: function-calling format out, tool calls mapped back", async () => {
    server.setRules([
      {
        reply: {
          toolCalls: [
            { name: "search", arguments: { query: "weather in Lyon" } },
            { name: "shell", arguments: "not json at all" },
          ],
        },
      },
    ]);
    const client = createLlmClient(llm(), { env });
    const reply = await client.complete({
      actor: "agent",
      stage: "execution",
      messages: [
        { role: "system", content: "You are a helpful agent." },
        { role: "user", content: "Find the weather." },
        { role: "assistant", content: "", toolCalls: [{ id: "call-1", name: "search", arguments: { query: "Lyon" } }] },
        { role: "tool", content: '{"result": "sunny"}', toolCallId: "call-1" },
      ],
      tools: [
        {
          name: "search",
          description: "Search the web",
          parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
        },
      ],
      toolChoice: "auto",
    });

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
    expect(request?.tool_choice).toBe("auto");
    expect(request?.messages[2]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ id: "call-1", type: "function", function: { name: "search", arguments: '{"query":"Lyon"}' } }],
    });
    expect(request?.messages[3]).toEqual({ role: "tool", content: '{"result": "sunny"}', tool_call_id: "call-1" });
    expect(reply.content).toBe("");
    expect(reply.toolCalls).toEqual([
      { id: expect.any(String), name: "search", arguments: { query: "weather in Lyon" } },
      { id: expect.any(String), name: "shell", arguments: { raw: "not json at all" } },
    ]);
  });

  it("records usage and cost exactly once per call", async () => {
    server.setRules([{ reply: { content: "priced", usage: { prompt_tokens: 1000, completion_tokens: 500 } } }]);
    const { records, recorder } = recorded();
    const reply = await createLlmClient(llm(), { env, recorder }).complete(plannerRequest());
    const price = DEFAULT_PRICES["gpt-4o-mini"];
    const expected = (1000 * (price?.input ?? NaN) + 500 * (price?.output ?? NaN)) / 1_000_000;
    expect(reply.costUsd).toBeCloseTo(expected, 12);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      model: "gpt-4o-mini",
      promptTokens: 1000,
      completionTokens: 500,
      reasoningTokens: 0,
      tries: 1,
      error: null,
    });
    expect(records[0]?.costUsd).toBeCloseTo(expected, 12);
    expect(records[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("reports an unscripted request with the caller role and the start of the last message", async () => {
    const error = await failureOf(createLlmClient(llm(), { env }).complete(plannerRequest()));
    expect(error.message).toContain('no scripted reply for caller "plan_review"');
    expect(error.message).toContain("plan a picnic");
  });
});

describe("api_base: builtin:demo", () => {
  it("answers from the built-in scripted demo model over HTTP without a key", async () => {
    const params = LLMParametersSchema.parse({ model: "demo", api_key_env: "ATLAS_UNSET_KEY", api_base: BUILTIN_DEMO_API_BASE });
    const reply = await createLlmClient(params, { env: {} }).complete({
      actor: "agent",
      stage: "planning",
      messages: [{ role: "user", content: "You are the Student Planner.\n\nTask: compare two bikes\n\nJSON only." }],
    });
    const plan = parseJsonObject(reply.content);
    expect(plan.ok).toBe(true);
    const steps = plan.ok ? (plan.value.steps as { description: string; depends_on: number[] }[]) : [];
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps[0]?.description).toContain("compare two bikes");
    expect(steps.some((step) => step.depends_on.length > 0)).toBe(true);
  });
});
