/**
 * What follows a stored session: its config's review gate is recorded beside it (export defaults to the statuses
 * the config names; without `runtime_safety` the session is not gated), and a config that does not require
 * approval approves the session. Never touches the recorded events.
 */
import "server-only";
import type { AtlasConfig } from "@/lib/config";
import { changeReviewStatus, getReviewState, recordExportGate } from "@/lib/db/queries/reviews";
import type { AtlasDb } from "@/lib/db/types";

export const AUTO_APPROVER = "atlas:auto (runtime_safety.review.require_approval is false)";

export async function afterStoredSession(db: AtlasDb, sessionId: number, config: AtlasConfig): Promise<void> {
  const review = config.runtime_safety?.review;
  await recordExportGate(db, { sessionId, exportStatuses: review ? review.default_export_statuses : null });
  if (review && !review.require_approval) {
    const state = await getReviewState(db, sessionId);
    // A reviewer's decision (or a drift alert) is never overridden by the automatic approval.
    if (state.history.length === 0) await changeReviewStatus(db, { sessionId, status: "approved", reviewer: AUTO_APPROVER, note: null });
  }
}
