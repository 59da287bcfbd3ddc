import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { experimentArms, experiments, referenceScores, sessions, taskSets, type ExperimentArmRow, type ExperimentRow } from "../schema";
import type { AtlasDb, Queryable } from "../types";

export interface NewExperimentArm {
  configName: string;
  configVersion: number;
  configVersionId: number;
  configHash: string;
}

export interface NewExperiment {
  name: string | null;
  taskSetId: number;
  repeats: number;
  maxCostUsd: number | null;
  scorer: Record<string, unknown> | null;
  arms: NewExperimentArm[];
}

export async function insertExperiment(db: AtlasDb, input: NewExperiment): Promise<{ experiment: ExperimentRow; arms: ExperimentArmRow[] }> {
  return db.transaction(async (tx) => {
    const [experiment] = await tx
      .insert(experiments)
      .values({ name: input.name, taskSetId: input.taskSetId, repeats: input.repeats, maxCostUsd: input.maxCostUsd, scorer: input.scorer })
      .returning();
    if (!experiment) throw new Error("experiment insert returned no row");
    const arms = await tx
      .insert(experimentArms)
      .values(input.arms.map((arm, position) => ({ ...arm, experimentId: experiment.id, position })))
      .returning();
    arms.sort((a, b) => a.position - b.position);
    return { experiment, arms };
  });
}

export interface ExperimentWithTaskSet extends ExperimentRow {
  taskSetName: string;
  taskCount: number;
}

const experimentColumns = {
  id: experiments.id,
  name: experiments.name,
  taskSetId: experiments.taskSetId,
  status: experiments.status,
  repeats: experiments.repeats,
  maxCostUsd: experiments.maxCostUsd,
  stopReason: experiments.stopReason,
  scorer: experiments.scorer,
  createdAt: experiments.createdAt,
  completedAt: experiments.completedAt,
  taskSetName: taskSets.name,
  taskCount: taskSets.taskCount,
};

export async function getExperimentRow(db: Queryable, id: number): Promise<ExperimentWithTaskSet | null> {
  const [row] = await db.select(experimentColumns).from(experiments).innerJoin(taskSets, eq(taskSets.id, experiments.taskSetId)).where(eq(experiments.id, id));
  return row ?? null;
}

export async function listExperimentRows(db: Queryable, limit = 100): Promise<ExperimentWithTaskSet[]> {
  return db
    .select(experimentColumns)
    .from(experiments)
    .innerJoin(taskSets, eq(taskSets.id, experiments.taskSetId))
    .orderBy(desc(experiments.createdAt), desc(experiments.id))
    .limit(limit);
}

export async function listRunningExperimentIds(db: Queryable): Promise<number[]> {
  const rows = await db.select({ id: experiments.id }).from(experiments).where(eq(experiments.status, "running"));
  return rows.map((row) => row.id);
}

export async function listExperimentArms(db: Queryable, experimentIds: number[]): Promise<ExperimentArmRow[]> {
  if (experimentIds.length === 0) return [];
  return db.select().from(experimentArms).where(inArray(experimentArms.experimentId, experimentIds)).orderBy(asc(experimentArms.experimentId), asc(experimentArms.position));
}

export async function getExperimentArm(db: Queryable, armId: number): Promise<ExperimentArmRow | null> {
  const [row] = await db.select().from(experimentArms).where(eq(experimentArms.id, armId));
  return row ?? null;
}

export async function setExperimentStatus(
  db: Queryable,
  id: number,
  update: { status: "running" | "completed" | "cancelled"; stopReason?: string | null },
): Promise<void> {
  await db
    .update(experiments)
    .set({
      status: update.status,
      ...(update.stopReason !== undefined ? { stopReason: update.stopReason } : {}),
      completedAt: update.status === "running" ? null : sql`now()`,
    })
    .where(eq(experiments.id, id));
}

/** Moves a running experiment to its end state; false when it was no longer running (cancelled meanwhile). */
export async function finishExperiment(db: Queryable, id: number): Promise<boolean> {
  const rows = await db
    .update(experiments)
    .set({ status: "completed", completedAt: sql`now()` })
    .where(and(eq(experiments.id, id), eq(experiments.status, "running")))
    .returning({ id: experiments.id });
  return rows.length > 0;
}

export interface ExperimentSessionRow {
  sessionId: number;
  armId: number;
  taskIndex: number;
  repeat: number;
  status: string;
  reward: number | null;
  referenceScore: number | null;
  costUsd: number;
  owner: string | null;
  retryOf: number | null;
  error: string | null;
  durationMs: number | null;
  finalAnswer: string | null;
  attempts: number;
  escalations: number;
}

/** Every session of the experiments' cells, oldest first (so a cell's latest session comes last). */
export async function listExperimentSessions(db: Queryable, experimentIds: number[]): Promise<(ExperimentSessionRow & { experimentId: number })[]> {
  if (experimentIds.length === 0) return [];
  const rows = await db
    .select({
      sessionId: sessions.id,
      experimentId: sessions.experimentId,
      armId: sessions.experimentArmId,
      taskIndex: sessions.taskIndex,
      repeat: sessions.repeatIndex,
      status: sessions.status,
      reward: sessions.rewardScore,
      referenceScore: referenceScores.score,
      costUsd: sessions.costUsd,
      owner: sessions.owner,
      retryOf: sessions.retryOf,
      error: sessions.error,
      durationMs: sessions.durationMs,
      finalAnswer: sessions.finalAnswer,
      attempts: sessions.attemptCount,
      escalations: sessions.escalations,
    })
    .from(sessions)
    .leftJoin(referenceScores, eq(referenceScores.sessionId, sessions.id))
    .where(and(inArray(sessions.experimentId, experimentIds), isNotNull(sessions.experimentArmId)))
    .orderBy(asc(sessions.id));
  return rows.map((row) => ({
    ...row,
    experimentId: row.experimentId ?? 0,
    armId: row.armId ?? 0,
    taskIndex: row.taskIndex ?? 0,
    repeat: row.repeat ?? 0,
  }));
}

export async function experimentCostUsd(db: Queryable, id: number): Promise<number> {
  const [row] = await db.select({ cost: sql<number>`coalesce(sum(${sessions.costUsd}), 0)::float8` }).from(sessions).where(eq(sessions.experimentId, id));
  return Number(row?.cost ?? 0);
}

export async function getExperimentScorer<T>(db: Queryable, id: number): Promise<T | null> {
  const [row] = await db.select({ scorer: experiments.scorer }).from(experiments).where(eq(experiments.id, id));
  return (row?.scorer as T | undefined) ?? null;
}

export async function upsertReferenceScore(db: Queryable, input: { sessionId: number; score: number | null; rationale: string; scorer: string }): Promise<void> {
  await db
    .insert(referenceScores)
    .values(input)
    .onConflictDoUpdate({ target: referenceScores.sessionId, set: { score: input.score, rationale: input.rationale, scorer: input.scorer } });
}
