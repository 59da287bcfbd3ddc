/**
 * Translation between our ChatMessage / ToolSpec / ToolCall shapes and OpenAI's chat-completions wire format.
 */
import type OpenAI from "openai";
import type { ChatMessage, LlmUsage, ToolCall, ToolSpec } from "./types";

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type WireTool = OpenAI.Chat.Completions.ChatCompletionTool;

export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map(toWireMessage);
}

function toWireMessage(message: ChatMessage): WireMessage {
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return { role: "user", content: message.content };
    case "tool":
      return { role: "tool", content: message.content, tool_call_id: message.toolCallId ?? "" };
    case "assistant": {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: "assistant", content: message.content };
      return {
        role: "assistant",
        // OpenAI expects null rather than "" next to tool calls.
        content: message.content === "" ? null : message.content,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: "function" as const,
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      };
    }
  }
}

export function toWireTools(tools: readonly ToolSpec[]): WireTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

/** Function tool calls of a reply; arguments that are not a JSON object are kept as `{raw: <text>}`. */
export function fromWireToolCalls(toolCalls: readonly unknown[] | null | undefined): ToolCall[] {
  const calls: ToolCall[] = [];
  (toolCalls ?? []).forEach((candidate, index) => {
    const call = candidate as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (call?.type !== undefined && call.type !== "function") return;
    const name = call?.function?.name;
    if (typeof name !== "string" || name === "") return;
    calls.push({
      id: typeof call.id === "string" && call.id !== "" ? call.id : `${name}-${index}`,
      name,
      arguments: parseToolArguments(call.function?.arguments),
    });
  });
  return calls;
}

export function parseToolArguments(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== "string" || value.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: keep the text the model produced
  }
  return { raw: value };
}

const REASONING_FIELDS = ["reasoning_content", "reasoning", "thinking", "thinking_blocks"] as const;

/**
 * Provider reasoning found on the reply message (fields differ between providers and proxies), plus the
 * reasoning token count when the usage reports one. Null when there is neither.
 */
export function extractReasoning(message: unknown, usage: unknown): Record<string, unknown> | null {
  const reasoning: Record<string, unknown> = {};
  const fields = (message ?? {}) as Record<string, unknown>;
  for (const field of REASONING_FIELDS) {
    const value = fields[field];
    if (value !== undefined && value !== null && value !== "") reasoning[field] = value;
  }
  const reasoningTokens = reasoningTokensOf(usage);
  if (reasoningTokens > 0) reasoning.token_counts = { reasoning_tokens: reasoningTokens };
  return Object.keys(reasoning).length > 0 ? reasoning : null;
}

export function usageOf(usage: unknown): LlmUsage {
  const counts = (usage ?? {}) as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return {
    promptTokens: countOf(counts.prompt_tokens),
    completionTokens: countOf(counts.completion_tokens),
    reasoningTokens: reasoningTokensOf(usage),
  };
}

/**
 * Prompt tokens served from the provider's cache: `prompt_tokens_details.cached_tokens` (OpenAI, xAI,
 * Gemini, Anthropic's compatible endpoint) or DeepSeek's `prompt_cache_hit_tokens`.
 */
export function cachedPromptTokensOf(usage: unknown): number {
  const counts = (usage ?? {}) as { prompt_tokens_details?: { cached_tokens?: unknown } | null; prompt_cache_hit_tokens?: unknown };
  return countOf(counts.prompt_tokens_details?.cached_tokens) || countOf(counts.prompt_cache_hit_tokens);
}

function reasoningTokensOf(usage: unknown): number {
  const details = (usage as { completion_tokens_details?: { reasoning_tokens?: unknown } } | null | undefined)
    ?.completion_tokens_details;
  return countOf(details?.reasoning_tokens);
}

function countOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
