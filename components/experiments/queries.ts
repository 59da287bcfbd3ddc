/** React Query factories for the task-set and experiment APIs (browser side). */
import { queryOptions } from "@tanstack/react-query";
import type { CompareResult, ExperimentDetail, ExperimentList } from "@/lib/experiments/api-types";
import { fetchJson } from "@/lib/http/api-client";
import type { SessionDetail } from "@/lib/sessions/api-types";
import type { TaskSetList } from "@/lib/task-sets/api-types";

export const experimentKeys = {
  taskSets: ["task-sets"] as const,
  list: ["experiments", "list"] as const,
  detail: (id: number) => ["experiments", "detail", id] as const,
  compare: (id: number, base: number, candidate: number) => ["experiments", "compare", id, base, candidate] as const,
};

export function taskSetsQuery() {
  return queryOptions({ queryKey: experimentKeys.taskSets, queryFn: () => fetchJson<TaskSetList>("/api/task-sets") });
}

export function experimentsQuery() {
  return queryOptions({ queryKey: experimentKeys.list, queryFn: () => fetchJson<ExperimentList>("/api/experiments") });
}

/** Polls while the experiment runs, so the progress page follows it. */
export function experimentQuery(id: number) {
  return queryOptions({
    queryKey: experimentKeys.detail(id),
    queryFn: () => fetchJson<ExperimentDetail>(`/api/experiments/${id}`),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });
}

export function compareQuery(id: number, base: number, candidate: number) {
  return queryOptions({
    queryKey: experimentKeys.compare(id, base, candidate),
    queryFn: () => fetchJson<CompareResult>(`/api/experiments/${id}/compare?base=${base}&candidate=${candidate}`),
  });
}

export function sessionSnapshotQuery(sessionId: number) {
  return queryOptions({
    queryKey: ["sessions", "snapshot-for-compare", sessionId] as const,
    queryFn: () => fetchJson<SessionDetail>(`/api/sessions/${sessionId}?evaluations=omit`),
  });
}
