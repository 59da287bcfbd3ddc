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

interface RecoveryOptions {
  pid?: number;
  now?: () => Date;
  isLive?: (sessionId: number) => boolean;
  /** Waits between tries when the seq was taken (default 100 ms × try). */
  sleep?: (ms: number) => Promise<void>;
}

const TRIES = 5;

export async function recoverUnfinishedSessions(
  db: AtlasDb,
  store: Pick<SessionStore, "lastSeq" | "write">,
  options: RecoveryOptions = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = { interrupted: [], failed: [] };
  for (const { id } of await listUnfinishedSessionIds(db)) {
    if (options.isLive?.(id)) continue;
    try {
      if (await interrupt(db, store, id, options)) report.interrupted.push(id);
    } catch (error) {
      report.failed.push({ sessionId: id, error: errorMessage(error) });
    }
  }
  return report;
}

/**
 * A killed client's last statement can still commit on a PostgreSQL server after the process is gone,
 * taking the seq we computed: on a unique violation, read the last seq again and retry.
 */
async function interrupt(
  db: AtlasDb,
  store: Pick<SessionStore, "lastSeq" | "write">,
  sessionId: number,
  options: RecoveryOptions,
): Promise<boolean> {
  const pid = options.pid ?? process.pid;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    const status = (await getSessionById(db, { id: sessionId }))?.status;
    if (status !== "queued" && status !== "running") return false;
    const state = status === "queued" ? "waiting to run" : "running";
    try {
      await appendSystemEvent(
        store,
        sessionId,
        {
          type: "session.interrupted",
          actor: "system",
          reason: `the server stopped while this session was ${state} (process ${pid} found it unfinished at start-up)`,
        },
        options.now?.(),
      );
      return true;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= TRIES) throw error;
      await sleep(100 * attempt);
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
