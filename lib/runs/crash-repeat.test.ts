/**
 * The embedded database survives repeated SIGKILLs mid-run: each time a server process is killed while
 * it writes events, the next process opens the same PGlite folder, marks the session `interrupted`
 * after every event stored before the kill (gap-free), and the partial trace exports. The kill lands
 * after a different number of events each round. `npm run test:stress` runs ten rounds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionById } from "@/lib/db/queries/sessions";
import { listSessionEvents } from "@/lib/db/queries/session-views";
import { openMigratedDatabase } from "@/lib/db/open";
import { ExportFiltersSchema } from "@/lib/export/filters";
import { exportChunks } from "@/lib/export/stream";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { stressCount, STRESS_TIMEOUT_MS } from "@/lib/testing/stress";
import { testRunManager } from "./testing/harness";
import { runAndKill } from "./testing/kill-child";

const ROUNDS = stressCount(2, 10);
let llm: ScriptedLlm;
let folder: string;

beforeAll(async () => {
  // Fast replies: the child writes events back to back, so the kill lands while it is writing.
  llm = await startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 5 });
  folder = mkdtempSync(path.join(tmpdir(), "atlas-crash-repeat-"));
});
afterAll(async () => {
  await llm?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});


describe("PGlite under repeated SIGKILL", () => {
  it(`${ROUNDS} kills mid-write: the database opens each time, the session ends interrupted, events are gap-free, the trace exports`, async () => {
    const sessions: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const { sessionId, printed, signal, stderr } = await runAndKill({ database: folder, llmUrl: llm.url, killAfter: 2 + ((round * 7) % 23) });
      expect(signal, `child stderr: ${stderr}`).toBe("SIGKILL");
      expect(sessionId).toBeGreaterThan(0);
      sessions.push(sessionId);

      const handle = await openMigratedDatabase({ driver: "pglite", dataDir: folder });
      try {
        const report = await testRunManager(handle.db, { pid: 9000 + round }).recover();
        expect(report.interrupted).toEqual([sessionId]);
        const stored = await listSessionEvents(handle.db, { sessionId, after: 0, limit: 10_000 });
        const seqs = stored.map((event) => event.seq);
        expect(seqs, `round ${round}`).toEqual(seqs.map((_, index) => index + 1));
        expect(seqs.slice(0, printed.length)).toEqual(printed);
        expect(stored.at(-1)?.type).toBe("session.interrupted");
        expect((await getSessionById(handle.db, { id: sessionId }))?.status).toBe("interrupted");

        const lines: string[] = [];
        for await (const chunk of exportChunks(handle.db, ExportFiltersSchema.parse({ session_id: String(sessionId) }))) lines.push(chunk);
        const record = JSON.parse(lines.join("").trim()) as { session_metadata: { atlas: { status: string }; trajectory_events: { seq?: number }[] } };
        expect(record.session_metadata.atlas.status).toBe("interrupted");
        expect(record.session_metadata.trajectory_events).toHaveLength(stored.length);
        // Every earlier round's session is still there, still interrupted.
        for (const earlier of sessions) expect((await getSessionById(handle.db, { id: earlier }))?.status).toBe("interrupted");
      } finally {
        await handle.close();
      }
    }
  }, STRESS_TIMEOUT_MS);
});
