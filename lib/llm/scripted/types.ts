/**
 * The scripted OpenAI-compatible server: rules in, replies out, every request recorded.
 */

/** Who is calling, recognised from the persona titles in the prompts (see the team brief). */
export type CallerRole =
  | "planner"
  | "executor"
  | "synthesizer"
  | "plan_review"
  | "validation"
  | "process_judge"
  | "helpfulness_judge"
  | "process_arbiter"
  | "helpfulness_arbiter"
  | "custom_judge"
  | "custom_arbiter"
  | "agent";

export interface ScriptToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (to script malformed arguments). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptReply {
  content?: string;
  /** Serialised as the message content. */
  json?: unknown;
  toolCalls?: ScriptToolCall[];
  /** Provider reasoning, returned as `message.reasoning_content`. */
  reasoning?: string;
  latencyMs?: number;
  /** Answer with this HTTP error status and an OpenAI error body. */
  status?: number;
  /** Error message for `status` replies. */
  message?: string;
  /** `Retry-After` header, in seconds. */
  retryAfter?: number;
  /** A 200 whose body is not valid JSON. */
  malformed?: true;
  /** `content: null`. */
  empty?: true;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: true;
  /**
   * Hold the answer until the gate of this name is opened (`openGate`, or `POST …/gates/<name>` from
   * another process), then answer as usual. A gate opened before the request arrives lets it through.
   */
  waitFor?: string;
  /** `cached_tokens` is reported as prompt_tokens_details.cached_tokens (prompt-cache hits). */
  usage?: { prompt_tokens: number; completion_tokens: number; reasoning_tokens?: number; cached_tokens?: number };
}

export interface ScriptRule {
  caller?: CallerRole | CallerRole[];
  /** Searched in the contents of all messages. */
  contains?: string | RegExp;
  temperature?: number;
  model?: string;
  /** Use this rule at most this many times. */
  times?: number;
  reply: ScriptReply | ((request: RecordedRequest) => ScriptReply);
}

export interface RecordedMessage {
  role: string;
  content: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

export interface RecordedRequest {
  /** 0-based arrival order (keeps counting when `recordLimit` drops old records). */
  index: number;
  callerRole: CallerRole;
  /** The identifier of a custom judge / arbiter caller. */
  customJudge: string | null;
  model: string;
  /** Path and query string the request was sent to (Azure puts the deployment and api-version there). */
  url: string;
  temperature: number | null;
  messages: RecordedMessage[];
  response_format: unknown;
  tools: unknown[] | null;
  tool_choice: unknown;
  /** The whole request body as received. */
  body: Record<string, unknown>;
  /** Lower-cased header names, including `authorization`. */
  headers: Record<string, string>;
  /** Date.now() when the request body had arrived. */
  receivedAt: number;
  /** HTTP status answered; null while pending or for `hang` replies. */
  status: number | null;
}

export interface ScriptedLlm {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  requests: RecordedRequest[];
  setRules(rules: ScriptRule[]): void;
  addRules(rules: ScriptRule[]): void;
  /** Opens a gate for good: every reply waiting for it, now or later, is sent. */
  openGate(name: string): void;
  /** Forgets recorded requests and opened gates and restores the starting rules (with fresh `times` counts). */
  reset(): void;
  close(): Promise<void>;
}

export interface ScriptedLlmOptions {
  port?: number;
  host?: string;
  rules?: ScriptRule[];
  defaultLatencyMs?: number;
  /** Do not keep the Node process alive for this server (the demo model inside CLI runs). */
  unref?: boolean;
  /** Keep only the most recent N requests in `requests` (long-lived servers); unlimited by default. */
  recordLimit?: number;
}
