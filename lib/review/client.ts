/**
 * Browser side of review and labels: React Query keys, fetches and the writes, with the list caches they
 * make stale. Browser-safe.
 */
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/http/api-client";
import {
  labelsPath,
  reviewPath,
  type HumanLabel,
  type JudgementList,
  type LabelList,
  type LabelRequest,
  type RejudgeStatus,
  type ReviewResponse,
  type ReviewStatus,
} from "./api-types";

export const reviewKeys = {
  review: (sessionId: number) => ["review", sessionId] as const,
  labels: (sessionId: number) => ["review", sessionId, "labels"] as const,
};

export function reviewQuery(sessionId: number) {
  return queryOptions({ queryKey: reviewKeys.review(sessionId), queryFn: () => fetchJson<ReviewResponse>(reviewPath(sessionId)) });
}

export function labelsQuery(sessionId: number) {
  return queryOptions({ queryKey: reviewKeys.labels(sessionId), queryFn: () => fetchJson<LabelList>(labelsPath(sessionId)) });
}

export async function postReview(
  client: QueryClient,
  sessionId: number,
  status: ReviewStatus,
  note?: string,
): Promise<ReviewResponse> {
  const body = JSON.stringify({ status, ...(note?.trim() ? { note: note.trim() } : {}) });
  const review = await fetchJson<ReviewResponse>(reviewPath(sessionId), { method: "POST", body });
  client.setQueryData(reviewKeys.review(sessionId), review);
  return review;
}

export async function postLabel(client: QueryClient, sessionId: number, label: LabelRequest): Promise<HumanLabel> {
  const created = await fetchJson<HumanLabel>(labelsPath(sessionId), { method: "POST", body: JSON.stringify(label) });
  await client.invalidateQueries({ queryKey: reviewKeys.labels(sessionId) });
  return created;
}

/** After review writes, lists filtered by review status are stale. */
export function invalidateSessionLists(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: ["sessions", "list"] });
}

export function judgementsQuery(sessionId: number) {
  return queryOptions({
    queryKey: [...reviewKeys.review(sessionId), "judgements"] as const,
    queryFn: () => fetchJson<JudgementList>(`/api/sessions/${sessionId}/judgements`),
  });
}

export function rejudgeQuery(rejudgeId: number) {
  return queryOptions({
    queryKey: ["rejudge", rejudgeId] as const,
    queryFn: () => fetchJson<RejudgeStatus>(`/api/rejudge/${rejudgeId}`),
    refetchInterval: (query) => (query.state.data?.status === "running" || !query.state.data ? 1000 : false),
  });
}

export function startRejudge(sessionIds: number[], configName: string): Promise<RejudgeStatus> {
  return fetchJson<RejudgeStatus>("/api/rejudge", { method: "POST", body: JSON.stringify({ sessionIds, config: { name: configName } }) });
}
