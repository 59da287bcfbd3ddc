/**
 * The conversation of one step attempt: the executor's user message, the transcript
 * sent to the agent, the agent's tool-call replies, the trace, and the structured output read from
 * the final answer.
 */
import type { ToolCall } from "@/lib/llm/types";
import type { StepMetadata } from "@/lib/adapters/types";
import { parseFencedJson, parseJsonText, stripCodeFence } from "./json-text";
import { isJsonObject, type JsonObject, type PlanStep } from "@/lib/trajectory";

export type StepMessage = StepMetadata["messages"][number];

/** The executor's user message, one field per line. */
export function buildStepUserMessage(input: {
  step: PlanStep;
  task: string;
  context: Record<string, unknown>;
  guidance: readonly string[];
}): string {
  const { step, task } = input;
  const lines = [`Step ID: ${step.id}`, `Description: ${step.description}`];
  if (task.trim() !== "") lines.push("Original Task:", task.trim());
  lines.push(
    `Tool: ${step.tool || "none"}`,
    `Tool Parameters: ${JSON.stringify(step.tool_params ?? {})}`,
    `Dependencies: ${pythonList(step.depends_on)}`,
    `Validated Prior Results (artifacts when available): ${JSON.stringify(input.context, null, 2)}`,
    `Guidance History: ${JSON.stringify(input.guidance, null, 2)}`,
  );
  return lines.join("\n");
}

/** `[1, '#2']`: how upstream prints the dependency list. */
function pythonList(values: readonly (number | string)[]): string {
  return `[${values.map((value) => (typeof value === "number" ? String(value) : `'${value}'`)).join(", ")}]`;
}

const TRANSCRIPT_LABELS: Record<StepMessage["role"], string> = {
  system: "SYSTEM",
  user: "HUMAN",
  assistant: "AI",
  tool: "TOOL",
};

/** The prompt an agent receives for a step turn: `SYSTEM: …`, `HUMAN: …`, `AI: …`, `TOOL: …` blocks. */
export function renderTranscript(messages: readonly StepMessage[]): string {
  return messages.map((message) => `${TRANSCRIPT_LABELS[message.role]}: ${message.content}`).join("\n\n");
}

/** The attempt's trace: every non-system message; tool requests shown as `AI: tool_calls=[…]`. */
export function buildTrace(messages: readonly StepMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role === "system") continue;
    const label = TRANSCRIPT_LABELS[message.role];
    if (message.role === "assistant" && message.tool_calls && message.tool_calls.length > 0) {
      if (message.content.trim() !== "") lines.push(`${label}: ${message.content}`);
      const calls = message.tool_calls.map((call) => ({ name: call.name, args: call.arguments, id: call.id }));
      lines.push(`${label}: tool_calls=${JSON.stringify(calls)}`);
    } else {
      lines.push(`${label}: ${message.content}`);
    }
  }
  return lines.join("\n");
}

export interface AgentTurn {
  /** The text to keep as the assistant's message. */
  content: string;
  toolCalls: ToolCall[];
}

/**
 * Reads one agent reply during a step: `{"content": …, "tool_calls": […]}` requests tools;
 * native tool calls (openai adapter) do the same. A JSON object without `content` keeps
 * the raw text instead of becoming "".
 */
export function readAgentTurn(text: string, nativeToolCalls: readonly ToolCall[] | undefined): AgentTurn {
  if (nativeToolCalls && nativeToolCalls.length > 0) return { content: text, toolCalls: [...nativeToolCalls] };
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return { content: text, toolCalls: [] };
  const parsed = parseJsonText(trimmed);
  if (!parsed.ok || !isJsonObject(parsed.value)) return { content: text, toolCalls: [] };
  const payload = parsed.value;
  const toolCalls = normalizeToolCalls(payload.tool_calls);
  if (!("content" in payload)) return { content: text, toolCalls };
  return { content: contentText(payload.content), toolCalls };
}

function contentText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Accepts a list, a single object or a JSON string of either; entries need a `name`. */
export function normalizeToolCalls(value: unknown): ToolCall[] {
  let raw: unknown = value;
  if (typeof raw === "string") {
    const parsed = parseJsonText(raw);
    raw = parsed.ok ? parsed.value : [];
  }
  const list = Array.isArray(raw) ? raw : isJsonObject(raw) ? [raw] : [];
  const calls: ToolCall[] = [];
  list.forEach((entry, index) => {
    if (!isJsonObject(entry) || typeof entry.name !== "string" || entry.name === "") return;
    const id = typeof entry.id === "string" && entry.id !== "" ? entry.id : `${entry.name}-${index}`;
    calls.push({ id, name: entry.name, arguments: normalizeToolArguments(entry.arguments ?? entry.args) });
  });
  return calls;
}

/** Objects as they are; JSON strings parsed; anything else kept under `raw`. */
export function normalizeToolArguments(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isJsonObject(value)) return value;
  if (typeof value === "string") {
    const parsed = parseJsonText(value);
    if (parsed.ok && isJsonObject(parsed.value)) return parsed.value;
    return { raw: value };
  }
  return { raw: value };
}

export interface StructuredOutput extends JsonObject {
  status: string;
  deliverable: unknown;
  artifacts: JsonObject;
  result: unknown;
  text: string;
  reason?: string;
}

/**
 * The structured reading of the final answer: a JSON object may report `status`,
 * `result.deliverable`, `result.artifacts` and `reason`; any other text is the deliverable itself.
 */
export function parseStructuredOutput(text: string): StructuredOutput {
  const cleaned = stripCodeFence(text);
  const parsed = cleaned.startsWith("{") ? parseFencedJson(cleaned) : undefined;
  if (!isJsonObject(parsed)) {
    return { status: "ok", deliverable: text, artifacts: {}, result: { deliverable: text, artifacts: {} }, text };
  }
  const status = typeof parsed.status === "string" && parsed.status.trim() !== "" ? parsed.status.trim().toLowerCase() : "ok";
  // Without `result.deliverable` the whole answer is the deliverable, as for plain text.
  let deliverable: unknown = text;
  let artifacts: JsonObject = {};
  if (isJsonObject(parsed.result)) {
    if ("deliverable" in parsed.result) deliverable = parsed.result.deliverable;
    if (isJsonObject(parsed.result.artifacts)) artifacts = parsed.result.artifacts;
  }
  const result = isJsonObject(parsed.result) ? parsed.result : { deliverable, artifacts };
  const output: StructuredOutput = { status, deliverable, artifacts, result, text };
  if (typeof parsed.reason === "string") output.reason = parsed.reason;
  return output;
}
