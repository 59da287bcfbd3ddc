import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { EventOf, TrajectoryEvent } from "@/lib/runtime/events";
import type { StepEvaluation } from "@/lib/runtime/types";
import { guidanceNotes, plans, sessions, stepAttempts, stepResults, trajectoryEvents } from "../schema";
import type { AtlasDb, Queryable } from "../types";

/**
 * Writes one event and the rows it implies (plan, step result, attempt, guidance, session totals)
 * in one transaction, so the stored rows always agree with the stored events.
 */
export async function appendEvent(db: AtlasDb, event: TrajectoryEvent): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(trajectoryEvents).values({
      sessionId: event.sessionId,
      seq: event.seq,
      type: event.type,
      event,
      createdAt: new Date(event.ts),
    });
    await project(tx, event);
    await tx.update(sessions).set({ lastSeq: event.seq }).where(eq(sessions.id, event.sessionId));
  });
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

type Tx = Parameters<Parameters<AtlasDb["transaction"]>[0]>[0];

async function project(tx: Tx, event: TrajectoryEvent): Promise<void> {
  const at = new Date(event.ts);
  switch (event.type) {
    case "session.started":
      await tx.update(sessions).set({ status: "running", startedAt: at }).where(eq(sessions.id, event.sessionId));
      return;
    case "session.queued":
      await tx.update(sessions).set({ status: "queued" }).where(eq(sessions.id, event.sessionId));
      return;
    case "plan.drafted":
      await tx
        .insert(plans)
        .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.plan })
        .onConflictDoUpdate({ target: plans.sessionId, set: { plan: event.plan, originalPlan: event.plan } });
      return;
    case "plan.reviewed": {
      const review = { mode: event.mode, concerns: event.concerns, changes: event.changes };
      await tx
        .insert(plans)
        .values({ sessionId: event.sessionId, plan: event.plan, originalPlan: event.originalPlan, review })
        .onConflictDoUpdate({
          target: plans.sessionId,
          set: { plan: event.plan, originalPlan: event.originalPlan, review },
        });
      await tx
        .update(sessions)
        .set({ executionMode: event.mode, stepCount: event.plan.steps.length })
        .where(eq(sessions.id, event.sessionId));
      return;
    }
    case "step.started":
      await tx
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
      return;
    case "attempt.started":
      await tx
        .insert(stepAttempts)
        .values({
          sessionId: event.sessionId,
          stepId: requireStep(event),
          attempt: requireAttempt(event),
          status: "running",
          startedAt: at,
        })
        .onConflictDoNothing();
      return;
    case "attempt.finished":
      await projectAttemptFinished(tx, event, at);
      return;
    case "guidance.issued":
      await tx
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
      return;
    case "reward":
      if (event.skipped) return;
      await tx
        .update(sessions)
        .set({
          judgeOutcomes: sql`${sessions.judgeOutcomes} + ${event.breakdown.judges.length}`,
          escalations: sql`${sessions.escalations} + ${event.breakdown.judges.filter((judge) => judge.escalated).length}`,
        })
        .where(eq(sessions.id, event.sessionId));
      return;
    case "step.finished":
      await projectStepFinished(tx, event, at);
      return;
    case "llm.call":
      await tx
        .update(sessions)
        .set({
          promptTokens: sql`${sessions.promptTokens} + ${event.promptTokens}`,
          completionTokens: sql`${sessions.completionTokens} + ${event.completionTokens}`,
          reasoningTokens: sql`${sessions.reasoningTokens} + ${event.reasoningTokens}`,
          costUsd: sql`${sessions.costUsd} + ${event.costUsd}`,
          llmCalls: sql`${sessions.llmCalls} + 1`,
        })
        .where(eq(sessions.id, event.sessionId));
      return;
    case "session.completed":
      await tx
        .update(sessions)
        .set({
          status: "succeeded",
          finalAnswer: event.finalAnswer,
          executionMode: event.executionMode,
          completedAt: at,
          durationMs: Math.round(event.durationMs),
        })
        .where(eq(sessions.id, event.sessionId));
      return;
    case "session.failed":
      await tx
        .update(sessions)
        .set({
          status: "failed",
          error: event.error,
          finalAnswer: event.finalAnswer ?? "",
          completedAt: at,
          durationMs: Math.round(event.durationMs),
        })
        .where(eq(sessions.id, event.sessionId));
      return;
    case "session.cancelled":
      await tx
        .update(sessions)
        .set({ status: "cancelled", error: event.reason, completedAt: at, durationMs: Math.round(event.durationMs) })
        .where(eq(sessions.id, event.sessionId));
      return;
    case "session.interrupted":
      await tx
        .update(sessions)
        .set({
          status: "interrupted",
          error: event.reason,
          completedAt: at,
          durationMs: sql`(extract(epoch from (${at.toISOString()}::timestamptz - coalesce(${sessions.startedAt}, ${sessions.createdAt}))) * 1000)::int`,
        })
        .where(eq(sessions.id, event.sessionId));
      return;
    default:
      return;
  }
}

async function projectAttemptFinished(tx: Tx, event: EventOf<"attempt.finished">, at: Date) {
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
  await tx
    .insert(stepAttempts)
    .values({ sessionId: event.sessionId, stepId: requireStep(event), attempt: requireAttempt(event), ...values })
    .onConflictDoUpdate({ target: [stepAttempts.sessionId, stepAttempts.stepId, stepAttempts.attempt], set: values });
  await tx
    .update(sessions)
    .set({ attemptCount: sql`${sessions.attemptCount} + 1` })
    .where(eq(sessions.id, event.sessionId));
}

async function projectStepFinished(tx: Tx, event: EventOf<"step.finished">, at: Date) {
  const { result } = event;
  const values = {
    status: event.status,
    trace: result.trace,
    output: result.output,
    evaluation: result.evaluation,
    attempts: result.attempts,
    metadata: Object.keys(result.metadata).length > 0 ? result.metadata : null,
    rewardScore: event.status === "succeeded" ? rewardScoreOf(result.evaluation) : null,
    completedAt: at,
  };
  await tx
    .insert(stepResults)
    .values({ sessionId: event.sessionId, stepId: result.step_id, ...values })
    .onConflictDoUpdate({ target: [stepResults.sessionId, stepResults.stepId], set: values });
  await tx
    .update(sessions)
    .set({
      rewardScore: sql`(select avg(${stepResults.rewardScore}) from ${stepResults} where ${stepResults.sessionId} = ${event.sessionId} and ${stepResults.rewardScore} is not null)`,
    })
    .where(eq(sessions.id, event.sessionId));
}

function requireStep(event: TrajectoryEvent): number {
  if (event.stepId === undefined) throw new Error(`${event.type} event ${event.seq} has no stepId`);
  return event.stepId;
}

function requireAttempt(event: TrajectoryEvent): number {
  if (event.attempt === undefined) throw new Error(`${event.type} event ${event.seq} has no attempt`);
  return event.attempt;
}
