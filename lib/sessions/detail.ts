import "server-only";
import { activeJudges } from "@/lib/reward/judges";
import { parseConfigText } from "@/lib/config";
import { getSessionById } from "@/lib/db/queries/sessions";
import { getSessionDetailRows, getStepRows, type StepRows, type StepRowsOptions } from "@/lib/db/queries/session-views";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { Plan } from "@/lib/trajectory";
import type { AttemptDetail, SessionDetail, StepDetail } from "./api-types";
import { isoOrNull, toSessionSummary } from "./summary";

type JsonObject = Record<string, unknown>;

/**
 * The session page's snapshot. With `evaluations: false` the validation verdicts and judge panels are
 * left out (they are most of a big session's bytes and only an opened step shows them): such steps say
 * `evaluationsOmitted`, and `getStepDetail` gives them in full.
 */
export async function getSessionDetail(
  db: Queryable,
  sessionId: number,
  options: Pick<StepRowsOptions, "evaluations"> = {},
): Promise<SessionDetail> {
  const rows = await getSessionDetailRows(db, sessionId, options);
  if (!rows) throw new AtlasError("not_found", `session ${sessionId} not found`);
  const { session } = rows;
  return {
    session: {
      ...toSessionSummary(session),
      finalAnswer: session.finalAnswer,
      metadata: session.metadata ?? null,
      executionMode: session.executionMode,
      configHash: session.configHash,
      lastSeq: session.lastSeq,
      rim: rimThresholds(rows.configYaml),
    },
    plan: rows.plan
      ? {
          plan: rows.plan.plan as Plan,
          originalPlan: (rows.plan.originalPlan as Plan | null) ?? null,
          review: rows.plan.review ?? null,
        }
      : null,
    steps: stepDetails(rows),
  };
}

/** One step of a session in full. */
export async function getStepDetail(db: Queryable, sessionId: number, stepId: number): Promise<StepDetail> {
  const [session, rows] = await Promise.all([getSessionById(db, { id: sessionId }), getStepRows(db, sessionId, { stepId })]);
  if (!session) throw new AtlasError("not_found", `session ${sessionId} not found`);
  const [step] = stepDetails(rows);
  if (!step) throw new AtlasError("not_found", `session ${sessionId} has no step ${stepId}`);
  return step;
}

/** Thresholds of the pinned config version, for the judge panel; null when the YAML is gone or invalid. */
function rimThresholds(yaml: string | null): SessionDetail["session"]["rim"] {
  if (yaml === null) return null;
  const parsed = parseConfigText(yaml);
  if (!parsed.ok) return null;
  return {
    varianceThreshold: parsed.config.rim.variance_threshold,
    uncertaintyThreshold: parsed.config.rim.uncertainty_threshold,
    retryThreshold: parsed.config.orchestration.retry_threshold,
    judgeWeights: Object.fromEntries(activeJudges(parsed.config.rim).map((judge) => [judge.identifier, judge.weight])),
  };
}

function stepDetails(rows: StepRows): StepDetail[] {
  return rows.steps.map((step) => {
    const attempts = rows.attempts.filter((attempt) => attempt.stepId === step.stepId);
    const omitted = step.evaluationOmitted || attempts.some((attempt) => attempt.evaluationOmitted);
    return {
      stepId: step.stepId,
      description: step.description,
      status: step.status,
      attempts: step.attempts,
      output: step.output,
      trace: step.trace,
      evaluation: (step.evaluation as JsonObject | null) ?? null,
      metadata: (step.metadata as JsonObject | null) ?? null,
      rewardScore: step.rewardScore,
      startedAt: isoOrNull(step.startedAt),
      completedAt: isoOrNull(step.completedAt),
      attemptDetails: attempts.map(
        (attempt): AttemptDetail => ({
          attempt: attempt.attempt,
          status: attempt.status,
          outcome: attempt.outcome,
          output: attempt.output,
          trace: attempt.trace,
          evaluation: (attempt.evaluation as JsonObject | null) ?? null,
          timingsMs: (attempt.timingsMs as JsonObject | null) ?? null,
          rewardSkipped: attempt.rewardSkipped,
          rewardScore: attempt.rewardScore,
          startedAt: isoOrNull(attempt.startedAt),
          finishedAt: isoOrNull(attempt.finishedAt),
        }),
      ),
      guidance: rows.guidance
        .filter((note) => note.stepId === step.stepId)
        .map((note) => ({ sequence: note.sequence, note: note.note, forAttempt: note.forAttempt })),
      ...(omitted ? { evaluationsOmitted: true } : {}),
    };
  });
}
