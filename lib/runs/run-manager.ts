/**
 * The in-process run manager: starts runs in the background with a bounded concurrency (FIFO queue
 * beyond it), cancels them, fans their stored events out to live viewers, recovers sessions a dead
 * process left unfinished, and interrupts live ones on shutdown. Plain server-side TypeScript; the
 * engine, the database and the config resolver are injected.
 */
import "server-only";
import type { Environment } from "@/lib/config/env-refs";
import type { ResolvedConfig } from "@/lib/configs";
import type { ConfigRef } from "@/lib/configs/types";
import { createSession, getSessionById, type SessionCell } from "@/lib/db/queries/sessions";
import { terminalEventSeq } from "@/lib/db/queries/session-views";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, errorMessage } from "@/lib/errors";
import { emptyUsage, type EventInput, type SessionStatus, TERMINAL_STATUSES, type TrajectoryEvent } from "@/lib/trajectory";
import type { RunResult, RunTaskOptions, SessionStore } from "@/lib/compose";
import { cancelRun, shutdownRun, stopOf } from "@/lib/runtime/stop";
import type { RunAccepted, RunRequest } from "@/lib/sessions/api-types";
import { LiveBus } from "./live-bus";
import { recoverUnfinishedSessions, type RecoveryReport } from "./recovery";
import { assertApiKeysPresent } from "./secrets";
import { appendSystemEvent } from "./system-events";
import { agentCodeRoots } from "@/lib/config/code-location";
import { describeEngineError, retryWhileFailing } from "./run-failure";

export type RunEngine = (options: RunTaskOptions) => Promise<RunResult>;
export type ConfigResolver = (db: AtlasDb, ref: ConfigRef) => Promise<ResolvedConfig>;

/** A run from the form or API (`RunRequest`), or an experiment cell: an exact config version and its cell. */
export interface StartRunRequest {
  task: string;
  config: ConfigRef;
  metadata?: Record<string, unknown>;
  cell?: SessionCell;
}

export interface RunManagerOptions {
  database: () => Promise<AtlasDb>;
  engine: RunEngine;
  resolveConfig: ConfigResolver;
  store: (db: AtlasDb) => SessionStore;
  /** Runs executing at once; more wait in a FIFO queue. */
  maxConcurrent: number;
  env: Environment;
  /** How long shutdown waits for aborted runs to write their terminal event. */
  shutdownGraceMs?: number;
  /** How long a cancel request waits for the run to end before answering with the current status. */
  cancelWaitMs?: number;
  pid?: number;
}

type RunState = "queued" | "running";

interface ActiveRun {
  sessionId: number;
  task: string;
  metadata: Record<string, unknown>;
  resolved: ResolvedConfig;
  state: RunState;
  /** Aborted with the stop reason (`cancelRun` / `shutdownRun`): the engine ends the session accordingly. */
  controller: AbortController;
  /** The `session.queued` write; the engine must not start before it is stored. */
  queuedWrite: Promise<void>;
  settled: Promise<void> | null;
  /** Set while a queued run is being cancelled, so a second cancel waits for the same write. */
  cancelling: Promise<void> | null;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 3_000;
const DEFAULT_CANCEL_WAIT_MS = 5_000;

export class RunManager {
  readonly bus = new LiveBus();
  readonly maxConcurrent: number;
  private readonly runs = new Map<number, ActiveRun>();
  private readonly doneWaiters = new Map<number, Array<() => void>>();
  private readonly queue: ActiveRun[] = [];
  private runningCount = 0;
  private stopping = false;
  private recovery: Promise<RecoveryReport> | null = null;

  constructor(private readonly options: RunManagerOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new AtlasError("invalid_input", `the concurrent run limit must be a positive integer, got ${options.maxConcurrent}`);
    }
    this.maxConcurrent = options.maxConcurrent;
  }

  /** True while this process runs or queues the session (its new events will be published on `bus`). */
  isLive(sessionId: number): boolean {
    return this.runs.has(sessionId);
  }

  /** Resolves once this process no longer runs or queues the session (at once when it never did). */
  whenDone(sessionId: number): Promise<void> {
    if (!this.runs.has(sessionId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.doneWaiters.get(sessionId) ?? [];
      waiters.push(resolve);
      this.doneWaiters.set(sessionId, waiters);
    });
  }

  get activeCounts(): { running: number; queued: number } {
    return { running: this.runningCount, queued: this.queue.length };
  }

