import { parseConfigText } from "@/lib/config";
import { getSessionDetailRows, type SessionDetailRows } from "@/lib/db/queries/session-views";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { Plan } from "@/lib/runtime/types";
import type { AttemptDetail, SessionDetail, StepDetail } from "./api-types";
import { isoOrNull, toSessionSummary } from "./summary";

type JsonObject = Record<string, unknown>;

export async function getSessionDetail(db: Queryable, sessionId: number): Promise<SessionDetail> {
  const rows = await getSessionDetailRows(db, sessionId);
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

/** Thresholds of the pinned config version, for the judge panel; null when the YAML is gone or invalid. */
function rimThresholds(yaml: string | null): SessionDetail["session"]["rim"] {
  if (yaml === null) return null;
  const parsed = parseConfigText(yaml);
  if (!parsed.ok) return null;
  return {
    varianceThreshold: parsed.config.rim.variance_threshold,
    uncertaintyThreshold: parsed.config.rim.uncertainty_threshold,
    retryThreshold: parsed.config.orchestration.retry_threshold,
  };
}

function stepDetails(rows: SessionDetailRows): StepDetail[] {
  return rows.steps.map((step) => ({
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
    attemptDetails: rows.attempts
      .filter((attempt) => attempt.stepId === step.stepId)
      .map(
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
  }));
}
