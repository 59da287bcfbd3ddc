/**
 * Start-up recovery: a session a dead process left `queued` or `running` gets a terminal
 * `session.interrupted` event (appendEvent projects the status), so no session stays "running" forever.
 */
import { getSessionById, listUnfinishedSessionIds } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { errorMessage } from "@/lib/errors";
import type { SessionStore } from "@/lib/runtime/store";
import { appendSystemEvent } from "./system-events";

export interface RecoveryReport {
  interrupted: number[];
  failed: { sessionId: number; error: string }[];
}

export async function recoverUnfinishedSessions(
  db: AtlasDb,
  store: Pick<SessionStore, "lastSeq" | "write">,
  options: { pid?: number; now?: () => Date; isLive?: (sessionId: number) => boolean } = {},
): Promise<RecoveryReport> {
  const pid = options.pid ?? process.pid;
  const report: RecoveryReport = { interrupted: [], failed: [] };
  for (const { id } of await listUnfinishedSessionIds(db)) {
    if (options.isLive?.(id)) continue;
    try {
      const state = (await getSessionById(db, { id }))?.status === "queued" ? "waiting to run" : "running";
      await appendSystemEvent(
        store,
        id,
        {
          type: "session.interrupted",
          actor: "system",
          reason: `the server stopped while this session was ${state} (process ${pid} found it unfinished at start-up)`,
        },
        options.now?.(),
      );
      report.interrupted.push(id);
    } catch (error) {
      report.failed.push({ sessionId: id, error: errorMessage(error) });
    }
  }
  return report;
}
