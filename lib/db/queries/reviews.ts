/** Review status of sessions (one row each, absent = pending) and its append-only history. */
import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { reviewHistory, sessionReviews, sessions, type ReviewHistoryRow, type SessionReviewRow } from "../schema";
import type { AtlasDb, Queryable } from "../types";

export interface ReviewChange {
  sessionId: number;
  status: string;
  reviewer: string;
  note: string | null;
}

export interface ReviewState {
  status: string;
  review: SessionReviewRow | null;
  history: ReviewHistoryRow[];
}

export async function getReviewState(db: Queryable, sessionId: number): Promise<ReviewState> {
  const [review] = await db.select().from(sessionReviews).where(eq(sessionReviews.sessionId, sessionId));
  const history = await db
    .select()
    .from(reviewHistory)
    .where(eq(reviewHistory.sessionId, sessionId))
    .orderBy(asc(reviewHistory.id));
  return { status: review?.status ?? "pending", review: review ?? null, history };
}

/** Sets the status and appends the change to the history, in one transaction; the row is locked meanwhile. */
export async function changeReviewStatus(db: AtlasDb, change: ReviewChange): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(sessionReviews).values({ sessionId: change.sessionId }).onConflictDoNothing();
    const [current] = await tx
      .select({ status: sessionReviews.status })
      .from(sessionReviews)
      .where(eq(sessionReviews.sessionId, change.sessionId))
      .for("update");
    await tx
      .update(sessionReviews)
      .set({ status: change.status, updatedAt: new Date() })
      .where(eq(sessionReviews.sessionId, change.sessionId));
    await tx.insert(reviewHistory).values({
      sessionId: change.sessionId,
      status: change.status,
      previousStatus: current?.status ?? "pending",
      reviewer: change.reviewer,
      note: change.note,
    });
  });
}

export interface ReviewPolicyRow {
  sessionId: number;
  /** Null: the session's config has no review gate. */
  exportStatuses: string[] | null;
}

/** Records a finished session's export gate without changing a status a reviewer already set. */
export async function recordExportGate(db: Queryable, policy: ReviewPolicyRow): Promise<void> {
  await db
    .insert(sessionReviews)
    .values({ sessionId: policy.sessionId, exportStatuses: policy.exportStatuses })
    .onConflictDoUpdate({ target: sessionReviews.sessionId, set: { exportStatuses: policy.exportStatuses } });
}

/** Stores a drift check; a flagged one is forced back to pending (in the history when the status changes). */
export async function recordDriftCheck(
  db: AtlasDb,
  check: { sessionId: number; drift: Record<string, unknown>; flagged: boolean },
): Promise<void> {
  await db
    .insert(sessionReviews)
    .values({ sessionId: check.sessionId, drift: check.drift, driftFlagged: check.flagged })
    .onConflictDoUpdate({ target: sessionReviews.sessionId, set: { drift: check.drift, driftFlagged: check.flagged } });
}

/** Review status of each given session (pending for those without a row). */
export async function reviewStatusesOf(db: Queryable, sessionIds: readonly number[]): Promise<Map<number, SessionReviewRow>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db.select().from(sessionReviews).where(inArray(sessionReviews.sessionId, [...sessionIds]));
  return new Map(rows.map((row) => [row.sessionId, row]));
}

/** Session ids with the given review statuses, newest first (the `atlas review list` listing). */
export async function listSessionsByReview(
  db: Queryable,
  filter: { statuses: readonly string[]; limit: number; offset: number },
): Promise<{ id: number; task: string; status: string; rewardScore: number | null; createdAt: Date; reviewStatus: string; driftFlagged: boolean }[]> {
  const reviewStatus = sql<string>`coalesce(${sessionReviews.status}, 'pending')`;
  return db
    .select({
      id: sessions.id,
      task: sessions.task,
      status: sessions.status,
      rewardScore: sessions.rewardScore,
      createdAt: sessions.createdAt,
      reviewStatus,
      driftFlagged: sql<boolean>`coalesce(${sessionReviews.driftFlagged}, false)`,
    })
    .from(sessions)
    .leftJoin(sessionReviews, eq(sessionReviews.sessionId, sessions.id))
    .where(filter.statuses.length > 0 ? and(sql`${reviewStatus} in (${sql.join(filter.statuses.map((status) => sql`${status}`), sql`, `)})`) : undefined)
    .orderBy(sql`${sessions.createdAt} desc`, sql`${sessions.id} desc`)
    .limit(filter.limit)
    .offset(filter.offset);
}
