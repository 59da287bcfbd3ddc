import { DatabaseLockedError } from "@/lib/db/drivers/folder-lock";
import { openMigratedDatabase } from "@/lib/db/open";
import { resolveDatabaseTarget, type DatabaseTarget } from "@/lib/db/target";
import type { DatabaseHandle } from "@/lib/db/types";
import { ExportFiltersSchema, type ExportFilters } from "@/lib/export/filters";
import { countLeftOutByReviewStatus, emptyStats, exportChunks, type ExportStats } from "@/lib/export/stream";
import { resolveOutputPath, writeLinesAtomically } from "@/lib/export/write-file";
import { parseCommandArgs } from "../args";
import { UsageError, type Command, type CommandIO } from "../io";
import { exportChunksThroughDashboard } from "./export-through-dashboard";

const OPTIONS = {
  output: { type: "string" },
  "database-url": { type: "string" },
  "session-id": { type: "string", multiple: true },
  status: { type: "string", multiple: true },
  "review-status": { type: "string", multiple: true },
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
  "judgement-version": { type: "string" },
  quiet: { type: "boolean", default: false },
} as const;

/** Flag ⇔ filter key (the filter schema is shared with `/api/export` and the page). */
const FLAG_TO_FILTER = {
  "session-id": "session_id",
  status: "status",
  "review-status": "review_status",
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
  "judgement-version": "judgement_version",
} as const;

export const exportCommand: Command = async (args, io) => {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (!values.output) throw new UsageError("--output is required (a file path, or - for standard output)");
  const { filters, query } = parseFilters(values);
  const log = logger(io, values.quiet);
  const target = resolveDatabaseTarget(io.env, values["database-url"]);
  const handle = await openUnlessDashboardHolds(target);
  const abort = new AbortController();
  const stopOnSignal = () => abort.abort(new Error("export interrupted"));
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  const stats = emptyStats();
  try {
    let chunks: AsyncIterable<string>;
    if ("dashboardUrl" in handle) {
      log.info(`The dashboard at ${handle.dashboardUrl} holds the embedded database: exporting through its API.`);
      chunks = await exportChunksThroughDashboard({ url: handle.dashboardUrl, query, io, signal: abort.signal }, stats);
    } else {
      const leftOut = await countLeftOutByReviewStatus(handle.db, filters);
      describeReviewSelection(log, filters, leftOut);
      chunks = exportChunks(handle.db, filters, {
        stats,
        signal: abort.signal,
        onBatch: (progress) => log.progress(`exported ${counted(progress.sessions, "session")} (${counted(progress.steps, "step")})…`),
      });
    }
    if (values.output === "-") await writeToStdout(io, chunks);
    else await writeLinesAtomically(resolveOutputPath(values.output, io.cwd, io.env.HOME), chunks);
  } finally {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
    if ("close" in handle) await handle.close();
  }
  return report(log, stats, filters);
};

/** A read-only command need not wait for the dashboard: when it holds the embedded database, its API answers. */
async function openUnlessDashboardHolds(target: DatabaseTarget): Promise<DatabaseHandle | { dashboardUrl: string }> {
  try {
    return await openMigratedDatabase(target);
  } catch (error) {
    if (error instanceof DatabaseLockedError && error.holder.role?.kind === "dashboard") return { dashboardUrl: error.holder.role.url };
    throw error;
  }
}

function parseFilters(values: Record<string, unknown>): { filters: ExportFilters; query: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_TO_FILTER)) if (values[flag] !== undefined) input[key] = values[flag];
  const parsed = ExportFiltersSchema.safeParse(input);
  if (parsed.success) return { filters: parsed.data, query: input };
  const flagOf = Object.fromEntries(Object.entries(FLAG_TO_FILTER).map(([flag, key]) => [key, flag]));
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    return `${flagOf[key] ? `--${flagOf[key]}: ` : ""}${issue.message}`;
  });
  throw new UsageError(problems.join("; "));
}

/** Says which review statuses the export includes and how many sessions that leaves out. */
function describeReviewSelection(log: Logger, filters: ExportFilters, leftOut: { status: string; sessions: number }[]) {
  const total = leftOut.reduce((sum, entry) => sum + entry.sessions, 0);
  const detail = leftOut.map((entry) => `${entry.sessions} ${entry.status}`).join(", ");
  if (filters.reviewStatuses === "all") {
    log.info("Review gate off (--review-status all): sessions of every review status are exported.");
  } else if (filters.reviewStatuses === "default") {
    if (total > 0) {
      log.info(
        `Review gate: ${counted(total, "session")} left out (${detail}) because their config's runtime_safety.review ` +
          "exports other review statuses by default; pass --review-status STATUS or --review-status all to include them.",
      );
    }
  } else {
    log.info(
      `Review status filter: ${filters.reviewStatuses.join(", ")}` + (total > 0 ? ` (${counted(total, "session")} left out: ${detail}).` : "."),
    );
  }
}

function report(log: Logger, stats: ExportStats, filters: ExportFilters): number {
  if (stats.sessions === 0) {
    log.warning("No sessions were exported. Verify your filters and database contents.");
    return 1;
  }
  log.info(`Completed export of ${counted(stats.sessions, "session")} (${counted(stats.steps, "step")}).`);
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

function counted(value: number, noun: string): string {
  return `${count(value)} ${noun}${value === 1 ? "" : "s"}`;
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
