/**
 * Export selection, parsed by ONE schema for the CLI flags, the `/api/export` query string and the `/export` page.
 * Input keys are the query-parameter names (snake_case, `--session-id` ⇔ `session_id`); values may be strings or
 * string lists as they come from argv or URLSearchParams. Browser-safe: zod only.
 */
import { z } from "zod";
import { REVIEW_STATUSES, type ReviewStatus } from "@/lib/config/runtime-safety-schema";

export const EXPORT_FORMATS = ["sessions", "steps", "pairs"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DEFAULT_TRAJECTORY_EVENT_LIMIT = 200;
/** Upstream: a limit ≤ 0 means this many events. */
export const UNLIMITED_TRAJECTORY_EVENT_LIMIT = 1000;
export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;

/** Query-parameter keys that may repeat. */
export const LIST_FILTER_KEYS = ["session_id", "status", "review_status"] as const;

/** `all` (or `*`) turns the review gate off; no review status at all applies each session's config default. */
export const ALL_REVIEW_STATUSES = "all";
/**
 * Which review statuses an export includes: the listed ones, every one, or `default` — what each session's
 * `runtime_safety.review.default_export_statuses` says (a session whose config has no such section is included).
 */
export type ReviewStatusSelection = ReviewStatus[] | "all" | "default";

const asList = (value: unknown) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]);
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const integer = (name: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? Number(value.trim()) : value),
    z.number({ error: `${name} must be an integer` }).int(`${name} must be an integer`),
  );

/** A date (`2025-10-09`, midnight UTC) or a date-time with an offset; kept as a canonical ISO string. */
const instant = (name: string) =>
  z
    .string()
    .trim()
    .refine((value) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i.test(value), {
      message: `${name} must be an ISO date (2025-10-09) or date-time (2025-10-09T12:00:00Z)`,
    })
    .transform((value, context) => {
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
      const hasZone = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) && !dateOnly;
      const parsed = new Date(dateOnly ? `${value}T00:00:00Z` : hasZone ? value : `${value}Z`);
      if (Number.isNaN(parsed.getTime()) || !isCalendarDate(value.slice(0, 10))) {
        context.addIssue({ code: "custom", message: `${name} is not a real date: ${value}` });
        return z.NEVER;
      }
      return parsed.toISOString();
    });

