/**
 * An experiment's cells (task × arm × repeat) and what their sessions say about them: the latest
 * session of each cell decides its state.
 */
import type { ExperimentCounts, ExperimentStatus } from "./api-types";

export interface Cell {
  armId: number;
  taskIndex: number;
  repeat: number;
}

export interface CellSession extends Cell {
  sessionId: number;
  status: string;
}

export const cellKey = (cell: Cell) => `${cell.armId}/${cell.taskIndex}/${cell.repeat}`;

/** Every cell in scheduling order: task by task, each arm, each repeat (so arms advance together). */
export function allCells(armIds: readonly number[], taskCount: number, repeats: number): Cell[] {
  const cells: Cell[] = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (let taskIndex = 0; taskIndex < taskCount; taskIndex += 1) {
      for (const armId of armIds) cells.push({ armId, taskIndex, repeat });
    }
  }
  return cells;
}

/** The latest (highest id) session of each cell. */
export function latestByCell<T extends CellSession>(sessions: readonly T[]): Map<string, T> {
  const latest = new Map<string, T>();
  for (const session of sessions) {
    const key = cellKey(session);
    const current = latest.get(key);
    if (!current || current.sessionId < session.sessionId) latest.set(key, session);
  }
  return latest;
}

export function countCells(cells: readonly Cell[], sessions: readonly CellSession[], status: ExperimentStatus): ExperimentCounts {
  const latest = latestByCell(sessions);
  const counts: ExperimentCounts = { total: cells.length, succeeded: 0, failed: 0, cancelled: 0, interrupted: 0, pending: 0, running: 0, skipped: 0 };
  for (const cell of cells) {
    const session = latest.get(cellKey(cell));
    if (!session) {
      if (status === "running") counts.pending += 1;
      else counts.skipped += 1;
    } else if (session.status === "succeeded" || session.status === "failed" || session.status === "cancelled" || session.status === "interrupted") {
      counts[session.status] += 1;
    } else {
      counts.pending += 1;
      counts.running += 1;
    }
  }
  return counts;
}

/** Cells to run again: those whose latest session failed or was interrupted, with that session to link to. */
export function failedCells(sessions: readonly CellSession[]): (Cell & { retryOf: number })[] {
  return [...latestByCell(sessions).values()]
    .filter((session) => session.status === "failed" || session.status === "interrupted")
    .sort((a, b) => a.repeat - b.repeat || a.taskIndex - b.taskIndex || a.armId - b.armId)
    .map((session) => ({ armId: session.armId, taskIndex: session.taskIndex, repeat: session.repeat, retryOf: session.sessionId }));
}

/** Cells no session was ever started for. */
export function unstartedCells(cells: readonly Cell[], sessions: readonly CellSession[]): Cell[] {
  const latest = latestByCell(sessions);
  return cells.filter((cell) => !latest.has(cellKey(cell)));
}
