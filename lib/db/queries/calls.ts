import "server-only";
import { and, asc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import { calls, type CallRow } from "../schema";
import type { Queryable } from "../types";

export type CallListRow = Omit<CallRow, "capture"> & { captured: boolean };

/** A session's calls in the order they were reported, without their captures. */
export async function listCalls(
  db: Queryable,
  { sessionId, stepId, attempt }: { sessionId: number; stepId?: number; attempt?: number },
): Promise<CallListRow[]> {
  const where: SQL[] = [eq(calls.sessionId, sessionId)];
  if (stepId !== undefined) where.push(eq(calls.stepId, stepId));
  if (attempt !== undefined) where.push(eq(calls.attempt, attempt));
  const { capture: _capture, ...columns } = getTableColumns(calls);
  return db
    .select({ ...columns, captured: sql<boolean>`${calls.capture} is not null` })
    .from(calls)
    .where(and(...where))
    .orderBy(asc(calls.seq));
}

export async function getCall(db: Queryable, { sessionId, seq }: { sessionId: number; seq: number }): Promise<CallRow | null> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.sessionId, sessionId), eq(calls.seq, seq)))
    .limit(1);
  return row ?? null;
}
