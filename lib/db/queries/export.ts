/**
 * Set-based reads for the exporter: one query for a page of sessions (keyset paginated, newest first) and one
 * per child table for the whole page, never one query per session. JSON columns are read as text and parsed
 * one session at a time during assembly (lib/export/bundles.ts): a page held as strings is a fraction of the
 * same page as objects.
 */
import "server-only";
import { FINAL_REWARD_STATUSES } from "@/lib/trajectory";
import { sql, type SQL } from "drizzle-orm";
import type { ExportFilters } from "@/lib/export/filters";
import type {
  AttemptRowForExport,
  EventRowForExport,
  GuidanceRowForExport,
  LabelForExport,
  SelectionCount,
  SessionRowForExport,
  StepRowForExport,
} from "@/lib/export/types";
import { queryRows } from "../raw";
import type { Queryable } from "../types";

/** Position after the last session of a page: `(created_at, id)` with the timestamp at full precision. */
export interface SessionCursor {
  createdAt: string;
  id: number;
}

type Row<T> = T & Record<string, unknown>;

type SelectionFilters = Pick<
  ExportFilters,
  "sessionIds" | "statuses" | "reviewStatuses" | "since" | "until" | "minReward" | "configName" | "q" | "experimentId" | "armId"
>;

const reviewStatusOf = sql`coalesce((select r.status from session_reviews r where r.session_id = s.id), 'pending')`;

/** The review gate: the listed statuses, none, or each session's own default (its config's export statuses). */
function reviewCondition(selection: ExportFilters["reviewStatuses"]): SQL | null {
  if (selection === "all") return null;
  if (selection === "default") {
    return sql`not exists (select 1 from session_reviews r where r.session_id = s.id
      and r.export_statuses is not null and not (r.export_statuses @> to_jsonb(r.status)))`;
  }
  return sql`${reviewStatusOf} in (${inList(selection)})`;
}

const isoUtc = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')`;

