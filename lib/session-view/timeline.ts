/**
 * The rows of the step timeline: every step of the reviewed plan in plan order (a pending placeholder
 * until it starts), then any recorded step the plan does not list. Linear in the number of steps.
 */
import { dependencyIds } from "./plan-layout";
import type { LiveState, SessionView, StepDetail } from "./types";

export interface StepRow {
  stepId: number;
  description: string;
  /** The step status, or `pending` when it has not started. */
  status: string;
  dependsOn: number[];
  detail: StepDetail | null;
}

/**
 * A step still pending or running when the session has ended never will finish: it shows how the
 * session ended (`interrupted`, `cancelled`) or `not run`, not `pending` forever.
 */
export function settledStepStatus(stepStatus: string, sessionStatus: string | undefined): string {
  if (sessionStatus === undefined || (stepStatus !== "pending" && stepStatus !== "running")) return stepStatus;
  if (sessionStatus === "interrupted" || sessionStatus === "cancelled") return sessionStatus;
  if (sessionStatus === "succeeded" || sessionStatus === "failed") return "not run";
  return stepStatus;
}

export function buildStepRows(
  view: Pick<SessionView, "plan" | "steps"> & { live: Pick<LiveState, "scheduled"> },
  sessionStatus?: string,
): StepRow[] {
  const details = new Map(view.steps.map((step) => [step.stepId, step]));
  const rows: StepRow[] = [];
  const listed = new Set<number>();
  for (const planned of view.plan?.plan.steps ?? []) {
    if (listed.has(planned.id)) continue;
    listed.add(planned.id);
    const detail = details.get(planned.id) ?? null;
    rows.push({
      stepId: planned.id,
      description: detail?.description || planned.description,
      status: settledStepStatus(detail?.status ?? "pending", sessionStatus),
      dependsOn: view.live.scheduled[planned.id]?.dependsOn ?? dependencyIds(planned),
      detail,
    });
  }
  for (const detail of view.steps) {
    if (listed.has(detail.stepId)) continue;
    rows.push({
      stepId: detail.stepId,
      description: detail.description,
      status: settledStepStatus(detail.status, sessionStatus),
      dependsOn: view.live.scheduled[detail.stepId]?.dependsOn ?? [],
      detail,
    });
  }
  return rows;
}

/** Statuses of every step id, for colouring the plan graph. */
export function stepStatuses(view: Pick<SessionView, "steps">): Map<number, string> {
  return new Map(view.steps.map((step) => [step.stepId, step.status]));
}

export interface StepSummaryCounts {
  total: number;
  byStatus: Record<string, number>;
}

export function countSteps(rows: readonly StepRow[]): StepSummaryCounts {
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  return { total: rows.length, byStatus };
}

export interface ProgressCounts {
  steps: { planned: number; finished: number; running: number };
  attempts: { started: number; running: number };
}

/** What the header counts, from the same rows the timeline shows, so the two agree while a session runs. */
export function progressCounts(rows: readonly StepRow[]): ProgressCounts {
  let finished = 0;
  let running = 0;
  let started = 0;
  let attemptsRunning = 0;
  for (const row of rows) {
    if (row.status === "running") running += 1;
    else if (row.status !== "pending") finished += 1;
    const attempts = row.detail?.attemptDetails ?? [];
    started += attempts.length;
    if (row.status === "running") attemptsRunning += attempts.filter((attempt) => attempt.finishedAt === null && attempt.outcome === null).length;
  }
  return { steps: { planned: rows.length, finished, running }, attempts: { started, running: attemptsRunning } };
}
