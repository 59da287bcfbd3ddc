import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/lib/db/client";
import { setProcessRole } from "@/lib/server/process-identity";
import { healthReport } from "./status";

const scratch = mkdtempSync(path.join(tmpdir(), "atlas-health-"));
const previousDataDir = process.env.ATLAS_DATA_DIR;
const previousUrl = process.env.DATABASE_URL;
afterAll(async () => {
  await closeDatabase();
  if (previousDataDir === undefined) delete process.env.ATLAS_DATA_DIR;
  else process.env.ATLAS_DATA_DIR = previousDataDir;
  if (previousUrl !== undefined) process.env.DATABASE_URL = previousUrl;
  rmSync(scratch, { recursive: true, force: true });
});

describe("the dashboard while a CLI run holds the embedded database", () => {
  it("reports the holder as degraded health, and recovers once the lock is released", async () => {
    const dataDir = path.join(scratch, "pgdata");
    process.env.ATLAS_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    setProcessRole({ kind: "dashboard", url: "http://127.0.0.1:3999" });
    // The parent of the test worker stands for the live `atlas run` process.
    writeFileSync(`${dataDir}.lock`, `${hostname()} ${process.ppid}\n{"kind":"cli","command":"atlas run"}\n`);

    const held = await healthReport();
    expect(held.status).toBe("degraded");
    if (held.database.ok) throw new Error("the database opened despite the lock");
    expect(held.database.heldByAnotherProcess).toBe(true);
    expect(held.database.error).toMatch(/in use by `atlas run` \(process \d+\).*The dashboard opens it as soon as that process finishes/);
    // Asked again while still held: still refused, nothing cached.
    expect((await healthReport()).status).toBe("degraded");

    rmSync(`${dataDir}.lock`);
    const released = await healthReport();
    expect(released).toMatchObject({ status: "ok", database: { ok: true, driver: "pglite", location: dataDir } });
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
  });
});
