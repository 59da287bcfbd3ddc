/**
 * The HTTP contract of the runs/sessions API (README "HTTP API"), shared by the route handlers, the
 * browser and scripts. Browser-safe. Users script against it: change it only additively.
 */
import { z } from "zod";
import { ReviewStatusSchema } from "@/lib/config/runtime-safety-schema";
import {
  CALL_ROLES,
  CallCaptureSchema,
  EVENT_TYPES,
  type EventType,
  SessionStatusSchema,
  SessionSummarySchema,
  TrajectoryEventSchema,
} from "@/lib/trajectory";

// The session state events project into is defined with the projection; it is part of this contract.
export {
  AttemptDetailSchema,
  SessionDetailSchema,
  SessionSummarySchema,
  StepDetailSchema,
  type AttemptDetail,
  type SessionDetail,
  type SessionSummary,
  type StepDetail,
} from "@/lib/trajectory";

const JsonObject = z.record(z.string(), z.unknown());

export const RunRequestSchema = z.strictObject({
  task: z.string().trim().min(1, "task must not be empty").max(20_000, "task is longer than 20,000 characters"),
  config: z.union([
    z.strictObject({ name: z.string().min(1) }),
    z.strictObject({ yaml: z.string().min(1, "config yaml must not be empty") }),
  ]),
  metadata: JsonObject.optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

export const RunAcceptedSchema = z.object({
  sessionId: z.number().int(),
  status: z.enum(["running", "queued"]),
  /** Place in the queue when the concurrent-run limit is reached (1 = next). */
  queuePosition: z.number().int().positive().nullable(),
});
export type RunAccepted = z.infer<typeof RunAcceptedSchema>;

const many = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(schema).optional());
const optionalNumber = z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().optional());

/** Query string of `GET /api/sessions`; repeat `status` for several. */
export const SessionListQuerySchema = z.object({
  status: many(SessionStatusSchema),
  config: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  minReward: optionalNumber.pipe(z.number().min(0).max(1).optional()),
  maxReward: optionalNumber.pipe(z.number().min(0).max(1).optional()),
  q: z.string().max(500).optional(),
  /** Review status; repeat for several (a session never reviewed is pending). */
  review: many(ReviewStatusSchema),
  experiment: optionalNumber.pipe(z.number().int().positive().optional()),
  drift: z.enum(["flagged", "unflagged"]).optional(),
  escalated: z.enum(["true", "false"]).optional(),
  /** `newest` (default): newest first; `cost`: most expensive first. */
  sort: z.enum(["newest", "cost"]).default("newest"),
  /** Opaque keyset cursor from the previous page's `nextCursor` (of the same `sort`). */
  cursor: z.string().optional(),
  limit: optionalNumber.pipe(z.number().int().min(1).max(200).default(50)),
});
export type SessionListQuery = z.infer<typeof SessionListQuerySchema>;

/** A listed session: its summary plus where its review stands. */
export const SessionListItemSchema = SessionSummarySchema.extend({
  reviewStatus: ReviewStatusSchema,
  driftFlagged: z.boolean(),
});
export type SessionListItem = z.infer<typeof SessionListItemSchema>;

export const SessionListResponseSchema = z.object({
  sessions: z.array(SessionListItemSchema),
  nextCursor: z.string().nullable(),
});
export type SessionListResponse = z.infer<typeof SessionListResponseSchema>;

/** Tokens and cost of a group of model calls (a role or a model). */
export const UsageGroupSchema = z.object({
  key: z.string(),
  calls: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costUsd: z.number(),
});
export type UsageGroup = z.infer<typeof UsageGroupSchema>;

