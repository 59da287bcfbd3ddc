import "server-only";
import { hostname } from "node:os";

/** "<host> <pid>": which process holds a lock or runs a session. */
export function currentProcess(): string {
  return `${hostname()} ${process.pid}`;
}

export function pidOf(identity: string): number {
  return Number(identity.split(" ")[1]);
}

/** Alive, or on another host (which this process cannot check). */
export function processMayBeAlive(identity: string): boolean {
  const [host, pid] = identity.split(" ");
  if (host !== hostname()) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function isOnThisHost(identity: string): boolean {
  return identity.split(" ")[0] === hostname();
}

/** What this process is, for the messages of whoever finds it holding a resource (the embedded database). */
export type ProcessRole = { kind: "dashboard"; url: string } | { kind: "cli"; command: string };

// On globalThis: the bundler may load this module more than once in the dashboard process.
const roleHolder = globalThis as unknown as { __atlasProcessRole?: ProcessRole };

export function setProcessRole(role: ProcessRole): void {
  roleHolder.__atlasProcessRole = role;
}

export function processRole(): ProcessRole | null {
  return roleHolder.__atlasProcessRole ?? null;
}
