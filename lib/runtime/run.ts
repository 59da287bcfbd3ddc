/**
 * `run()`: one task through the whole Teacher/Student loop, recorded as a session (spec §5.7).
 * Resolves for succeeded, failed and cancelled sessions alike (`status` tells); rejects only for
 * invalid input (no task, an invalid config file).
 */
import path from "node:path";
import type { AgentAdapter } from "@/lib/adapters/types";
import type { AtlasConfig } from "@/lib/config";
import { AtlasError, errorMessage, formatIssue, isAtlasError } from "@/lib/errors";
import { createLlmClient } from "@/lib/llm/client";
import type { LlmCallRecord, LlmCallRecorder } from "@/lib/llm/types";
import { createRewardEvaluator } from "@/lib/reward/evaluator";
import { emptyUsage, type EventInput, type Plan, type TokenUsage, type TrajectoryEvent } from "@/lib/trajectory";
import { Orchestrator, RunFailure, type OrchestrationResult } from "./orchestrator";
import { buildPersonaPrompts } from "./prompts";
import { EventRecorder } from "./recorder";
import type { SessionStore } from "./store";
import { Student } from "./student";
import { Teacher } from "./teacher";
import { type RunResult } from "./types";

export interface RunOptions {
  task: string;
  /** A validated config; or give `configPath` and the file is loaded (both: `config` wins, the path sets baseDir/name). */
  config?: AtlasConfig;
  configPath?: string;
  /** Cancels the run: no new call starts, calls in flight are aborted, the session ends `cancelled`. */
  signal?: AbortSignal;
  /** Sees every event after it is stored. */
  onEvent?: (event: TrajectoryEvent) => void;
  sessionMetadata?: Record<string, unknown>;
  /** Where the session is stored: undefined = the process database, null = nowhere (session id 0). */
  store?: SessionStore | null;
  /** Continue a session created beforehand (e.g. queued by the run manager); events follow its last seq. */
  sessionId?: number;
  configName?: string | null;
  configHash?: string | null;
  /** Where API keys and `${VAR}` headers are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Relative agent paths resolve from here (default: the config file's folder, else the working directory). */
  baseDir?: string;
  /** Folders python and module agents may load code from (the server's ATLAS_AGENT_PATHS); unset: anywhere. */
  codeRoots?: readonly string[];
  /** Use this agent instead of building one from `config.agent` (embedding, benchmarks); the caller closes it. */
  adapter?: AgentAdapter;
}

export async function run(options: RunOptions): Promise<RunResult> {
  const task = typeof options.task === "string" ? options.task.trim() : "";
  if (task === "") throw new AtlasError("invalid_input", "task must be a non-empty string");
  const resolved = await resolveConfig(options);
  const { config } = resolved;
  const env = options.env ?? process.env;
  const store = options.store === undefined ? await processStore() : options.store;
  const metadata = { ...config.metadata, ...options.sessionMetadata };
  const configName = options.configName ?? resolved.configName;
  const configHash = options.configHash ?? null;

  let sessionId = 0;
  let startSeq = 0;
  if (store) {
    if (options.sessionId === undefined) {
      sessionId = (await store.createSession({ task, metadata, configName, configHash })).id;
    } else {
      sessionId = options.sessionId;
      startSeq = await store.lastSeq(sessionId);
    }
  } else if (options.sessionId !== undefined) {
    sessionId = options.sessionId;
  }

  const recorder = new EventRecorder({
    sessionId,
    startSeq,
    sink: store ? (events) => store.write(events) : null,
    listeners: options.onEvent ? [options.onEvent] : [],
  });
  const session = new SessionRun({ task, config, env, baseDir: resolved.baseDir, recorder, options });
  const result = await session.execute({ configName, configHash, metadata });
  return { ...result, sessionId: store ? sessionId : null };
}

interface ResolvedConfig {
  config: AtlasConfig;
  baseDir: string;
  configName: string | null;
}

async function resolveConfig(options: RunOptions): Promise<ResolvedConfig> {
  const configPath = options.configPath ? path.resolve(options.configPath) : null;
  const baseDir = options.baseDir ?? (configPath ? path.dirname(configPath) : process.cwd());
  const configName = configPath ? path.basename(configPath).replace(/\.(ya?ml|json)$/i, "") : null;
  if (options.config) return { config: options.config, baseDir, configName };
  if (!configPath) throw new AtlasError("invalid_input", "give a config or a configPath");
  const { loadConfigFile } = await import("@/lib/config/load-file");
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) {
    const lines = loaded.issues.map((issue) => formatIssue(issue, options.configPath));
    throw new AtlasError("invalid_config", `invalid configuration ${options.configPath}:\n${lines.join("\n")}`, {
      issues: loaded.issues,
    });
  }
  return { config: loaded.config, baseDir, configName };
}

async function processStore(): Promise<SessionStore> {
  const [{ getDatabase }, { databaseSessionStore }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/db/session-store"),
  ]);
  return databaseSessionStore((await getDatabase()).db);
}

interface SessionRunInput {
  task: string;
  config: AtlasConfig;
  env: NodeJS.ProcessEnv;
  baseDir: string;
  recorder: EventRecorder;
  options: RunOptions;
}

type Outcome = Omit<RunResult, "sessionId">;

/** One session from `session.started` to its single terminal event. */
class SessionRun {
  private readonly usage: TokenUsage = emptyUsage();
  private readonly started = performance.now();
  private orchestrator: Orchestrator | null = null;

  constructor(private readonly input: SessionRunInput) {}

