/**
 * Runs lib/runs/testing/crash-child.ts (a server process running one session) and SIGKILLs it once it
 * has printed `killAfter` stored events. Node itself runs the child (tsx as a loader, not its CLI, which
 * would fork), so the signal hits the process that writes.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const root = path.resolve(import.meta.dirname, "../../..");

export interface KilledRun {
  sessionId: number;
  /** Seqs of the events the child reported stored before it was killed. */
  printed: number[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

export async function runAndKill(options: { database: string; llmUrl: string; killAfter: number }): Promise<KilledRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./lib/server/server-only-hooks.mjs", "lib/runs/testing/crash-child.ts"], {
    cwd: root,
    env: { ...process.env, ATLAS_CRASH_DB: options.database, ATLAS_CRASH_LLM_URL: options.llmUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  const printed: number[] = [];
  let sessionId = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const message = parseLine(line);
    if (message === null) {
      child.kill("SIGKILL");
      throw new Error(`the crash child printed ${JSON.stringify(line)} instead of a JSON line; its stderr: ${stderr}`);
    }
    if (message.started !== undefined) sessionId = message.started;
    if (message.seq !== undefined) printed.push(message.seq);
    if (printed.length >= options.killAfter) {
      child.kill("SIGKILL");
      break;
    }
  }
  return { sessionId, printed, signal: await exited, stderr };
}

function parseLine(line: string): { started?: number; seq?: number } | null {
  try {
    return JSON.parse(line) as { started?: number; seq?: number };
  } catch {
    return null;
  }
}
