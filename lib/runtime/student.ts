/**
 * The Student: asks the agent for a plan, executes one step with a bounded tool loop,
 * and synthesises the final answer. Every agent call goes through the adapter with the BYOA metadata of
 * the agent protocol (and the structured step metadata) in lib/adapters/types.ts.
 */
import type { AgentAdapter, AgentCall, AgentCallLimits, AgentReply, StepMetadata, StructuredPayloads, ToolChoice } from "@/lib/adapters/types";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import type { ToolCall, ToolSpec } from "@/lib/llm/types";
import type { AgentCallMode, EventInput, Plan, PlanStep } from "@/lib/trajectory";
import { invokeRecorded, type AgentCallWhere } from "./agent-calls";
import type { CallCapturer } from "./call-capture";
import { excerpt, parseFencedJson } from "./json-text";
import { fallbackPlan, normalizePlanPayload } from "./plan-normalize";
import { composePlannerPrompt, composeSynthesisPrompt, type StudentPrompts } from "./prompts";
import {
  buildStepUserMessage,
  buildTrace,
  parseStructuredOutput,
  readAgentTurn,
  renderTranscript,
  type StepMessage,
  type StructuredOutput,
} from "./step-messages";

export type Emit = (event: EventInput) => Promise<unknown>;

export interface StudentOptions {
  adapter: AgentAdapter;
  prompts: StudentPrompts;
  /** The agent's tools in function-calling format (config `agent.tools`). */
  tools: ToolSpec[];
  /** Maximum agent turns in one step attempt (`orchestration.tool_recursion_limit`). */
  toolRecursionLimit: number;
  emit: Emit;
  /** `student.max_*_tokens` and `student.tool_choice`; unset: the agent's own defaults. */
  limits?: StudentLimits;
  /** The agent declared `structured_payloads`: task/step payloads and the limits go into the metadata. */
  structuredPayloads?: boolean;
  /** Builds what an `agent.call` event stores of the call; unset: nothing beyond its timing. */
  capture?: CallCapturer;
}

export interface StudentLimits {
  planTokens?: number;
  stepTokens?: number;
  synthesisTokens?: number;
  toolChoice?: ToolChoice;
}

export interface DraftedPlan {
  plan: Plan;
  /** True when the reply could not be used and the one-step fallback plan was taken. */
  fallback: boolean;
  /** Why the reply was unusable, when `fallback`. */
  problem: string | null;
}

export interface StudentStepResult {
  trace: string;
  /** The final answer text as the agent gave it. */
  output: string;
  messages: StepMessage[];
  metadata: Record<string, unknown>;
  status: string;
  artifacts: Record<string, unknown>;
  deliverable: unknown;
  structuredOutput: StructuredOutput;
}

export interface ExecuteStepInput {
  task: string;
  step: PlanStep;
  /** Validated outputs of earlier steps, keyed by step id. */
  context: Record<string, unknown>;
  guidance: readonly string[];
  attempt: number;
  signal: AbortSignal;
}

export class Student {
  constructor(private readonly options: StudentOptions) {}

  async createPlan(task: string, signal: AbortSignal): Promise<DraftedPlan> {
    const limits = this.callLimits(this.options.limits?.planTokens);
    const reply = await this.invokeAgent("planning", {}, {
      prompt: composePlannerPrompt(this.options.prompts.planner, task),
      metadata: { mode: "planning", ...this.payloads(task, limits) },
      signal,
      limits,
    });
    const payload = parseFencedJson(reply.text);
    if (payload === undefined) {
      return { plan: fallbackPlan(task), fallback: true, problem: `the reply is not JSON: ${excerpt(reply.text)}` };
    }
    const normalized = normalizePlanPayload(payload);
    if (!normalized.ok) return { plan: fallbackPlan(task), fallback: true, problem: normalized.reason };
    // The Student never chooses the mode; the Teacher does.
    return { plan: { ...normalized.plan, execution_mode: "stepwise" }, fallback: false, problem: null };
  }

  async executeStep(input: ExecuteStepInput): Promise<StudentStepResult> {
    const { step, attempt, signal } = input;
    const messages: StepMessage[] = [
      { role: "system", content: this.options.prompts.executor },
      { role: "user", content: buildStepUserMessage(input) },
    ];
    const limit = this.options.toolRecursionLimit;
    const limits = this.callLimits(this.options.limits?.stepTokens, this.options.limits?.toolChoice);
    for (let turn = 1; turn <= limit; turn += 1) {
      const reply = await this.invokeAgent("execution", { stepId: step.id, attempt }, {
        prompt: renderTranscript(messages),
        metadata: this.stepMetadata(input, messages, limits),
        signal,
        limits,
      });
      const agentTurn = readAgentTurn(reply.text, reply.toolCalls);
      if (agentTurn.toolCalls.length === 0) {
        messages.push({ role: "assistant", content: agentTurn.content });
        return finishStep(messages, agentTurn.content);
      }
      messages.push({ role: "assistant", content: agentTurn.content, tool_calls: agentTurn.toolCalls });
      for (const call of agentTurn.toolCalls) {
        messages.push({ role: "tool", content: await this.runTool(call, step.id, attempt, signal, limits), tool_call_id: call.id });
      }
    }
    throw new AtlasError(
      "adapter_error",
      `step ${step.id} attempt ${attempt}: the agent still requested tools after ${limit} turns ` +
        `(orchestration.tool_recursion_limit = ${limit})`,
    );
  }

