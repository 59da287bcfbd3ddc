/** Review status of sessions (one row each, absent = pending) and its append-only history. */
import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { reviewHistory, sessionReviews, sessions, type ReviewHistoryRow, type SessionReviewRow } from "../schema";
import { queryRows } from "../raw";
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

export interface RecentSessionsFilter {
  sessionId: number;
  configName: string | null;
  configHash: string | null;
  limit: number;
}

/** The same config: by name when the session has one, else by content hash; null when it has neither. */
function sameConfig(filter: RecentSessionsFilter) {
  if (filter.configName !== null) return sql`s.config_name = ${filter.configName}`;
  if (filter.configHash !== null) return sql`s.config_hash = ${filter.configHash}`;
  return null;
}

/** Rewards of the sessions of the same config created before this one, newest first. */
export async function recentRewards(db: Queryable, filter: RecentSessionsFilter): Promise<number[]> {
  const config = sameConfig(filter);
  if (!config) return [];
  const rows = await queryRows<{ reward: number | string }>(
    db,
    sql`select s.reward_score as reward from sessions s, sessions me
        where me.id = ${filter.sessionId} and s.id <> me.id and ${config} and s.reward_score is not null
          and (s.created_at, s.id) < (me.created_at, me.id)
        order by s.created_at desc, s.id desc limit ${filter.limit}`,
  );
  return rows.map((row) => Number(row.reward));
}

/** Statuses of the latest sessions of the same config, this one included, newest first. */
export async function recentStatuses(db: Queryable, filter: RecentSessionsFilter): Promise<string[]> {
  const config = sameConfig(filter);
  if (!config) return [];
  const rows = await queryRows<{ status: string }>(
    db,
    sql`select s.status from sessions s, sessions me
        where me.id = ${filter.sessionId} and ${config} and (s.created_at, s.id) <= (me.created_at, me.id)
          and s.status not in ('queued', 'running')
        order by s.created_at desc, s.id desc limit ${filter.limit}`,
  );
  return rows.map((row) => row.status);
}
