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

export function buildStepRows(view: Pick<SessionView, "plan" | "steps"> & { live: Pick<LiveState, "scheduled"> }): StepRow[] {
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
      status: detail?.status ?? "pending",
      dependsOn: view.live.scheduled[planned.id]?.dependsOn ?? dependencyIds(planned),
      detail,
    });
  }
  for (const detail of view.steps) {
    if (listed.has(detail.stepId)) continue;
    rows.push({
      stepId: detail.stepId,
      description: detail.description,
      status: detail.status,
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
