/**
 * Bring-Your-Own-Agent: every adapter (http_api, openai, python, module) answers the same calls
 * (plus the structured step metadata upstream added later).
 */
import type { ToolCall, ToolSpec } from "@/lib/llm/types";

/**
 * Added for agents that declare `structured_payloads: true` (HTTP and Python agents, as later upstream
 * versions did), so deterministic harnesses need not parse prompts.
 */
export interface StructuredPayloads {
  /** The task as given. */
  task_payload?: string;
  /** Step calls: the step being executed. */
  step_payload?: { step_id: number; description: string; depends_on: (number | string)[] };
  /** The stage's token limit (`student.max_plan_tokens`, `max_step_tokens`, `max_synthesis_tokens`). */
  max_tokens?: number;
  /** Step calls: `student.tool_choice`. */
  tool_choice?: ToolChoice;
}

export type ToolChoice = "auto" | "required";

export interface PlanningMetadata extends StructuredPayloads {
  mode: "planning";
}

export interface StepMetadata extends StructuredPayloads {
  mode: "execution";
  task: string;
  step: {
    id: number;
    description: string;
    depends_on: (number | string)[];
    tool: string | null;
    tool_params: Record<string, unknown> | null;
  };
  attempt: number;
  guidance: string[];
  /** Tools the agent may request, in function-calling format. */
  tools: ToolSpec[];
  /** The conversation so far inside this attempt (tool loop), oldest first. */
  messages: { role: "system" | "user" | "assistant" | "tool"; content: string; tool_calls?: ToolCall[]; tool_call_id?: string }[];
}

export interface ToolMetadata {
  tool: { name: string; arguments: Record<string, unknown> };
}

export interface SynthesisMetadata extends StructuredPayloads {
  mode: "synthesis";
}

export type AgentCallMetadata = PlanningMetadata | StepMetadata | ToolMetadata | SynthesisMetadata;

/** What the agent's own LLM call may do, for adapters that make one (openai/litellm). */
export interface AgentCallLimits {
  /** The stage's token limit; the smaller of it and `agent.llm.max_output_tokens` is sent. */
  maxTokens?: number;
  /** Sent as `tool_choice` when the call offers tools. */
  toolChoice?: ToolChoice;
}

export interface AgentCall {
  prompt: string;
  metadata: AgentCallMetadata;
  signal: AbortSignal;
  limits?: AgentCallLimits;
}

export interface AgentReply {
  /** The agent's text. For step calls it may be a JSON string `{content, tool_calls}`. */
  text: string;
  /** Native tool calls (openai adapter); other adapters use the JSON text convention. */
  toolCalls?: ToolCall[];
}

export interface AgentAdapter {
  readonly type: string;
  invoke(call: AgentCall): Promise<AgentReply>;
  /** Releases processes and connections (the python worker). Idempotent. */
  close(): Promise<void>;
}

export interface AdapterContext {
  /** Where `${VAR}` header references and API keys are read, at call time. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in the config (python working_directory, module path) resolve from here. */
  baseDir: string;
  /**
   * When given, python and module agents load code only from inside these folders (the server passes
   * ATLAS_AGENT_PATHS); without it (a config file run by the CLI) code loads from wherever the config says.
   */
  codeRoots?: readonly string[];
  /** Receives one record per LLM call the adapter makes (openai adapter). */
  recorder?: import("@/lib/llm/types").LlmCallRecorder;
}
