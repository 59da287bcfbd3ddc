import "server-only";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { AtlasError } from "@/lib/errors";
import { currentProcess, pidOf, processMayBeAlive } from "@/lib/server/process-identity";

/**
 * PGlite has no lock on its data folder, and two processes opening one folder see different data and
 * risk corrupting it (STACK.md pitfall 7). A lock file next to the folder names the process holding it;
 * a lock left by a process that is gone is taken over.
 */
export function lockDataFolder(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  const holder = currentProcess();
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(lockPath, "wx");
      writeSync(descriptor, holder);
      closeSync(descriptor);
      const release = () => {
        if (readLock(lockPath) === holder) rmSync(lockPath, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readLock(lockPath);
      if (current !== null && processMayBeAlive(current)) {
        throw new AtlasError(
          "unavailable",
          `the embedded database ${dataDir} is in use by process ${pidOf(current)}` +
            ` (${current === holder ? "this process" : "the dashboard or another atlas command"}); ` +
            "stop it, or point DATABASE_URL at a PostgreSQL server both can share",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new AtlasError("unavailable", `could not lock the embedded database ${dataDir}`);
}

function readLock(lockPath: string): string | null {
  try {
    return readFileSync(lockPath, "utf8").trim();
  } catch {
    return null;
  }
}
