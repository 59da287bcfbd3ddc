/**
 * `runTask()`: the public "run a task" entry point (the CLI, the run manager, the benchmarks and
 * embedders use it). It loads the config when given a path, chooses the session store, builds the
 * engine's collaborators from the config and runs the session.
 */
import "server-only";
import path from "node:path";
import type { AgentAdapter } from "@/lib/adapters/types";
import type { AtlasConfig } from "@/lib/config";
import { loadConfigFile } from "@/lib/config/load-file";
import { AtlasError, formatIssue } from "@/lib/errors";
import { requireTask, runSession } from "@/lib/runtime/run-session";
import type { RunResult } from "@/lib/runtime/types";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { capturerFor, configSecrets } from "./call-capture";
import { configuredCollaborators } from "./collaborators";
import { afterStoredSession } from "@/lib/review/after-session";
import { readEnv } from "@/lib/server/env";
import { databaseOf, sessionStoreFor, type SessionTarget } from "./session-target";

export interface RunTaskOptions {
  task: string;
  /** A validated config; or give `configPath` and the file is loaded (both: `config` wins, the path sets baseDir/name). */
  config?: AtlasConfig;
  configPath?: string;
  /**
   * Stops the run: no new call starts, calls in flight are aborted. Abort with `cancelRun(reason)` or
   * `shutdownRun(reason)` (any other reason is a cancel): the session ends `cancelled` or `interrupted`.
   */
  signal?: AbortSignal;
  /** Sees every event after it is stored. */
  onEvent?: (event: TrajectoryEvent) => void;
  sessionMetadata?: Record<string, unknown>;
  /** Where the session is kept (default: the process database). */
  store?: SessionTarget;
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

export async function runTask(options: RunTaskOptions): Promise<RunResult> {
  const task = requireTask(options.task);
  const resolved = await resolveTaskConfig(options);
  const env = options.env ?? process.env;
  // Read before the run, so a malformed webhook URL stops it before anything is recorded.
  const webhookUrl = readEnv("ATLAS_ALERT_WEBHOOK_URL", env);
  const target = options.store ?? "process-database";
  const store = await sessionStoreFor(target);
  const secrets = configSecrets(resolved.config, env);
  const captureCalls = capturerFor(resolved.config, env, secrets);
  const result = await runSession({
    task,
    config: resolved.config,
    store,
    collaborators: configuredCollaborators(resolved.config, {
      env: options.env,
      baseDir: resolved.baseDir,
      codeRoots: options.codeRoots,
      adapter: options.adapter,
    }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.sessionMetadata ? { sessionMetadata: options.sessionMetadata } : {}),
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    configName: options.configName ?? resolved.configName,
    configHash: options.configHash ?? null,
    secrets,
    ...(captureCalls ? { captureCalls } : {}),
  });
  const database = await databaseOf(target);
  if (database && result.sessionId !== null) {
    await afterStoredSession(database, result.sessionId, resolved.config, webhookUrl ? { webhookUrl } : {});
  }
  return result;
}

interface ResolvedConfig {
  config: AtlasConfig;
  baseDir: string;
  configName: string | null;
}

async function resolveTaskConfig(options: RunTaskOptions): Promise<ResolvedConfig> {
  const configPath = options.configPath ? path.resolve(options.configPath) : null;
  const baseDir = options.baseDir ?? (configPath ? path.dirname(configPath) : process.cwd());
  const configName = configPath ? path.basename(configPath).replace(/\.(ya?ml|json)$/i, "") : null;
  if (options.config) return { config: options.config, baseDir, configName };
  if (!configPath) throw new AtlasError("invalid_input", "give a config or a configPath");
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) {
    const lines = loaded.issues.map((issue) => formatIssue(issue, options.configPath));
    throw new AtlasError("invalid_config", `invalid configuration ${options.configPath}:\n${lines.join("\n")}`, {
      issues: loaded.issues,
    });
  }
  return { config: loaded.config, baseDir, configName };
}
