/**
 * The live reducer of the session page: applies one trajectory event to the snapshot the server
 * returned, the same way the database projects it (lib/db/queries/events.ts), so a page fed by the
 * stream shows what a reload would show. Pure and idempotent: an event at or below `lastSeq` is ignored.
 * Unchanged steps and attempts keep their identity, so memoised rows do not re-render.
 */
import { type EventOf, rewardScoreOf, type SessionStatus, TERMINAL_STATUSES, type TrajectoryEvent } from "@/lib/trajectory";
import { addExtraEvent } from "./extras";
import { emptyStepDetail, runningAttemptDetail, type AttemptDetail, type SessionView, type StepDetail } from "./types";

export function applyEvent(view: SessionView, event: TrajectoryEvent): SessionView {
  if (event.seq <= view.session.lastSeq) return view;
  const next = reduce(view, event);
  return { ...next, session: { ...next.session, lastSeq: event.seq } };
}

/** Applies events in order; the same result as folding `applyEvent`. */
export function applyEvents(view: SessionView, events: readonly TrajectoryEvent[]): SessionView {
  return events.reduce(applyEvent, view);
}

function reduce(view: SessionView, event: TrajectoryEvent): SessionView {
  switch (event.type) {
    case "session.started":
      // Task, config and metadata come with the session row; the event only starts the clock.
      return withSession(view, {
        status: keepTerminal(view.session.status, "running"),
        startedAt: view.session.startedAt ?? event.ts,
      });
    case "session.queued":
      return withSession(view, { status: keepTerminal(view.session.status, "queued") });
    case "plan.drafted":
      return { ...view, plan: { plan: event.plan, originalPlan: event.plan, review: view.plan?.review ?? null } };
    case "plan.reviewed":
      return withSession(
        {
          ...view,
          plan: {
            plan: event.plan,
            originalPlan: event.originalPlan,
            review: { mode: event.mode, concerns: event.concerns, changes: event.changes },
          },
        },
        { executionMode: event.mode, stepCount: event.plan.steps.length },
      );
    case "step.started":
      return stepStarted(view, event);
    case "attempt.started":
      return updateAttempt(view, event, (attempt) => attempt ?? runningAttemptDetail(event.attempt ?? 1, event.ts));
    case "validation":
      return updateAttempt(view, event, (attempt) => {
        const current = attempt ?? runningAttemptDetail(event.attempt ?? 1, event.ts);
        return { ...current, evaluation: { ...(current.evaluation ?? {}), validation: event.validation } };
      });
    case "reward":
      return rewardEvent(view, event);
    case "guidance.issued":
      return updateStep(view, requireStep(event), (step) =>
        step.guidance.some((note) => note.sequence === event.sequence)
          ? step
          : {
              ...step,
              guidance: [...step.guidance, { sequence: event.sequence, note: event.note, forAttempt: event.forAttempt }].sort(
                (a, b) => a.sequence - b.sequence,
              ),
            },
      );
    case "attempt.finished":
      return attemptFinished(view, event);
    case "step.finished":
      return stepFinished(view, event);
    case "synthesis":
      return withSession(view, { finalAnswer: event.finalAnswer });
    case "llm.call":
      return withSession(view, {
        promptTokens: view.session.promptTokens + event.promptTokens,
        completionTokens: view.session.completionTokens + event.completionTokens,
        reasoningTokens: view.session.reasoningTokens + event.reasoningTokens,
        costUsd: view.session.costUsd + event.costUsd,
        llmCalls: view.session.llmCalls + 1,
      });
    case "error":
      return { ...view, live: { ...view.live, errors: [...view.live.errors, { seq: event.seq, message: event.message, where: event.where }] } };
    case "session.completed":
      return withSession(view, {
        status: "succeeded",
        finalAnswer: event.finalAnswer,
        executionMode: event.executionMode,
        completedAt: event.ts,
        durationMs: Math.round(event.durationMs),
      });
    case "session.failed":
      return withSession(view, {
        status: "failed",
        error: event.error,
        finalAnswer: event.finalAnswer ?? "",
        completedAt: event.ts,
        durationMs: Math.round(event.durationMs),
      });
    case "session.cancelled":
      return withSession(view, {
        status: "cancelled",
        error: event.reason,
        completedAt: event.ts,
        durationMs: Math.round(event.durationMs),
      });
    case "session.interrupted": {
      const since = view.session.startedAt ?? view.session.createdAt;
      return withSession(view, {
        status: "interrupted",
        error: event.reason,
        completedAt: event.ts,
        durationMs: Math.max(0, Date.parse(event.ts) - Date.parse(since)),
      });
    }
    case "tool.call":
    case "tool.result":
    case "judge.sample":
    case "judge.escalated":
    case "arbiter.decision": {
      const extras = addExtraEvent(view.live.extras, event);
      return extras === view.live.extras ? view : { ...view, live: { ...view.live, extras } };
    }
  }
}

