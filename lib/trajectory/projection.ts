/**
 * The projection of trajectory events onto a session's state: what the stored rows of a session
 * are once its events are written. Pure, and idempotent by seq: an event at or below
 * `session.lastSeq` changes nothing. Unchanged steps and attempts keep their identity, so a viewer
 * can skip re-rendering them.
 *
 * The database writes the same projection in batched SQL (lib/db/queries/events.ts); the parity test
 * (lib/session-view/projection.parity.test.ts) holds the two to each other.
 */
import type { EventOf, TrajectoryEvent } from "./events";
import { rewardScoreOf } from "./reward";
import {
  emptyStepDetail,
  runningAttemptDetail,
  type AttemptDetail,
  type GuidanceNote,
  type SessionDetail,
  type StepDetail,
} from "./session-state";
import { countersAddedBy, durationSinceStartMs, meanReward, sessionChangeOf, statusAfter, type SessionCounter } from "./session-totals";

export function applyEvent(state: SessionDetail, event: TrajectoryEvent): SessionDetail {
  if (event.seq <= state.session.lastSeq) return state;
  const next = withSessionTotals(withRows(state, event), event);
  return { ...next, session: { ...next.session, lastSeq: event.seq } };
}

/** Applies events in order; the same result as folding `applyEvent`. */
export function applyEvents(state: SessionDetail, events: readonly TrajectoryEvent[]): SessionDetail {
  return events.reduce(applyEvent, state);
}

/** The session's own fields and counters. */
function withSessionTotals(state: SessionDetail, event: TrajectoryEvent): SessionDetail {
  const change = sessionChangeOf(event);
  const added = Object.entries(countersAddedBy(event)) as [SessionCounter, number][];
  const rewardChanged = event.type === "step.finished";
  if (Object.keys(change.set).length === 0 && !change.statusUnlessEnded && added.length === 0 && !rewardChanged) return state;
  const session = { ...state.session, ...change.set, status: statusAfter(state.session.status, change) };
  if (change.durationSinceStart) session.durationMs = durationSinceStartMs(event.ts, state.session);
  for (const [counter, by] of added) session[counter] += by;
  if (rewardChanged) session.rewardScore = meanReward(state.steps.map((step) => step.rewardScore));
  return { ...state, session };
}

/** The plan, step, attempt and guidance rows an event writes. */
function withRows(state: SessionDetail, event: TrajectoryEvent): SessionDetail {
  switch (event.type) {
    case "plan.drafted":
      return { ...state, plan: { plan: event.plan, originalPlan: event.plan, review: state.plan?.review ?? null } };
    case "plan.reviewed":
      return {
        ...state,
        plan: {
          plan: event.plan,
          originalPlan: event.originalPlan,
          review: { mode: event.mode, concerns: event.concerns, changes: event.changes },
        },
      };
    case "step.started":
      return updateStep(state, requireStep(event), (step) => ({
        ...step,
        description: event.description,
        status: "running",
        startedAt: event.ts,
      }));
    case "attempt.started":
      return updateAttempt(state, requireStep(event), requireAttempt(event), (attempt) => attempt ?? runningAttemptDetail(requireAttempt(event), event.ts));
    case "guidance.issued":
      return updateStep(state, requireStep(event), (step) => withGuidance(step, { sequence: event.sequence, note: event.note, forAttempt: event.forAttempt }));
    case "attempt.finished":
      return updateAttempt(state, requireStep(event), requireAttempt(event), (attempt) => ({
        ...(attempt ?? runningAttemptDetail(requireAttempt(event), null)),
        ...finishedAttemptFields(event),
      }));
    case "step.finished":
      return updateStep(state, event.result.step_id, (step) => ({ ...step, ...finishedStepFields(event) }));
    default:
      return state;
  }
}

/** The attempt's fields once it has finished (timestamps as ISO strings). */
export function finishedAttemptFields(event: EventOf<"attempt.finished">) {
  return {
    status: event.status,
    outcome: event.outcome,
    output: event.output,
    trace: event.trace,
    evaluation: event.evaluation,
    timingsMs: event.timingsMs,
    rewardSkipped: event.rewardSkipped,
    rewardScore: event.rewardSkipped ? null : event.evaluation.reward.score,
    finishedAt: event.ts,
  } satisfies Partial<AttemptDetail>;
}

/** The step's fields once it has finished: only a succeeded step counts for the session's reward. */
export function finishedStepFields(event: EventOf<"step.finished">) {
  const { result } = event;
  return {
    status: event.status,
    trace: result.trace,
    output: result.output,
    evaluation: result.evaluation,
    attempts: result.attempts,
    metadata: Object.keys(result.metadata).length > 0 ? result.metadata : null,
    rewardScore: event.status === "succeeded" ? rewardScoreOf(result.evaluation) : null,
    completedAt: event.ts,
  } satisfies Partial<StepDetail>;
}

function withGuidance(step: StepDetail, note: GuidanceNote): StepDetail {
  if (step.guidance.some((known) => known.sequence === note.sequence)) return step;
  return { ...step, guidance: [...step.guidance, note].sort((a, b) => a.sequence - b.sequence) };
}

/** Replaces one step (created blank when missing), keeping the steps ordered by id. */
export function updateStep(state: SessionDetail, stepId: number, change: (step: StepDetail) => StepDetail): SessionDetail {
  const index = state.steps.findIndex((step) => step.stepId === stepId);
  const current = index >= 0 ? (state.steps[index] as StepDetail) : emptyStepDetail(stepId);
  const updated = change(current);
  if (updated === current && index >= 0) return state;
  const steps = state.steps.slice();
  if (index >= 0) steps[index] = updated;
  else {
    const at = steps.findIndex((step) => step.stepId > stepId);
    steps.splice(at < 0 ? steps.length : at, 0, updated);
  }
  return { ...state, steps };
}

/** Replaces one attempt of a step (`change` gets undefined when it is missing), keeping attempts ordered. */
export function updateAttempt(
  state: SessionDetail,
  stepId: number,
  number: number,
  change: (attempt: AttemptDetail | undefined) => AttemptDetail,
): SessionDetail {
  return updateStep(state, stepId, (step) => {
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

export function requireStep(event: TrajectoryEvent): number {
  if (event.stepId === undefined) throw new Error(`${event.type} event ${event.seq} has no stepId`);
  return event.stepId;
}

export function requireAttempt(event: TrajectoryEvent): number {
  if (event.attempt === undefined) throw new Error(`${event.type} event ${event.seq} has no attempt`);
  return event.attempt;
}
