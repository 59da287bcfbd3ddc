/**
 * A server killed mid-run (SIGKILL: no shutdown hook runs) leaves its session `running`; start-up
 * recovery in the next process marks it `interrupted` after every event the dead process stored.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionById } from "@/lib/db/queries/sessions";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { openMigratedDatabase } from "@/lib/db/open";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import type { DatabaseHandle } from "@/lib/db/types";
import { testRunManager } from "./testing/harness";
import { runAndKill } from "./testing/kill-child";

const KILL_AFTER_EVENTS = 12;
const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

let llm: ScriptedLlm;
beforeAll(async () => {
  // Synthesis never answers, so the run is certainly in flight when the process dies.
  llm = await startScriptedLlm({ rules: [{ caller: "synthesizer", reply: { hang: true } }, ...demoRules()] });
});
afterAll(async () => {
  await llm?.close();
});

describe.each(drivers)("crash recovery on $driver", ({ driver, skip }) => {
  let shared: TestDatabase | null = null;
  let folder: string | null = null;

  afterAll(async () => {
    await shared?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it.skipIf(skip)("a session killed mid-run ends interrupted after every event stored before the kill", async () => {
    let databaseSpec: string;
    if (driver === "postgres") {
      shared = await createTestDatabase("postgres");
      databaseSpec = shared.url as string;
    } else {
      folder = mkdtempSync(path.join(tmpdir(), "atlas-crash-"));
      databaseSpec = folder;
    }
    const { sessionId, printed, signal, stderr } = await runAndKill({ database: databaseSpec, llmUrl: llm.url, killAfter: KILL_AFTER_EVENTS });
    expect(signal, `child stderr: ${stderr}`).toBe("SIGKILL");
    expect(sessionId).toBeGreaterThan(0);

    // The next process: PGlite reopens the dead process's folder (its own crash recovery runs first).
    const handle: DatabaseHandle = shared ?? (await openMigratedDatabase({ driver: "pglite", dataDir: databaseSpec }));
    try {
      expect((await getSessionById(handle.db, { id: sessionId }))?.status).toBe("running");
      const report = await testRunManager(handle.db, { pid: 777 }).recover();
      expect(report).toEqual({ interrupted: [sessionId], leftRunning: [], failed: [] });

      const stored = await listSessionEvents(handle.db, { sessionId, after: 0, limit: 10_000 });
      const seqs = stored.map((event) => event.seq);
      expect(seqs).toEqual(seqs.map((_, index) => index + 1));
      // Everything the dead process had announced is there (it may have stored a few more it never printed).
      expect(seqs.slice(0, printed.length)).toEqual(printed);
      expect(stored.at(-1)).toMatchObject({
        type: "session.interrupted",
        reason: "the server stopped while this session was running (process 777 found it unfinished at start-up)",
      });
      expect(stored.filter((event) => event.type.startsWith("session.") && event.type !== "session.started").map((event) => event.type)).toEqual([
        "session.interrupted",
      ]);
      expect((await getSessionById(handle.db, { id: sessionId }))?.status).toBe("interrupted");
    } finally {
      if (!shared) await handle.close();
    }
  });
});
