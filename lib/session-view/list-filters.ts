/**
 * The sessions list filters live in the page URL (shareable). This maps the URL query to filters,
 * filters back to a URL query, and filters to the `GET /api/sessions` query string.
 */
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
  /** "" (newest first) or "cost" (most expensive first). */
  sort: "" | "cost";
}

export const EMPTY_FILTERS: SessionFilters = { status: [], config: "", from: "", to: "", minReward: "", maxReward: "", q: "", sort: "" };

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
    sort: params.get("sort")?.trim() === "cost" ? "cost" : "",
  };
}

/** The page URL query for filters (empty fields left out, statuses repeated). */
export function filtersToParams(filters: SessionFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const status of filters.status) params.append("status", status);
  for (const key of ["config", "from", "to", "minReward", "maxReward", "q", "sort"] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
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
  for (const key of ["config", "from", "to", "minReward", "maxReward", "q"] as const) {
    const value = filters[key].trim();
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
