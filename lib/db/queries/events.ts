import "server-only";
import { and, asc, eq, gt, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import {
  countersAddedBy,
  type EventOf,
  finishedAttemptFields,
  finishedStepFields,
  isTerminalStatus,
  requireAttempt,
  requireStep,
  type SessionCounter,
  sessionChangeOf,
  type SessionFieldChanges,
  type SessionStatus,
  TERMINAL_STATUSES,
  type TrajectoryEvent,
  withoutCapture,
} from "@/lib/trajectory";
import { callRowOf } from "./call-rows";
import { calls, guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "../schema";
import type { Queryable } from "../types";

/** Events folded into one statement at most; bounds the statement's size and parameter count. */
const MAX_EVENTS_PER_STATEMENT = 200;

/**
 * Writes events, in order, with the rows they imply (plan, step result, attempt, guidance, session
 * totals): the trajectory projection of lib/trajectory/projection.ts, in SQL, taking what each event
 * sets and adds from the same functions. Each statement stores a run of consecutive events and their
 * projections at once (data-modifying CTEs), so the stored rows always agree with the stored events,
 * and a burst of events costs one round trip instead of one each — writes sit on the engine's
 * critical path. A statement carries at most one projected row besides the session's: CTEs of one
 * statement share a snapshot and must not touch the same row twice.
 */
export async function appendEvents(db: Queryable, events: readonly TrajectoryEvent[]): Promise<void> {
  let group: { events: TrajectoryEvent[]; projections: Projection[]; hasRow: boolean } = { events: [], projections: [], hasRow: false };
  for (const event of events) {
    const projected = projection(db, event);
    const full = group.events.length >= MAX_EVENTS_PER_STATEMENT;
    if (full || (projected.row && group.hasRow)) {
      await db.execute(statementFor(db, group.events, group.projections));
      group = { events: [], projections: [], hasRow: false };
    }
    group.events.push(event);
    group.projections.push(projected);
    group.hasRow ||= projected.row !== undefined;
  }
  if (group.events.length > 0) await db.execute(statementFor(db, group.events, group.projections));
}

function statementFor(db: Queryable, events: TrajectoryEvent[], projections: Projection[]): SQL {
  const insertEvents = db.insert(trajectoryEvents).values(
    events.map((event) => ({
      sessionId: event.sessionId,
      seq: event.seq,
      type: event.type,
      event: withoutCapture(event),
      createdAt: new Date(event.ts),
    })),
  );
  const sessionIds = new Set(events.map((event) => event.sessionId));
  if (sessionIds.size !== 1) throw new Error(`one statement writes one session's events, not ${[...sessionIds].join(", ")}`);
  const set: SessionChanges = {};
  const added = new Map<SessionCounter, number>();
  for (const { session, statusUnlessEnded, add } of projections) {
    Object.assign(set, session);
    // A start or queueing never reopens an ended session: not one ended earlier in this statement, nor the stored row.
    if (statusUnlessEnded && !(typeof set.status === "string" && isTerminalStatus(set.status))) {
      set.status = sql`case when ${sessions.status} in (${sql.join(TERMINAL_STATUSES.map((status) => sql`${status}`), sql`, `)}) then ${sessions.status} else ${statusUnlessEnded} end`;
    }
    for (const [column, by] of Object.entries(add) as [SessionCounter, number][]) {
      added.set(column, (added.get(column) ?? 0) + by);
    }
  }
  for (const [column, by] of added) set[column] = sql`${sessions[column]} + ${by}`;
  const last = events[events.length - 1]!;
  const updateSession = db
    .update(sessions)
    .set({ ...set, lastSeq: last.seq })
    .where(eq(sessions.id, last.sessionId));
  const row = projections.find((projected) => projected.row)?.row;
  // getSQL(): embedding the builders themselves would wrap each one in a second pair of parentheses.
  const ctes = [sql`inserted_events as (${insertEvents.getSQL()})`];
  if (row) ctes.push(sql`projected_row as (${row.getSQL()})`);
  // A call's row goes with the event that reports it; its capture is kept there, not in the event.
  const callRows = events.flatMap((event) => callRowOf(event) ?? []);
  if (callRows.length > 0) ctes.push(sql`inserted_calls as (${db.insert(calls).values(callRows).onConflictDoNothing().getSQL()})`);
  return sql`with ${sql.join(ctes, sql`, `)} ${updateSession.getSQL()}`;
}

export async function listEventsAfter(
  db: Queryable,
  { sessionId, after = 0, limit = 1000 }: { sessionId: number; after?: number; limit?: number },
): Promise<TrajectoryEvent[]> {
  const rows = await db
    .select({ event: trajectoryEvents.event })
    .from(trajectoryEvents)
    .where(and(eq(trajectoryEvents.sessionId, sessionId), gt(trajectoryEvents.seq, after)))
    .orderBy(asc(trajectoryEvents.seq))
    .limit(limit);
  return rows.map((row) => row.event as TrajectoryEvent);
}

type SessionChanges = Partial<{ [K in keyof typeof sessions.$inferInsert]: (typeof sessions.$inferInsert)[K] | SQL }>;

interface Projection {
  /** Columns of the session row this event sets (besides last_seq); a later event's value wins. */
  session: SessionChanges;
  /** A status that applies unless the session has already ended. */
  statusUnlessEnded?: SessionStatus;
  /** Counters of the session row this event increments. */
  add: Partial<Record<SessionCounter, number>>;
  /** At most one other row the event inserts or updates. */
  row?: SQLWrapper;
}

function projection(db: Queryable, event: TrajectoryEvent): Projection {
  const change = sessionChangeOf(event);
  const session = sessionColumns(change.set);
  if (change.durationSinceStart) {
    session.durationMs = sql`(extract(epoch from (${event.ts}::timestamptz - coalesce(${sessions.startedAt}, ${sessions.createdAt}))) * 1000)::int`;
  }
  const base = { session, statusUnlessEnded: change.statusUnlessEnded, add: countersAddedBy(event) };
  const row = projectedRow(db, event);
  if (event.type === "step.finished") Object.assign(session, { rewardScore: sessionRewardAfter(event) });
  return row ? { ...base, row } : base;
}

function sessionColumns({ startedAt, completedAt, ...values }: SessionFieldChanges): SessionChanges {
  const columns: SessionChanges = { ...values };
  if (startedAt !== undefined) columns.startedAt = startedAt === null ? null : new Date(startedAt);
  if (completedAt !== undefined) columns.completedAt = completedAt === null ? null : new Date(completedAt);
  return columns;
}

function projectedRow(db: Queryable, event: TrajectoryEvent): SQLWrapper | undefined {
  const at = new Date(event.ts);
  switch (event.type) {
    case "plan.drafted":
      return db
        .insert(plans)
        .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.plan })
        .onConflictDoUpdate({ target: plans.sessionId, set: { plan: event.plan, originalPlan: event.plan } });
    case "plan.reviewed": {
      const review = { mode: event.mode, concerns: event.concerns, changes: event.changes };
      return db
        .insert(plans)
        .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.originalPlan, review })
        .onConflictDoUpdate({
          target: plans.sessionId,
          set: { plan: event.plan, originalPlan: event.originalPlan, review },
        });
    }
    case "step.started":
      return db
        .insert(stepResults)
        .values({
          sessionId: event.sessionId,
          stepId: requireStep(event),
          description: event.description,
          status: "running",
          startedAt: at,
        })
        .onConflictDoUpdate({
          target: [stepResults.sessionId, stepResults.stepId],
          set: { description: event.description, status: "running", startedAt: at },
        });
    case "attempt.started":
      return db
        .insert(stepAttempts)
        .values({
          sessionId: event.sessionId,
          stepId: requireStep(event),
          attempt: requireAttempt(event),
          status: "running",
          startedAt: at,
        })
        .onConflictDoNothing();
    case "attempt.finished":
      return attemptFinishedRow(db, event);
    case "guidance.issued":
      return db
        .insert(guidanceNotes)
        .values({
          sessionId: event.sessionId,
          stepId: requireStep(event),
          sequence: event.sequence,
          note: event.note,
          forAttempt: event.forAttempt,
          createdAt: at,
        })
        .onConflictDoNothing();
    case "step.finished":
      return stepFinishedRow(db, event);
    default:
      return undefined;
  }
}

