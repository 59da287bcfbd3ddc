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
