/** Human labels on sessions and steps: append-only rows, read back oldest first. */
import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { humanLabels, stepAttempts, stepResults, type HumanLabelRow } from "../schema";
import type { Queryable } from "../types";

export type NewHumanLabel = Omit<typeof humanLabels.$inferInsert, "id" | "createdAt">;

export async function insertLabel(db: Queryable, label: NewHumanLabel): Promise<HumanLabelRow> {
  const [row] = await db.insert(humanLabels).values(label).returning();
  if (!row) throw new Error("label insert returned no row");
  return row;
}

export async function listLabels(db: Queryable, sessionIds: readonly number[]): Promise<HumanLabelRow[]> {
  if (sessionIds.length === 0) return [];
  return db
    .select()
    .from(humanLabels)
    .where(inArray(humanLabels.sessionId, [...sessionIds]))
    .orderBy(asc(humanLabels.sessionId), asc(humanLabels.id));
}

/** The attempt numbers recorded for a step; null when the session has no such step. */
export async function stepAttemptNumbers(db: Queryable, sessionId: number, stepId: number): Promise<number[] | null> {
  const [step] = await db
    .select({ stepId: stepResults.stepId })
    .from(stepResults)
    .where(and(eq(stepResults.sessionId, sessionId), eq(stepResults.stepId, stepId)));
  if (!step) return null;
  const rows = await db
    .select({ attempt: stepAttempts.attempt })
    .from(stepAttempts)
    .where(and(eq(stepAttempts.sessionId, sessionId), eq(stepAttempts.stepId, stepId)))
    .orderBy(asc(stepAttempts.attempt));
  return rows.map((row) => row.attempt);
}
