/** Human labels on sessions and steps; a label never changes what was recorded. */
import "server-only";
import { insertLabel, listLabels, stepAttemptNumbers } from "@/lib/db/queries/labels";
import { sessionExists } from "@/lib/db/queries/sessions";
import type { HumanLabelRow } from "@/lib/db/schema";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { HumanLabel, LabelList, LabelRequest } from "./api-types";

export async function addLabel(db: Queryable, sessionId: number, request: LabelRequest, labeler = "web"): Promise<HumanLabel> {
  if (!(await sessionExists(db, sessionId))) throw new AtlasError("not_found", `session ${sessionId} does not exist`);
  if (request.stepId !== undefined) {
    const attempts = await stepAttemptNumbers(db, sessionId, request.stepId);
    if (attempts === null) throw new AtlasError("not_found", `session ${sessionId} has no step ${request.stepId}`);
    if (request.preferredAttempt !== undefined && !attempts.includes(request.preferredAttempt)) {
      const known = attempts.length > 0 ? attempts.join(", ") : "none recorded";
      throw new AtlasError("invalid_input", `step ${request.stepId} has no attempt ${request.preferredAttempt} (attempts: ${known})`, {
        issues: [{ path: "preferredAttempt", message: `no attempt ${request.preferredAttempt} on step ${request.stepId}` }],
      });
    }
  }
  const row = await insertLabel(db, {
    sessionId,
    stepId: request.stepId ?? null,
    score: request.score ?? null,
    verdict: request.verdict ?? null,
    preferredAttempt: request.preferredAttempt ?? null,
    note: request.note ? request.note : null,
    labeler,
  });
  return toHumanLabel(row);
}

export async function labelsOf(db: Queryable, sessionId: number): Promise<LabelList> {
  if (!(await sessionExists(db, sessionId))) throw new AtlasError("not_found", `session ${sessionId} does not exist`);
  return { sessionId, labels: (await listLabels(db, [sessionId])).map(toHumanLabel) };
}

export function toHumanLabel(row: HumanLabelRow): HumanLabel {
  return {
    id: row.id,
    sessionId: row.sessionId,
    stepId: row.stepId,
    score: row.score,
    verdict: row.verdict === "good" || row.verdict === "bad" ? row.verdict : null,
    preferredAttempt: row.preferredAttempt,
    note: row.note,
    labeler: row.labeler,
    createdAt: row.createdAt.toISOString(),
  };
}
