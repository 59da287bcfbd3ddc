/**
 * The sessions list filters live in the page URL (shareable). This maps the URL query to filters,
 * filters back to a URL query, and filters to the `GET /api/sessions` query string.
 */
import { REVIEW_STATUSES, type ReviewStatus } from "@/lib/config/runtime-safety-schema";
import { SESSION_STATUSES, type SessionStatus } from "@/lib/trajectory";

export interface SessionFilters {
  status: SessionStatus[];
  config: string;
  /** `YYYY-MM-DD` (date inputs) or an ISO date-time. */
  from: string;
  to: string;
  minReward: string;
  maxReward: string;
  q: string;
  /** Review statuses; empty: any. */
  review?: ReviewStatus[];
  experiment?: string;
  /** "flagged", "unflagged" or "" (either). */
  drift?: string;
  /** "true", "false" or "" (either). */
  escalated?: string;
  /** "" (newest first) or "cost" (most expensive first). */
  sort: "" | "cost";
}

export const EMPTY_FILTERS: SessionFilters = { status: [], config: "", from: "", to: "", minReward: "", maxReward: "", q: "", sort: "" };

const SINGLE_KEYS = ["config", "from", "to", "minReward", "maxReward", "q", "experiment", "drift", "escalated"] as const;

type Params = Pick<URLSearchParams, "get" | "getAll">;

export function filtersFromParams(params: Params): SessionFilters {
  const statuses = params.getAll("status").flatMap((value) => value.split(","));
  return {
    status: SESSION_STATUSES.filter((status) => statuses.includes(status)),
    config: params.get("config")?.trim() ?? "",
    from: params.get("from")?.trim() ?? "",
    to: params.get("to")?.trim() ?? "",
    minReward: params.get("minReward")?.trim() ?? "",
    maxReward: params.get("maxReward")?.trim() ?? "",
    q: params.get("q")?.trim() ?? "",
    ...reviewFiltersFromParams(params),
    sort: params.get("sort")?.trim() === "cost" ? "cost" : "",
  };
}

/** The review queue's filters (left out when absent, so plain list filters keep their shape). */
function reviewFiltersFromParams(params: Params): Partial<SessionFilters> {
  const review = params.getAll("review").flatMap((value) => value.split(","));
  const picked: Partial<SessionFilters> = {};
  const statuses = REVIEW_STATUSES.filter((status) => review.includes(status));
  if (statuses.length > 0) picked.review = statuses;
  for (const key of ["experiment", "drift", "escalated"] as const) {
    const value = params.get(key)?.trim();
    if (value) picked[key] = value;
  }
  return picked;
}

/** The page URL query for filters (empty fields left out, statuses repeated). */
export function filtersToParams(filters: SessionFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const status of filters.status) params.append("status", status);
  for (const status of filters.review ?? []) params.append("review", status);
  for (const key of SINGLE_KEYS) {
    const value = (filters[key] ?? "").trim();
    if (value) params.set(key, value);
  }
  if (filters.sort) params.set("sort", filters.sort);
  return params;
}

export interface FilterProblem {
  field: keyof SessionFilters;
  message: string;
}

/** Problems that would make the API reject the query; shown next to the fields. */
export function filterProblems(filters: SessionFilters): FilterProblem[] {
  const problems: FilterProblem[] = [];
  for (const field of ["minReward", "maxReward"] as const) {
    const raw = filters[field];
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) problems.push({ field, message: "a reward between 0 and 1" });
  }
  if (filters.minReward && filters.maxReward && Number(filters.minReward) > Number(filters.maxReward)) {
    problems.push({ field: "maxReward", message: "must not be below the minimum reward" });
  }
  for (const field of ["from", "to"] as const) {
    const raw = filters[field];
    if (raw && Number.isNaN(Date.parse(raw))) problems.push({ field, message: "a date such as 2026-01-31" });
  }
  const experiment = filters.experiment?.trim();
  if (experiment && !/^[1-9]\d*$/.test(experiment)) problems.push({ field: "experiment", message: "an experiment id such as 3" });
  if (filters.drift && !["flagged", "unflagged"].includes(filters.drift)) problems.push({ field: "drift", message: "flagged or unflagged" });
  if (filters.escalated && !["true", "false"].includes(filters.escalated)) problems.push({ field: "escalated", message: "true or false" });
  if (filters.from && filters.to && Date.parse(filters.from) > Date.parse(filters.to)) {
    problems.push({ field: "to", message: "must not be before the start date" });
  }
  return problems;
}

/** `GET /api/sessions` query: the valid filters, the cursor and the page size. */
export function sessionsApiQuery(filters: SessionFilters, cursor: string | null, limit: number): string {
  const invalid = new Set(filterProblems(filters).map((problem) => problem.field));
  const params = new URLSearchParams();
  for (const status of filters.status) params.append("status", status);
  for (const status of filters.review ?? []) params.append("review", status);
  for (const key of SINGLE_KEYS) {
    const value = (filters[key] ?? "").trim();
    if (value && !invalid.has(key)) params.set(key, value);
  }
  if (filters.sort) params.set("sort", filters.sort);
  if (cursor) params.set("cursor", cursor);
  params.set("limit", String(limit));
  return params.toString();
}

export function hasFilters(filters: SessionFilters): boolean {
  return filtersToParams(filters).toString() !== "";
}
