/**
 * `atlas experiment run --tasks NAME|FILE --config FILE [--config FILE…] [--repeats N] [--max-cost USD] [--json]`
 *
 * Runs every config (one arm each) over a task set in this process, on the database of DATABASE_URL
 * (else the embedded one), with a progress bar on a TTY and the comparison table at the end. `--scorer`
 * (a type, or a JSON scorer) scores final answers against expected answers (exact by default). `--json`
 * prints the experiment and its comparisons on stdout instead. Exit code 0 when every cell succeeded.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { runTask } from "@/lib/compose";
import type { AtlasConfig } from "@/lib/config";
import { loadConfigFile } from "@/lib/config/load-file";
import { resolveConfigForRun } from "@/lib/configs";
import { contentHash } from "@/lib/configs/hash";
import type { ConfigRef } from "@/lib/configs/types";
import { openMigratedDatabase } from "@/lib/db/open";
import { getTaskSetRowByName } from "@/lib/db/queries/task-sets";
import { databaseSessionStore } from "@/lib/db/session-store";
import { resolveDatabaseTarget } from "@/lib/db/target";
import type { AtlasDb } from "@/lib/db/types";
import { formatIssue } from "@/lib/errors";
import { ReferenceScorerSchema, type ReferenceScorer } from "@/lib/experiments/api-types";
import { compareArms } from "@/lib/experiments/compare";
import { runManagerLauncher } from "@/lib/experiments/launcher";
import { referenceScoring } from "@/lib/experiments/reference";
import { agentCodeRoots } from "@/lib/config/code-location";
import { ExperimentRunner } from "@/lib/experiments/runner";
import { createExperiment, getExperimentDetail } from "@/lib/experiments/service";
import { RunManager } from "@/lib/runs/run-manager";
import { readEnv } from "@/lib/server/env";
import { detectTaskFileFormat, parseTaskFile } from "@/lib/task-sets/parse";
import { createTaskSet, findTaskSet } from "@/lib/task-sets/service";
import { parseCommandArgs } from "../args";
import { UsageError, type Command, type CommandIO } from "../io";
import { comparisonTable, outcomeLine, progressLine } from "./experiment-report";
import { readTextFile } from "./tasks";

const PROGRESS_EVERY_MS = 500;

export const experimentCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== "run") throw new UsageError(sub ? `unknown subcommand "${sub}"` : "give a subcommand: run");
  const { values } = parseCommandArgs(rest, {
    tasks: { type: "string" },
    config: { type: "string", multiple: true },
    repeats: { type: "string" },
    "max-cost": { type: "string" },
    name: { type: "string" },
    scorer: { type: "string" },
    json: { type: "boolean" },
    "database-url": { type: "string" },
  });
  if (!values.tasks) throw new UsageError("--tasks NAME|FILE is required");
  if (!values.config || values.config.length === 0) throw new UsageError("give at least one --config FILE");
  const repeats = values.repeats === undefined ? 1 : Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 100) throw new UsageError(`--repeats must be an integer from 1 to 100 (got "${values.repeats}")`);
  const maxCost = values["max-cost"] === undefined ? undefined : Number(values["max-cost"]);
  if (maxCost !== undefined && !(Number.isFinite(maxCost) && maxCost > 0)) throw new UsageError(`--max-cost must be a positive number of dollars (got "${values["max-cost"]}")`);

  const scorer = parseScorer(values.scorer);
  const arms = await loadArms(values.config, io);
  if (!arms) return 1;
  const handle = await openMigratedDatabase(resolveDatabaseTarget(io.env, values["database-url"]));
  const manager = new RunManager({
    database: async () => handle.db,
    engine: runTask,
    // Inline YAML would resolve relative agent paths from the configs folder: keep each file's own folder.
    resolveConfig: async (db, ref: ConfigRef) => {
      const resolved = await resolveConfigForRun(db, ref);
      const file = arms.find((arm) => arm.hash === resolved.hash);
      return file ? { ...resolved, config: file.config, baseDir: path.dirname(file.path) } : resolved;
    },
    store: databaseSessionStore,
    maxConcurrent: readEnv("ATLAS_MAX_CONCURRENT_RUNS", io.env),
    env: io.env,
  });
  const runner = new ExperimentRunner({
    database: async () => handle.db,
    launcher: runManagerLauncher(manager),
    // Module scorers named relative to where the command runs, from the allowed folders or that one.
    afterCell: referenceScoring({
      database: async () => handle.db,
      baseDir: io.cwd,
      codeRoots: [...agentCodeRoots(io.env, io.cwd), io.cwd],
      resolveConfig: resolveConfigForRun,
      env: io.env,
    }),
  });
  const deps = { database: async () => handle.db, runner, resolveConfig: resolveConfigForRun, env: io.env };
  const log = values.json ? io.stderr : io.stdout;
  let experimentId: number | null = null;
  const cancel = () => {
    if (experimentId !== null) void runner.cancel(experimentId);
  };
  process.once("SIGINT", cancel);
  process.once("SIGTERM", cancel);
  try {
    const taskSetId = await taskSetFor(handle.db, values.tasks, io);
    const accepted = await createExperiment(deps, {
      ...(values.name ? { name: values.name } : {}),
      taskSetId,
      arms: arms.map((arm) => ({ config: { yaml: arm.yaml } })),
      repeats,
      ...(maxCost !== undefined ? { maxCostUsd: maxCost } : {}),
      ...(scorer ? { scorer } : {}),
    });
    experimentId = accepted.experimentId;
    log(`Experiment ${experimentId} started: ${arms.length} arm(s) × task set ${taskSetId} × ${repeats} repeat(s).\n`);
    await followProgress(handle.db, experimentId, runner.whenIdle(experimentId), io.isTTY && !values.json ? io : null);

    const detail = await getExperimentDetail(handle.db, experimentId);
    const [base, ...candidates] = detail.arms;
    const comparisons = base ? await Promise.all(candidates.map((arm) => compareArms(handle.db, base.id, arm.id))) : [];
    if (values.json) {
      io.stdout(`${JSON.stringify({ experiment: detail, comparisons }, null, 2)}\n`);
    } else {
      io.stdout(`${outcomeLine(detail)}\n`);
      if (detail.stopReason) io.stdout(`${detail.stopReason}\n`);
      io.stdout(`\n${comparisonTable(detail, comparisons, arms.map((arm) => arm.label))}\n`);
    }
    return detail.counts.succeeded === detail.counts.total ? 0 : 1;
  } finally {
    process.off("SIGINT", cancel);
    process.off("SIGTERM", cancel);
    await manager.shutdown();
    await handle.close();
  }
};

/** `contains` (a scorer type) or a JSON object such as `{"type": "numeric", "tolerance": 0.01}`. */
function parseScorer(text: string | undefined): ReferenceScorer | undefined {
  if (text === undefined) return undefined;
  let value: unknown = { type: text };
  if (text.trim().startsWith("{")) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--scorer is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = ReferenceScorerSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--scorer: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "type"}: ${issue.message}`).join("; ")}`);
  return parsed.data;
}

