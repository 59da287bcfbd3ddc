import { and, asc, eq, gt, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { type EventOf, rewardScoreOf, type TrajectoryEvent } from "@/lib/trajectory";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "../schema";
import type { Queryable } from "../types";

/** Events folded into one statement at most; bounds the statement's size and parameter count. */
const MAX_EVENTS_PER_STATEMENT = 200;

/**
 * Writes events, in order, with the rows they imply (plan, step result, attempt, guidance, session
 * totals). Each statement stores a run of consecutive events and their projections at once
 * (data-modifying CTEs), so the stored rows always agree with the stored events, and a burst of events
 * costs one round trip instead of one each — writes sit on the engine's critical path. A statement
 * carries at most one projected row besides the session's: CTEs of one statement share a snapshot
 * and must not touch the same row twice.
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
      event,
      createdAt: new Date(event.ts),
    })),
  );
  const sessionIds = new Set(events.map((event) => event.sessionId));
  if (sessionIds.size !== 1) throw new Error(`one statement writes one session's events, not ${[...sessionIds].join(", ")}`);
  const set: SessionChanges = {};
  const added = new Map<CounterColumn, number>();
  for (const { session, add } of projections) {
    Object.assign(set, session);
    for (const [column, by] of Object.entries(add ?? {}) as [CounterColumn, number][]) {
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
  const ctes = row
    ? sql`inserted_events as (${insertEvents.getSQL()}), projected_row as (${row.getSQL()})`
    : sql`inserted_events as (${insertEvents.getSQL()})`;
  return sql`with ${ctes} ${updateSession.getSQL()}`;
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

/** Session columns that only ever grow by a number, so the changes of several events add up. */
type CounterColumn =
  | "attemptCount"
  | "judgeOutcomes"
  | "escalations"
  | "promptTokens"
  | "completionTokens"
  | "reasoningTokens"
  | "costUsd"
  | "llmCalls";

interface Projection {
  /** Columns of the session row this event sets (besides last_seq); a later event's value wins. */
  session: SessionChanges;
  /** Counters of the session row this event increments. */
  add?: Partial<Record<CounterColumn, number>>;
  /** At most one other row the event inserts or updates. */
  row?: SQLWrapper;
}

function projection(db: Queryable, event: TrajectoryEvent): Projection {
  const at = new Date(event.ts);
  switch (event.type) {
    case "session.started":
      return { session: { status: "running", startedAt: at } };
    case "session.queued":
      return { session: { status: "queued" } };
    case "plan.drafted":
      return {
        session: {},
        row: db
          .insert(plans)
          .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.plan })
          .onConflictDoUpdate({ target: plans.sessionId, set: { plan: event.plan, originalPlan: event.plan } }),
      };
    case "plan.reviewed": {
      const review = { mode: event.mode, concerns: event.concerns, changes: event.changes };
      return {
        session: { executionMode: event.mode, stepCount: event.plan.steps.length },
        row: db
          .insert(plans)
          .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.originalPlan, review })
          .onConflictDoUpdate({
            target: plans.sessionId,
            set: { plan: event.plan, originalPlan: event.originalPlan, review },
          }),
      };
    }
    case "step.started":
      return {
        session: {},
        row: db
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
          }),
      };
    case "attempt.started":
      return {
        session: {},
        row: db
          .insert(stepAttempts)
          .values({
            sessionId: event.sessionId,
            stepId: requireStep(event),
            attempt: requireAttempt(event),
            status: "running",
            startedAt: at,
          })
          .onConflictDoNothing(),
      };
    case "attempt.finished":
      return { session: {}, add: { attemptCount: 1 }, row: attemptFinishedRow(db, event, at) };
    case "guidance.issued":
      return {
        session: {},
        row: db
          .insert(guidanceNotes)
          .values({
            sessionId: event.sessionId,
            stepId: requireStep(event),
            sequence: event.sequence,
            note: event.note,
            forAttempt: event.forAttempt,
            createdAt: at,
          })
          .onConflictDoNothing(),
      };
    case "reward":
      if (event.skipped) return { session: {} };
      return {
        session: {},
        add: {
          judgeOutcomes: event.breakdown.judges.length,
          escalations: event.breakdown.judges.filter((judge) => judge.escalated).length,
        },
      };
    case "step.finished":
      return stepFinishedProjection(db, event, at);
    case "llm.call":
      return {
        session: {},
        add: {
          promptTokens: event.promptTokens,
          completionTokens: event.completionTokens,
          reasoningTokens: event.reasoningTokens,
          costUsd: event.costUsd,
          llmCalls: 1,
        },
      };
    case "session.completed":
      return {
        session: {
          status: "succeeded",
          finalAnswer: event.finalAnswer,
          executionMode: event.executionMode,
          completedAt: at,
          durationMs: Math.round(event.durationMs),
        },
      };
    case "session.failed":
      return {
        session: {
          status: "failed",
          error: event.error,
          finalAnswer: event.finalAnswer ?? "",
          completedAt: at,
          durationMs: Math.round(event.durationMs),
        },
      };
    case "session.cancelled":
      return {
        session: { status: "cancelled", error: event.reason, completedAt: at, durationMs: Math.round(event.durationMs) },
      };
    case "session.interrupted":
      return {
        session: {
          status: "interrupted",
          error: event.reason,
          completedAt: at,
          durationMs: sql`(extract(epoch from (${at.toISOString()}::timestamptz - coalesce(${sessions.startedAt}, ${sessions.createdAt}))) * 1000)::int`,
        },
      };
    default:
      return { session: {} };
  }
}

