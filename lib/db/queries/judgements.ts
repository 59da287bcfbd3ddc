/** Re-judge jobs and the judgements they write beside the recorded ones. */
import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows } from "../raw";
import { judgements, rejudges, type JudgementRow, type RejudgeRow } from "../schema";
import type { Queryable } from "../types";

export async function insertRejudge(
  db: Queryable,
  job: { configName: string | null; configVersion: number | null; configYaml: string; sessionIds: number[]; total: number; owner: string },
): Promise<RejudgeRow> {
  const [row] = await db.insert(rejudges).values(job).returning();
  if (!row) throw new Error("rejudge insert returned no row");
  return row;
}

export async function getRejudge(db: Queryable, id: number): Promise<RejudgeRow | null> {
  const [row] = await db.select().from(rejudges).where(eq(rejudges.id, id));
  return row ?? null;
}

/** Stores one new judgement and counts it done, in one statement each inside the caller's transaction. */
export async function insertJudgement(db: Queryable, judgement: Omit<typeof judgements.$inferInsert, "id" | "createdAt">): Promise<void> {
  await db.insert(judgements).values(judgement).onConflictDoNothing();
  await db.update(rejudges).set({ done: sql`${rejudges.done} + 1` }).where(eq(rejudges.id, judgement.version));
}

export async function runningRejudges(db: Queryable): Promise<{ id: number; owner: string | null }[]> {
  return db.select({ id: rejudges.id, owner: rejudges.owner }).from(rejudges).where(eq(rejudges.status, "running")).orderBy(asc(rejudges.id));
}

export async function finishRejudge(db: Queryable, id: number, outcome: { status: "succeeded" | "failed"; error?: string }): Promise<void> {
  await db
    .update(rejudges)
    .set({ status: outcome.status, error: outcome.error ?? null, finishedAt: new Date() })
    .where(eq(rejudges.id, id));
}

export async function judgementsOf(db: Queryable, sessionId: number, version?: number): Promise<JudgementRow[]> {
  return db
    .select()
    .from(judgements)
    .where(version === undefined ? eq(judgements.sessionId, sessionId) : and(eq(judgements.sessionId, sessionId), eq(judgements.version, version)))
    .orderBy(asc(judgements.version), asc(judgements.stepId), asc(judgements.attempt));
}

/** A recorded attempt the judges scored: what they saw, read back from its row and its `attempt.started` event. */
export interface JudgedAttemptRow {
  sessionId: number;
  task: string;
  stepId: number;
  attempt: number;
  output: string | null;
  trace: string | null;
  planStep: unknown;
  context: unknown;
  guidance: unknown;
}

export async function judgedAttempts(db: Queryable, sessionIds: readonly number[]): Promise<JudgedAttemptRow[]> {
  if (sessionIds.length === 0) return [];
  const ids = sql.join(sessionIds.map((id) => sql`${id}::int`), sql`, `);
  return queryRows<JudgedAttemptRow & Record<string, unknown>>(
    db,
    sql`select a.session_id as "sessionId", s.task, a.step_id as "stepId", a.attempt, a.output, a.trace,
          (select step from jsonb_array_elements(p.plan->'steps') step where (step->>'id')::int = a.step_id limit 1) as "planStep",
          e.event->'context' as context, e.event->'guidance' as guidance
        from step_attempts a
        join sessions s on s.id = a.session_id
        left join plans p on p.session_id = a.session_id
        left join lateral (
          select t.event from trajectory_events t
          where t.session_id = a.session_id and t.type = 'attempt.started'
            and (t.event->>'stepId')::int = a.step_id and (t.event->>'attempt')::int = a.attempt
          order by t.seq limit 1
        ) e on true
        where a.session_id in (${ids}) and a.reward_skipped is false
        order by a.session_id, a.step_id, a.attempt`,
  );
}
