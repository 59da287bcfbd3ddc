/**
 * The chat-completions body for one call, shaped for the provider that receives it: reasoning settings,
 * token limits and JSON mode differ between endpoints (lib/llm/providers.ts says what each accepts).
 */
import type OpenAI from "openai";
import type { LLMParameters } from "@/lib/config/llm-schema";
import { isReasoningModel } from "./models";
import type { LlmRoute } from "./route";
import type { ChatMessage, LlmRequest } from "./types";
import { toWireMessages, toWireTools } from "./wire";

export type WireParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

/** Added to the system prompt when the endpoint has no JSON mode; the reply is then read leniently. */
export const JSON_INSTRUCTION = "Respond with a single JSON object and nothing else (no prose, no code fences).";

/**
 * The tokens a call may generate: the smaller of the call's own limit (a stage limit such as
 * `teacher.validation_max_tokens`) and `llm.max_output_tokens`; null when neither is set.
 */
export function effectiveMaxTokens(callLimit: number | undefined, configLimit: number | null | undefined): number | null {
  const limits = [callLimit, configLimit ?? undefined].filter((limit): limit is number => typeof limit === "number");
  return limits.length === 0 ? null : Math.min(...limits);
}

export function buildRequestBody(params: LLMParameters, route: LlmRoute, request: LlmRequest): WireParams {
  const { info } = route;
  const jsonWanted = Boolean(request.responseFormat) || Boolean(request.json);
  const sendsResponseFormat = jsonWanted && info.jsonMode;
  const messages = jsonWanted && !info.jsonMode ? withJsonInstruction(request.messages, request.responseFormat) : request.messages;
  const body: WireParams = { model: route.model, messages: toWireMessages(messages) };
  const maxTokens = effectiveMaxTokens(request.maxTokens, params.max_output_tokens) ?? info.defaultMaxTokens ?? null;
  const effort = params.reasoning_effort ?? null;

  if (info.reasoning === "openai" && isReasoningModel(route.model)) {
    if (effort) body.reasoning_effort = effort;
    if (maxTokens !== null) body.max_completion_tokens = maxTokens;
  } else {
    body.temperature = request.temperature ?? params.temperature;
    if (params.top_p !== null && params.top_p !== undefined) body.top_p = params.top_p;
    if (maxTokens !== null) body.max_tokens = maxTokens;
    if (effort && info.reasoning === "effort" && info.effortModels?.test(route.model)) body.reasoning_effort = effort;
    if (effort && info.reasoning === "openrouter") Object.assign(body, { reasoning: { effort } });
  }

  if (sendsResponseFormat) {
    body.response_format = (request.responseFormat ?? { type: "json_object" }) as unknown as WireParams["response_format"];
  }
  if (request.tools && request.tools.length > 0) {
    body.tools = toWireTools(request.tools);
    if (request.toolChoice) body.tool_choice = request.toolChoice;
  }
  return body;
}

function withJsonInstruction(messages: readonly ChatMessage[], responseFormat: Record<string, unknown> | null | undefined): ChatMessage[] {
  const schema = (responseFormat?.json_schema as { schema?: unknown } | undefined)?.schema;
  const instruction = schema === undefined ? JSON_INSTRUCTION : `${JSON_INSTRUCTION} It must match this JSON Schema: ${JSON.stringify(schema)}`;
  const first = messages[0];
  if (first?.role === "system") return [{ ...first, content: `${first.content}\n\n${instruction}` }, ...messages.slice(1)];
  return [{ role: "system", content: instruction }, ...messages];
}
