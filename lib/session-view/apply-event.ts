/**
 * The live reducer of the session page: the trajectory projection (lib/trajectory/projection.ts, the
 * same one the database writes), plus what exists only in the live stream — tool calls, judge samples,
 * escalations, arbiter records, scheduling, error events, and the verdict of an attempt still running.
 * So a page fed by the stream shows what a reload would show. Pure and idempotent: an event at or
 * below `lastSeq` is ignored. Unchanged steps and attempts keep their identity.
 */
import {
  applyEvent as project,
  requireAttempt,
  requireStep,
  runningAttemptDetail,
  type SessionDetail,
  type TrajectoryEvent,
  updateAttempt,
} from "@/lib/trajectory";
import { addExtraEvent } from "./extras";
import type { LiveState, SessionView } from "./types";

export function applyEvent(view: SessionView, event: TrajectoryEvent): SessionView {
  if (event.seq <= view.session.lastSeq) return view;
  const { live, ...state } = view;
  const projected = withVerdictInFlight(project(state, event), event);
  return { ...projected, live: withLiveEvent(live, event) };
}

/** Applies events in order; the same result as folding `applyEvent`. */
export function applyEvents(view: SessionView, events: readonly TrajectoryEvent[]): SessionView {
  return events.reduce(applyEvent, view);
}

function withLiveEvent(live: LiveState, event: TrajectoryEvent): LiveState {
  switch (event.type) {
    case "step.started":
      return { ...live, scheduled: { ...live.scheduled, [requireStep(event)]: { level: event.level, dependsOn: event.dependsOn } } };
    case "error":
      return { ...live, errors: [...live.errors, { seq: event.seq, message: event.message, where: event.where }] };
    case "tool.call":
    case "tool.result":
    case "judge.sample":
    case "judge.escalated":
    case "arbiter.decision": {
      const extras = addExtraEvent(live.extras, event);
      return extras === live.extras ? live : { ...live, extras };
    }
    default:
      return live;
  }
}

/**
 * The stored attempt gets its evaluation when it finishes (`attempt.finished` carries it whole); the
 * page shows the validation verdict and the reward as soon as they are given.
 */
function withVerdictInFlight(state: SessionDetail, event: TrajectoryEvent): SessionDetail {
  switch (event.type) {
    case "validation":
      return updateAttempt(state, requireStep(event), requireAttempt(event), (attempt) => {
        const current = attempt ?? runningAttemptDetail(requireAttempt(event), event.ts);
        return { ...current, evaluation: { ...(current.evaluation ?? {}), validation: event.validation } };
      });
    case "reward":
      return updateAttempt(state, requireStep(event), requireAttempt(event), (attempt) => {
        const current = attempt ?? runningAttemptDetail(requireAttempt(event), event.ts);
        return {
          ...current,
          evaluation: { ...(current.evaluation ?? {}), reward: event.breakdown },
          rewardSkipped: event.skipped,
          rewardScore: event.skipped ? null : event.score,
        };
      });
    default:
      return state;
  }
}
