import "server-only";
// Importing the run manager opens nothing: the database opens on the first getDatabase() call.
import { getDatabase } from "@/lib/db/client";
import { recoverAbandonedRejudges } from "@/lib/review/rejudge";
import { getRunManager } from "@/lib/runs/process";
import { dashboardUrl } from "./dashboard-url";
import { readEnv } from "./env";
import { setProcessRole } from "./process-identity";
import { installSignalHandlers } from "./shutdown";

/** Everything the dashboard process does once at start-up. */
export async function startServerProcess(): Promise<void> {
  installSignalHandlers();
  setProcessRole({ kind: "dashboard", url: dashboardUrl(readEnv("HOST"), readEnv("PORT")) });
  // `next build` loads instrumentation too; it must not open the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  void recoverUnfinishedRuns();
  void recoverRejudges();
}

/**
 * Sessions a dead process left queued/running become `interrupted`. Not awaited: the server starts
 * serving at once, and the run manager waits for this before it creates any session.
 */
async function recoverUnfinishedRuns(): Promise<void> {
  try {
    const report = await getRunManager().recover();
    if (report.interrupted.length > 0) {
      console.log(`Marked ${report.interrupted.length} unfinished session(s) as interrupted: ${report.interrupted.join(", ")}`);
    }
    if (report.leftRunning.length > 0) {
      console.log(`Left ${report.leftRunning.length} session(s) run by other live processes alone: ${report.leftRunning.join(", ")}`);
    }
    for (const failure of report.failed) {
      console.error(`could not mark session ${failure.sessionId} as interrupted: ${failure.error}`);
    }
  } catch (error) {
    console.error("start-up recovery of unfinished sessions failed (retried before the next run starts):", error);
  }
}

async function recoverRejudges(): Promise<void> {
  try {
    const abandoned = await recoverAbandonedRejudges((await getDatabase()).db);
    if (abandoned.length > 0) console.log(`Marked ${abandoned.length} interrupted re-judge(s) as failed: ${abandoned.join(", ")}`);
  } catch (error) {
    console.error("start-up recovery of interrupted re-judges failed:", error);
  }
}
