/**
 * The `python` adapter: calls `fn(prompt=..., metadata=...)` in a long-lived python3 worker
 * (./python/worker.py) that speaks JSON lines. One worker per adapter instance, i.e. per run, started on first call.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { PythonAgentConfig } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { assertCodeLocation } from "./code-location";
import { childEnv } from "@/lib/server/child-env";
import { readEnv } from "@/lib/server/env";
import { cancelledError, raceWithAbort, throwIfCancelled } from "./abort";
import type { AdapterContext, AgentAdapter, AgentCall, AgentReply } from "./types";

const ADAPTER_TYPE = "python";
const STDERR_TAIL_CHARS = 4096;
const CLOSE_GRACE_MS = 2000;
/** After the process exits, how long to wait for the last protocol lines still in the pipe. */
const EXIT_DRAIN_MS = 200;

export interface PythonAgentAdapter extends AgentAdapter {
  /** Process id of the running worker, or null when none runs (diagnostics and tests). */
  readonly workerPid: number | null;
}

interface WorkerSpec {
  import_path: string;
  attribute: string | null;
  allow_generator: boolean;
  /** Prepended to sys.path when not already there. */
  search_paths: string[];
  /** When set, the top-level module must be found inside one of these folders (nothing outside is imported). */
  allowed_roots: string[] | null;
}

interface WorkerOptions {
  interpreter: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

type WorkerReply =
  | { type: "ready" }
  | { type: "startup_error"; message: string; traceback: string }
  | { type: "result"; id: number; ok: true; text: string }
  | {
      type: "result";
      id: number;
      ok: false;
      kind: "exception" | "generator_disabled";
      target?: "callable" | "coroutine";
      message: string;
      traceback?: string;
    };

interface PendingCall {
  resolve(text: string): void;
  reject(error: unknown): void;
}

function workerSetup(config: PythonAgentConfig, context: AdapterContext): { spec: WorkerSpec; options: WorkerOptions } {
  const spec: WorkerSpec = {
    import_path: config.import_path,
    attribute: config.attribute,
    allow_generator: config.allow_generator,
    // Without a working_directory the config's folder plays the part of Python's current directory.
    search_paths: [path.resolve(context.baseDir, config.working_directory ?? ".")],
    allowed_roots: context.codeRoots ? context.codeRoots.map((root) => path.resolve(root)) : null,
  };
  const options: WorkerOptions = {
    interpreter: readEnv("ATLAS_PYTHON", context.env),
    cwd: context.baseDir,
    env: childEnv(context.env, { PYTHONUNBUFFERED: "1", PYTHONIOENCODING: "utf-8" }),
  };
  return { spec, options };
}

/**
 * Starts a worker, waits until it has imported the callable (or failed to), and stops it (`atlas doctor`).
 * Resolves with the search path and interpreter used; rejects with the import error.
 */
export async function checkPythonAgent(
  config: PythonAgentConfig,
  context: AdapterContext,
): Promise<{ searchPath: string; interpreter: string }> {
  const { spec, options } = workerSetup(config, context);
  const worker = new PythonWorker(spec, options);
  try {
    await worker.ready;
  } finally {
    await worker.end();
  }
  return { searchPath: spec.search_paths[0] ?? context.baseDir, interpreter: options.interpreter };
}

export function createPythonAdapter(config: PythonAgentConfig, context: AdapterContext): PythonAgentAdapter {
  const { spec, options } = workerSetup(config, context);
  let worker: PythonWorker | null = null;
  let closed = false;

  function usableWorker(): PythonWorker {
    assertCodeLocation(config.working_directory ?? ".", context, "agent.working_directory");
    if (worker === null || !worker.usable) worker = new PythonWorker(spec, options);
    return worker;
  }

  return {
    type: ADAPTER_TYPE,
    get workerPid() {
      return worker?.usable ? (worker.pid ?? null) : null;
    },
    async invoke(call: AgentCall): Promise<AgentReply> {
      throwIfCancelled(call.signal, ADAPTER_TYPE);
      // Only the config as written (api_key_env names the variable); secret values never reach the callable this way.
      const metadata = config.llm ? { ...call.metadata, llm_config: config.llm } : call.metadata;
      for (;;) {
        if (closed) throw new AtlasError("adapter_error", "python adapter was closed; create a new one for another run");
        const current = usableWorker();
        // Cancelling while the worker starts needs no kill: nothing of this call runs in Python yet.
        await raceWithAbort(current.ready, call.signal, ADAPTER_TYPE);
        // Another call's cancellation may have killed this worker meanwhile; this call never reached it.
        if (current.usable) return { text: await current.call(call.prompt, metadata, call.signal) };
      }
    },
    async close() {
      closed = true;
      const current = worker;
      worker = null;
      await current?.end();
    },
  };
}

class PythonWorker {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, PendingCall>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private isReady = false;
  private stderrTail = "";
  /** Why pending calls fail when we stop the worker on purpose; null means the worker died by itself. */
  private stopReason: AtlasError | null = null;
  private finished = false;
  private settleReady: { resolve(): void; reject(error: AtlasError): void } = { resolve() {}, reject() {} };

