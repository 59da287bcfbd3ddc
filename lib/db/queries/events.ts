import { and, asc, eq, gt, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { EventOf, TrajectoryEvent } from "@/lib/runtime/events";
import type { StepEvaluation } from "@/lib/runtime/types";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "../schema";
import type { Queryable } from "../types";

/**
 * Writes one event and the rows it implies (plan, step result, attempt, guidance, session totals)
 * as ONE statement (data-modifying CTEs), so the stored rows always agree with the stored events and
 * each event costs a single round trip — it sits on the engine's critical path.
 */
export async function appendEvent(db: Queryable, event: TrajectoryEvent): Promise<void> {
  const insertEvent = db.insert(trajectoryEvents).values({
    sessionId: event.sessionId,
    seq: event.seq,
    type: event.type,
    event,
    createdAt: new Date(event.ts),
  });
  const { session, row } = projection(db, event);
  const updateSession = db
    .update(sessions)
    .set({ ...session, lastSeq: event.seq })
    .where(eq(sessions.id, event.sessionId));
  // getSQL(): embedding the builders themselves would wrap each one in a second pair of parentheses.
  const ctes = row
    ? sql`inserted_event as (${insertEvent.getSQL()}), projected_row as (${row.getSQL()})`
    : sql`inserted_event as (${insertEvent.getSQL()})`;
  await db.execute(sql`with ${ctes} ${updateSession.getSQL()}`);
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

/** The step reward that counts for the session: null when the final attempt was not judged. */
export function rewardScoreOf(evaluation: StepEvaluation): number | null {
  const raw = evaluation.reward.raw as { skipped?: boolean; error?: unknown } | null | undefined;
  if (raw && typeof raw === "object" && (raw.skipped === true || "error" in raw)) return null;
  return evaluation.reward.score;
}

type SessionChanges = Partial<{ [K in keyof typeof sessions.$inferInsert]: (typeof sessions.$inferInsert)[K] | SQL }>;

interface Projection {
  /** Columns of the session row this event changes (besides last_seq). */
  session: SessionChanges;
  /** At most one other row the event inserts or updates. */
  row?: SQLWrapper;
}

const increment = (column: AnyPgColumn, by: number) => sql`${column} + ${by}`;

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
      return { session: { attemptCount: increment(sessions.attemptCount, 1) }, row: attemptFinishedRow(db, event, at) };
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
        session: {
          judgeOutcomes: increment(sessions.judgeOutcomes, event.breakdown.judges.length),
          escalations: increment(sessions.escalations, event.breakdown.judges.filter((judge) => judge.escalated).length),
        },
      };
    case "step.finished":
      return stepFinishedProjection(db, event, at);
    case "llm.call":
      return {
        session: {
          promptTokens: increment(sessions.promptTokens, event.promptTokens),
          completionTokens: increment(sessions.completionTokens, event.completionTokens),
          reasoningTokens: increment(sessions.reasoningTokens, event.reasoningTokens),
          costUsd: increment(sessions.costUsd, event.costUsd),
          llmCalls: increment(sessions.llmCalls, 1),
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
