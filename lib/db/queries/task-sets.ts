import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import { taskSetItems, taskSets, type TaskSetItemRow, type TaskSetRow } from "../schema";
import type { AtlasDb, Queryable } from "../types";

export interface NewTaskSetItem {
  task: string;
  expectedAnswer: string | null;
  metadata: Record<string, unknown> | null;
}

/** Inserts the set and all its items in one transaction; null when the name is taken. */
export async function insertTaskSet(db: AtlasDb, name: string, items: NewTaskSetItem[]): Promise<TaskSetRow | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(taskSets).values({ name, taskCount: items.length }).onConflictDoNothing({ target: taskSets.name }).returning();
    if (!row) return null;
    const BATCH = 500;
    for (let start = 0; start < items.length; start += BATCH) {
      await tx.insert(taskSetItems).values(
        items.slice(start, start + BATCH).map((item, offset) => ({ taskSetId: row.id, taskIndex: start + offset, ...item })),
      );
    }
    return row;
  });
}

export async function listTaskSetRows(db: Queryable): Promise<TaskSetRow[]> {
  return db.select().from(taskSets).orderBy(desc(taskSets.createdAt), desc(taskSets.id));
}

export async function getTaskSetRow(db: Queryable, id: number): Promise<TaskSetRow | null> {
  const [row] = await db.select().from(taskSets).where(eq(taskSets.id, id));
  return row ?? null;
}

export async function getTaskSetRowByName(db: Queryable, name: string): Promise<TaskSetRow | null> {
  const [row] = await db.select().from(taskSets).where(eq(taskSets.name, name));
  return row ?? null;
}

export async function listTaskSetItems(db: Queryable, taskSetId: number): Promise<TaskSetItemRow[]> {
  return db.select().from(taskSetItems).where(eq(taskSetItems.taskSetId, taskSetId)).orderBy(asc(taskSetItems.taskIndex));
}
