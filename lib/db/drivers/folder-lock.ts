import "server-only";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { AtlasError } from "@/lib/errors";
import { currentProcess, pidOf, processMayBeAlive, processRole, type ProcessRole } from "@/lib/server/process-identity";

/** Who holds the embedded database: read from its lock file. */
export interface LockHolder {
  pid: number;
  /** Null for a lock written without one (an older version, or a process that did not say). */
  role: ProcessRole | null;
}

/** The embedded database is held by another live process; `holder` says which (the CLI uses a dashboard's API). */
export class DatabaseLockedError extends AtlasError {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super("unavailable", message);
  }
}

/**
 * PGlite has no lock on its data folder, and two processes opening one folder see different data and
 * risk corrupting it (STACK.md pitfall 7). A lock file next to the folder names the process holding it
 * (first line `<host> <pid>`, second line its role as JSON); a lock left by a process that is gone is
 * taken over.
 */
export function lockDataFolder(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  const holder = currentProcess();
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(lockPath, "wx");
      const role = processRole();
      writeSync(descriptor, role ? `${holder}\n${JSON.stringify(role)}\n` : holder);
      closeSync(descriptor);
      const release = () => {
        if (readLock(lockPath)?.identity === holder) rmSync(lockPath, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readLock(lockPath);
      if (current !== null && processMayBeAlive(current.identity)) {
        const lockHolder = { pid: pidOf(current.identity), role: current.role };
        throw new DatabaseLockedError(lockedMessage(dataDir, lockHolder, current.identity === holder), lockHolder);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new AtlasError("unavailable", `could not lock the embedded database ${dataDir}`);
}

/** Names the holder and what the one who asked can do instead. */
export function lockedMessage(dataDir: string, holder: LockHolder, byThisProcess = false): string {
  const who = byThisProcess
    ? `process ${holder.pid} (this process)`
    : holder.role?.kind === "dashboard"
      ? `the Atlas dashboard at ${holder.role.url} (process ${holder.pid})`
      : holder.role?.kind === "cli"
        ? `\`${holder.role.command}\` (process ${holder.pid})`
        : `process ${holder.pid} (the dashboard or another atlas command)`;
  const head = `the embedded database ${dataDir} is in use by ${who}; it allows one process at a time`;
  const shared = "point DATABASE_URL at a PostgreSQL server both can share";
  const opener = processRole();
  if (opener?.kind === "dashboard") {
    return `${head}. The dashboard opens it as soon as that process finishes; to use both at once, ${shared}`;
  }
  if (opener?.kind === "cli" && opener.command !== "atlas run") {
    const viaDashboard = holder.role?.kind === "dashboard" ? ` (or do it in the dashboard at ${holder.role.url})` : "";
    return `${head}. Wait for it to finish${viaDashboard}, or ${shared}`;
  }
  const launch = holder.role?.kind === "dashboard" ? `launch the run from the dashboard (${holder.role.url}/runs/new)` : "launch runs from the dashboard";
  return `${head}. For \`atlas run\`: pass --no-store to keep nothing, ${launch}, or ${shared}`;
}

function readLock(lockPath: string): { identity: string; role: ProcessRole | null } | null {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    return null;
  }
  const [identity = "", roleLine] = text.split("\n");
  return { identity: identity.trim(), role: parseRole(roleLine) };
}

function parseRole(line: string | undefined): ProcessRole | null {
  if (!line?.trim()) return null;
  try {
    const value = JSON.parse(line) as Partial<Record<string, unknown>>;
    if (value.kind === "dashboard" && typeof value.url === "string") return { kind: "dashboard", url: value.url };
    if (value.kind === "cli" && typeof value.command === "string") return { kind: "cli", command: value.command };
  } catch {
    // A lock written by hand or cut short: the holder is still named by its pid.
  }
  return null;
}