interface ArmFile {
  path: string;
  label: string;
  yaml: string;
  hash: string;
  config: AtlasConfig;
}

async function loadArms(files: string[], io: CommandIO): Promise<ArmFile[] | null> {
  const arms: ArmFile[] = [];
  let ok = true;
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    const loaded = await loadConfigFile(absolute);
    if (!loaded.ok) {
      for (const issue of loaded.issues) io.stderr(`${formatIssue(issue, file)}\n`);
      ok = false;
      continue;
    }
    const yaml = await readTextFile(absolute, file);
    arms.push({ path: absolute, label: path.basename(file), yaml, hash: contentHash(yaml), config: loaded.config });
  }
  return ok ? arms : null;
}

/** A file is imported once (its set is named after the file and its content); anything else names a stored set. */
async function taskSetFor(db: AtlasDb, ref: string, io: CommandIO): Promise<number> {
  const file = path.resolve(io.cwd, ref);
  if (!existsSync(file) || !statSync(file).isFile()) return (await findTaskSet(db, ref)).id;
  const text = await readTextFile(file, ref);
  const name = `${path.basename(ref)} ${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
  const existing = await getTaskSetRowByName(db, name);
  if (existing) return existing.id;
  const tasks = parseTaskFile(text, detectTaskFileFormat(ref, text), ref);
  return (await createTaskSet(db, { name, tasks })).id;
}

async function followProgress(db: AtlasDb, experimentId: number, idle: Promise<void>, tty: CommandIO | null): Promise<void> {
  if (!tty) return idle;
  let finished = false;
  void idle.finally(() => {
    finished = true;
  });
  while (!finished) {
    tty.stdout(`\r${progressLine(await getExperimentDetail(db, experimentId))}`);
    await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS))]);
  }
  tty.stdout(`\r${progressLine(await getExperimentDetail(db, experimentId))}\n`);
}
