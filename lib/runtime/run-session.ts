/**
 * `runSession()`: one task through the whole Teacher/Student loop, recorded as a session. The engine
 * builds nothing outside itself: the caller gives the store and a factory for the LLM client, the
 * reward evaluator and the agent (lib/compose builds both from a config). Resolves for succeeded,
 * failed, cancelled and interrupted sessions alike (`status` tells); rejects only for invalid input.
 */
import type { AtlasConfig } from "@/lib/config";
import type { Secret } from "@/lib/config/secret-redaction";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import type { AgentAdapter } from "@/lib/adapters/types";
import type { LlmCallRecord } from "@/lib/llm/types";
import { emptyUsage, type CallCapture, type EventInput, type TokenUsage, type TrajectoryEvent } from "@/lib/trajectory";
import type { CollaboratorFactory, EngineCollaborators, EngineHooks } from "./collaborators";
import { noCallCapture, type CallCapturer } from "./call-capture";
import { RunFailure } from "./failures";
import { Orchestrator } from "./orchestrator";
import { buildPersonaPrompts } from "./prompts";
import { EventRecorder } from "./recorder";
import { EMPTY_PLAN, failedEnd, finishedEnd, type Outcome, type SessionEnd, stoppedEnd } from "./session-outcome";
import type { StepTimer } from "./step-runner";
import { stopOf } from "./stop";
import { noSessionStore, type SessionStore } from "./store";
import { Student } from "./student";
import { Teacher } from "./teacher";
import type { RunResult } from "./types";

export interface SessionInput {
  task: string;
  /** A validated config: orchestration limits, personas, the agent's tools, session metadata. */
  config: AtlasConfig;
  /** Where the session is kept; `noSessionStore` keeps nothing. */
  store: SessionStore;
  /** Called once, after `session.started`, with the hooks the collaborators must use. */
  collaborators: CollaboratorFactory;
  /**
   * Stops the run: no new call starts, calls in flight are aborted. Its reason says why (lib/runtime/stop):
   * a shutdown ends the session `interrupted`, anything else `cancelled`.
   */
  signal?: AbortSignal;
  /** Sees every event after it is stored. */
  onEvent?: (event: TrajectoryEvent) => void;
  sessionMetadata?: Record<string, unknown>;
  /** Continue a session created beforehand (e.g. queued by the run manager); events follow its last seq. */
  sessionId?: number;
  configName?: string | null;
  configHash?: string | null;
  /** How a step's time limit is measured (default: a real timer). */
  stepTimer?: StepTimer;
  /**
   * Builds the stored request/reply of each model and agent call (lib/runtime/call-capture); unset:
   * calls keep only their timing, tokens and cost.
   */
  captureCalls?: CallCapturer;
  /** Values no stored event may contain (API keys, header values): replaced by `[redacted VAR]`. */
  secrets?: readonly Secret[];
}

/** The task, trimmed; rejects an empty one before anything is created. */
export function requireTask(task: unknown): string {
  const trimmed = typeof task === "string" ? task.trim() : "";
  if (trimmed === "") throw new AtlasError("invalid_input", "task must be a non-empty string");
  return trimmed;
}

export async function runSession(input: SessionInput): Promise<RunResult> {
  const task = requireTask(input.task);
  const { config, store } = input;
  const metadata = { ...config.metadata, ...input.sessionMetadata };
  const configName = input.configName ?? null;
  const configHash = input.configHash ?? null;

  let sessionId: number;
  let startSeq = 0;
  if (input.sessionId === undefined) {
    sessionId = (await store.createSession({ task, metadata, configName, configHash })).id;
  } else {
    sessionId = input.sessionId;
    startSeq = await store.lastSeq(sessionId);
  }

  const recorder = new EventRecorder({
    sessionId,
    startSeq,
    sink: (events) => store.write(events),
    ...(input.secrets && input.secrets.length > 0 ? { secrets: input.secrets } : {}),
    listeners: input.onEvent ? [input.onEvent] : [],
  });
  const result = await new SessionRun(task, input, recorder).execute({ configName, configHash, metadata });
  return { ...result, sessionId: store === noSessionStore ? null : sessionId };
}

/** One session from `session.started` to its single terminal event. */
class SessionRun {
  private readonly usage: TokenUsage = emptyUsage();
  /** Aborted when the session's cost passes `orchestration.max_cost_usd`. */
  private readonly budget = new AbortController();
  private readonly started = performance.now();
  private orchestrator: Orchestrator | null = null;

  constructor(
    private readonly task: string,
    private readonly input: SessionInput,
    private readonly recorder: EventRecorder,
  ) {}

  private readonly hooks: EngineHooks = {
    recordLlmCall: (record) => this.recordLlmCall(record),
    handedOff: () => this.recorder.handedOff(),
    emit: (event) => this.recorder.emit(event),
  };