/** `Date` rolls 2025-02-30 over to March; a filter must say what it means. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const ExportFiltersSchema = z
  .object({
    session_id: z.preprocess(
      asList,
      z.array(integer("session_id").pipe(z.number().positive("session_id must be a positive integer"))),
    ),
    status: z.preprocess(
      asList,
      z.array(z.string().trim().min(1, "status must not be empty").transform((value) => value.toLowerCase())),
    ),
    review_status: z.preprocess(
      asList,
      z.array(
        z
          .string()
          .trim()
          .transform((value) => (value === "*" ? ALL_REVIEW_STATUSES : value.toLowerCase()))
          .pipe(
            z.enum([...REVIEW_STATUSES, ALL_REVIEW_STATUSES], {
              error: `review_status must be one of ${[...REVIEW_STATUSES, ALL_REVIEW_STATUSES].join(", ")}`,
            }),
          ),
      ),
    ),
    since: z.preprocess(blankToUndefined, instant("since").optional()),
    until: z.preprocess(blankToUndefined, instant("until").optional()),
    min_reward: z.preprocess(
      blankToUndefined,
      z
        .preprocess(
          (value) => (typeof value === "string" ? Number(value.trim()) : value),
          z
            .number({ error: "min_reward must be a number" })
            .finite("min_reward must be a number")
            .min(0, "min_reward must be between 0 and 1 (rewards are scores in [0, 1])")
            .max(1, "min_reward must be between 0 and 1 (rewards are scores in [0, 1])"),
        )
        .optional(),
    ),
    config: z.preprocess(blankToUndefined, z.string().trim().min(1).optional()),
    q: z.preprocess(blankToUndefined, z.string().trim().min(1).max(500, "q must be at most 500 characters").optional()),
    /** Only the cells of this experiment (and of this arm of it). */
    experiment: z.preprocess(blankToUndefined, integer("experiment").pipe(z.number().positive("experiment must be a positive integer")).optional()),
    arm: z.preprocess(blankToUndefined, integer("arm").pipe(z.number().positive("arm must be a positive integer")).optional()),
    limit: z.preprocess(blankToUndefined, integer("limit").pipe(z.number().min(0, "limit must be ≥ 0")).optional()),
    // Upstream clamps a negative offset to 0.
    offset: z.preprocess(blankToUndefined, integer("offset").transform((value) => Math.max(0, value)).default(0)),
    trajectory_event_limit: z.preprocess(
      blankToUndefined,
      integer("trajectory_event_limit")
        .transform((value) => (value <= 0 ? UNLIMITED_TRAJECTORY_EVENT_LIMIT : value))
        .default(DEFAULT_TRAJECTORY_EVENT_LIMIT),
    ),
    batch_size: z.preprocess(
      blankToUndefined,
      integer("batch_size")
        .pipe(z.number().min(1, "batch_size must be ≥ 1").max(MAX_BATCH_SIZE, `batch_size must be ≤ ${MAX_BATCH_SIZE}`))
        .default(DEFAULT_BATCH_SIZE),
    ),
    format: z.preprocess(blankToUndefined, z.enum(EXPORT_FORMATS).default("sessions")),
    /** Rewards of this re-judge instead of the recorded judgement (0). */
    judgement_version: z.preprocess(
      blankToUndefined,
      integer("judgement_version").pipe(z.number().min(0, "judgement_version must be ≥ 0")).default(0),
    ),
  })
  .strict()
  .refine((filters) => !filters.since || !filters.until || filters.since < filters.until, {
    message: "since must be earlier than until",
    path: ["until"],
  })
  .transform((filters) => ({
    // Upstream keeps the first occurrence of a repeated id.
    sessionIds: [...new Set(filters.session_id)],
    statuses: [...new Set(filters.status)],
    reviewStatuses: reviewSelection(filters.review_status),
    since: filters.since,
    until: filters.until,
    minReward: filters.min_reward,
    configName: filters.config,
    q: filters.q,
    experimentId: filters.experiment,
    armId: filters.arm,
    limit: filters.limit,
    offset: filters.offset,
    trajectoryEventLimit: filters.trajectory_event_limit,
    batchSize: filters.batch_size,
    format: filters.format,
    judgementVersion: filters.judgement_version,
  }));

function reviewSelection(values: (ReviewStatus | typeof ALL_REVIEW_STATUSES)[]): ReviewStatusSelection {
  if (values.length === 0) return "default";
  if (values.includes(ALL_REVIEW_STATUSES)) return "all";
  return [...new Set(values as ReviewStatus[])];
}

export type ExportFiltersInput = z.input<typeof ExportFiltersSchema>;
export type ExportFilters = z.output<typeof ExportFiltersSchema>;

/** Filters with every default applied: what a caller gets when it passes nothing. */
export function exportFilters(input: Partial<Record<keyof ExportFiltersInput, unknown>> = {}): ExportFilters {
  return ExportFiltersSchema.parse(input);
}

/** The query string the page links to and the route parses back (defaults left out). */
export function exportFiltersToSearchParams(filters: Partial<ExportFilters>): URLSearchParams {
  const params = new URLSearchParams();
  for (const id of filters.sessionIds ?? []) params.append("session_id", String(id));
  for (const status of filters.statuses ?? []) params.append("status", status);
  const review = filters.reviewStatuses ?? "default";
  if (review === "all") params.append("review_status", ALL_REVIEW_STATUSES);
  else if (review !== "default") for (const status of review) params.append("review_status", status);
  const single: [string, string | number | undefined][] = [
    ["since", filters.since],
    ["until", filters.until],
    ["min_reward", filters.minReward],
    ["config", filters.configName],
    ["q", filters.q],
    ["experiment", filters.experimentId],
    ["arm", filters.armId],
    ["limit", filters.limit],
    ["offset", filters.offset || undefined],
    [
      "trajectory_event_limit",
      filters.trajectoryEventLimit === DEFAULT_TRAJECTORY_EVENT_LIMIT ? undefined : filters.trajectoryEventLimit,
    ],
    ["batch_size", filters.batchSize === DEFAULT_BATCH_SIZE ? undefined : filters.batchSize],
    ["format", filters.format === "sessions" ? undefined : filters.format],
    ["judgement_version", filters.judgementVersion || undefined],
  ];
  for (const [key, value] of single) if (value !== undefined && value !== "") params.set(key, String(value));
  return params;
}