const inList = (values: readonly (string | number)[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

/** The WHERE clause every export query shares (page, count). */
export function selectionWhere(filters: SelectionFilters, ids?: readonly number[]): SQL {
  const conditions: SQL[] = [sql`true`];
  const sessionIds = ids ?? filters.sessionIds;
  if (sessionIds.length > 0) conditions.push(sql`s.id in (${inList(sessionIds)})`);
  if (filters.statuses.length > 0) conditions.push(sql`lower(s.status) in (${inList(filters.statuses)})`);
  const review = reviewCondition(filters.reviewStatuses);
  if (review) conditions.push(review);
  if (filters.since) conditions.push(sql`s.created_at >= ${filters.since}::timestamptz`);
  if (filters.until) conditions.push(sql`s.created_at < ${filters.until}::timestamptz`);
  // The column is `real`: compare in `real`, or 0.7 stored would fail `>= 0.7`.
  if (filters.minReward !== undefined) {
    // A session reward only: a running or stopped session's partial mean does not pass a reward filter.
    conditions.push(sql`s.status in (${inList([...FINAL_REWARD_STATUSES])}) and s.reward_score >= ${filters.minReward}::real`);
  }
  if (filters.configName) conditions.push(sql`s.config_name = ${filters.configName}`);
  if (filters.q) conditions.push(sql`s.task ilike ${`%${escapeLike(filters.q)}%`}`);
  if (filters.experimentId !== undefined) conditions.push(sql`s.experiment_id = ${filters.experimentId}`);
  if (filters.armId !== undefined) conditions.push(sql`s.experiment_arm_id = ${filters.armId}`);
  return sql.join(conditions, sql` and `);
}

/**
 * Newest first (upstream); sessions created at the same instant in insertion order, so that an import, which
 * inserts in file order, exports them again in the same order. In session-id mode, the order the ids were given.
 */
export function selectionOrder(filters: Pick<ExportFilters, "sessionIds">, ids?: readonly number[]): SQL {
  const order = ids ?? filters.sessionIds;
  if (order.length === 0) return sql`s.created_at desc, s.id asc`;
  const cases = sql.join(
    order.map((id, index) => sql`when ${id}::int then ${index}::int`),
    sql` `,
  );
  return sql`case s.id ${cases} end`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export interface SessionPageRequest {
  filters: SelectionFilters;
  size: number;
  cursor?: SessionCursor | null;
  offset?: number;
  /** Restrict to these ids (session-id mode pages through the id list itself). */
  ids?: readonly number[];
}

export async function selectSessionPage(db: Queryable, request: SessionPageRequest): Promise<SessionRowForExport[]> {
  const { cursor, offset = 0 } = request;
  // Written so the (created_at desc, id) index gives the range: `created_at <= c` bounds the scan.
  const after = cursor
    ? sql`and s.created_at <= ${cursor.createdAt}::timestamptz
          and (s.created_at < ${cursor.createdAt}::timestamptz or s.id > ${cursor.id})`
    : sql``;
  const order = selectionOrder(request.filters, request.ids);
  // The page is picked first; its plans are joined and its JSON printed for those rows only.
  const rows = await queryRows<SessionRowForExport & Record<string, unknown>>(
    db,
    sql`select s.id, s.uid::text as uid, s.task, s.status, s.metadata::text as metadata, s.final_answer as "finalAnswer", s.error,
          s.execution_mode as "executionMode", s.config_name as "configName", s.config_hash as "configHash",
          ${isoUtc(sql`s.created_at`)} as "createdAt", ${isoUtc(sql`s.started_at`)} as "startedAt",
          ${isoUtc(sql`s.completed_at`)} as "completedAt", s.duration_ms as "durationMs",
          s.reward_score as "rewardScore", s.judge_outcomes as "judgeOutcomes", s.escalations,
          s.prompt_tokens as "promptTokens", s.completion_tokens as "completionTokens",
          s.reasoning_tokens as "reasoningTokens", s.cost_usd as "costUsd", s.llm_calls as "llmCalls", s.source,
          p.plan::text as plan, p.original_plan::text as "originalPlan", p.review::text as review,
          coalesce(rv.status, 'pending') as "reviewStatus",
          (select h.note from review_history h where h.session_id = s.id and h.note is not null
            order by h.id desc limit 1) as "reviewNotes",
          s.experiment_id as "experimentId", s.experiment_arm_id as "armId", s.task_index as "taskIndex",
          s.repeat_index as "repeat", s.retry_of as "retryOf", rs.score as "referenceScore", rs.rationale as "referenceRationale"
        from (
          select s.* from sessions s
          where ${selectionWhere(request.filters, request.ids)} ${after}
          order by ${order}
          limit ${request.size} offset ${offset}
        ) s
        left join plans p on p.session_id = s.id
        left join session_reviews rv on rv.session_id = s.id
        left join reference_scores rs on rs.session_id = s.id
        order by ${order}`,
  );
  return rows.map(({ experimentId, armId, taskIndex, repeat, retryOf, referenceScore, referenceRationale, ...row }) => ({
    ...row,
    rewardScore: numberOrNull(row.rewardScore),
    costUsd: Number(row.costUsd),
    experimentCell:
      experimentId === null || experimentId === undefined
        ? null
        : {
            experimentId: Number(experimentId),
            armId: numberOrNull(armId),
            taskIndex: numberOrNull(taskIndex),
            repeat: numberOrNull(repeat),
            retryOf: numberOrNull(retryOf),
            referenceScore: numberOrNull(referenceScore),
            referenceRationale: typeof referenceRationale === "string" ? referenceRationale : null,
          },
  }));
}

/** The rows of a page of sessions, each tagged with its session (and step); events as their JSON text. */
export interface PageRows {
  steps: (Omit<StepRowForExport, "attemptRows" | "guidance"> & { sessionId: number })[];
  attempts: (AttemptRowForExport & { sessionId: number; stepId: number })[];
  guidance: (GuidanceRowForExport & { sessionId: number; stepId: number })[];
  events: (Omit<EventRowForExport, "event"> & { sessionId: number; eventText: string })[];
  /** How many events each session has in all. */
  totals: { sessionId: number; total: number }[];
  labels: (LabelForExport & { sessionId: number })[];
}

/** Steps (with their attempts and guidance) and the latest `eventLimit` events of every session in `ids`. */
export async function selectPageRows(db: Queryable, ids: readonly number[], eventLimit: number, judgementVersion = 0): Promise<PageRows> {
  if (ids.length === 0) return { steps: [], attempts: [], guidance: [], events: [], totals: [], labels: [] };
  const idList = inList(ids);
  // Sequential: a transaction is one connection, and node-postgres must not get overlapping queries on it.
  // Another judgement version replaces the reward inside each evaluation (the step's is its last attempt's).
  const stepRows =
    judgementVersion === 0
      ? sql`select * from step_results where session_id in (${idList})`
      : sql`select r.session_id, r.step_id, r.description, r.status, r.trace, r.output, r.attempts, r.metadata, r.started_at, r.completed_at,
              case when j.reward is null then r.evaluation else jsonb_set(coalesce(r.evaluation, '{}'::jsonb), '{reward}', j.reward) end as evaluation
            from step_results r
            left join judgements j on j.session_id = r.session_id and j.step_id = r.step_id and j.version = ${judgementVersion}
              and j.attempt = (select max(x.attempt) from step_attempts x where x.session_id = r.session_id and x.step_id = r.step_id)
            where r.session_id in (${idList})`;
  const attemptRows =
    judgementVersion === 0
      ? sql`select * from step_attempts where session_id in (${idList})`
      : sql`select a.session_id, a.step_id, a.attempt, a.status, a.outcome, a.output, a.trace, a.timings_ms, a.reward_skipped,
              case when j.reward is null then a.evaluation else jsonb_set(coalesce(a.evaluation, '{}'::jsonb), '{reward}', j.reward) end as evaluation,
              coalesce(j.score, a.reward_score) as reward_score
            from step_attempts a
            left join judgements j on j.session_id = a.session_id and j.step_id = a.step_id and j.attempt = a.attempt and j.version = ${judgementVersion}
            where a.session_id in (${idList})`;
  const steps = await queryRows<Row<Omit<StepRowForExport, "attemptRows" | "guidance"> & { sessionId: number }>>(
    db,
    sql`select session_id as "sessionId", step_id as "stepId", description, status, trace, output,
          evaluation::text as evaluation, attempts, metadata::text as metadata, ${isoUtc(sql`started_at`)} as "startedAt", ${isoUtc(sql`completed_at`)} as "completedAt"
        from (${stepRows}) steps order by session_id, step_id`,
  );
  // The accepted attempt's evaluation is the step's own: sent once, shared in memory and in the output.
  const attempts = await queryRows<Row<AttemptRowForExport & { sessionId: number; stepId: number }>>(
    db,
    sql`select a.session_id as "sessionId", a.step_id as "stepId", a.attempt, shared.same as "sameAsStep",
          case when shared.same then null else a.evaluation::text end as evaluation, a.status, a.outcome, a.output, a.trace, a.timings_ms::text as "timingsMs", a.reward_skipped as "rewardSkipped",
          a.reward_score as "rewardScore"
        from (${attemptRows}) a left join (${stepRows}) r on r.session_id = a.session_id and r.step_id = a.step_id
        cross join lateral (
          select coalesce(jsonb_typeof(r.evaluation) = 'object' and r.evaluation <> '{}'::jsonb and a.evaluation = r.evaluation, false) as same
        ) shared
        where a.session_id in (${idList}) order by a.session_id, a.step_id, a.attempt`,
  );
  const guidance = await queryRows<Row<GuidanceRowForExport & { sessionId: number; stepId: number }>>(
    db,
    sql`select session_id as "sessionId", step_id as "stepId", sequence, note, for_attempt as "forAttempt"
        from guidance_notes where session_id in (${idList}) order by session_id, step_id, sequence`,
  );
  // Latest N per session through the (session_id, seq) index, returned oldest first; a call's event
  // carries its capture again, so an import of the file restores it.
  // Events stay JSON text: the exporter needs only their type and name, not their objects.
  const events = await queryRows<Row<Omit<EventRowForExport, "event"> & { sessionId: number; eventText: string }>>(
    db,
    sql`select e.id, ids.sid as "sessionId", e.event::text as "eventText", (e.event->'type')::text as "typeJson",
          (e.event->'name')::text as "nameJson", ${isoUtc(sql`e.created_at`)} as "createdAt"
        from (values ${sql.join(
          ids.map((id) => sql`(${id}::int)`),
          sql`, `,
        )}) as ids(sid)
        cross join lateral (
          select t.id, t.seq, t.created_at,
            case when c.capture is null then t.event else t.event || jsonb_build_object('capture', c.capture) end as event
          from trajectory_events t left join calls c on c.session_id = t.session_id and c.seq = t.seq
          where t.session_id = ids.sid order by t.seq desc limit ${eventLimit}
        ) e
        order by ids.sid, e.seq`,
  );
  const totals = await queryRows<{ sessionId: number; total: number | string }>(
    db,
    sql`select session_id as "sessionId", count(*) as total from trajectory_events
        where session_id in (${idList}) group by session_id`,
  );

  const labels = await queryRows<Row<LabelForExport & { sessionId: number }>>(
    db,
    sql`select session_id as "sessionId", id, step_id, score, verdict, preferred_attempt, note, labeler,
          ${isoUtc(sql`created_at`)} as created_at
        from human_labels where session_id in (${idList}) order by session_id, id`,
  );

  // In place: a page's attempts are many, and drivers may give a `real` as text.
  for (const attempt of attempts) attempt.rewardScore = numberOrNull(attempt.rewardScore);
  for (const label of labels) label.score = numberOrNull(label.score);
  return {
    steps,
    attempts,
    guidance,
    events,
    totals: totals.map(({ sessionId, total }) => ({ sessionId, total: Number(total) })),
    labels,
  };
}

/** How many sessions (and their recorded steps) an export with these filters would write. */
export async function countSelection(db: Queryable, filters: ExportFilters): Promise<SelectionCount> {
  const limit = filters.limit === undefined ? sql`` : sql`limit ${filters.limit}`;
  const pairs = filters.format === "pairs" ? sql`(select count(*) from step_results r where r.session_id = s.id and ${PAIRED_STEP})` : sql`0`;
  const [row] = await queryRows<{ sessions: number | string; steps: number | string | null; pairs: number | string | null }>(
    db,
    sql`select count(*) as sessions, coalesce(sum(picked.steps), 0) as steps, coalesce(sum(picked.pairs), 0) as pairs from (
          select (select count(*) from step_results r where r.session_id = s.id) as steps, ${pairs} as pairs
          from sessions s where ${selectionWhere(filters)}
          order by ${selectionOrder(filters)} ${limit} offset ${filters.offset}
        ) picked`,
  );
  const sessions = Number(row?.sessions ?? 0);
  const steps = Number(row?.steps ?? 0);
  const lines = filters.format === "sessions" ? sessions : filters.format === "steps" ? steps : Number(row?.pairs ?? 0);
  return { sessions, steps, lines };
}

/**
 * A step the pairs format writes a line for (lib/export/training.ts `preferencePairs`): its last attempt was
 * accepted (an attempt without an outcome, from an upstream record: validated) after a rejected one.
 */
const PAIRED_STEP = sql`exists (
    select 1 from step_attempts last
     where last.session_id = r.session_id and last.step_id = r.step_id
       and last.attempt = (select max(a.attempt) from step_attempts a where a.session_id = r.session_id and a.step_id = r.step_id)
       and coalesce(last.outcome = 'accepted', (coalesce(last.evaluation, r.evaluation) -> 'validation' ->> 'valid') = 'true')
       and exists (select 1 from step_attempts early
                    where early.session_id = r.session_id and early.step_id = r.step_id and early.attempt < last.attempt
                      and (early.outcome is null or early.outcome = 'retry')))`;

/** Sessions the other filters select but the review selection leaves out, by review status. */
export async function countLeftOutByReview(db: Queryable, filters: SelectionFilters): Promise<{ status: string; sessions: number }[]> {
  const review = reviewCondition(filters.reviewStatuses);
  if (!review) return [];
  const rows = await queryRows<{ status: string; sessions: number | string }>(
    db,
    sql`select ${reviewStatusOf} as status, count(*) as sessions from sessions s
        where ${selectionWhere({ ...filters, reviewStatuses: "all" })} and not (${review})
        group by 1 order by 1`,
  );
  return rows.map((row) => ({ status: row.status, sessions: Number(row.sessions) }));
}

export async function judgementVersionExists(db: Queryable, version: number): Promise<boolean> {
  return (await queryRows(db, sql`select 1 from rejudges where id = ${version}`)).length > 0;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}