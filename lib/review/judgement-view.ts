/** A stored session seen through another judgement version: the rewards of that re-judge instead of the recorded ones. */
import "server-only";
import { getRejudge, judgementsOf } from "@/lib/db/queries/judgements";
import type { JudgementRow } from "@/lib/db/schema";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { SessionDetail } from "@/lib/sessions/api-types";
import type { JudgementList } from "./api-types";

/** Version 0 is the recorded judgement. */
export const RECORDED_JUDGEMENT = 0;

export async function withJudgementVersion(db: Queryable, detail: SessionDetail, version: number): Promise<SessionDetail> {
  if (version === RECORDED_JUDGEMENT) return detail;
  if (!(await getRejudge(db, version))) throw new AtlasError("not_found", `judgement version ${version} does not exist`);
  const byAttempt = new Map((await judgementsOf(db, detail.session.id, version)).map((row) => [`${row.stepId}:${row.attempt}`, row]));
  const stepScores: number[] = [];
  const steps = detail.steps.map((step) => {
    let last: JudgementRow | undefined;
    const attemptDetails = step.attemptDetails.map((attempt) => {
      const judgement = byAttempt.get(`${step.stepId}:${attempt.attempt}`);
      if (!judgement) return attempt;
      last = judgement;
      return { ...attempt, rewardScore: judgement.score, evaluation: attempt.evaluation === null ? null : { ...attempt.evaluation, reward: judgement.reward } };
    });
    if (!last) return { ...step, attemptDetails };
    if (last.score !== null) stepScores.push(last.score);
    const evaluation = step.evaluation === null ? null : { ...step.evaluation, reward: last.reward };
    return { ...step, attemptDetails, rewardScore: last.score, evaluation };
  });
  const rewardScore = stepScores.length > 0 ? stepScores.reduce((sum, score) => sum + score, 0) / stepScores.length : detail.session.rewardScore;
  return { ...detail, session: { ...detail.session, rewardScore }, steps };
}

/** Every judgement version of a session's attempts, the recorded one (0) included, for side-by-side display. */
export async function judgementVersionsOf(db: Queryable, detail: SessionDetail): Promise<JudgementList> {
  const recorded = detail.steps.flatMap((step) =>
    step.attemptDetails
      .filter((attempt) => attempt.rewardSkipped === false)
      .map((attempt) => ({
        version: RECORDED_JUDGEMENT,
        stepId: step.stepId,
        attempt: attempt.attempt,
        score: attempt.rewardScore,
        rationale: rationaleOf(attempt.evaluation?.reward),
        calls: null,
      })),
  );
  const rejudged = (await judgementsOf(db, detail.session.id)).map((row) => ({
    version: row.version,
    stepId: row.stepId,
    attempt: row.attempt,
    score: row.score,
    rationale: rationaleOf(row.reward),
    calls: row.calls ?? null,
  }));
  return { sessionId: detail.session.id, judgements: [...recorded, ...rejudged] };
}

function rationaleOf(reward: unknown): string | null {
  return typeof reward === "object" && reward !== null && typeof (reward as { rationale?: unknown }).rationale === "string"
    ? (reward as { rationale: string }).rationale
    : null;
}