export const OverviewSchema = z.object({
  recent: z.array(SessionSummarySchema),
  running: z.array(SessionSummarySchema),
  /** One point per day with sessions, oldest first (last 30 days). */
  series: z.array(
    z.object({ day: z.string(), sessions: z.number().int(), meanReward: z.number().nullable(), costUsd: z.number() }),
  ),
  /** Model calls of the last 30 days by role (student, teacher, judges, arbiter). */
  usageByRole: z.array(UsageGroupSchema),
  totals: z.object({
    sessions: z.number().int(),
    running: z.number().int(),
    costUsd: z.number(),
    judgeOutcomes: z.number().int(),
    escalations: z.number().int(),
    /** escalations / judge outcomes, null before any judging. */
    escalationRate: z.number().nullable(),
  }),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const CancelResponseSchema = z.object({ sessionId: z.number().int(), status: SessionStatusSchema });

/** Query string of `GET /api/sessions/:id/event-log`; repeat `type` for several. */
/** The snapshot the session page loads: steps without their evaluations (opened steps fetch theirs). */
export const sessionPageSnapshotPath = (sessionId: number) => `/api/sessions/${sessionId}?evaluations=omit`;
export const stepDetailPath = (sessionId: number, stepId: number) => `/api/sessions/${sessionId}/steps/${stepId}`;

export const SessionDetailQuerySchema = z.object({
  /** `omit` leaves out validation verdicts and judge panels; `GET /api/sessions/:id/steps/:stepId` has them. */
  evaluations: z.enum(["include", "omit"]).default("include"),
  /** Show the rewards of this judgement version (a re-judge id; 0 is the recorded judgement). */
  judgement: optionalNumber.pipe(z.number().int().min(0).optional()),
});

export const EventLogQuerySchema = z.object({
  after: optionalNumber.pipe(z.number().int().min(0).default(0)),
  limit: optionalNumber.pipe(z.number().int().min(1).max(1000).default(200)),
  type: many(z.enum(EVENT_TYPES as [EventType, ...EventType[]])),
});
export type EventLogQuery = z.infer<typeof EventLogQuerySchema>;

/** One page of stored events, ascending by `seq`. */
export const EventLogPageSchema = z.object({
  events: z.array(TrajectoryEventSchema),
  /** Pass as `after` for the next page; null when this page reached the last stored event. */
  nextAfter: z.number().int().nullable(),
  /** Seq of the last stored event of the session (ignores the type filter). */
  lastSeq: z.number().int(),
});
export type EventLogPage = z.infer<typeof EventLogPageSchema>;

/** `GET /api/sessions/:id/calls`: every call, or those of one step (and attempt). */
export const CallListQuerySchema = z.object({
  step: optionalNumber.pipe(z.number().int().min(0).optional()),
  attempt: optionalNumber.pipe(z.number().int().min(1).optional()),
  /** `usage`: only the session's usage breakdown, no call list. */
  fields: z.enum(["all", "usage"]).default("all"),
});
export type CallListQuery = z.infer<typeof CallListQuerySchema>;

/** A model or agent call without its request and reply; `id` is the seq of the event that reported it. */
export const CallSummarySchema = z.object({
  id: z.number().int().positive(),
  kind: z.enum(["llm", "agent"]),
  actor: z.string(),
  role: z.enum(CALL_ROLES),
  /** Model calls: validation, plan_review, judge:<name>, arbiter:<name>…; agent calls: planning, execution, tool, synthesis. */
  stage: z.string(),
  model: z.string().nullable(),
  stepId: z.number().int().nullable(),
  attempt: z.number().int().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  latencyMs: z.number(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costUsd: z.number(),
  tries: z.number().int(),
  error: z.string().nullable(),
  /** False when capture was off for the run: only timing, tokens and cost were kept. */
  captured: z.boolean(),
});
export type CallSummary = z.infer<typeof CallSummarySchema>;

export const CallDetailSchema = CallSummarySchema.extend({ capture: CallCaptureSchema.nullable() });
export type CallDetail = z.infer<typeof CallDetailSchema>;


export const CallListSchema = z.object({
  calls: z.array(CallSummarySchema),
  /** The session's slowest call (model or agent). */
  slowest: CallSummarySchema.nullable(),
  /** Model calls of the whole session by role (student, teacher, judges, arbiter) and by model. */
  usage: z.object({ byRole: z.array(UsageGroupSchema), byModel: z.array(UsageGroupSchema) }),
});
export type CallList = z.infer<typeof CallListSchema>;
