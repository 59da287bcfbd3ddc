/**
 * PostgreSQL restarted in the middle of a run, on a private cluster (initdb + pg_ctl of the installed
 * PostgreSQL 15, as the `postgres` user when this runs as root), never the machine's shared one. The
 * run either recovers or ends `failed` with a reason naming the database; afterwards the same run
 * manager still reads sessions and completes a new run.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionById } from "@/lib/db/queries/sessions";
import { openMigratedDatabase } from "@/lib/db/open";
import type { DatabaseHandle } from "@/lib/db/types";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { scriptedConfigYaml, testRunManager } from "./testing/harness";

const run = promisify(execFile);
const BIN = process.env.ATLAS_TEST_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const TERMINAL = new Set(["session.completed", "session.failed", "session.cancelled", "session.interrupted"]);

interface Cluster {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** null with the reason when a private cluster cannot be made here. */
async function startPrivateCluster(): Promise<Cluster | string> {
  if (!existsSync(path.join(BIN, "initdb"))) return `no PostgreSQL binaries at ${BIN} (set ATLAS_TEST_PG_BIN)`;
  const folder = mkdtempSync(path.join(tmpdir(), "atlas-private-pg-"));
  // initdb refuses to run as root: run the binaries as the postgres user then.
  const asRoot = userInfo().uid === 0;
  const exec = (binary: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(BIN, binary), ...args]) : run(path.join(BIN, binary), args);
  try {
    if (asRoot) chownSync(folder, Number((await run("id", ["-u", "postgres"])).stdout.trim()), -1);
    const data = path.join(folder, "data");
    await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const port = await freePort();
    const ctl = (...args: string[]) => exec("pg_ctl", ["-D", data, "-l", path.join(folder, "log"), "-w", ...args]);
    const options = ["-o", `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`];
    await ctl(...options, "start");
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      restart: async () => void (await ctl(...options, "-m", "fast", "restart")),
      stop: async () => {
        await ctl("-m", "immediate", "stop").catch(() => undefined);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    return `cannot start a private PostgreSQL (${(error as Error).message.split("\n")[0]})`;
  }
}

let cluster: Cluster | string = "not started";
let llm: ScriptedLlm;
let handle: DatabaseHandle | null = null;

beforeAll(async () => {
  cluster = await startPrivateCluster();
  if (typeof cluster === "string") console.warn(`skipping the PostgreSQL restart test: ${cluster}`);
  llm = await startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 100 });
});
afterAll(async () => {
  await handle?.close();
  if (typeof cluster !== "string") await cluster.stop();
  await llm?.close();
});

describe("PostgreSQL restarted mid-run", () => {
  it("the run recovers or fails naming the database, and the server keeps serving", async (context) => {
    if (typeof cluster === "string") return context.skip(cluster);
    const db = (handle = await openMigratedDatabase({ driver: "postgres", url: cluster.url })).db;
    const manager = testRunManager(db);
    const events: TrajectoryEvent[] = [];
    let restarted: Promise<void> | null = null;
    const accepted = await manager.startRun({ task: "Keep going through a database restart", config: { yaml: scriptedConfigYaml(llm.url) } });
    const ended = new Promise<TrajectoryEvent>((resolve) => {
      manager.bus.subscribe(accepted.sessionId, (event) => {
        events.push(event);
        if (events.length === 4 && typeof cluster !== "string") restarted = cluster.restart();
        if (TERMINAL.has(event.type)) resolve(event);
      });
    });
    // The manager records the end (retrying while the database is down) and publishes it.
    const terminal = await ended;
    await restarted;
    const session = await getSessionById(db, { id: accepted.sessionId });
    if (terminal.type === "session.completed") {
      expect(session?.status).toBe("succeeded");
    } else {
      expect(terminal.type).toBe("session.failed");
      expect(String((terminal as { reason?: string }).reason ?? session?.error)).toContain("the database failed during the run");
    }

    // Still serving: reads work and a new run completes on the restarted database.
    const next = await manager.startRun({ task: "After the restart", config: { yaml: scriptedConfigYaml(llm.url) } });
    const nextEnd = await new Promise<TrajectoryEvent>((resolve) =>
      manager.bus.subscribe(next.sessionId, (event) => TERMINAL.has(event.type) && resolve(event)),
    );
    expect(nextEnd.type).toBe("session.completed");
    expect((await getSessionById(db, { id: next.sessionId }))?.status).toBe("succeeded");
    await manager.shutdown();
  });
});
