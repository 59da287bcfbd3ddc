import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setProcessRole } from "@/lib/server/process-identity";
import { DatabaseLockedError } from "./folder-lock";
import { openPglite } from "./pglite";

const scratch = mkdtempSync(path.join(tmpdir(), "atlas-lock-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the embedded database folder lock", () => {
  it("refuses a second opener while the folder is open, and frees the folder on close", async () => {
    const dataDir = path.join(scratch, "shared");
    const first = await openPglite(dataDir);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${hostname()} ${process.pid}`);
    await expect(openPglite(dataDir)).rejects.toThrow(/the embedded database .* is in use by process \d+ \(this process\)/);
    await first.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openPglite(dataDir);
    await again.close();
  });

  it("takes over a lock left by a process that is gone", async () => {
    const dataDir = path.join(scratch, "stale");
    writeFileSync(`${dataDir}.lock`, `${hostname()} 2147483646`);
    const handle = await openPglite(dataDir);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${hostname()} ${process.pid}`);
    await handle.close();
  });
});

describe("the lock names its holder and what to do instead", () => {
  // The parent of the test worker: a live process on this host that is not this one.
  const foreign = `${hostname()} ${process.ppid}`;

  async function refusal(dataDir: string): Promise<DatabaseLockedError> {
    const error = await openPglite(dataDir).then(
      (handle) => handle.close().then(() => null),
      (caught: unknown) => caught,
    );
    if (!(error instanceof DatabaseLockedError)) throw new Error(`expected a DatabaseLockedError, got ${String(error)}`);
    return error;
  }

  it("writes this process's role into the lock", async () => {
    setProcessRole({ kind: "dashboard", url: "http://127.0.0.1:3999" });
    const dataDir = path.join(scratch, "role");
    const handle = await openPglite(dataDir);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${hostname()} ${process.pid}\n{"kind":"dashboard","url":"http://127.0.0.1:3999"}\n`);
    await handle.close();
  });

  it("to `atlas run`: the dashboard holds it; --no-store, DATABASE_URL or launch from the dashboard", async () => {
    setProcessRole({ kind: "cli", command: "atlas run" });
    const dataDir = path.join(scratch, "held-by-dashboard");
    writeFileSync(`${dataDir}.lock`, `${foreign}\n{"kind":"dashboard","url":"http://127.0.0.1:3999"}\n`);
    const error = await refusal(dataDir);
    expect(error.holder).toEqual({ pid: process.ppid, role: { kind: "dashboard", url: "http://127.0.0.1:3999" } });
    expect(error.message).toBe(
      `the embedded database ${dataDir} is in use by the Atlas dashboard at http://127.0.0.1:3999 (process ${process.ppid}); ` +
        "it allows one process at a time. For `atlas run`: pass --no-store to keep nothing, launch the run from the dashboard " +
        "(http://127.0.0.1:3999/runs/new), or point DATABASE_URL at a PostgreSQL server both can share",
    );
    // The lock of a live holder is left alone.
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toContain(foreign);
  });

  it("to the dashboard: a CLI run holds it, and the dashboard opens it once the run finishes", async () => {
    setProcessRole({ kind: "dashboard", url: "http://127.0.0.1:3999" });
    const dataDir = path.join(scratch, "held-by-cli");
    writeFileSync(`${dataDir}.lock`, `${foreign}\n{"kind":"cli","command":"atlas run"}\n`);
    const error = await refusal(dataDir);
    expect(error.message).toMatch(/is in use by `atlas run` \(process \d+\); it allows one process at a time\. The dashboard opens it as soon as that process finishes/);
    expect(error.message).toContain("DATABASE_URL");
  });

  it("names an older lock's holder by its pid", async () => {
    setProcessRole({ kind: "cli", command: "atlas import" });
    const dataDir = path.join(scratch, "old-lock");
    writeFileSync(`${dataDir}.lock`, foreign);
    const error = await refusal(dataDir);
    expect(error.holder).toEqual({ pid: process.ppid, role: null });
    expect(error.message).toMatch(/in use by process \d+ \(the dashboard or another atlas command\).*Wait for it to finish, or point DATABASE_URL/);
  });
});