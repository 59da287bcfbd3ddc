/**
 * Experiments: create (arms pinned to exact config versions), read with per-cell progress, cancel,
 * re-run failed cells, and resume the ones a stopped process left. The runner does the scheduling.
 */
import "server-only";
import type { Environment } from "@/lib/config/env-refs";
import type { ResolvedConfig } from "@/lib/configs";
import type { ConfigRef } from "@/lib/configs/types";
import {
  getExperimentRow,
  insertExperiment,
  listExperimentArms,
  listExperimentRows,
  listExperimentSessions,
  listRunningExperimentIds,
  finishExperiment,
  setExperimentStatus,
  type ExperimentSessionRow,
  type ExperimentWithTaskSet,
} from "@/lib/db/queries/experiments";
import { getTaskSetRow, listTaskSetItems } from "@/lib/db/queries/task-sets";
import type { ExperimentArmRow, TaskSetItemRow } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, isAtlasError, type Issue } from "@/lib/errors";
import { assertApiKeysPresent } from "@/lib/runs/secrets";
import { DEFAULT_SCORER } from "./reference-scorers";
import type { CreateExperiment, ReferenceScorer, ExperimentAccepted, ExperimentArm, ExperimentDetail, ExperimentRun, RerunAccepted } from "./api-types";
import { allCells, countCells, failedCells, unstartedCells, type Cell } from "./cells";
import type { CellWork, ExperimentRunner } from "./runner";

export interface ExperimentDeps {
  database: () => Promise<AtlasDb>;
  runner: ExperimentRunner;
  resolveConfig: (db: AtlasDb, ref: ConfigRef) => Promise<ResolvedConfig>;
  env: Environment;
}

const MAX_ID = 2_147_483_647;

export async function createExperiment(deps: ExperimentDeps, input: CreateExperiment): Promise<ExperimentAccepted> {
  const db = await deps.database();
  const taskSet = await getTaskSetRow(db, input.taskSetId);
  if (!taskSet) throw new AtlasError("not_found", `task set ${input.taskSetId} not found`);
  const resolved: ResolvedConfig[] = [];
  for (const [index, arm] of input.arms.entries()) {
    try {
      const config = await deps.resolveConfig(db, arm.config);
      assertApiKeysPresent(config.config, deps.env);
      resolved.push(config);
    } catch (error) {
      throw armError(error, index);
    }
  }
  const { experiment, arms } = await insertExperiment(db, {
    name: input.name?.trim() || null,
    taskSetId: taskSet.id,
    repeats: input.repeats ?? 1,
    maxCostUsd: input.maxCostUsd ?? null,
    scorer: input.scorer ?? null,
    arms: resolved.map((config) => ({ configName: config.name, configVersion: config.version, configVersionId: config.versionId, configHash: config.hash })),
  });
  const cells = allCells(arms.map((arm) => arm.id), taskSet.taskCount, experiment.repeats);
  deps.runner.run(experiment.id, await workFor(db, experiment.taskSetId, arms, cells), experiment.maxCostUsd);
  return { experimentId: experiment.id, arms: arms.map((arm) => ({ id: arm.id, configName: arm.configName })) };
}

export async function getExperimentDetail(db: AtlasDb, id: number): Promise<ExperimentDetail> {
  const row = await experimentOrThrow(db, id);
  const [arms, sessions] = await Promise.all([listExperimentArms(db, [id]), listExperimentSessions(db, [id])]);
  return describe(row, arms, sessions);
}

export async function listExperiments(db: AtlasDb): Promise<Omit<ExperimentDetail, "runs">[]> {
  const rows = await listExperimentRows(db);
  const ids = rows.map((row) => row.id);
  const [arms, sessions] = await Promise.all([listExperimentArms(db, ids), listExperimentSessions(db, ids)]);
  return rows.map((row) => {
    const { runs: _runs, ...summary } = describe(
      row,
      arms.filter((arm) => arm.experimentId === row.id),
      sessions.filter((session) => session.experimentId === row.id),
    );
    return summary;
  });
}

export async function cancelExperiment(deps: ExperimentDeps, id: number): Promise<ExperimentDetail> {
  const db = await deps.database();
  const row = await experimentOrThrow(db, id);
  if (row.status === "completed") throw new AtlasError("conflict", `experiment ${id} already completed`);
  await deps.runner.cancel(id);
  return getExperimentDetail(db, id);
}

/** Starts a new session, linked by `retryOf`, for every cell whose latest session failed or was interrupted. */
export async function rerunFailedCells(deps: ExperimentDeps, id: number): Promise<RerunAccepted> {
  const db = await deps.database();
  const row = await experimentOrThrow(db, id);
  const [arms, items] = await Promise.all([listExperimentArms(db, [id]), listTaskSetItems(db, row.taskSetId)]);
  if (failedCells(await listExperimentSessions(db, [id])).length === 0) return { experimentId: id, cells: 0 };
  await setExperimentStatus(db, id, { status: "running", stopReason: null });
  // Read again after the status change, then queue without awaiting: a cell re-run meanwhile (by another
  // request) is no longer failed, or is still queued in the runner, which leaves it out.
  const cells = failedCells(await listExperimentSessions(db, [id]));
  const queued = deps.runner.run(id, cellWork(items, arms, cells), row.maxCostUsd);
  // Nothing left to run after all: the experiment ends again rather than staying "running".
  if (queued === 0 && !deps.runner.isDriving(id)) await finishExperiment(db, id);
  return { experimentId: id, cells: queued };
}

