/**
 * `atlas run --config FILE --task TEXT [--stream|--no-stream] [--json] [--metadata JSON] [--no-store]`
 *
 * Runs one task and prints the terminal telemetry (live when streaming, which is the
 * default on a TTY; otherwise only the final summary). `--json` prints the RunResult on stdout and
 * moves the telemetry to stderr. Exit code 0 when the session succeeded, 1 otherwise.
 */
import path from "node:path";
import { loadConfigFile } from "@/lib/config/load-file";
import { cancelRun, runTask } from "@/lib/compose";
import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget } from "@/lib/db/target";
import type { DatabaseHandle } from "@/lib/db/types";
import { formatIssue } from "@/lib/errors";
import { createConsoleRenderer } from "@/lib/runtime/console";
import { assertApiKeysPresent } from "@/lib/runs/secrets";
import { parseCommandArgs } from "../args";
import { UsageError, type Command } from "../io";

export const runCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, {
    config: { type: "string" },
    task: { type: "string" },
    stream: { type: "boolean" },
    json: { type: "boolean" },
    metadata: { type: "string" },
    store: { type: "boolean" },
  });
  if (!values.config) throw new UsageError("--config FILE is required");
  if (!values.task?.trim()) throw new UsageError("--task TEXT is required");
  const sessionMetadata = parseMetadata(values.metadata);

  const configPath = path.resolve(io.cwd, values.config);
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr(`${formatIssue(issue, values.config)}\n`);
    return 1;
  }
  // As the dashboard does: a missing key is named now, not minutes later on the first call that needs it.
  assertApiKeysPresent(loaded.config, io.env);

  const telemetry = values.json ? io.stderr : io.stdout;
  const streaming = values.stream ?? io.isTTY;
  const renderer = createConsoleRenderer();
  const print = (lines: string[]) => {
    for (const line of lines) telemetry(`${line}\n`);
  };

  const controller = new AbortController();
  const cancel = () => controller.abort(cancelRun("cancelled from the terminal (Ctrl-C)"));
  process.once("SIGINT", cancel);
  process.once("SIGTERM", cancel);
  let database: DatabaseHandle | null = null;
  try {
    if (values.store !== false) database = await openMigratedDatabase(resolveDatabaseTarget(io.env));
    const result = await runTask({
      task: values.task,
      config: loaded.config,
      configPath,
      store: database ? { database: database.db } : "none",
      signal: controller.signal,
      env: io.env as NodeJS.ProcessEnv,
      ...(sessionMetadata ? { sessionMetadata } : {}),
      onEvent: (event) => {
        const lines = renderer.render(event);
        if (streaming) print(lines);
      },
    });
    if (!streaming) print(renderer.summary());
    if (result.sessionId !== null) telemetry(`Session ${result.sessionId} stored (status ${result.status}).\n`);
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return result.status === "succeeded" ? 0 : 1;
  } finally {
    process.off("SIGINT", cancel);
    process.off("SIGTERM", cancel);
    await database?.close();
  }
};

function parseMetadata(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--metadata must be a JSON object (${(error as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError("--metadata must be a JSON object, e.g. '{\"team\": \"search\"}'");
  }
  return value as Record<string, unknown>;
}
