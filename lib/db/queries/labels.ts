/** Human labels on sessions and steps: append-only rows, read back oldest first. */
import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { queryRows } from "../raw";
import { humanLabels, stepAttempts, stepResults, type HumanLabelRow } from "../schema";
import type { Queryable } from "../types";

export type NewHumanLabel = Omit<typeof humanLabels.$inferInsert, "id" | "createdAt">;

export async function insertLabel(db: Queryable, label: NewHumanLabel): Promise<HumanLabelRow> {
  const [row] = await db.insert(humanLabels).values(label).returning();
  if (!row) throw new Error("label insert returned no row");
  return row;
}

export async function listLabels(db: Queryable, sessionIds: readonly number[]): Promise<HumanLabelRow[]> {
  if (sessionIds.length === 0) return [];
  return db
    .select()
    .from(humanLabels)
    .where(inArray(humanLabels.sessionId, [...sessionIds]))
    .orderBy(asc(humanLabels.sessionId), asc(humanLabels.id));
}

/** The attempt numbers recorded for a step; null when the session has no such step. */
export async function stepAttemptNumbers(db: Queryable, sessionId: number, stepId: number): Promise<number[] | null> {
  const [step] = await db
    .select({ stepId: stepResults.stepId })
    .from(stepResults)
    .where(and(eq(stepResults.sessionId, sessionId), eq(stepResults.stepId, stepId)));
  if (!step) return null;
  const rows = await db
    .select({ attempt: stepAttempts.attempt })
    .from(stepAttempts)
    .where(and(eq(stepAttempts.sessionId, sessionId), eq(stepAttempts.stepId, stepId)))
    .orderBy(asc(stepAttempts.attempt));
  return rows.map((row) => row.attempt);
}

export interface LabelledJudgementRow {
  sessionId: number;
  stepId: number | null;
  judge: number;
  humanScore: number | null;
  humanVerdict: string | null;
}

/**
 * The newest label with a score or verdict of every labelled session and step of a config, beside the judges'
 * final reward of that step (or of the session, for a session-level label). Unjudged targets are left out.
 */
export async function labelledJudgements(db: Queryable, configName: string): Promise<LabelledJudgementRow[]> {
  const rows = await queryRows<{ sessionId: number; stepId: number | null; judge: number | string; humanScore: number | string | null; humanVerdict: string | null }>(
    db,
    sql`select l.session_id as "sessionId", l.step_id as "stepId", coalesce(r.reward_score, case when l.step_id is null then s.reward_score end) as judge,
          l.score as "humanScore", l.verdict as "humanVerdict"
        from (
          select distinct on (l.session_id, l.step_id) l.* from human_labels l
          where l.score is not null or l.verdict is not null
          order by l.session_id, l.step_id, l.id desc
        ) l
        join sessions s on s.id = l.session_id
        left join step_results r on r.session_id = l.session_id and r.step_id = l.step_id
        where s.config_name = ${configName}
          and coalesce(r.reward_score, case when l.step_id is null then s.reward_score end) is not null
        order by l.session_id, l.step_id nulls first`,
  );
  return rows.map((row) => ({
    ...row,
    judge: Number(row.judge),
    humanScore: row.humanScore === null ? null : Number(row.humanScore),
  }));
}

export async function configHasSessions(db: Queryable, configName: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(db, sql`select 1 as found from sessions where config_name = ${configName} limit 1`);
  return rows.length > 0;
}
