/**
 * Start-up recovery: a session a dead process left `queued` or `running` gets a terminal
 * `session.interrupted` event (appendEvents projects the status), so no session stays "running" forever.
 */
import "server-only";
import { getSessionById, listUnfinishedSessions, type UnfinishedSession } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { errorMessage } from "@/lib/errors";
import type { SessionStore } from "@/lib/runtime/store";
import { currentProcess, isOnThisHost, processMayBeAlive } from "@/lib/server/process-identity";
import { appendSystemEvent } from "./system-events";

export interface RecoveryReport {
  interrupted: number[];
  /** Still run by another live process (an `atlas run` sharing the database, another server). */
  leftRunning: number[];
  failed: { sessionId: number; error: string }[];
}

/** A session owned by another host counts as abandoned after this long without an event. */
export const OTHER_HOST_STALE_AFTER_MS = 15 * 60_000;

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
  const report: RecoveryReport = { interrupted: [], leftRunning: [], failed: [] };
  const now = options.now?.() ?? new Date();
  for (const session of await listUnfinishedSessions(db)) {
    const { id } = session;
    if (options.isLive?.(id)) continue;
    if (ownerStillRunning(session, now)) {
      report.leftRunning.push(id);
      continue;
    }
    try {
      if (await interrupt(db, store, id, options)) report.interrupted.push(id);
    } catch (error) {
      report.failed.push({ sessionId: id, error: errorMessage(error) });
    }
  }
  return report;
}

function ownerStillRunning(session: UnfinishedSession, now: Date): boolean {
  const { owner } = session;
  if (owner === null || owner === currentProcess()) return false;
  if (isOnThisHost(owner)) return processMayBeAlive(owner);
  return now.getTime() - session.lastActivity.getTime() < OTHER_HOST_STALE_AFTER_MS;
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