  constructor(spec: WorkerSpec, options: WorkerOptions) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.ready.catch(() => undefined);
    this.child = spawn(options.interpreter, ["-u", locateWorkerScript(), JSON.stringify(spec)], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    trackProcess(this.child);
    this.exited = this.watchProcess(options.interpreter);
    this.child.stdin?.on("error", () => undefined); // EPIPE after a crash: reported through the exit instead.
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.updateRef();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once the worker is stopping or gone: the adapter then starts a fresh one. */
  get usable(): boolean {
    return !this.finished && this.stopReason === null;
  }

  call(prompt: string, metadata: object, signal: AbortSignal): Promise<string> {
    if (!this.usable) return Promise.reject(this.stopReason ?? this.crashError());
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        reject(cancelledError(ADAPTER_TYPE));
        // A running Python thread cannot be interrupted: only killing the process stops it.
        this.kill(
          new AtlasError(
            "adapter_error",
            "python worker was stopped because another call running in it was cancelled",
          ),
        );
      };
      const settle = () => {
        signal.removeEventListener("abort", onAbort);
        this.pending.delete(id);
        this.updateRef();
      };
      this.pending.set(id, {
        resolve: (text) => {
          settle();
          resolve(text);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      signal.addEventListener("abort", onAbort, { once: true });
      this.child.stdin?.write(`${JSON.stringify({ id, prompt, metadata })}\n`);
      this.updateRef();
    });
  }

  /** SIGKILL at once; pending calls fail with `reason`. */
  kill(reason: AtlasError): void {
    if (this.finished) return;
    this.stopReason ??= reason;
    this.child.kill("SIGKILL");
  }

  /** Closes stdin (the worker exits by itself), then SIGKILL after a grace period. Resolves once it is gone. */
  async end(): Promise<void> {
    if (!this.finished) {
      this.stopReason ??= new AtlasError("adapter_error", "python adapter was closed while the call was running");
      this.child.stdin?.end();
      const timer = setTimeout(() => this.child.kill("SIGKILL"), CLOSE_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }

  private watchProcess(interpreter: string): Promise<void> {
    return new Promise<void>((resolve) => {
      let protocolEnded = false;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      const finish = (error?: AtlasError) => {
        if (this.finished) return;
        this.finished = true;
        untrackProcess(this.child);
        const failure = error ?? this.stopReason ?? this.crashError(exit);
        this.settleReady.reject(this.isReady ? failure : (error ?? this.startFailure(exit)));
        for (const call of [...this.pending.values()]) call.reject(failure);
        this.pending.clear();
        resolve();
      };
      const lines = createInterface({ input: this.child.stdout! });
      lines.on("line", (line) => this.handleLine(line));
      lines.on("close", () => {
        protocolEnded = true;
        if (exit) finish();
      });
      this.child.on("error", (error) => {
        if (this.child.pid === undefined) {
          finish(
            new AtlasError(
              "adapter_error",
              `unable to start the python interpreter '${interpreter}' (${error.message}); set ATLAS_PYTHON to its path`,
              { cause: error },
            ),
          );
        }
      });
      this.child.on("exit", (code, signal) => {
        exit = { code, signal };
        if (protocolEnded) finish();
        // A forked grandchild may hold the protocol pipe open; do not wait for it forever.
        else setTimeout(() => finish(), EXIT_DRAIN_MS).unref();
      });
    });
  }

  private handleLine(line: string): void {
    let reply: WorkerReply;
    try {
      reply = JSON.parse(line) as WorkerReply;
    } catch {
      this.stderrTail = `${this.stderrTail}\n[unexpected protocol line] ${line}`.slice(-STDERR_TAIL_CHARS);
      return;
    }
    if (reply.type === "ready") {
      this.isReady = true;
      this.settleReady.resolve();
      this.updateRef();
    } else if (reply.type === "startup_error") {
      this.settleReady.reject(new AtlasError("adapter_error", joinTraceback(reply.message, reply.traceback)));
    } else if (reply.type === "result") {
      const call = this.pending.get(reply.id);
      if (!call) return; // cancelled meanwhile
      if (reply.ok) call.resolve(reply.text);
      else call.reject(new AtlasError("adapter_error", describeCallFailure(reply)));
    }
  }

  private crashError(exit: { code: number | null; signal: NodeJS.Signals | null } | null = null): AtlasError {
    return new AtlasError("adapter_error", `python worker exited unexpectedly (${describeExit(exit)})${this.stderrSection()}`);
  }

  private startFailure(exit: { code: number | null; signal: NodeJS.Signals | null } | null): AtlasError {
    return this.stopReason ?? new AtlasError("adapter_error", `python worker exited before it was ready (${describeExit(exit)})${this.stderrSection()}`);
  }

  private stderrSection(): string {
    const tail = this.stderrTail.trimEnd();
    return tail === "" ? "" : `\nstderr (last ${STDERR_TAIL_CHARS} bytes):\n${tail}`;
  }

  /** An idle worker must not keep Node alive; the exit hook kills it when Node ends. */
  private updateRef(): void {
    const busy = !this.isReady || this.pending.size > 0;
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
      const refable = handle as unknown as { ref?: () => void; unref?: () => void } | null;
      if (busy) refable?.ref?.();
      else refable?.unref?.();
    }
  }
}

function describeCallFailure(reply: Extract<WorkerReply, { ok: false }>): string {
  if (reply.kind === "generator_disabled") return reply.message;
  return joinTraceback(`python adapter ${reply.target ?? "callable"} raised an exception: ${reply.message}`, reply.traceback);
}

function joinTraceback(message: string, traceback: string | undefined): string {
  const trace = traceback?.trimEnd() ?? "";
  return trace === "" ? message : `${message}\n${trace}`;
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | null): string {
  if (exit?.signal) return `signal ${exit.signal}`;
  if (exit?.code !== null && exit?.code !== undefined) return `exit code ${exit.code}`;
  return "no exit status";
}

/**
 * The worker script sits beside this file. A bundled server build has no such neighbour, so fall back to the
 * project tree relative to the working directory (the server runs from the project root).
 */
function locateWorkerScript(): string {
  const candidates: string[] = [];
  try {
    const besideThisFile = "./python/worker.py"; // a variable, so bundlers leave the URL alone
    candidates.push(fileURLToPath(new URL(besideThisFile, import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL in some bundles.
  }
  candidates.push(path.join(process.cwd(), "lib", "adapters", "python", "worker.py"));
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[candidates.length - 1]!;
}

const liveProcesses = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackProcess(child: ChildProcess): void {
  liveProcesses.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Node is ending: no worker may outlive it (their stdin closing would end them too, but not mid-call).
    process.on("exit", () => {
      for (const live of liveProcesses) live.kill("SIGKILL");
    });
  }
}

function untrackProcess(child: ChildProcess): void {
  liveProcesses.delete(child);
}