  async execute(session: { configName: string | null; configHash: string | null; metadata: Record<string, unknown> }): Promise<Outcome> {
    const { recorder } = this;
    const callerSignal = this.input.signal ?? new AbortController().signal;
    const signal = AbortSignal.any([callerSignal, this.budget.signal]);
    let collaborators: EngineCollaborators | null = null;
    let end: SessionEnd;
    try {
      await recorder.emit({ type: "session.started", actor: "system", task: this.task, ...session });
      collaborators = await this.input.collaborators(this.hooks);
      this.orchestrator = this.buildOrchestrator(collaborators, signal);
      end = finishedEnd(await this.orchestrator.run());
    } catch (error) {
      end = await this.interrupted(error, signal);
    } finally {
      await collaborators?.close().catch(() => undefined);
    }

    await recorder.flush();
    try {
      await recorder.emit(end.terminal({ usage: { ...this.usage }, durationMs: this.elapsed() }));
      await recorder.flush();
      if (recorder.failure) throw recorder.failure;
    } catch (error) {
      // The store is gone: nothing more can be recorded. The session row stays `running` until recovery.
      return { ...end.outcome, status: "failed", error: errorMessage(error) };
    }
    return end.outcome;
  }

  private recordLlmCall(record: LlmCallRecord): void {
    this.usage.promptTokens += record.promptTokens;
    this.usage.completionTokens += record.completionTokens;
    this.usage.reasoningTokens += record.reasoningTokens;
    this.usage.costUsd += record.costUsd;
    this.usage.calls += 1;
    const cap = this.input.config.orchestration.max_cost_usd;
    if (cap !== null && this.usage.costUsd > cap && !this.budget.signal.aborted) {
      this.budget.abort(
        new RunFailure("budget", `the session cost $${this.usage.costUsd.toFixed(6)}, more than orchestration.max_cost_usd ($${cap}), so it was stopped`),
      );
    }
    this.recorder.enqueue({
      type: "llm.call",
      actor: record.actor,
      ...(record.stepId === undefined ? {} : { stepId: record.stepId }),
      ...(record.attempt === undefined ? {} : { attempt: record.attempt }),
      stage: record.stage,
      model: record.model,
      latencyMs: Math.max(0, record.latencyMs),
      promptTokens: record.promptTokens,
      completionTokens: record.completionTokens,
      reasoningTokens: record.reasoningTokens,
      costUsd: record.costUsd,
      tries: Math.max(1, record.tries),
      error: record.error,
      ...this.captured(record),
    });
  }

  private captured(record: LlmCallRecord): { capture?: CallCapture } {
    const capture = this.capture(record.exchange.request, record.exchange.reply);
    return capture ? { capture } : {};
  }

  private get capture(): CallCapturer {
    return this.input.captureCalls ?? noCallCapture;
  }

  private buildOrchestrator(collaborators: EngineCollaborators, signal: AbortSignal): Orchestrator {
    const { config } = this.input;
    const emit = this.hooks.emit;
    const prompts = buildPersonaPrompts(config);
    const student = new Student({
      adapter: afterHandOff(collaborators.adapter, this.hooks.handedOff),
      prompts: prompts.student,
      tools: config.agent.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters as Record<string, unknown>,
      })),
      toolRecursionLimit: config.orchestration.tool_recursion_limit,
      emit,
      limits: {
        planTokens: config.student.max_plan_tokens,
        stepTokens: config.student.max_step_tokens,
        synthesisTokens: config.student.max_synthesis_tokens,
        toolChoice: config.student.tool_choice,
      },
      structuredPayloads: "structured_payloads" in config.agent && config.agent.structured_payloads,
      capture: this.capture,
    });
    const teacher = new Teacher({
      llm: collaborators.teacherLlm,
      prompts: prompts.teacher,
      planCacheSeconds: config.teacher.plan_cache_seconds,
      limits: {
        reviewTokens: config.teacher.max_review_tokens,
        validationTokens: config.teacher.validation_max_tokens,
        guidanceTokens: config.teacher.guidance_max_tokens,
      },
    });
    return new Orchestrator({
      task: this.task,
      config,
      student,
      teacher,
      evaluator: collaborators.evaluator,
      emit,
      signal,
      ...(this.input.stepTimer ? { stepTimer: this.input.stepTimer } : {}),
    });
  }

  /** The run did not get to the end of its orchestration: stopped by the caller, or a session-ending error. */
  private async interrupted(error: unknown, signal: AbortSignal): Promise<SessionEnd> {
    const partial: Outcome = {
      status: "failed",
      finalAnswer: "",
      plan: this.orchestrator?.plan ?? EMPTY_PLAN,
      stepResults: this.orchestrator?.orderedStepResults() ?? [],
      error: null,
    };
    // Over budget (and not stopped by the caller first): a failure that says why.
    if (this.budget.signal.aborted && signal.reason === this.budget.signal.reason) error = this.budget.signal.reason;
    if (signal.aborted && !(error instanceof RunFailure)) return stoppedEnd(stopOf(signal.reason), partial);
    const message = errorMessage(error);
    const where = error instanceof RunFailure ? error.where : isAtlasError(error) ? error.code : "internal";
    await this.recorder.emit({ type: "error", actor: "system", message, where }).catch(() => undefined);
    return failedEnd(message, partial);
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 1000) / 1000;
  }
}

/** The agent gets a call only once the events that led to it are on their way to the store. */
function afterHandOff(adapter: AgentAdapter, handedOff: () => Promise<void>): AgentAdapter {
  return {
    type: adapter.type,
    invoke: async (call) => {
      await handedOff();
      return adapter.invoke(call);
    },
    close: () => adapter.close(),
  };
}
