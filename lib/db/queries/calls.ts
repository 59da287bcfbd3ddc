import "server-only";
import { and, asc, desc, eq, getTableColumns, gte, sql, type SQL } from "drizzle-orm";
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

/** The session's slowest call, without its capture. */
export async function slowestCall(db: Queryable, sessionId: number): Promise<CallListRow | null> {
  const { capture: _capture, ...columns } = getTableColumns(calls);
  const [row] = await db
    .select({ ...columns, captured: sql<boolean>`${calls.capture} is not null` })
    .from(calls)
    .where(eq(calls.sessionId, sessionId))
    .orderBy(desc(calls.latencyMs), asc(calls.seq))
    .limit(1);
  return row ?? null;
}

export async function getCall(db: Queryable, { sessionId, seq }: { sessionId: number; seq: number }): Promise<CallRow | null> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.sessionId, sessionId), eq(calls.seq, seq)))
    .limit(1);
  return row ?? null;
}

export interface CallUsageRow {
  actor: string;
  stage: string;
  model: string | null;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** Tokens and cost of a session's model calls, per actor, stage and model. */
export async function sumCallUsage(db: Queryable, sessionId: number): Promise<CallUsageRow[]> {
  const rows = await db
    .select({
      actor: calls.actor,
      stage: calls.stage,
      model: calls.model,
      calls: sql<number>`count(*)`,
      promptTokens: sql<number>`coalesce(sum(${calls.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${calls.completionTokens}), 0)`,
      reasoningTokens: sql<number>`coalesce(sum(${calls.reasoningTokens}), 0)`,
      costUsd: sql<number>`coalesce(sum(${calls.costUsd}), 0)`,
    })
    .from(calls)
    .where(and(eq(calls.sessionId, sessionId), eq(calls.kind, "llm")))
    .groupBy(calls.actor, calls.stage, calls.model);
  // Drivers may give sums as text.
  return rows.map((row) => ({
    ...row,
    calls: Number(row.calls),
    promptTokens: Number(row.promptTokens),
    completionTokens: Number(row.completionTokens),
    reasoningTokens: Number(row.reasoningTokens),
    costUsd: Number(row.costUsd),
  }));
}

export interface RoleUsageRow {
  actor: string;
  arbiter: boolean;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** Tokens and cost of every session's model calls that ended since `since`, per actor (arbiter calls apart). */
export async function sumUsageSince(db: Queryable, since: Date): Promise<RoleUsageRow[]> {
  const arbiter = sql<boolean>`(${calls.stage} like 'arbiter:%')`;
  const rows = await db
    .select({
      actor: calls.actor,
      arbiter,
      calls: sql<number>`count(*)`,
      promptTokens: sql<number>`coalesce(sum(${calls.promptTokens}), 0)`,
      completionTokens: sql<number>`coalesce(sum(${calls.completionTokens}), 0)`,
      reasoningTokens: sql<number>`coalesce(sum(${calls.reasoningTokens}), 0)`,
      costUsd: sql<number>`coalesce(sum(${calls.costUsd}), 0)`,
    })
    .from(calls)
    .where(and(eq(calls.kind, "llm"), gte(calls.finishedAt, since)))
    .groupBy(calls.actor, arbiter);
  return rows.map((row) => ({
    ...row,
    arbiter: row.arbiter === true || String(row.arbiter) === "true" || String(row.arbiter) === "t",
    calls: Number(row.calls),
    promptTokens: Number(row.promptTokens),
    completionTokens: Number(row.completionTokens),
    reasoningTokens: Number(row.reasoningTokens),
    costUsd: Number(row.costUsd),
  }));
}