  /** Marks sessions a dead process left unfinished as interrupted; once per manager (retried after a failure). */
  recover(): Promise<RecoveryReport> {
    this.recovery ??= (async () => {
      const db = await this.options.database();
      return recoverUnfinishedSessions(db, this.options.store(db), {
        pid: this.options.pid,
        isLive: (sessionId) => this.isLive(sessionId),
      });
    })();
    this.recovery.catch(() => {
      this.recovery = null;
    });
    return this.recovery;
  }

  /**
   * Validates the request, creates the session row (running, or queued with a `session.queued` event)
   * and starts the engine in the background. Resolves once the row exists.
   */
  async startRun(request: RunRequest | StartRunRequest): Promise<RunAccepted> {
    this.assertAccepting();
    await this.recover();
    const db = await this.options.database();
    const resolved = await this.options.resolveConfig(db, request.config);
    assertApiKeysPresent(resolved.config, this.options.env);
    this.assertAccepting();

    const task = request.task.trim();
    const metadata = { ...resolved.config.metadata, ...request.metadata };
    // Decide and reserve synchronously so concurrent requests cannot both take the last slot.
    const startsNow = this.runningCount < this.maxConcurrent;
    if (startsNow) this.runningCount += 1;
    let sessionId: number;
    try {
      const row = await createSession(db, {
        task,
        metadata,
        configName: resolved.name,
        configVersionId: resolved.versionId,
        configHash: resolved.hash,
        status: startsNow ? "running" : "queued",
        cell: "cell" in request ? request.cell : undefined,
      });
      sessionId = row.id;
    } catch (error) {
      if (startsNow) this.releaseSlot();
      throw error;
    }

    const run: ActiveRun = {
      sessionId,
      task,
      metadata: request.metadata ?? {},
      resolved,
      state: startsNow ? "running" : "queued",
      controller: new AbortController(),
      queuedWrite: Promise.resolve(),
      settled: null,
      cancelling: null,
    };
    this.runs.set(sessionId, run);
    if (startsNow) {
      this.launch(run);
      return { sessionId, status: "running", queuePosition: null };
    }

    this.queue.push(run);
    const position = this.queue.length;
    run.queuedWrite = this.writeSystemEvent(db, sessionId, {
      type: "session.queued",
      actor: "system",
      position,
      runningLimit: this.maxConcurrent,
    }).then(
      () => undefined,
      (error: unknown) => console.error(`could not record that session ${sessionId} is queued:`, error),
    );
    await run.queuedWrite;
    this.pump();
    return { sessionId, status: "queued", queuePosition: position };
  }

  /**
   * Running → aborted (the engine ends it `cancelled`); queued → removed with a `session.cancelled`
   * event; finished → conflict; unknown → not found. Answers with the status after the cancel.
   */
  async cancel(sessionId: number): Promise<{ sessionId: number; status: SessionStatus }> {
    const db = await this.options.database();
    const run = this.runs.get(sessionId);
    if (!run) return { sessionId, status: await this.notCancellable(db, sessionId) };

    if (run.state === "queued") {
      run.cancelling ??= this.cancelQueued(db, run);
      await run.cancelling;
      return { sessionId, status: "cancelled" };
    }

    // A run already stopping (a second cancel, or a shutdown first) keeps its first reason.
    run.controller.abort(cancelRun("cancelled by request"));
    await withTimeout(run.settled ?? Promise.resolve(), this.options.cancelWaitMs ?? DEFAULT_CANCEL_WAIT_MS);
    const row = await getSessionById(db, { id: sessionId });
    return { sessionId, status: (row?.status ?? "running") as SessionStatus };
  }

