import { describe, expect, it } from "vitest";
import type { EventInput, PlanStep } from "@/lib/trajectory";
import { buildStudentPrompts } from "./prompts";
import { Student } from "./student";
import { functionAgent, isStepCall, type AgentHandler } from "./testing/agents";
import { testConfig } from "./testing/config";

const prompts = buildStudentPrompts(testConfig({ llmUrl: "http://unused", systemPrompt: "Base." }));
const signal = new AbortController().signal;
const step: PlanStep = { id: 2, description: "Compute totals", tool: "calc", tool_params: { x: 1 }, depends_on: [1] };

function student(handler: AgentHandler, toolRecursionLimit = 8) {
  const agent = functionAgent(handler);
  const events: EventInput[] = [];
  const subject = new Student({
    adapter: agent,
    prompts,
    tools: [{ name: "calc", description: "Adds numbers", parameters: { type: "object", properties: {} } }],
    toolRecursionLimit,
    emit: async (event) => void events.push(event),
  });
  return { agent, events, subject };
}

describe("Student planning", () => {
  it("sends the planner prompt with the task and metadata {mode: planning}, and parses fenced JSON", async () => {
    const { agent, subject } = student(() => '```json\n{"steps": [{"id": "step_1", "description": "Load"}, {"id": 2, "description": "Sum", "depends_on": ["step_1"]}]}\n```');
    const drafted = await subject.createPlan("  Total the sales  ", signal);
    expect(agent.calls[0]?.metadata).toEqual({ mode: "planning" });
    expect(agent.calls[0]?.prompt.startsWith("Base.\n\nYou are the Student Planner")).toBe(true);
    expect(agent.calls[0]?.prompt).toContain("\n\nTask: Total the sales\n\n");
    expect(drafted).toEqual({
      fallback: false,
      problem: null,
      plan: {
        execution_mode: "stepwise",
        steps: [
          { id: 1, description: "Load", tool: null, tool_params: null, depends_on: [] },
          { id: 2, description: "Sum", tool: null, tool_params: null, depends_on: [1] },
        ],
      },
    });
  });

  it("falls back to the one-step plan when the reply is not JSON or has no usable steps", async () => {
    for (const reply of ["Sure! First I will…", '{"steps": []}', '{"steps": [{"id": 1}]}', "[]"]) {
      const drafted = await student(() => reply).subject.createPlan("Total the sales", signal);
      expect(drafted.fallback).toBe(true);
      expect(drafted.plan.steps).toEqual([{ id: 1, description: "Total the sales", tool: null, tool_params: null, depends_on: [] }]);
      expect(drafted.problem).not.toBeNull();
    }
  });

  it("lets an adapter error fail (it is not an unusable reply)", async () => {
    const { subject } = student(() => {
      throw new Error("connection refused");
    });
    await expect(subject.createPlan("t", signal)).rejects.toThrow("connection refused");
  });
});