  async synthesize(input: {
    task: string;
    executionMode: string;
    stepSummaries: unknown[];
    signal: AbortSignal;
  }): Promise<string> {
    const limits = this.callLimits(this.options.limits?.synthesisTokens);
    const reply = await this.invokeAgent("synthesis", {}, {
      prompt: composeSynthesisPrompt(this.options.prompts.synthesizer, input.task, input.executionMode, input.stepSummaries),
      metadata: { mode: "synthesis", ...this.payloads(input.task, limits) },
      signal: input.signal,
      limits,
    });
    return reply.text;
  }

  private invokeAgent(mode: AgentCallMode, where: AgentCallWhere, call: AgentCall): Promise<AgentReply> {
    return invokeRecorded(this.options, mode, where, call);
  }

  private callLimits(maxTokens: number | undefined, toolChoice?: ToolChoice): AgentCallLimits {
    return {
      ...(maxTokens === undefined ? {} : { maxTokens }),
      ...(toolChoice === undefined ? {} : { toolChoice }),
    };
  }

  /** The structured payloads of an agent that asked for them; nothing otherwise. */
  private payloads(task: string, limits: AgentCallLimits, step?: ExecuteStepInput["step"]): StructuredPayloads {
    if (!this.options.structuredPayloads) return {};
    return {
      task_payload: task,
      ...(step ? { step_payload: { step_id: step.id, description: step.description, depends_on: [...step.depends_on] } } : {}),
      ...(limits.maxTokens === undefined ? {} : { max_tokens: limits.maxTokens }),
      ...(step && limits.toolChoice !== undefined ? { tool_choice: limits.toolChoice } : {}),
    };
  }

  private stepMetadata(input: ExecuteStepInput, messages: StepMessage[], limits: AgentCallLimits): StepMetadata {
    const { step } = input;
    return {
      ...this.payloads(input.task, limits, step),
      mode: "execution",
      task: input.task,
      step: {
        id: step.id,
        description: step.description,
        depends_on: [...step.depends_on],
        tool: step.tool,
        tool_params: step.tool_params,
      },
      attempt: input.attempt,
      guidance: [...input.guidance],
      tools: this.options.tools,
      messages: messages.map((message) => ({ ...message })),
    };
  }

  /** BYOA tool protocol: the same agent runs the tool; its failure becomes an error tool message. */
  private async runTool(call: ToolCall, stepId: number, attempt: number, signal: AbortSignal, limits: AgentCallLimits): Promise<string> {
    const where = { actor: "agent" as const, stepId, attempt };
    await this.options.emit({ type: "tool.call", ...where, tool: call.name, callId: call.id, arguments: call.arguments });
    const started = performance.now();
    let output = "";
    let error: string | null = null;
    try {
      const tool = { name: call.name, arguments: call.arguments };
      const reply = await this.invokeAgent("tool", { stepId, attempt }, {
        prompt: JSON.stringify({ tool }),
        metadata: { tool },
        signal,
        limits: this.callLimits(limits.maxTokens),
      });
      output = reply.text;
    } catch (caught) {
      if (signal.aborted || (isAtlasError(caught) && caught.code === "cancelled")) throw caught;
      error = errorMessage(caught);
      output = `Error: tool ${call.name} failed: ${error}`;
    }
    await this.options.emit({
      type: "tool.result",
      ...where,
      tool: call.name,
      callId: call.id,
      output,
      error,
      durationMs: Math.max(0, performance.now() - started),
    });
    return output;
  }
}

function finishStep(messages: StepMessage[], finalText: string): StudentStepResult {
  const structured = parseStructuredOutput(finalText);
  const metadata: Record<string, unknown> = {
    reasoning: [{ origin: "student", payload: { content: finalText } }],
    status: structured.status,
    artifacts: structured.artifacts,
    deliverable: structured.deliverable,
    result: structured.result,
    structured_output: structured,
    text: structured.text,
  };
  if (structured.reason !== undefined) metadata.reason = structured.reason;
  return {
    trace: buildTrace(messages),
    output: finalText,
    messages,
    metadata,
    status: structured.status,
    artifacts: structured.artifacts,
    deliverable: structured.deliverable,
    structuredOutput: structured,
  };
}
