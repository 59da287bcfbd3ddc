import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget } from "@/lib/db/target";
import { ExportFiltersSchema, type ExportFilters } from "@/lib/export/filters";
import { emptyStats, exportChunks, type ExportStats } from "@/lib/export/stream";
import { resolveOutputPath, writeLinesAtomically } from "@/lib/export/write-file";
import { parseCommandArgs } from "../args";
import { UsageError, type Command, type CommandIO } from "../io";

const OPTIONS = {
  output: { type: "string" },
  "database-url": { type: "string" },
  "session-id": { type: "string", multiple: true },
  status: { type: "string", multiple: true },
  limit: { type: "string" },
  offset: { type: "string" },
  "trajectory-event-limit": { type: "string" },
  "batch-size": { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  "min-reward": { type: "string" },
  "config-name": { type: "string" },
  search: { type: "string" },
  experiment: { type: "string" },
  arm: { type: "string" },
  format: { type: "string" },
  quiet: { type: "boolean", default: false },
} as const;

/** Flag ⇔ filter key (the filter schema is shared with `/api/export` and the page). */
const FLAG_TO_FILTER = {
  "session-id": "session_id",
  status: "status",
  limit: "limit",
  offset: "offset",
  "trajectory-event-limit": "trajectory_event_limit",
  "batch-size": "batch_size",
  since: "since",
  until: "until",
  "min-reward": "min_reward",
  "config-name": "config",
  search: "q",
  experiment: "experiment",
  arm: "arm",
  format: "format",
} as const;

export const exportCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (!values.output) throw new UsageError("--output is required (a file path, or - for standard output)");
  const filters = parseFilters(values);
  const log = logger(io, values.quiet);
  const target = resolveDatabaseTarget(io.env, values["database-url"]);
  const handle = await openMigratedDatabase(target);
  const abort = new AbortController();
  const stopOnSignal = () => abort.abort(new Error("export interrupted"));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const stats = emptyStats();
  try {
    const chunks = exportChunks(handle.db, filters, {
      stats,
      signal: abort.signal,
      onBatch: (progress) => log.progress(`exported ${count(progress.sessions)} sessions (${count(progress.steps)} steps)…`),
    });
    if (values.output === "-") await writeToStdout(io, chunks);
    else await writeLinesAtomically(resolveOutputPath(values.output, io.cwd, io.env.HOME), chunks);
  } finally {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
    await handle.close();
  }
  return report(log, stats, filters);
};

function parseFilters(values: Record<string, unknown>): ExportFilters {
  const input: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_TO_FILTER)) if (values[flag] !== undefined) input[key] = values[flag];
  const parsed = ExportFiltersSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const flagOf = Object.fromEntries(Object.entries(FLAG_TO_FILTER).map(([flag, key]) => [key, flag]));
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    return `${flagOf[key] ? `--${flagOf[key]}: ` : ""}${issue.message}`;
  });
  throw new UsageError(problems.join("; "));
}

function report(log: Logger, stats: ExportStats, filters: ExportFilters): number {
  if (stats.sessions === 0) {
    log.warning("No sessions were exported. Verify your filters and database contents.");
    return 1;
  }
  log.info(`Completed export of ${stats.sessions} sessions (${stats.steps} steps).`);
  if (filters.format === "sessions") return 0;
  if (stats.lines === 0) {
    const what = filters.format === "pairs" ? "no step was retried and then accepted" : "the sessions have no steps";
    log.warning(`No ${filters.format} lines were written: ${what}.`);
    return 1;
  }
  log.info(`Wrote ${stats.lines} ${filters.format === "pairs" ? "preference pairs" : "step lines"}.`);
  return 0;
}

interface Logger {
  info(message: string): void;
  warning(message: string): void;
  progress(message: string): void;
}

/** Upstream's `"<LEVEL> <message>"` lines on stderr; --quiet keeps warnings only. */
function logger(io: CommandIO, quiet: boolean | undefined): Logger {
  return {
    info: (message) => {
      if (!quiet) io.stderr(`INFO ${message}\n`);
    },
    warning: (message) => io.stderr(`WARNING ${message}\n`),
    progress: (message) => {
      if (!quiet) io.stderr(`${message}\n`);
    },
  };
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * `--output -`. CommandIO has no stream, so backpressure is taken from process.stdout itself: when the command
 * writes to the real stdout, a slow reader pauses the export instead of filling memory.
 */
async function writeToStdout(io: CommandIO, chunks: AsyncIterable<string>) {
  for await (const chunk of chunks) {
    io.stdout(chunk);
    if (process.stdout.writableNeedDrain) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
}