  private readonly recordLlmCall: LlmCallRecorder = (record: LlmCallRecord) => {
    this.usage.promptTokens += record.promptTokens;
    this.usage.completionTokens += record.completionTokens;
    this.usage.reasoningTokens += record.reasoningTokens;
    this.usage.costUsd += record.costUsd;
    this.usage.calls += 1;
    this.input.recorder.enqueue({
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
    });
  };

  async execute(session: { configName: string | null; configHash: string | null; metadata: Record<string, unknown> }): Promise<Outcome> {
    const { task, recorder, options } = this.input;
    const emit = (event: EventInput) => recorder.emit(event);
    const signal = options.signal ?? new AbortController().signal;
    let adapter: AgentAdapter | null = null;
    let terminal: EventInput;
    let outcome: Outcome;
    try {
      await emit({ type: "session.started", actor: "system", task, ...session });
      adapter = options.adapter ?? (await this.buildAdapter());
      this.orchestrator = this.buildOrchestrator(adapter, signal);
      const result = await this.orchestrator.run();
      ({ terminal, outcome } = this.finished(result));
    } catch (error) {
      ({ terminal, outcome } = await this.interrupted(error, signal));
    } finally {
      if (adapter && !options.adapter) await adapter.close().catch(() => undefined);
    }

    await recorder.flush();
    try {
      await emit({ ...terminal, usage: { ...this.usage }, durationMs: this.elapsed() } as EventInput);
      await recorder.flush();
      if (recorder.failure) throw recorder.failure;
    } catch (error) {
      // The store is gone: nothing more can be recorded. The session row stays `running` until recovery.
      return { ...outcome, status: "failed", error: errorMessage(error) };
    }
    return outcome;
  }

  private async buildAdapter(): Promise<AgentAdapter> {
    const { createAdapter } = await import("@/lib/adapters");
    const { config, env, baseDir } = this.input;
    return createAdapter(config.agent, { env, baseDir, codeRoots: this.input.options.codeRoots, recorder: this.recordLlmCall });
  }

  private buildOrchestrator(adapter: AgentAdapter, signal: AbortSignal): Orchestrator {
    const { task, config, env, recorder } = this.input;
    const emit = (event: EventInput) => recorder.emit(event);
    const handedOff = () => recorder.handedOff();
    const prompts = buildPersonaPrompts(config);
    const student = new Student({
      adapter: afterHandOff(adapter, handedOff),
      prompts: prompts.student,
      tools: config.agent.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters as Record<string, unknown>,
      })),
      toolRecursionLimit: config.orchestration.tool_recursion_limit,
      emit,
    });
    const teacher = new Teacher({
      llm: createLlmClient(config.teacher.llm, {
        env,
        recorder: this.recordLlmCall,
        beforeRequest: handedOff,
        label: "teacher.llm",
      }),
      prompts: prompts.teacher,
      planCacheSeconds: config.teacher.plan_cache_seconds,
    });
    const evaluator = createRewardEvaluator(config.rim, { env, recorder: this.recordLlmCall, beforeRequest: handedOff, emit });
    return new Orchestrator({ task, config, student, teacher, evaluator, emit, signal });
  }

  /** Every step accepted → completed; otherwise the failure rule's `session.failed`. */
  private finished(result: OrchestrationResult): { terminal: EventInput; outcome: Outcome } {
    const outcome: Outcome = {
      status: result.failure === null ? "succeeded" : "failed",
      finalAnswer: result.finalAnswer,
      plan: result.plan,
      stepResults: result.stepResults,
      error: result.failure,
    };
    const terminal: EventInput =
      result.failure === null
        ? {
            type: "session.completed",
            actor: "system",
            finalAnswer: result.finalAnswer,
            executionMode: result.executionMode,
            ...PLACEHOLDER_TOTALS,
          }
        : {
            type: "session.failed",
            actor: "system",
            error: result.failure,
            finalAnswer: result.finalAnswer,
            failedSteps: result.unfinishedSteps,
            ...PLACEHOLDER_TOTALS,
          };
    return { terminal, outcome };
  }

  private async interrupted(error: unknown, signal: AbortSignal): Promise<{ terminal: EventInput; outcome: Outcome }> {
    const partial: Outcome = {
      status: "failed",
      finalAnswer: "",
      plan: this.orchestrator?.plan ?? EMPTY_PLAN,
      stepResults: this.orchestrator?.orderedStepResults() ?? [],
      error: null,
    };
    if (signal.aborted && !(error instanceof RunFailure)) {
      const reason = cancellationReason(signal.reason);
      return {
        terminal: { type: "session.cancelled", actor: "system", reason, ...PLACEHOLDER_TOTALS },
        outcome: { ...partial, status: "cancelled", error: reason },
      };
    }
    const message = errorMessage(error);
    const where = error instanceof RunFailure ? error.where : isAtlasError(error) ? error.code : "internal";
    await this.input.recorder.emit({ type: "error", actor: "system", message, where }).catch(() => undefined);
    return {
      terminal: {
        type: "session.failed",
        actor: "system",
        error: message,
        finalAnswer: null,
        failedSteps: [],
        ...PLACEHOLDER_TOTALS,
      },
      outcome: { ...partial, error: message },
    };
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 1000) / 1000;
  }
}

/** Filled in when the terminal event is emitted (after the last LLM call has been counted). */
const PLACEHOLDER_TOTALS = { usage: emptyUsage(), durationMs: 0 };
const EMPTY_PLAN: Plan = { steps: [], execution_mode: "stepwise" };

function cancellationReason(reason: unknown): string {
  if (typeof reason === "string" && reason.trim() !== "") return reason;
  if (reason instanceof Error && reason.name !== "AbortError" && reason.message) return reason.message;
  return "the run was cancelled";
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
