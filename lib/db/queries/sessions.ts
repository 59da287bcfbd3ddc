import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { currentProcess } from "@/lib/server/process-identity";
import { sessions, trajectoryEvents, type SessionRow } from "../schema";
import type { Queryable } from "../types";

export interface NewSession {
  task: string;
  metadata?: Record<string, unknown> | null;
  configName?: string | null;
  configVersionId?: number | null;
  configHash?: string | null;
  status?: "queued" | "running";
  /** The process that will run it; defaults to this one. */
  owner?: string;
  /** The experiment cell it runs, if any. */
  cell?: SessionCell;
}

export interface SessionCell {
  experimentId: number;
  experimentArmId: number;
  taskIndex: number;
  repeatIndex: number;
  /** The earlier session of the same cell this one re-runs. */
  retryOf: number | null;
}

export async function createSession(db: Queryable, input: NewSession): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({
      task: input.task,
      metadata: input.metadata ?? {},
      configName: input.configName ?? null,
      configVersionId: input.configVersionId ?? null,
      configHash: input.configHash ?? null,
      status: input.status ?? "running",
      owner: input.owner ?? currentProcess(),
      ...(input.cell
        ? {
            experimentId: input.cell.experimentId,
            experimentArmId: input.cell.experimentArmId,
            taskIndex: input.cell.taskIndex,
            repeatIndex: input.cell.repeatIndex,
            retryOf: input.cell.retryOf,
          }
        : {}),
    })
    .returning();
  if (!row) throw new Error("session insert returned no row");
  return row;
}

export async function getSessionById(db: Queryable, { id }: { id: number }): Promise<SessionRow | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row ?? null;
}

export async function sessionExists(db: Queryable, id: number): Promise<boolean> {
  const [row] = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, id));
  return row !== undefined;
}

export interface UnfinishedSession {
  id: number;
  lastSeq: number;
  owner: string | null;
  /** When its last event was stored (or it was created). */
  lastActivity: Date;
}

/** Sessions still `queued`/`running`: live elsewhere, or left so by a process that died. */
export async function listUnfinishedSessions(db: Queryable): Promise<UnfinishedSession[]> {
  const rows = await db
    .select({
      id: sessions.id,
      lastSeq: sessions.lastSeq,
      owner: sessions.owner,
      lastActivity: sql<string>`coalesce((select max(${trajectoryEvents.createdAt}) from ${trajectoryEvents}
        where ${trajectoryEvents.sessionId} = ${sessions.id}), ${sessions.createdAt})`,
    })
    .from(sessions)
    .where(and(inArray(sessions.status, ["queued", "running"]), eq(sessions.source, "run")));
  return rows.map((row) => ({ ...row, lastActivity: new Date(row.lastActivity) }));
}

export async function countSessions(db: Queryable): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(sessions);
  return row?.count ?? 0;
}
