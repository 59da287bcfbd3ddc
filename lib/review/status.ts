/** Review status changes and reads; they touch the review tables only, never a recorded event. */
import "server-only";
import { changeReviewStatus, getReviewState, type ReviewState } from "@/lib/db/queries/reviews";
import { sessionExists } from "@/lib/db/queries/sessions";
import type { AtlasDb, Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { ReviewRequest, ReviewResponse, ReviewStatus } from "./api-types";

export async function setReviewStatus(db: AtlasDb, sessionId: number, request: ReviewRequest): Promise<ReviewResponse> {
  await requireSession(db, sessionId);
  await changeReviewStatus(db, {
    sessionId,
    status: request.status,
    reviewer: request.reviewer ?? "web",
    note: request.note ? request.note : null,
  });
  return reviewOf(db, sessionId);
}

export async function reviewOf(db: Queryable, sessionId: number): Promise<ReviewResponse> {
  await requireSession(db, sessionId);
  return toResponse(sessionId, await getReviewState(db, sessionId));
}

async function requireSession(db: Queryable, sessionId: number) {
  if (!(await sessionExists(db, sessionId))) throw new AtlasError("not_found", `session ${sessionId} does not exist`);
}

function toResponse(sessionId: number, state: ReviewState): ReviewResponse {
  return {
    sessionId,
    reviewStatus: state.status as ReviewStatus,
    driftFlagged: state.review?.driftFlagged ?? false,
    drift: state.review?.drift ?? null,
    history: state.history.map((entry) => ({
      status: entry.status as ReviewStatus,
      previousStatus: entry.previousStatus as ReviewStatus,
      reviewer: entry.reviewer,
      note: entry.note,
      at: entry.createdAt.toISOString(),
    })),
  };
}
