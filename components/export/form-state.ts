/**
 * The export form as plain strings, parsed by the same schema as `atlas export` and `/api/export`
 * (lib/export/filters.ts). Browser-safe.
 */
import type { Issue } from "@/lib/errors";
import {
  DEFAULT_TRAJECTORY_EVENT_LIMIT,
  EXPORT_FORMATS,
  ExportFiltersSchema,
  exportFiltersToSearchParams,
  type ExportFilters,
  type ExportFormat,
} from "@/lib/export/filters";

export interface ExportFormValues {
  statuses: string[];
  /** Review statuses, or ["all"]; none: each session's config default (runtime_safety.review). */
  reviewStatuses: string[];
  since: string;
  until: string;
  minReward: string;
  config: string;
  q: string;
  /** Comma- or space-separated. */
  sessionIds: string;
  limit: string;
  offset: string;
  trajectoryEventLimit: string;
  format: ExportFormat;
  /** A re-judge's version; blank or 0: the recorded judgement. */
  judgementVersion: string;
}

export function emptyExportForm(): ExportFormValues {
  return {
    statuses: [],
    reviewStatuses: [],
    since: "",
    until: "",
    minReward: "",
    config: "",
    q: "",
    sessionIds: "",
    limit: "",
    offset: "",
    trajectoryEventLimit: String(DEFAULT_TRAJECTORY_EVENT_LIMIT),
    format: "sessions",
    judgementVersion: "",
  };
}

/** A link such as `/export?status=failed&format=pairs` opens the form with those values. */
export function exportFormFromParams(params: URLSearchParams): ExportFormValues {
  const form = emptyExportForm();
  const format = params.get("format");
  return {
    ...form,
    statuses: params.getAll("status"),
    reviewStatuses: params.getAll("review_status"),
    since: params.get("since") ?? "",
    until: params.get("until") ?? "",
    minReward: params.get("min_reward") ?? "",
    config: params.get("config") ?? "",
    q: params.get("q") ?? "",
    sessionIds: params.getAll("session_id").join(", "),
    limit: params.get("limit") ?? "",
    offset: params.get("offset") ?? "",
    trajectoryEventLimit: params.get("trajectory_event_limit") ?? form.trajectoryEventLimit,
    format: EXPORT_FORMATS.includes(format as ExportFormat) ? (format as ExportFormat) : form.format,
    judgementVersion: params.get("judgement_version") ?? "",
  };
}

export type ParsedExportForm =
  | { ok: true; filters: ExportFilters; query: string }
  | { ok: false; issues: Issue[] };

/** Field names as the form shows them, for the schema's issue paths. */
const FIELD_LABELS: Record<string, string> = {
  session_id: "Session ids",
  status: "Status",
  review_status: "Review status",
  since: "Created on or after",
  until: "Created before",
  min_reward: "Minimum reward",
  config: "Config",
  q: "Task contains",
  limit: "Limit",
  offset: "Offset",
  trajectory_event_limit: "Events per session",
  format: "Format",
  judgement_version: "Judgement version",
};

export function parseExportForm(values: ExportFormValues): ParsedExportForm {
  const parsed = ExportFiltersSchema.safeParse({
    session_id: values.sessionIds.split(/[\s,]+/).filter(Boolean),
    status: values.statuses,
    review_status: values.reviewStatuses,
    since: values.since,
    until: values.until,
    min_reward: values.minReward,
    config: values.config,
    q: values.q,
    limit: values.limit,
    offset: values.offset,
    trajectory_event_limit: values.trajectoryEventLimit,
    format: values.format,
    judgement_version: values.judgementVersion,
  });
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: FIELD_LABELS[String(issue.path[0] ?? "")] ?? issue.path.join("."),
        message: issue.message,
      })),
    };
  }
  return { ok: true, filters: parsed.data, query: exportFiltersToSearchParams(parsed.data).toString() };
}

/** The same export from a terminal. */
export function exportCliCommand(filters: ExportFilters): string {
  const words = ["atlas", "export", "--output", filters.format === "sessions" ? "atlas-export.jsonl" : `atlas-${filters.format}.jsonl`];
  for (const id of filters.sessionIds) words.push("--session-id", String(id));
  for (const status of filters.statuses) words.push("--status", status);
  if (filters.reviewStatuses === "all") words.push("--review-status", "all");
  else if (filters.reviewStatuses !== "default") for (const status of filters.reviewStatuses) words.push("--review-status", status);
  const options: [string, string | number | undefined][] = [
    ["--since", filters.since],
    ["--until", filters.until],
    ["--min-reward", filters.minReward],
    ["--config-name", filters.configName],
    ["--search", filters.q],
    ["--limit", filters.limit],
    ["--offset", filters.offset || undefined],
    ["--trajectory-event-limit", filters.trajectoryEventLimit === DEFAULT_TRAJECTORY_EVENT_LIMIT ? undefined : filters.trajectoryEventLimit],
    ["--format", filters.format === "sessions" ? undefined : filters.format],
    ["--judgement-version", filters.judgementVersion || undefined],
  ];
  for (const [flag, value] of options) if (value !== undefined && value !== "") words.push(flag, String(value));
  return words.map(shellQuote).join(" ");
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
