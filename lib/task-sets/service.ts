/** Task sets: create once (immutable afterwards), list, read. */
import "server-only";
import { getTaskSetRow, getTaskSetRowByName, insertTaskSet, listTaskSetItems, listTaskSetRows } from "@/lib/db/queries/task-sets";
import type { TaskSetRow } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { CreateTaskSet, TaskSetCreated, TaskSetDetail, TaskSetSummary } from "./api-types";

export async function createTaskSet(db: AtlasDb, input: CreateTaskSet): Promise<TaskSetCreated> {
  const items = input.tasks.map((task) => ({
    task: task.task,
    expectedAnswer: task.expected_answer ?? null,
    metadata: task.metadata ?? null,
  }));
  const row = await insertTaskSet(db, input.name, items);
  if (!row) {
    throw new AtlasError("conflict", `a task set named "${input.name}" already exists; task sets are immutable, so import under a new name`, {
      issues: [{ path: "name", message: "already taken" }],
    });
  }
  return { id: row.id, name: row.name, count: row.taskCount };
}

export async function listTaskSets(db: AtlasDb): Promise<TaskSetSummary[]> {
  return (await listTaskSetRows(db)).map(summary);
}

export async function getTaskSet(db: AtlasDb, id: number): Promise<TaskSetDetail> {
  const row = await getTaskSetRow(db, id);
  if (!row) throw new AtlasError("not_found", `task set ${id} not found`);
  const items = await listTaskSetItems(db, id);
  return {
    ...summary(row),
    tasks: items.map((item) => ({ index: item.taskIndex, task: item.task, expected_answer: item.expectedAnswer, metadata: item.metadata ?? null })),
  };
}

/** By id (all digits) or by name. */
export async function findTaskSet(db: AtlasDb, ref: string): Promise<TaskSetRow> {
  const row = /^\d+$/.test(ref) ? await getTaskSetRow(db, Number(ref)) : await getTaskSetRowByName(db, ref);
  if (!row) throw new AtlasError("not_found", `task set ${JSON.stringify(ref)} not found`);
  return row;
}

function summary(row: TaskSetRow): TaskSetSummary {
  return { id: row.id, name: row.name, count: row.taskCount, createdAt: row.createdAt.toISOString() };
}
