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
export async function labelledJudgements(db: Queryable, configName: string, version = 0): Promise<LabelledJudgementRow[]> {
  // A re-judge's score of the step's last attempt replaces the recorded one (session labels keep the session reward).
  const stepScore =
    version === 0
      ? sql`r.reward_score`
      : sql`(select j.score from judgements j where j.session_id = l.session_id and j.step_id = l.step_id and j.version = ${version}
            order by j.attempt desc limit 1)`;
  const rows = await queryRows<{ sessionId: number; stepId: number | null; judge: number | string; humanScore: number | string | null; humanVerdict: string | null }>(
    db,
    sql`select l.session_id as "sessionId", l.step_id as "stepId", coalesce(${stepScore}, case when l.step_id is null then s.reward_score end) as judge,
          l.score as "humanScore", l.verdict as "humanVerdict"
        from (
          select distinct on (l.session_id, l.step_id) l.* from human_labels l
          where l.score is not null or l.verdict is not null
          order by l.session_id, l.step_id, l.id desc
        ) l
        join sessions s on s.id = l.session_id
        left join step_results r on r.session_id = l.session_id and r.step_id = l.step_id
        where s.config_name = ${configName}
          and coalesce(${stepScore}, case when l.step_id is null then s.reward_score end) is not null
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

/** The judge panels (`reward.judges`) of a config's judged attempts, recorded (version 0) or of a re-judge; newest first. */
export async function judgePanels(db: Queryable, configName: string, version: number, limit = 5000): Promise<unknown[]> {
  const rows =
    version === 0
      ? await queryRows<{ judges: unknown }>(
          db,
          sql`select a.evaluation->'reward'->'judges' as judges from step_attempts a join sessions s on s.id = a.session_id
              where s.config_name = ${configName} and a.reward_skipped is false order by a.session_id desc, a.step_id, a.attempt limit ${limit}`,
        )
      : await queryRows<{ judges: unknown }>(
          db,
          sql`select j.reward->'judges' as judges from judgements j join sessions s on s.id = j.session_id
              where s.config_name = ${configName} and j.version = ${version} order by j.session_id desc, j.step_id, j.attempt limit ${limit}`,
        );
  return rows.map((row) => row.judges);
}

/** Recorded and re-judged final step rewards of the same steps, for comparing two judgement versions. */
export async function rejudgedStepPairs(db: Queryable, configName: string, version: number): Promise<{ recorded: number; rejudged: number }[]> {
  const rows = await queryRows<{ recorded: number | string; rejudged: number | string }>(
    db,
    sql`select a.reward_score as recorded, j.score as rejudged from judgements j
        join sessions s on s.id = j.session_id
        join step_attempts a on a.session_id = j.session_id and a.step_id = j.step_id and a.attempt = j.attempt
        where s.config_name = ${configName} and j.version = ${version} and a.reward_score is not null and j.score is not null
        order by j.session_id, j.step_id, j.attempt`,
  );
  return rows.map((row) => ({ recorded: Number(row.recorded), rejudged: Number(row.rejudged) }));
}
