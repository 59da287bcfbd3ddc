/**
 * A stand-in server process for the crash-recovery test: runs one session through a run manager and
 * prints a JSON line per stored event, until the test SIGKILLs it mid-run.
 * Env: ATLAS_CRASH_DB (postgres:// URL or a PGlite folder), ATLAS_CRASH_LLM_URL (scripted server).
 */
import { openMigratedDatabase } from "@/lib/db/open";
import { scriptedConfigYaml, testRunManager } from "./harness";

const databaseSpec = process.env.ATLAS_CRASH_DB ?? "";
const llmUrl = process.env.ATLAS_CRASH_LLM_URL ?? "";
const handle = await openMigratedDatabase(
  databaseSpec.startsWith("postgres") ? { driver: "postgres", url: databaseSpec } : { driver: "pglite", dataDir: databaseSpec },
);
const manager = testRunManager(handle.db);
const accepted = await manager.startRun({ task: "Crash in the middle of this", config: { yaml: scriptedConfigYaml(llmUrl) } });
manager.bus.subscribe(accepted.sessionId, (event) => {
  process.stdout.write(`${JSON.stringify({ sessionId: event.sessionId, seq: event.seq, type: event.type })}\n`);
});
process.stdout.write(`${JSON.stringify({ started: accepted.sessionId })}\n`);
// Keep running; the test kills this process.
setInterval(() => undefined, 60_000);
