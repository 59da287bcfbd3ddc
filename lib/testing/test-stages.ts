/**
 * `npm test`: runs every stage even when an earlier one fails, so one failing unit test does not hide
 * the browser tests' result. Output streams as it comes; a summary line per stage follows at the end,
 * and the exit code is 1 when any stage failed. `npm test -- lint unit` runs only the stages named.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Stage {
  name: string;
  command: string;
  args: string[];
}

const npmScript = (name: string, script: string): Stage => ({ name, command: "npm", args: ["run", "--silent", script] });

/** Every stage of `npm test`, in order; a new stage is one more line here. */
export const TEST_STAGES: Stage[] = [
  npmScript("typecheck", "typecheck"),
  npmScript("lint", "lint"),
  npmScript("unit", "test:unit"),
  npmScript("e2e", "test:e2e"),
  // The fuzz, crash and load tests at their full counts (the unit stage runs them small).
  npmScript("stress", "test:stress"),
];

export interface StageResult {
  name: string;
  passed: boolean;
  durationMs: number;
  /** Set when the stage did not end by itself (a signal) or could not start. */
  note?: string;
}

export interface RunOptions {
  write?: (text: string) => void;
  /** Where a stage's output goes: the terminal by default. */
  stdio?: "inherit" | "ignore";
  cwd?: string;
}

export async function runStages(stages: Stage[], options: RunOptions = {}): Promise<StageResult[]> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const results: StageResult[] = [];
  let interrupted: NodeJS.Signals | null = null;
  let current: ReturnType<typeof spawn> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    current?.kill(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for (const stage of stages) {
      if (interrupted) break;
      write(`\n=== ${stage.name}: ${[stage.command, ...stage.args].join(" ")}\n`);
      const started = performance.now();
      const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
        const child = spawn(stage.command, stage.args, { stdio: options.stdio ?? "inherit", cwd: options.cwd });
        current = child;
        child.once("error", (error) => resolve({ code: null, signal: null, error }));
        child.once("exit", (code, signal) => resolve({ code, signal }));
      });
      current = null;
      const note = outcome.error ? `could not start: ${outcome.error.message}` : outcome.signal ? `stopped by ${outcome.signal}` : undefined;
      results.push({ name: stage.name, passed: outcome.code === 0, durationMs: performance.now() - started, ...(note ? { note } : {}) });
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  write(summary(results, stages.length));
  return results;
}

export function summary(results: StageResult[], planned: number): string {
  const width = Math.max(0, ...results.map((result) => result.name.length));
  const lines = results.map(
    (result) =>
      `${`${result.name}:`.padEnd(width + 1)} ${result.passed ? "passed" : "failed"} (${formatDuration(result.durationMs)})` +
      (result.note ? `, ${result.note}` : ""),
  );
  const failed = results.filter((result) => !result.passed).length;
  const notRun = planned - results.length;
  return [
    "",
    "=== summary",
    ...lines,
    ...(notRun > 0 ? [`(${notRun} stage(s) not run: interrupted)`] : []),
    `stages: ${results.length - failed} passed, ${failed} failed`,
    "",
  ].join("\n");
}

export function formatDuration(ms: number): string {
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** The stages named on the command line (all when none is named). */
export function selectStages(names: string[], stages: Stage[] = TEST_STAGES): Stage[] {
  if (names.length === 0) return stages;
  const unknown = names.filter((name) => !stages.some((stage) => stage.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown stage(s) ${unknown.join(", ")}; the stages are ${stages.map((stage) => stage.name).join(", ")}`);
  }
  return stages.filter((stage) => names.includes(stage.name));
}

async function main(argv: string[]): Promise<number> {
  let stages: Stage[];
  try {
    stages = selectStages(argv);
  } catch (error) {
    process.stderr.write(`npm test: ${(error as Error).message}\n`);
    return 2;
  }
  const results = await runStages(stages);
  if (results.length < stages.length) return 130;
  return results.every((result) => result.passed) ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
