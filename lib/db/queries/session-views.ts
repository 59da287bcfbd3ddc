/**
 * Read models of the dashboard: the session list (keyset-paginated on the `sessions_*_created_idx`
 * indexes), one session with its plan/steps/attempts/guidance, event-log pages and the overview.
 */
import "server-only";
import { and, asc, eq, getTableColumns, gt, gte, ilike, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { FINAL_REWARD_STATUSES, TERMINAL_EVENT_TYPES, type TrajectoryEvent } from "@/lib/trajectory";
import {
  configVersions,
  guidanceNotes,
  plans,
  sessionReviews,
  sessions,
  stepAttempts,
  stepResults,
  trajectoryEvents,
  type GuidanceNoteRow,
  type PlanRow,
  type SessionRow,
  type StepAttemptRow,
  type StepResultRow,
} from "../schema";
import { queryRows } from "../raw";
import type { Queryable } from "../types";

export interface SessionListFilter {
  statuses?: string[];
  configName?: string;
  /** Inclusive lower bound on `created_at`. */
  createdFrom?: Date;
  /** Exclusive upper bound on `created_at`. */
  createdBefore?: Date;
  minReward?: number;
  maxReward?: number;
  /** Case-insensitive substring of the task. */
  taskContains?: string;
  /** Review statuses (a session without a review row is pending). */
  reviewStatuses?: string[];
  experimentId?: number;
  driftFlagged?: boolean;
  /** Sessions where at least one judgement escalated to the arbiter (true) or none did (false). */
  escalated?: boolean;

  /** `newest`: (created_at desc, id desc); `cost`: (cost_usd desc, id desc). */
  order?: SessionOrder;
  /** Keyset position: rows strictly after this one in the list order. */
  after?: SessionKey;
  limit: number;
}

export type SessionOrder = "newest" | "cost";

/** A row's place in list order; `createdAt` is PostgreSQL's microsecond UTC text, exact for keyset paging. */
export interface SessionKey {
  createdAt: string;
  id: number;
  /** The row's cost, the key of the `cost` order. */
  costUsd: number;
}

export type SessionListRow = SessionRow & {
  configVersion: number | null;
  reviewStatus: string;
  driftFlagged: boolean;
  key: SessionKey;
};

const keyText = sql<string>`to_char(${sessions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// A scalar subquery rather than a join: with a join the planner may sort the whole filtered set
// instead of walking a (…, created_at desc, id desc) index and stopping after one page.
const configVersionNumber = sql<number | null>`(select ${configVersions.version} from ${configVersions} where ${configVersions.id} = ${sessions.configVersionId})`;

const reviewStatusOf = sql<string>`coalesce((select ${sessionReviews.status} from ${sessionReviews} where ${sessionReviews.sessionId} = ${sessions.id}), 'pending')`;
const driftFlaggedOf = sql<boolean>`coalesce((select ${sessionReviews.driftFlagged} from ${sessionReviews} where ${sessionReviews.sessionId} = ${sessions.id}), false)`;

const listColumns = {
  session: sessions,
  configVersion: configVersionNumber,
  reviewStatus: reviewStatusOf,
  driftFlagged: driftFlaggedOf,
  createdAtKey: keyText,
};

// NULLS LAST as in the indexes (drizzle's `.desc()`); a bare DESC means NULLS FIRST and no index fits.
const NEWEST_FIRST = [sql`${sessions.createdAt} desc nulls last`, sql`${sessions.id} desc nulls last`];
const COSTLIEST_FIRST = [sql`${sessions.costUsd} desc`, sql`${sessions.id} desc`];

export async function listSessionRows(db: Queryable, filter: SessionListFilter): Promise<SessionListRow[]> {
  return (await sessionListQuery(db, filter)).map(toListRow);
}

/** The list query itself (exposed so tests can EXPLAIN exactly what runs). */
export function sessionListQuery(db: Queryable, filter: SessionListFilter) {
  return db
    .select(listColumns)
    .from(sessions)
    .where(and(...listConditions(filter)))
    .orderBy(...(filter.order === "cost" ? COSTLIEST_FIRST : NEWEST_FIRST))
    .limit(filter.limit);
}

function listConditions(filter: SessionListFilter): SQL[] {
  const conditions: SQL[] = [];
  const statuses = filter.statuses ?? [];
  if (statuses.length === 1) conditions.push(eq(sessions.status, statuses[0] as string));
  else if (statuses.length > 1) conditions.push(inArray(sessions.status, statuses));
  if (filter.configName !== undefined) conditions.push(eq(sessions.configName, filter.configName));
  if (filter.createdFrom) conditions.push(gte(sessions.createdAt, filter.createdFrom));
  if (filter.createdBefore) conditions.push(lt(sessions.createdAt, filter.createdBefore));
  // Only a session reward is filtered on: a running or stopped session's partial mean is not one.
  if (filter.minReward !== undefined || filter.maxReward !== undefined) conditions.push(inArray(sessions.status, [...FINAL_REWARD_STATUSES]));
  if (filter.minReward !== undefined) conditions.push(gte(sessions.rewardScore, filter.minReward));
  if (filter.maxReward !== undefined) conditions.push(lte(sessions.rewardScore, filter.maxReward));
  if (filter.taskContains) conditions.push(ilike(sessions.task, `%${escapeLike(filter.taskContains)}%`));
  const reviewStatuses = filter.reviewStatuses ?? [];
  if (reviewStatuses.length > 0) {
    conditions.push(sql`${reviewStatusOf} in (${sql.join(reviewStatuses.map((status) => sql`${status}`), sql`, `)})`);
  }
  if (filter.experimentId !== undefined) conditions.push(eq(sessions.experimentId, filter.experimentId));
  if (filter.driftFlagged !== undefined) conditions.push(sql`${driftFlaggedOf} = ${filter.driftFlagged}`);
  if (filter.escalated !== undefined) conditions.push(filter.escalated ? gt(sessions.escalations, 0) : eq(sessions.escalations, 0));
  if (filter.after && filter.order === "cost") {
    conditions.push(sql`(${sessions.costUsd}, ${sessions.id}) < (${filter.after.costUsd}::double precision, ${filter.after.id})`);
  } else if (filter.after) {
    // Row comparison, so PostgreSQL turns it into an index bound on (created_at desc, id desc).
    conditions.push(sql`(${sessions.createdAt}, ${sessions.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  return conditions;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function toListRow(row: {
  session: SessionRow;
  configVersion: number | null;
  reviewStatus: string;
  driftFlagged: boolean;
  createdAtKey: string;
}): SessionListRow {
  return {
    ...row.session,
    configVersion: row.configVersion,
    reviewStatus: row.reviewStatus,
    driftFlagged: row.driftFlagged,
    key: { createdAt: row.createdAtKey, id: row.session.id, costUsd: row.session.costUsd },
  };
}

/** Sessions that are running or waiting to run, oldest first. */
export async function listActiveSessionRows(db: Queryable, limit: number): Promise<SessionListRow[]> {
  const rows = await db
    .select(listColumns)
    .from(sessions)
    .where(inArray(sessions.status, ["running", "queued"]))
    .orderBy(asc(sessions.createdAt), asc(sessions.id))
    .limit(limit);
  return rows.map(toListRow);
}

export interface SessionDetailRows extends StepRows {
  session: SessionListRow;
  configYaml: string | null;
  plan: PlanRow | null;
}

/** Step results, attempts and guidance notes, in step order. */
export interface StepRows {
  steps: DetailRow<StepResultRow>[];
  attempts: DetailRow<StepAttemptRow>[];
  guidance: GuidanceNoteRow[];
}

/** A step or attempt row; `evaluation` is null and `evaluationOmitted` true when it was left out. */
export type DetailRow<Row> = Row & { evaluationOmitted: boolean };

export interface StepRowsOptions {
  /** Read the judge panels and validation verdicts (the bulk of a big session); default true. */
  evaluations?: boolean;
  /** Only this step's rows. */
  stepId?: number;
}

export async function getSessionDetailRows(
  db: Queryable,
  sessionId: number,
  options: Pick<StepRowsOptions, "evaluations"> = {},
): Promise<SessionDetailRows | null> {
  const [head] = await db
    .select({ ...listColumns, configYaml: configVersions.yaml })
    .from(sessions)
    .leftJoin(configVersions, eq(configVersions.id, sessions.configVersionId))
    .where(eq(sessions.id, sessionId));
  if (!head) return null;
  const [planRows, stepRows] = await Promise.all([
    db.select().from(plans).where(eq(plans.sessionId, sessionId)),
    getStepRows(db, sessionId, options),
  ]);
  return { session: toListRow(head), configYaml: head.configYaml, plan: planRows[0] ?? null, ...stepRows };
}

export async function getStepRows(db: Queryable, sessionId: number, options: StepRowsOptions = {}): Promise<StepRows> {
  const [steps, attempts, guidance] = await Promise.all([
    db
      .select({ ...getTableColumns(stepResults), ...evaluationColumns(stepResults.evaluation, options) })
      .from(stepResults)
      .where(and(eq(stepResults.sessionId, sessionId), ofStep(stepResults.stepId, options)))
      .orderBy(asc(stepResults.stepId)),
    db
      .select({ ...getTableColumns(stepAttempts), ...evaluationColumns(stepAttempts.evaluation, options) })
      .from(stepAttempts)
      .where(and(eq(stepAttempts.sessionId, sessionId), ofStep(stepAttempts.stepId, options)))
      .orderBy(asc(stepAttempts.stepId), asc(stepAttempts.attempt)),
    db
      .select()
      .from(guidanceNotes)
      .where(and(eq(guidanceNotes.sessionId, sessionId), ofStep(guidanceNotes.stepId, options)))
      .orderBy(asc(guidanceNotes.stepId), asc(guidanceNotes.sequence)),
  ]);
  return { steps, attempts, guidance };
}

function evaluationColumns(column: AnyPgColumn, { evaluations = true }: StepRowsOptions) {
  return evaluations
    ? { evaluation: sql<unknown>`${column}`.mapWith(column), evaluationOmitted: sql<boolean>`false` }
    : { evaluation: sql<unknown>`null`, evaluationOmitted: sql<boolean>`(${column} is not null)` };
}

function ofStep(column: AnyPgColumn, { stepId }: StepRowsOptions): SQL | undefined {
  return stepId === undefined ? undefined : eq(column, stepId);
}

export async function listSessionEvents(
  db: Queryable,
  { sessionId, after, limit, types }: { sessionId: number; after: number; limit: number; types?: string[] },
): Promise<TrajectoryEvent[]> {
  const conditions = [eq(trajectoryEvents.sessionId, sessionId), gt(trajectoryEvents.seq, after)];
  if (types && types.length > 0) conditions.push(inArray(trajectoryEvents.type, types));
  const rows = await db
    .select({ event: trajectoryEvents.event })
    .from(trajectoryEvents)
    .where(and(...conditions))
    .orderBy(asc(trajectoryEvents.seq))
    .limit(limit);
  return rows.map((row) => row.event as TrajectoryEvent);
}

/** Seq of the session's terminal event, or null while it has none. */
export async function terminalEventSeq(db: Queryable, sessionId: number): Promise<number | null> {
  const [row] = await db
    .select({ seq: trajectoryEvents.seq })
    .from(trajectoryEvents)
    .where(and(eq(trajectoryEvents.sessionId, sessionId), inArray(trajectoryEvents.type, [...TERMINAL_EVENT_TYPES])))
    .orderBy(asc(trajectoryEvents.seq))
    .limit(1);
  return row?.seq ?? null;
}

export interface DailyPoint {
  day: string;
  sessions: number;
  meanReward: number | null;
  costUsd: number;
}

/** One point per UTC day with sessions created on or after `since`, oldest first. */
export async function dailySessionSeries(db: Queryable, since: Date): Promise<DailyPoint[]> {
  const rows = await queryRows<{ day: string; sessions: number; mean_reward: number | null; cost_usd: number }>(
    db,
    sql`select to_char(date_trunc('day', ${sessions.createdAt} at time zone 'UTC'), 'YYYY-MM-DD') as day,
               count(*)::int as sessions,
               avg(${sessions.rewardScore}) filter (where ${inArray(sessions.status, [...FINAL_REWARD_STATUSES])})::float8 as mean_reward,
               coalesce(sum(${sessions.costUsd}), 0)::float8 as cost_usd
          from ${sessions}
         where ${sessions.createdAt} >= ${since.toISOString()}::timestamptz
         group by 1
         order by 1`,
  );
  return rows.map((row) => ({
    day: row.day,
    sessions: Number(row.sessions),
    meanReward: row.mean_reward === null ? null : Number(row.mean_reward),
    costUsd: Number(row.cost_usd),
  }));
}

export interface SessionTotals {
  sessions: number;
  active: number;
  costUsd: number;
  judgeOutcomes: number;
  escalations: number;
}

export async function sessionTotals(db: Queryable): Promise<SessionTotals> {
  const [row] = await db
    .select({
      sessions: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${inArray(sessions.status, ["running", "queued"])}))::int`,
      costUsd: sql<number>`coalesce(sum(${sessions.costUsd}), 0)::float8`,
      judgeOutcomes: sql<number>`coalesce(sum(${sessions.judgeOutcomes}), 0)::int`,
      escalations: sql<number>`coalesce(sum(${sessions.escalations}), 0)::int`,
    })
    .from(sessions);
  return {
    sessions: Number(row?.sessions ?? 0),
    active: Number(row?.active ?? 0),
    costUsd: Number(row?.costUsd ?? 0),
    judgeOutcomes: Number(row?.judgeOutcomes ?? 0),
    escalations: Number(row?.escalations ?? 0),
  };
}
