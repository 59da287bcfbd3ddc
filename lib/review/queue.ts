/** The `atlas review` operations over many sessions: listing by review status and bulk transitions. */
import "server-only";
import { listSessionsByReview } from "@/lib/db/queries/reviews";
import { sessionExists } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { ReviewResponse, ReviewStatus } from "./api-types";
import { setReviewStatus } from "./status";

export { listSessionsByReview };

/** Checks every id first, so an unknown id changes nothing; then applies the status to each in order. */
export async function setReviewStatusOfMany(
  db: AtlasDb,
  sessionIds: readonly number[],
  change: { status: ReviewStatus; note?: string; reviewer: string },
): Promise<ReviewResponse[]> {
  const missing: number[] = [];
  for (const id of sessionIds) if (!(await sessionExists(db, id))) missing.push(id);
  if (missing.length > 0) {
    throw new AtlasError("not_found", `no session ${missing.join(", ")}; nothing was changed`);
  }
  const results: ReviewResponse[] = [];
  for (const id of sessionIds) results.push(await setReviewStatus(db, id, change));
  return results;
}
