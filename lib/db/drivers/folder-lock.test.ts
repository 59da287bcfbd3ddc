import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