function attemptFinishedRow(db: Queryable, event: EventOf<"attempt.finished">): SQLWrapper {
  const { finishedAt, ...fields } = finishedAttemptFields(event);
  const values = { ...fields, finishedAt: new Date(finishedAt) };
  return db
    .insert(stepAttempts)
    .values({ sessionId: event.sessionId, stepId: requireStep(event), attempt: requireAttempt(event), ...values })
    .onConflictDoUpdate({ target: [stepAttempts.sessionId, stepAttempts.stepId, stepAttempts.attempt], set: values });
}

function stepFinishedRow(db: Queryable, event: EventOf<"step.finished">): SQLWrapper {
  const { completedAt, ...fields } = finishedStepFields(event);
  const values = { ...fields, completedAt: new Date(completedAt) };
  return db
    .insert(stepResults)
    .values({ sessionId: event.sessionId, stepId: event.result.step_id, ...values })
    .onConflictDoUpdate({ target: [stepResults.sessionId, stepResults.stepId], set: values });
}

/** The session's mean step reward once this step has finished. */
function sessionRewardAfter(event: EventOf<"step.finished">): SQL {
  const { rewardScore } = finishedStepFields(event);
  // CTEs of one statement see the same snapshot, so the session mean adds this step's score itself.
  const otherScores = sql`select ${stepResults.rewardScore} as score from ${stepResults}
    where ${stepResults.sessionId} = ${event.sessionId} and ${stepResults.stepId} <> ${event.result.step_id}
      and ${stepResults.rewardScore} is not null`;
  const scores = rewardScore === null ? otherScores : sql`${otherScores} union all select ${rewardScore}::real`;
  return sql`(select avg(score) from (${scores}) as step_scores)`;
}