function keepTerminal(current: SessionStatus, next: SessionStatus): SessionStatus {
  return TERMINAL_STATUSES.includes(current) ? current : next;
}

function withSession(view: SessionView, patch: Partial<SessionView["session"]>): SessionView {
  return { ...view, session: { ...view.session, ...patch } };
}

function requireStep(event: TrajectoryEvent): number {
  if (event.stepId === undefined) throw new Error(`${event.type} event ${event.seq} has no stepId`);
  return event.stepId;
}

/** Replaces one step (created when missing), keeping the array order by step id. */
function updateStep(view: SessionView, stepId: number, change: (step: StepDetail) => StepDetail): SessionView {
  const index = view.steps.findIndex((step) => step.stepId === stepId);
  const current = index >= 0 ? (view.steps[index] as StepDetail) : emptyStepDetail(stepId, planDescription(view, stepId));
  const updated = change(current);
  if (updated === current && index >= 0) return view;
  const steps = view.steps.slice();
  if (index >= 0) steps[index] = updated;
  else {
    const at = steps.findIndex((step) => step.stepId > stepId);
    steps.splice(at < 0 ? steps.length : at, 0, updated);
  }
  return { ...view, steps };
}

function planDescription(view: SessionView, stepId: number): string {
  return view.plan?.plan.steps.find((step) => step.id === stepId)?.description ?? "";
}

function stepStarted(view: SessionView, event: EventOf<"step.started">): SessionView {
  const stepId = requireStep(event);
  const updated = updateStep(view, stepId, (step) => ({
    ...step,
    description: event.description,
    status: "running",
    startedAt: event.ts,
  }));
  return {
    ...updated,
    live: { ...updated.live, scheduled: { ...updated.live.scheduled, [stepId]: { level: event.level, dependsOn: event.dependsOn } } },
  };
}

function updateAttempt(
  view: SessionView,
  event: TrajectoryEvent,
  change: (attempt: AttemptDetail | undefined) => AttemptDetail,
): SessionView {
  const number = event.attempt ?? 1;
  return updateStep(view, requireStep(event), (step) => {
    const index = step.attemptDetails.findIndex((attempt) => attempt.attempt === number);
    const current = index >= 0 ? step.attemptDetails[index] : undefined;
    const updated = change(current);
    if (updated === current) return step;
    const attemptDetails = step.attemptDetails.slice();
    if (index >= 0) attemptDetails[index] = updated;
    else {
      attemptDetails.push(updated);
      attemptDetails.sort((a, b) => a.attempt - b.attempt);
    }
    return { ...step, attemptDetails };
  });
}

function rewardEvent(view: SessionView, event: EventOf<"reward">): SessionView {
  const updated = updateAttempt(view, event, (attempt) => {
    const current = attempt ?? runningAttemptDetail(event.attempt ?? 1, event.ts);
    return {
      ...current,
      evaluation: { ...(current.evaluation ?? {}), reward: event.breakdown },
      rewardSkipped: event.skipped,
      rewardScore: event.skipped ? null : event.score,
    };
  });
  if (event.skipped) return updated;
  const judges = event.breakdown.judges;
  return withSession(updated, {
    judgeOutcomes: updated.session.judgeOutcomes + judges.length,
    escalations: updated.session.escalations + judges.filter((judge) => judge.escalated).length,
  });
}

function attemptFinished(view: SessionView, event: EventOf<"attempt.finished">): SessionView {
  const updated = updateAttempt(view, event, (attempt) => ({
    ...(attempt ?? runningAttemptDetail(event.attempt ?? 1, event.ts)),
    status: event.status,
    outcome: event.outcome,
    output: event.output,
    trace: event.trace,
    evaluation: event.evaluation,
    timingsMs: event.timingsMs,
    rewardSkipped: event.rewardSkipped,
    rewardScore: event.rewardSkipped ? null : event.evaluation.reward.score,
    finishedAt: event.ts,
  }));
  return withSession(updated, { attemptCount: updated.session.attemptCount + 1 });
}

function stepFinished(view: SessionView, event: EventOf<"step.finished">): SessionView {
  const { result } = event;
  const updated = updateStep(view, result.step_id, (step) => ({
    ...step,
    status: event.status,
    trace: result.trace,
    output: result.output,
    evaluation: result.evaluation,
    attempts: result.attempts,
    metadata: Object.keys(result.metadata).length > 0 ? result.metadata : null,
    rewardScore: event.status === "succeeded" ? rewardScoreOf(result.evaluation) : null,
    completedAt: event.ts,
  }));
  const rewards = updated.steps.map((step) => step.rewardScore).filter((score): score is number => score !== null);
  const rewardScore = rewards.length > 0 ? rewards.reduce((sum, score) => sum + score, 0) / rewards.length : null;
  return withSession(updated, { rewardScore });
}