  /**
   * Stops accepting runs, interrupts queued ones, aborts running ones and waits (bounded) for their
   * terminal events: the engine ends each `session.interrupted` with the shutdown reason.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const db = await this.options.database().catch(() => null);
    const queued = this.queue.splice(0);
    const running = [...this.runs.values()].filter((run) => run.state === "running");
    for (const run of running) run.controller.abort(shutdownRun(this.interruptReason("running")));
    const queuedDone = queued.map(async (run) => {
      await run.queuedWrite;
      if (db) {
        await this.writeSystemEvent(db, run.sessionId, {
          type: "session.interrupted",
          actor: "system",
          reason: this.interruptReason("waiting to run"),
        }).catch((error: unknown) => console.error(`could not interrupt queued session ${run.sessionId}:`, error));
      }
      this.forget(run.sessionId);
    });
    await withTimeout(
      Promise.allSettled([...queuedDone, ...running.map((run) => run.settled)]),
      this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    );
  }

  private forget(sessionId: number): void {
    this.runs.delete(sessionId);
    const waiters = this.doneWaiters.get(sessionId) ?? [];
    this.doneWaiters.delete(sessionId);
    for (const resolve of waiters) resolve();
  }

  private interruptReason(state: string): string {
    return `the server stopped while this session was ${state} (process ${this.options.pid ?? process.pid} shut down)`;
  }

  private assertAccepting(): void {
    if (this.stopping) throw new AtlasError("unavailable", "the server is shutting down and accepts no new runs");
  }

  private releaseSlot(): void {
    this.runningCount -= 1;
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.runningCount < this.maxConcurrent && this.queue.length > 0) {
      const run = this.queue.shift() as ActiveRun;
      this.runningCount += 1;
      run.state = "running";
      this.launch(run);
    }
  }

  private launch(run: ActiveRun): void {
    run.settled = this.execute(run)
      .catch((error: unknown) => console.error(`run of session ${run.sessionId} failed outside the engine:`, error))
      .finally(() => {
        this.forget(run.sessionId);
        this.releaseSlot();
      });
  }

  private async execute(run: ActiveRun): Promise<void> {
    await run.queuedWrite;
    const db = await this.options.database();
    let engineError: unknown = null;
    try {
      const outcome = await this.options.engine({
        task: run.task,
        config: run.resolved.config,
        sessionId: run.sessionId,
        store: this.options.store(db),
        signal: run.controller.signal,
        onEvent: (event) => this.bus.publish(event),
        sessionMetadata: run.metadata,
        configName: run.resolved.name,
        configHash: run.resolved.hash,
        baseDir: run.resolved.baseDir,
        codeRoots: agentCodeRoots(this.options.env),
        env: this.options.env as NodeJS.ProcessEnv,
      });
      // Stored nowhere when the database failed: the reason is then only in the result.
      if (outcome.status === "failed" && outcome.error) engineError = new Error(outcome.error);
    } catch (error) {
      engineError = error;
    }
    await this.ensureTerminal(db, run, engineError);
  }

  /** The engine rejects only for bad input and cannot store a terminal event when the database fails: close the session here. */
  private async ensureTerminal(db: AtlasDb, run: ActiveRun, engineError: unknown): Promise<void> {
    // The database may be what failed (PostgreSQL restarting): try again for a while before leaving it to recovery.
    await retryWhileFailing(() => this.closeSession(db, run, engineError), () => this.stopping).catch((error: unknown) =>
      console.error(`could not close session ${run.sessionId}; start-up recovery will:`, error),
    );
  }

  private async closeSession(db: AtlasDb, run: ActiveRun, engineError: unknown): Promise<void> {
    if ((await terminalEventSeq(db, run.sessionId)) !== null) return;
    const usage = emptyUsage();
    const signal = run.controller.signal;
    const stop = signal.aborted ? stopOf(signal.reason) : null;
    const terminal: EventInput =
      stop?.kind === "shutdown"
        ? { type: "session.interrupted", actor: "system", reason: stop.reason }
        : stop?.kind === "cancel"
          ? { type: "session.cancelled", actor: "system", reason: stop.reason, usage, durationMs: 0 }
          : {
              type: "session.failed",
              actor: "system",
              error: engineError ? describeEngineError(engineError) : "the run ended without recording an outcome",
              finalAnswer: null,
              failedSteps: [],
              usage,
              durationMs: 0,
            };
    await this.writeSystemEvent(db, run.sessionId, terminal);
  }

  private async cancelQueued(db: AtlasDb, run: ActiveRun): Promise<void> {
    const index = this.queue.indexOf(run);
    if (index >= 0) this.queue.splice(index, 1);
    await run.queuedWrite;
    try {
      await this.writeSystemEvent(db, run.sessionId, {
        type: "session.cancelled",
        actor: "system",
        reason: "cancelled while waiting to run",
        usage: emptyUsage(),
        durationMs: 0,
      });
    } finally {
      this.forget(run.sessionId);
    }
  }

  private async notCancellable(db: AtlasDb, sessionId: number): Promise<never> {
    const row = await getSessionById(db, { id: sessionId });
    if (!row) throw new AtlasError("not_found", `session ${sessionId} not found`);
    if ((TERMINAL_STATUSES as readonly string[]).includes(row.status)) {
      throw new AtlasError("conflict", `session ${sessionId} already finished (${row.status})`);
    }
    throw new AtlasError(
      "conflict",
      `session ${sessionId} is ${row.status} but not in this server process (started by the CLI or another server), so it cannot be cancelled here`,
    );
  }

  private async writeSystemEvent(db: AtlasDb, sessionId: number, input: EventInput): Promise<TrajectoryEvent> {
    const event = await appendSystemEvent(this.options.store(db), sessionId, input);
    this.bus.publish(event);
    return event;
  }
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
