import { describe, expect, it } from "vitest";
import {
  buildStepUserMessage,
  buildTrace,
  normalizeToolCalls,
  parseStructuredOutput,
  readAgentTurn,
  renderTranscript,
  type StepMessage,
} from "./step-messages";

describe("the executor's user message", () => {
  it("lists the step fields in upstream's order and format", () => {
    const message = buildStepUserMessage({
      step: { id: 3, description: "Merge", tool: "sql", tool_params: { table: "a" }, depends_on: [1, "#2"] },
      task: " Report revenue ",
      context: { "1": { status: "ok" } },
      guidance: ["cite the table"],
    });
    expect(message).toBe(
      [
        "Step ID: 3",
        "Description: Merge",
        "Original Task:",
        "Report revenue",
        "Tool: sql",
        'Tool Parameters: {"table":"a"}',
        "Dependencies: [1, '#2']",
        'Validated Prior Results (artifacts when available): {\n  "1": {\n    "status": "ok"\n  }\n}',
        'Guidance History: [\n  "cite the table"\n]',
      ].join("\n"),
    );
  });

  it("writes none / {} / [] for a bare step", () => {
    const message = buildStepUserMessage({
      step: { id: 1, description: "x", tool: null, tool_params: null, depends_on: [] },
      task: "t",
      context: {},
      guidance: [],
    });
    expect(message).toContain("Tool: none\nTool Parameters: {}\nDependencies: []");
    expect(message).toContain("Validated Prior Results (artifacts when available): {}\nGuidance History: []");
  });
});

describe("transcript and trace", () => {
  const messages: StepMessage[] = [
    { role: "system", content: "EXEC" },
    { role: "user", content: "Step ID: 1" },
    { role: "assistant", content: "", tool_calls: [{ id: "c1", name: "search", arguments: { q: "x" } }] },
    { role: "tool", content: "found", tool_call_id: "c1" },
    { role: "assistant", content: "done" },
  ];

  it("renders SYSTEM/HUMAN/AI/TOOL blocks with the executor prompt once", () => {
    const transcript = renderTranscript(messages);
    expect(transcript).toBe("SYSTEM: EXEC\n\nHUMAN: Step ID: 1\n\nAI: \n\nTOOL: found\n\nAI: done");
    expect(transcript.split("EXEC").length - 1).toBe(1);
  });

  it("builds the trace without the system message and with tool calls spelled out", () => {
    expect(buildTrace(messages)).toBe(
      'HUMAN: Step ID: 1\nAI: tool_calls=[{"name":"search","args":{"q":"x"},"id":"c1"}]\nTOOL: found\nAI: done',
    );
  });
});

describe("agent replies during a step", () => {
  it("reads tool requests from the JSON convention", () => {
    const turn = readAgentTurn(
      JSON.stringify({
        content: "looking",
        tool_calls: [
          { name: "search", arguments: '{"q": "atlas"}' },
          { name: "fetch", args: { url: "u" }, id: "f-1" },
          { name: "raw", arguments: "not json" },
          { arguments: {} },
        ],
      }),
      undefined,
    );
    expect(turn).toEqual({
      content: "looking",
      toolCalls: [
        { id: "search-0", name: "search", arguments: { q: "atlas" } },
        { id: "f-1", name: "fetch", arguments: { url: "u" } },
        { id: "raw-2", name: "raw", arguments: { raw: "not json" } },
      ],
    });
  });

  it("keeps the raw text of a JSON object without content (upstream dropped it)", () => {
    const text = '{"status": "ok", "result": {"deliverable": 4}}';
    expect(readAgentTurn(text, undefined)).toEqual({ content: text, toolCalls: [] });
  });

  it("keeps only content when present, and plain or non-object text as is", () => {
    expect(readAgentTurn('{"content": "hello"}', undefined)).toEqual({ content: "hello", toolCalls: [] });
    expect(readAgentTurn('{"content": null}', undefined)).toEqual({ content: "", toolCalls: [] });
    expect(readAgentTurn("[1, 2]", undefined)).toEqual({ content: "[1, 2]", toolCalls: [] });
    expect(readAgentTurn("plain answer", undefined)).toEqual({ content: "plain answer", toolCalls: [] });
  });

  it("prefers native tool calls", () => {
    const calls = [{ id: "n1", name: "calc", arguments: { x: 1 } }];
    expect(readAgentTurn("thinking", calls)).toEqual({ content: "thinking", toolCalls: calls });
  });

  it("accepts tool_calls as a JSON string or a single object", () => {
    expect(normalizeToolCalls('[{"name":"a"}]')).toEqual([{ id: "a-0", name: "a", arguments: {} }]);
    expect(normalizeToolCalls({ name: "b", arguments: { k: 1 } })).toEqual([{ id: "b-0", name: "b", arguments: { k: 1 } }]);
    expect(normalizeToolCalls("oops")).toEqual([]);
  });
});

describe("structured output", () => {
  it("reads status, deliverable, artifacts and reason from a JSON answer", () => {
    const text = '```json\n{"status": " Needs_Input ", "result": {"deliverable": {"dataset": "A"}, "artifacts": {"rows": [1]}}, "reason": "missing refs"}\n```';
    expect(parseStructuredOutput(text)).toEqual({
      status: "needs_input",
      deliverable: { dataset: "A" },
      artifacts: { rows: [1] },
      result: { deliverable: { dataset: "A" }, artifacts: { rows: [1] } },
      text,
      reason: "missing refs",
    });
  });

  it("defaults status to ok and uses the whole text as the deliverable for prose", () => {
    expect(parseStructuredOutput("The answer is 4.")).toEqual({
      status: "ok",
      deliverable: "The answer is 4.",
      artifacts: {},
      result: { deliverable: "The answer is 4.", artifacts: {} },
      text: "The answer is 4.",
    });
  });

  it("ignores non-object artifacts and keeps a result without deliverable", () => {
    const text = '{"result": {"artifacts": [1, 2], "note": "n"}}';
    expect(parseStructuredOutput(text)).toMatchObject({
      status: "ok",
      deliverable: text,
      artifacts: {},
      result: { artifacts: [1, 2], note: "n" },
    });
  });
});