function attemptFinishedRow(db: Queryable, event: EventOf<"attempt.finished">, at: Date): SQLWrapper {
  const values = {
    evaluation: event.evaluation,
    status: event.status,
    outcome: event.outcome,
    output: event.output,
    trace: event.trace,
    timingsMs: event.timingsMs,
    rewardSkipped: event.rewardSkipped,
    rewardScore: event.rewardSkipped ? null : event.evaluation.reward.score,
    finishedAt: at,
  };
  return db
    .insert(stepAttempts)
    .values({ sessionId: event.sessionId, stepId: requireStep(event), attempt: requireAttempt(event), ...values })
    .onConflictDoUpdate({ target: [stepAttempts.sessionId, stepAttempts.stepId, stepAttempts.attempt], set: values });
}

function stepFinishedProjection(db: Queryable, event: EventOf<"step.finished">, at: Date): Projection {
  const { result } = event;
  const rewardScore = event.status === "succeeded" ? rewardScoreOf(result.evaluation) : null;
  const values = {
    status: event.status,
    trace: result.trace,
    output: result.output,
    evaluation: result.evaluation,
    attempts: result.attempts,
    metadata: Object.keys(result.metadata).length > 0 ? result.metadata : null,
    rewardScore,
    completedAt: at,
  };
  // CTEs of one statement see the same snapshot, so the session mean adds this step's score itself.
  const otherScores = sql`select ${stepResults.rewardScore} as score from ${stepResults}
    where ${stepResults.sessionId} = ${event.sessionId} and ${stepResults.stepId} <> ${result.step_id}
      and ${stepResults.rewardScore} is not null`;
  const scores = rewardScore === null ? otherScores : sql`${otherScores} union all select ${rewardScore}::real`;
  return {
    session: { rewardScore: sql`(select avg(score) from (${scores}) as step_scores)` },
    row: db
      .insert(stepResults)
      .values({ sessionId: event.sessionId, stepId: result.step_id, ...values })
      .onConflictDoUpdate({ target: [stepResults.sessionId, stepResults.stepId], set: values }),
  };
}

function requireStep(event: TrajectoryEvent): number {
  if (event.stepId === undefined) throw new Error(`${event.type} event ${event.seq} has no stepId`);
  return event.stepId;
}

function requireAttempt(event: TrajectoryEvent): number {
  if (event.attempt === undefined) throw new Error(`${event.type} event ${event.seq} has no attempt`);
  return event.attempt;
}
