/**
 * The browser side of the calls API: queries for an attempt's calls and one call's capture, and how a
 * capture reads as text (messages by role, the agent's prompt, the reply) instead of escaped JSON.
 */
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/api-client";
import type { CallDetail, CallList, CallSummary } from "@/lib/sessions/api-types";
import type { CallCapture } from "@/lib/trajectory";

const LIVE_REFRESH_MS = 2000;

export const callKeys = {
  list: (sessionId: number, scope: string) => ["sessions", "detail", sessionId, "calls", scope] as const,
  detail: (sessionId: number, callId: number) => ["sessions", "detail", sessionId, "call", callId] as const,
};

/** An attempt's calls; polled while the attempt runs, fetched once more when it ends. */
export function attemptCallsQuery(sessionId: number, stepId: number, attempt: number, running: boolean) {
  return queryOptions({
    queryKey: [...callKeys.list(sessionId, `${stepId}/${attempt}`), running ? "running" : "ended"] as const,
    queryFn: () => fetchJson<CallList>(`/api/sessions/${sessionId}/calls?step=${stepId}&attempt=${attempt}`),
    staleTime: running ? 0 : Number.POSITIVE_INFINITY,
    refetchInterval: running ? LIVE_REFRESH_MS : false,
  });
}

/** A step's calls (a waterfall row opened); polled while the step runs. */
export function stepCallsQuery(sessionId: number, stepId: number, active: boolean) {
  return queryOptions({
    queryKey: [...callKeys.list(sessionId, `${stepId}`), active ? "running" : "ended"] as const,
    queryFn: () => fetchJson<CallList>(`/api/sessions/${sessionId}/calls?step=${stepId}`),
    staleTime: active ? 0 : Number.POSITIVE_INFINITY,
    refetchInterval: active ? LIVE_REFRESH_MS : false,
  });
}

/** The session's tokens and cost by role and by model. */
export function sessionUsageQuery(sessionId: number, active: boolean) {
  return queryOptions({
    queryKey: [...callKeys.list(sessionId, "usage"), active ? "running" : "ended"] as const,
    queryFn: () => fetchJson<CallList>(`/api/sessions/${sessionId}/calls?fields=usage`),
    staleTime: active ? 0 : Number.POSITIVE_INFINITY,
    refetchInterval: active ? LIVE_REFRESH_MS : false,
  });
}

export function callDetailQuery(sessionId: number, callId: number) {
  return queryOptions({
    queryKey: callKeys.detail(sessionId, callId),
    queryFn: () => fetchJson<CallDetail>(`/api/sessions/${sessionId}/calls/${callId}`),
    // A stored call never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** "Validation (teacher)", "Judge process sample", "Arbiter process", "Agent: execution". */
export function callTitle(call: Pick<CallSummary, "kind" | "stage" | "role">): string {
  if (call.kind === "agent") return `Agent: ${call.stage}`;
  const [head, name] = call.stage.split(":", 2);
  if (head === "judge" && name) return `Judge ${name} sample`;
  if (head === "arbiter" && name) return `Arbiter ${name}`;
  return `${call.stage.replaceAll("_", " ")} (${call.role})`;
}

export interface ReadableMessage {
  role: string;
  text: string;
  /** Tool calls the message requested, as `name(arguments)`. */
  toolCalls: string[];
}

/** The request's messages as role + text; agent calls give their prompt as one user message. */
export function requestMessages(capture: CallCapture): ReadableMessage[] {
  const { request } = capture;
  if (typeof request.prompt === "string") return [{ role: "prompt", text: request.prompt, toolCalls: [] }];
  if (!Array.isArray(request.messages)) return [];
  return request.messages.map((message: unknown) => {
    const fields = (message ?? {}) as { role?: unknown; content?: unknown; tool_calls?: unknown };
    return { role: String(fields.role ?? "?"), text: contentText(fields.content), toolCalls: toolCallTexts(fields.tool_calls) };
  });
}

/** The reply as text, with its tool calls, reasoning and finish reason. */
export function replyParts(capture: CallCapture): { text: string; toolCalls: string[]; reasoning: string | null; finishReason: string | null } | null {
  const { reply } = capture;
  if (!reply) return null;
  const text = typeof reply.content === "string" ? reply.content : typeof reply.text === "string" ? reply.text : "";
  const reasoning = reply.reasoning === null || reply.reasoning === undefined ? null : reasoningText(reply.reasoning);
  return {
    text,
    toolCalls: toolCallTexts(reply.tool_calls),
    reasoning,
    finishReason: typeof reply.finish_reason === "string" ? reply.finish_reason : null,
  };
}

/** Everything in the request besides its messages or prompt: parameters, tools, metadata. */
export function requestSettings(capture: CallCapture): Record<string, unknown> {
  const { messages: _messages, prompt: _prompt, ...rest } = capture.request;
  return rest;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : JSON.stringify(part))).join("\n");
  return content === null || content === undefined ? "" : JSON.stringify(content, null, 2);
}

function toolCallTexts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((call: unknown) => {
    const fields = (call ?? {}) as { name?: unknown; arguments?: unknown; function?: { name?: unknown; arguments?: unknown } };
    const name = fields.name ?? fields.function?.name ?? "?";
    const args = fields.arguments ?? fields.function?.arguments ?? {};
    return `${String(name)}(${typeof args === "string" ? args : JSON.stringify(args)})`;
  });
}

function reasoningText(value: unknown): string {
  if (typeof value === "string") return value;
  const fields = value as Record<string, unknown>;
  const texts = Object.entries(fields)
    .filter(([key]) => key !== "token_counts")
    .map(([, item]) => (typeof item === "string" ? item : JSON.stringify(item, null, 2)));
  return texts.length > 0 ? texts.join("\n\n") : JSON.stringify(value);
}
