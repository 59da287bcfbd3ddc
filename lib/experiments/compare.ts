/**
 * Compares two arms (of one experiment, or of two experiments over the same task set) task by task:
 * per side the mean over its repeats, Δ = candidate − base reward, and the paired summary.
 */
import "server-only";
import { getExperimentArm, getExperimentRow, listExperimentSessions, type ExperimentSessionRow } from "@/lib/db/queries/experiments";
import { listTaskSetItems } from "@/lib/db/queries/task-sets";
import type { ExperimentArmRow } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { CompareResult, CompareRow, CompareSide } from "./api-types";
import { latestByCell } from "./cells";
import { armOf } from "./service";
import { mean, summarizeDeltas } from "./statistics";

const MAX_ID = 2_147_483_647;

export interface CompareOptions {
  /** The experiment the comparison is asked for: the base arm must be one of its arms. */
  experimentId?: number;
  resamples?: number;
  seed?: number;
}

export async function compareArms(db: AtlasDb, baseArmId: number, candidateArmId: number, options: CompareOptions = {}): Promise<CompareResult> {
  const [base, candidate] = await Promise.all([armOrThrow(db, baseArmId, "base"), armOrThrow(db, candidateArmId, "candidate")]);
  if (options.experimentId !== undefined && base.experimentId !== options.experimentId) {
    throw new AtlasError("invalid_input", `base arm ${base.id} is not an arm of experiment ${options.experimentId}`, {
      issues: [{ path: "base", message: `not an arm of experiment ${options.experimentId}` }],
    });
  }
  const [baseExperiment, candidateExperiment] = await Promise.all([getExperimentRow(db, base.experimentId), getExperimentRow(db, candidate.experimentId)]);
  if (!baseExperiment || !candidateExperiment) throw new AtlasError("not_found", "the experiment of an arm no longer exists");
  if (baseExperiment.taskSetId !== candidateExperiment.taskSetId) {
    throw new AtlasError(
      "invalid_input",
      `arms ${base.id} and ${candidate.id} ran over different task sets (${baseExperiment.taskSetName} and ${candidateExperiment.taskSetName}); only arms over the same tasks compare`,
      { issues: [{ path: "candidate", message: "runs a different task set than base" }] },
    );
  }
  const sessions = await listExperimentSessions(db, [...new Set([base.experimentId, candidate.experimentId])]);
  const items = await listTaskSetItems(db, baseExperiment.taskSetId);
  const baseSessions = cellSessions(sessions, base);
  const candidateSessions = cellSessions(sessions, candidate);

  const rows: CompareRow[] = [];
  for (const item of items) {
    const baseOf = baseSessions.get(item.taskIndex) ?? [];
    const candidateOf = candidateSessions.get(item.taskIndex) ?? [];
    if (baseOf.length === 0 && candidateOf.length === 0) continue;
    const baseSide = side(baseOf);
    const candidateSide = side(candidateOf);
    rows.push({
      taskIndex: item.taskIndex,
      task: item.task,
      base: baseSide,
      candidate: candidateSide,
      delta: baseSide.reward !== null && candidateSide.reward !== null ? candidateSide.reward - baseSide.reward : null,
    });
  }
  const paired = rows.filter((row) => row.delta !== null);
  const totalCost = (pick: (row: CompareRow) => CompareSide) => paired.reduce((sum, row) => sum + pick(row).costUsd, 0);
  const meanLatency = (pick: (row: CompareRow) => CompareSide) => mean(paired.map((row) => pick(row).latencyMs).filter((value): value is number => value !== null));
  const baseCost = totalCost((row) => row.base);
  const baseLatency = meanLatency((row) => row.base);
  const candidateLatency = meanLatency((row) => row.candidate);
  return {
    base: { ...armOf(base), experimentId: base.experimentId },
    candidate: { ...armOf(candidate), experimentId: candidate.experimentId },
    rows,
    summary: {
      ...summarizeDeltas(
        paired.map((row) => row.delta as number),
        { resamples: options.resamples, seed: options.seed },
      ),
      costRatio: baseCost > 0 ? totalCost((row) => row.candidate) / baseCost : null,
      latencyRatio: baseLatency !== null && baseLatency > 0 && candidateLatency !== null ? candidateLatency / baseLatency : null,
      reference: summarizeDeltas(
        rows.flatMap((row) =>
          row.base.referenceScore !== null && row.candidate.referenceScore !== null ? [row.candidate.referenceScore - row.base.referenceScore] : [],
        ),
        { resamples: options.resamples, seed: options.seed },
      ),
    },
  };
}

/** The latest session of each repeat of the arm, grouped by task. */
function cellSessions(sessions: (ExperimentSessionRow & { experimentId: number })[], arm: ExperimentArmRow): Map<number, ExperimentSessionRow[]> {
  const latest = latestByCell(sessions.filter((session) => session.experimentId === arm.experimentId && session.armId === arm.id));
  const byTask = new Map<number, ExperimentSessionRow[]>();
  for (const session of [...latest.values()].sort((a, b) => a.repeat - b.repeat)) {
    byTask.set(session.taskIndex, [...(byTask.get(session.taskIndex) ?? []), session]);
  }
  return byTask;
}

function side(sessions: ExperimentSessionRow[]): CompareSide {
  const finished = sessions.filter((session) => session.status !== "queued" && session.status !== "running");
  const values = (pick: (session: ExperimentSessionRow) => number | null) =>
    finished.map(pick).filter((value): value is number => value !== null);
  return {
    reward: mean(values((session) => session.reward)),
    referenceScore: mean(values((session) => session.referenceScore)),
    costUsd: sessions.reduce((sum, session) => sum + session.costUsd, 0),
    latencyMs: mean(values((session) => session.durationMs)),
    attempts: mean(finished.map((session) => session.attempts)) ?? 0,
    escalations: mean(finished.map((session) => session.escalations)) ?? 0,
    sessionIds: sessions.map((session) => session.sessionId),
    finalAnswer: finished[0]?.finalAnswer ?? null,
  };
}

async function armOrThrow(db: AtlasDb, armId: number, which: "base" | "candidate"): Promise<ExperimentArmRow> {
  const arm = armId > MAX_ID ? null : await getExperimentArm(db, armId);
  if (!arm) throw new AtlasError("not_found", `${which} arm ${armId} not found`);
  return arm;
}