describe("Student step execution", () => {
  const input = { task: "Total the sales", step, context: { "1": { status: "ok" } }, guidance: ["use the Q3 file"], attempt: 2, signal };

  it("sends the transcript (executor prompt once) and the structured step metadata", async () => {
    const { agent, subject } = student(() => '{"status": "ok", "result": {"deliverable": 42, "artifacts": {"sum": 42}}}');
    const result = await subject.executeStep(input);
    const call = agent.calls[0];
    expect(call?.prompt.startsWith("SYSTEM: Base.\n\nYou are the Student Executor")).toBe(true);
    expect(call?.prompt.split("You are the Student Executor")).toHaveLength(2);
    expect(call?.prompt).toContain("\n\nHUMAN: Step ID: 2\nDescription: Compute totals\nOriginal Task:\nTotal the sales\nTool: calc");
    expect(call?.prompt).toContain('Guidance History: [\n  "use the Q3 file"\n]');
    const metadata = call?.metadata;
    if (!metadata || !isStepCall(metadata)) throw new Error("expected step metadata");
    expect(metadata).toMatchObject({
      mode: "execution",
      task: "Total the sales",
      step: { id: 2, description: "Compute totals", depends_on: [1], tool: "calc", tool_params: { x: 1 } },
      attempt: 2,
      guidance: ["use the Q3 file"],
      tools: [{ name: "calc" }],
    });
    expect(metadata.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(result).toMatchObject({ status: "ok", deliverable: 42, artifacts: { sum: 42 } });
    expect(result.metadata).toMatchObject({ status: "ok", deliverable: 42, text: result.output, structured_output: { status: "ok" } });
    expect(result.trace).toBe(`HUMAN: ${metadata.messages[1]?.content}\nAI: ${result.output}`);
  });

  it("runs requested tools through the same agent, emits tool events and feeds results back", async () => {
    const { agent, events, subject } = student((call) => {
      if ("tool" in call.metadata) return `result of ${call.metadata.tool.name}(${JSON.stringify(call.metadata.tool.arguments)})`;
      if (!isStepCall(call.metadata)) throw new Error("unexpected call");
      if (call.metadata.messages.some((message) => message.role === "tool")) return "Total is 7";
      return JSON.stringify({ content: "calculating", tool_calls: [{ name: "calc", arguments: { a: 3, b: 4 }, id: "c1" }] });
    });
    const result = await subject.executeStep(input);
    expect(agent.calls.map((call) => call.prompt.slice(0, 8))).toEqual(["SYSTEM: ", '{"tool":', "SYSTEM: "]);
    expect(agent.calls[1]?.prompt).toBe('{"tool":{"name":"calc","arguments":{"a":3,"b":4}}}');
    expect(agent.calls[1]?.metadata).toEqual({ tool: { name: "calc", arguments: { a: 3, b: 4 } } });
    expect(agent.calls[2]?.prompt).toContain('\n\nAI: calculating\n\nTOOL: result of calc({"a":3,"b":4})');
    expect(result.output).toBe("Total is 7");
    expect(result.trace).toContain('AI: tool_calls=[{"name":"calc","args":{"a":3,"b":4},"id":"c1"}]');
    // Every agent call is reported, the tool's between its tool.call and tool.result.
    expect(events.map((event) => (event.type === "agent.call" ? `agent.call ${event.mode}` : event.type))).toEqual([
      "agent.call execution",
      "tool.call",
      "agent.call tool",
      "tool.result",
      "agent.call execution",
    ]);
    expect(events[3]).toMatchObject({ actor: "agent", stepId: 2, attempt: 2, tool: "calc", callId: "c1", error: null });
    expect(events[2]).toMatchObject({ type: "agent.call", actor: "agent", stepId: 2, attempt: 2, error: null });
  });

  it("turns a failing tool into an error tool message and continues", async () => {
    const { events, subject } = student((call) => {
      if ("tool" in call.metadata) throw new Error("calc crashed");
      if (isStepCall(call.metadata) && call.metadata.messages.length > 2) return "Gave up on the tool";
      return JSON.stringify({ content: "", tool_calls: [{ name: "calc", arguments: {} }] });
    });
    const result = await subject.executeStep(input);
    expect(result.output).toBe("Gave up on the tool");
    expect(result.messages[3]).toMatchObject({ role: "tool", content: "Error: tool calc failed: calc crashed", tool_call_id: "calc-0" });
    expect(events.filter((event) => event.type !== "agent.call")[1]).toMatchObject({ type: "tool.result", error: "calc crashed" });
    expect(events.find((event) => event.type === "agent.call" && event.mode === "tool")).toMatchObject({ error: "calc crashed" });
  });

  it("fails the attempt with a clear error when the tool loop exceeds tool_recursion_limit", async () => {
    const { agent, subject } = student((call) => ("tool" in call.metadata ? "r" : JSON.stringify({ tool_calls: [{ name: "calc" }] })), 3);
    await expect(subject.executeStep(input)).rejects.toThrow(
      "step 2 attempt 2: the agent still requested tools after 3 turns (orchestration.tool_recursion_limit = 3)",
    );
    expect(agent.calls.filter((call) => isStepCall(call.metadata))).toHaveLength(3);
  });

  it("accepts native tool calls (openai adapter)", async () => {
    let turn = 0;
    const { subject } = student((call) => {
      if ("tool" in call.metadata) return "4";
      turn += 1;
      return turn === 1 ? { text: "", toolCalls: [{ id: "n1", name: "calc", arguments: { a: 2 } }] } : "done: 4";
    });
    expect((await subject.executeStep(input)).output).toBe("done: 4");
  });
});

describe("Student synthesis", () => {
  it("sends the synthesis prompt with metadata {mode: synthesis}", async () => {
    const { agent, subject } = student(() => "Summary: s\nFinal Answer: 42");
    const answer = await subject.synthesize({ task: "t", executionMode: "stepwise", stepSummaries: [{ step_id: 1 }], signal });
    expect(answer).toBe("Summary: s\nFinal Answer: 42");
    expect(agent.calls[0]?.metadata).toEqual({ mode: "synthesis" });
    expect(agent.calls[0]?.prompt).toContain("You are the Student Synthesizer");
    expect(agent.calls[0]?.prompt).toContain("\n\nExecution Mode: stepwise\n\nCompleted Steps: [");
  });
});
