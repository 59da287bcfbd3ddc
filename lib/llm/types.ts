/**
 * The contract of the one LLM client (teacher, judges, arbiter and the openai adapter all use it).
 */
import type { Actor } from "@/lib/trajectory";

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Assistant messages that requested tools. */
  toolCalls?: ToolCall[];
  /** Tool messages: the call they answer. */
  toolCallId?: string;
}

/** A tool offered to the model in OpenAI function-calling format. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  /** Who is asking and why: recorded with the call (e.g. teacher/plan_review, reward/sample). */
  actor: Actor;
  stage: string;
  messages: ChatMessage[];
  /** Ask for a JSON object (`response_format: json_object`). */
  json?: boolean;
  /** Passed through verbatim when set (the openai adapter's `response_format`). */
  responseFormat?: Record<string, unknown> | null;
  temperature?: number;
  maxTokens?: number;
  tools?: ToolSpec[];
  toolChoice?: "auto" | "required";
  /** Step/attempt the call serves, copied into the call record. */
  stepId?: number;
  attempt?: number;
  signal?: AbortSignal;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface LlmReply {
  /** The message text ("" when the model returned none). */
  content: string;
  toolCalls: ToolCall[];
  /** Reasoning the provider returned (reasoning_content, thinking blocks…), or null. */
  reasoning: Record<string, unknown> | null;
  model: string;
  usage: LlmUsage;
  costUsd: number;
  latencyMs: number;
  /** HTTP tries including retries. */
  tries: number;
}

/** One record per logical call (after retries), successful or not. */
export interface LlmCallRecord extends LlmUsage {
  actor: Actor;
  stage: string;
  model: string;
  stepId?: number;
  attempt?: number;
  latencyMs: number;
  costUsd: number;
  tries: number;
  error: string | null;
  /** The wire request and reply of the call's last try (null reply: none came), secrets redacted. */
  exchange: LlmExchange;
}

export interface LlmExchange {
  /** `messages` and `tools` as sent, and every other body field as `parameters`. */
  request: Record<string, unknown>;
  /** `content`, `tool_calls`, `reasoning`, `finish_reason`; null when the call got no reply. */
  reply: Record<string, unknown> | null;
}

export type LlmCallRecorder = (record: LlmCallRecord) => void;

export interface LlmClient {
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmReply>;
}