/**
 * Experiments still `running` that no runner drives (their process stopped): cells never started
 * are scheduled, and cells whose session was interrupted get a new session linked to it.
 */
export async function resumeExperiments(deps: ExperimentDeps): Promise<number[]> {
  const db = await deps.database();
  const resumed: number[] = [];
  for (const id of await listRunningExperimentIds(db)) {
    if (deps.runner.isDriving(id)) continue;
    const row = await experimentOrThrow(db, id);
    const [arms, sessions] = await Promise.all([listExperimentArms(db, [id]), listExperimentSessions(db, [id])]);
    const cells = [
      ...failedCells(sessions.filter((session) => session.status === "interrupted")),
      ...unstartedCells(allCells(arms.map((arm) => arm.id), row.taskCount, row.repeats), sessions).map((cell) => ({ ...cell, retryOf: null })),
    ];
    deps.runner.run(id, await workFor(db, row.taskSetId, arms, cells), row.maxCostUsd);
    resumed.push(id);
  }
  return resumed;
}

async function workFor(db: AtlasDb, taskSetId: number, arms: ExperimentArmRow[], cells: (Cell & { retryOf?: number | null })[]): Promise<CellWork[]> {
  return cellWork(await listTaskSetItems(db, taskSetId), arms, cells);
}

function cellWork(items: TaskSetItemRow[], arms: ExperimentArmRow[], cells: (Cell & { retryOf?: number | null })[]): CellWork[] {
  const armById = new Map(arms.map((arm) => [arm.id, arm]));
  return cells.map((cell) => {
    const item = items[cell.taskIndex];
    const arm = armById.get(cell.armId);
    if (!item || !arm) throw new Error(`cell ${cell.armId}/${cell.taskIndex} names a task or arm that does not exist`);
    return {
      ...cell,
      task: item.task,
      expectedAnswer: item.expectedAnswer,
      metadata: { ...(item.metadata ?? {}), ...(item.expectedAnswer !== null ? { expected_answer: item.expectedAnswer } : {}) },
      config: { name: arm.configName, version: arm.configVersion },
      retryOf: cell.retryOf ?? null,
    };
  });
}

async function experimentOrThrow(db: AtlasDb, id: number): Promise<ExperimentWithTaskSet> {
  const row = id > MAX_ID ? null : await getExperimentRow(db, id);
  if (!row) throw new AtlasError("not_found", `experiment ${id} not found`);
  return row;
}

function describe(row: ExperimentWithTaskSet, arms: ExperimentArmRow[], sessions: ExperimentSessionRow[]): ExperimentDetail {
  const status = row.status as ExperimentDetail["status"];
  const cells = allCells(arms.map((arm) => arm.id), row.taskCount, row.repeats);
  const runs: ExperimentRun[] = sessions.map((session) => ({
    taskIndex: session.taskIndex,
    armId: session.armId,
    repeat: session.repeat,
    sessionId: session.sessionId,
    status: session.status as ExperimentRun["status"],
    reward: session.reward,
    referenceScore: session.referenceScore,
    costUsd: session.costUsd,
    worker: session.owner ? session.owner.replace(" ", ":") : null,
    retryOf: session.retryOf,
    error: session.error,
    durationMs: session.durationMs,
  }));
  return {
    id: row.id,
    name: row.name,
    status,
    taskSetId: row.taskSetId,
    taskSetName: row.taskSetName,
    taskCount: row.taskCount,
    repeats: row.repeats,
    maxCostUsd: row.maxCostUsd,
    stopReason: row.stopReason,
    scorer: (row.scorer as ReferenceScorer | null) ?? DEFAULT_SCORER,
    costUsd: sessions.reduce((sum, session) => sum + session.costUsd, 0),
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    arms: arms.map(armOf),
    runs,
    counts: countCells(cells, sessions, status),
  };
}

export function armOf(arm: ExperimentArmRow): ExperimentArm {
  return { id: arm.id, configName: arm.configName, configVersion: arm.configVersion, configHash: arm.configHash };
}

/** A config problem of one arm, located at `arms.N.config`. */
function armError(error: unknown, index: number): unknown {
  if (!isAtlasError(error)) return error;
  const prefix = `arms.${index}.config`;
  const issues: Issue[] = (error.issues ?? [{ path: "", message: error.message }]).map((issue) => ({
    ...issue,
    path: issue.path ? `${prefix}.${issue.path}` : prefix,
  }));
  return new AtlasError(error.code, `arm ${index + 1}: ${error.message}`, { issues });
}
