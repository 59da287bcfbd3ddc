/**
 * An opened step whose evaluations the snapshot left out gets them from `GET /api/sessions/:id/steps/:stepId`.
 * The live step stays the authority (events after the snapshot are applied to it); the fetched step
 * only fills in the evaluations it lacks.
 */
import type { AttemptDetail, StepDetail } from "@/lib/sessions/api-types";

export function withFetchedEvaluations(live: StepDetail, fetched: StepDetail): StepDetail {
  const { evaluationsOmitted: _omitted, ...step } = live;
  const fetchedAttempts = new Map(fetched.attemptDetails.map((attempt) => [attempt.attempt, attempt]));
  return {
    ...step,
    evaluation: mergeEvaluation(live.evaluation, fetched.evaluation),
    attemptDetails: live.attemptDetails.map(
      (attempt): AttemptDetail => ({
        ...attempt,
        evaluation: mergeEvaluation(attempt.evaluation, fetchedAttempts.get(attempt.attempt)?.evaluation ?? null),
      }),
    ),
  };
}

type Evaluation = StepDetail["evaluation"];

/** A live event may have set part of an omitted evaluation (a reward after the snapshot): keep it over the fetched. */
function mergeEvaluation(live: Evaluation, fetched: Evaluation): Evaluation {
  if (fetched === null) return live;
  if (live === null) return fetched;
  return { ...fetched, ...live };
}
