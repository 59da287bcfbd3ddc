import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { openMigratedDatabase } from "@/lib/db/open";
import type { DatabaseHandle } from "@/lib/db/types";
import { exportFilters } from "@/lib/export/filters";
import { exportCount, exportDownload } from "@/lib/export/http";
import { exportChunks } from "@/lib/export/stream";
import { setProcessRole } from "@/lib/server/process-identity";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "@/lib/db/testing/databases";
import { seedSet, type SeededSession } from "@/lib/export/testing/seed-set";
import type { CommandIO } from "../io";
import { main } from "../main";
import { captureIO as captureCommandIO } from "../testing";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../../..");
const postgresSkip = await postgresUnavailableReason();
if (postgresSkip) console.warn(`atlas export/import CLI tests on postgres skipped: ${postgresSkip}`);

function captureIO(env: CommandIO["env"], cwd: string) {
  return captureCommandIO({ env, cwd });
}

describe.skipIf(postgresSkip)("atlas export / atlas import (postgres)", () => {
  let database: TestDatabase;
  let seeded: Map<string, SeededSession>;
  let folder: string;
  const cli = async (args: string[]) => {
    const capture = captureIO({ HOME: folder }, folder);
    const code = await main(args, capture.io);
    return { code, stdout: capture.stdout(), stderr: capture.stderr() };
  };
  const withDb = (...args: string[]) => [...args, "--database-url", database.url!];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    seeded = await seedSet(database.db);
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-export-cli-"));
  });
  afterAll(async () => {
    await database?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("writes every session, reports progress per batch and the upstream completion line", async () => {
    const result = await cli(withDb("export", "--output", "out/all.jsonl", "--batch-size", "3"));
    expect(result.code).toBe(0);
    const lines = readFileSync(path.join(folder, "out/all.jsonl"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(result.stderr).toBe(
      [
        "exported 3 sessions (4 steps)…",
        "exported 6 sessions (9 steps)…",
        "exported 7 sessions (11 steps)…",
        "INFO Completed export of 7 sessions (11 steps).",
        "",
      ].join("\n"),
    );
    expect(existsSync(path.join(folder, "out/all.jsonl.partial-" + process.pid))).toBe(false);
  });

  it("expands ~ in --output and overwrites an existing file", async () => {
    writeFileSync(path.join(folder, "home.jsonl"), "old content\n".repeat(100));
    const result = await cli(withDb("export", "--output", "~/home.jsonl", "--limit", "1", "--quiet"));
    expect(result).toMatchObject({ code: 0, stderr: "", stdout: "" });
    const text = readFileSync(path.join(folder, "home.jsonl"), "utf8");
    expect(text.split("\n").filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(text).session_metadata.session_id).toBe(seeded.get("long")!.sessionId);
  });

  it("filters with every flag the shared schema knows", async () => {
    const churn = seeded.get("churn")!.sessionId;
    const failed = seeded.get("failed")!.sessionId;
    const ids = async (...args: string[]) => {
      const result = await cli(withDb("export", "--output", "-", "--quiet", ...args));
      return result.stdout.trimEnd().split("\n").filter(Boolean).map((line) => JSON.parse(line).session_metadata.session_id);
    };
    expect(await ids("--session-id", String(failed), "--session-id", String(churn))).toEqual([failed, churn]);
    expect(await ids("--status", "failed", "--status", "CANCELLED")).toEqual([seeded.get("cancelled")!.sessionId, failed]);
    expect(await ids("--since", "2025-10-02", "--until", "2025-10-03")).toEqual([churn]);
    expect(await ids("--config-name", "finance", "--offset", "1", "--limit", "1")).toEqual([churn]);
    expect(await ids("--search", "board memo")).toEqual([failed]);
    // Session reward = mean of rewarded steps, for succeeded sessions only (lib/trajectory/session-reward.ts):
    // revenue (0.8, 0.9) and long (0.9, 0.8) reach 0.85; cancelled (0.85) has a partial reward, which no reward filter matches.
    const atLeast085 = ["revenue", "long"].map((key) => seeded.get(key)!.sessionId);
    expect((await ids("--min-reward", "0.85")).sort()).toEqual(atLeast085.sort());
    const limited = await cli(withDb("export", "--output", "-", "--quiet", "--session-id", String(seeded.get("long")!.sessionId), "--trajectory-event-limit", "5"));
    const record = JSON.parse(limited.stdout);
    expect(record.trajectory_events).toHaveLength(5);
    expect(record.session_metadata.atlas.trajectory_events_truncated).toEqual({ kept: 5, total: seeded.get("long")!.eventCount });
  });

  it("writes the steps and pairs formats and counts their lines", async () => {
    const steps = await cli(withDb("export", "--output", "-", "--format", "steps", "--status", "failed"));
    expect(steps.code).toBe(0);
    expect(steps.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(steps.stderr).toContain("INFO Wrote 1 step lines.");
    const pairs = await cli(withDb("export", "--output", "-", "--format", "pairs"));
    expect(pairs.stdout.trimEnd().split("\n")).toHaveLength(4);
    const none = await cli(withDb("export", "--output", "-", "--format", "pairs", "--status", "failed"));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("WARNING No pairs lines were written: no step was retried and then accepted.");
  });

  it("exits 1 with the upstream warning when nothing matches, leaving an empty file", async () => {
    const result = await cli(withDb("export", "--output", "empty.jsonl", "--status", "queued", "--quiet"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("WARNING No sessions were exported. Verify your filters and database contents.\n");
    expect(readFileSync(path.join(folder, "empty.jsonl"), "utf8")).toBe("");
  });

  it("rejects bad flags with the flag name and the usage", async () => {
    const missing = await cli(withDb("export"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--output is required");
    const bad = await cli(withDb("export", "--output", "-", "--limit", "ten", "--since", "2025-13-01", "--format", "csv"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limit: limit must be an integer");
    expect(bad.stderr).toContain("--since: since is not a real date: 2025-13-01");
    expect(bad.stderr).toContain("--format: ");
    expect(bad.stderr).toContain("Usage: atlas export");
  });

  it("imports a file, skips it the second time and reports malformed lines with their numbers", async () => {
    const exported = path.join(folder, "roundtrip.jsonl");
    expect((await cli(withDb("export", "--output", exported, "--quiet", "--limit", "2"))).code).toBe(0);
    const target = await createTestDatabase("postgres");
    try {
      const importInto = (file: string) => cli(["import", file, "--database-url", target.url!]);
      const first = await importInto(exported);
      expect(first).toMatchObject({ code: 0, stdout: "Summary: imported 2, skipped 0.\n" });
      const second = await importInto(exported);
      expect(second.stdout).toBe("Summary: imported 0, skipped 2 (already imported 2, malformed 0).\n");
      const broken = path.join(folder, "broken.jsonl");
      writeFileSync(broken, `${readFileSync(exported, "utf8")}{"task": 1, "steps": []}\n\nnot json\n`);
      const third = await importInto(broken);
      expect(third.code).toBe(1);
      expect(third.stderr).toContain("broken.jsonl:3: task: task must be a string");
      expect(third.stderr).toContain("broken.jsonl:5: not valid JSON");
      expect(third.stdout).toMatch(/^Summary: imported 0, skipped 4 \(already imported 2, malformed 2: line 3: task: task must be a string; line 5: not valid JSON/);
      expect((await cli(["import", "nope.jsonl", "--database-url", target.url!])).stderr).toContain("no such file: nope.jsonl");
    } finally {
      await target.close();
    }
  });

  it("says 1 session, not 1 sessions", async () => {
    const churn = seeded.get("churn")!.sessionId;
    const result = await cli(withDb("export", "--output", "one.jsonl", "--session-id", String(churn)));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^exported 1 session \(\d+ steps?\)…\nINFO Completed export of 1 session \(\d+ steps?\)\.\n$/);
  });

  it("runs as the real `atlas` binary and streams to a pipe", async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ["lib/cli/bin.mjs", "export", "--output", "-", "--database-url", database.url!, "--status", "succeeded"],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: "" }, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout.trimEnd().split("\n")).toHaveLength(5);
    expect(stderr).toContain("INFO Completed export of 5 sessions (9 steps).");
  });
});

describe("atlas export from the embedded database", () => {
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-export-pglite-"));
    const handle = await openMigratedDatabase({ driver: "pglite", dataDir: path.join(folder, "pgdata") });
    try {
      await seedSet(handle.db);
    } finally {
      await handle.close();
    }
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("reads ATLAS_DATA_DIR when no URL is given", async () => {
    const capture = captureIO({ ATLAS_DATA_DIR: path.join(folder, "pgdata") }, folder);
    const code = await main(["export", "--output", "x.jsonl", "--format", "steps"], capture.io);
    expect(code).toBe(0);
    expect(readFileSync(path.join(folder, "x.jsonl"), "utf8").trimEnd().split("\n")).toHaveLength(11);
    expect(capture.stderr()).toContain("INFO Completed export of 7 sessions (11 steps).");
  });
});

describe("atlas export while the dashboard holds the embedded database", () => {
  let folder: string;
  let dashboard: DatabaseHandle;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), "atlas-export-dashboard-"));
    server = createServer((request, response) => void answerExport(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The lock names the dashboard and where it answers, as `atlas serve` writes it.
    setProcessRole({ kind: "dashboard", url });
    dashboard = await openMigratedDatabase({ driver: "pglite", dataDir: path.join(folder, "pgdata") });
    await seedSet(dashboard.db);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await dashboard?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** The dashboard's two export routes over its open database (a plain HTTP server in front of the same handlers). */
  async function answerExport(request: IncomingMessage, response: ServerResponse) {
    const webRequest = new Request(`${url}${request.url}`);
    const answer = new URL(webRequest.url).pathname === "/api/export/count"
      ? Response.json(await exportCount(dashboard.db, webRequest))
      : exportDownload(dashboard.db, webRequest);
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    for await (const chunk of answer.body!) response.write(chunk);
    response.end();
  }

  it("exports through the dashboard's API with the same filters, and says so", async () => {
    const direct: string[] = [];
    for await (const chunk of exportChunks(dashboard.db, exportFilters({ status: "succeeded", format: "steps" }))) direct.push(chunk);
    const capture = captureIO({ ATLAS_DATA_DIR: path.join(folder, "pgdata") }, folder);
    const code = await main(["export", "--output", "steps.jsonl", "--status", "succeeded", "--format", "steps"], capture.io);
    expect(capture.stderr()).toContain(`INFO The dashboard at ${url} holds the embedded database: exporting through its API.`);
    expect(code).toBe(0);
    expect(readFileSync(path.join(folder, "steps.jsonl"), "utf8")).toBe(direct.join(""));
    expect(capture.stderr()).toContain("INFO Completed export of 5 sessions (9 steps).");
    expect(capture.stderr()).toContain(`INFO Wrote ${direct.join("").trimEnd().split("\n").length} step lines.`);
  });

  it("names the dashboard when a run cannot take the database", async () => {
    const capture = captureIO({ ATLAS_DATA_DIR: path.join(folder, "pgdata") }, repoRoot);
    const code = await main(["run", "--config", "configs/examples/demo_offline.yaml", "--task", "t"], capture.io);
    expect(code).toBe(1);
    expect(capture.stderr()).toContain(`is in use by process ${process.pid} (this process)`);
    expect(capture.stderr()).toContain(`launch the run from the dashboard (${url}/runs/new)`);
    expect(capture.stderr()).toMatch(/--no-store .*DATABASE_URL/);
  });
});