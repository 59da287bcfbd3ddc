/**
 * The HTTP contract of review and labels (README "HTTP API"), shared by the routes, the CLI and the browser.
 * Browser-safe: zod only. Users script against it: change it only additively.
 */
import { z } from "zod";
import { REVIEW_STATUSES, ReviewStatusSchema, type ReviewStatus } from "@/lib/config/runtime-safety-schema";
import { SessionListQuerySchema } from "@/lib/sessions/api-types";

export { REVIEW_STATUSES, ReviewStatusSchema, type ReviewStatus };

const note = z.string().trim().max(4000, "note must be at most 4,000 characters");

export const ReviewRequestSchema = z.strictObject({
  status: ReviewStatusSchema,
  note: note.optional(),
  /** Who reviews; the web page leaves it out and is recorded as "web". */
  reviewer: z.string().trim().min(1).max(200).optional(),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

export const ReviewHistoryEntrySchema = z.object({
  status: ReviewStatusSchema,
  previousStatus: ReviewStatusSchema,
  reviewer: z.string(),
  note: z.string().nullable(),
  at: z.string(),
});
export type ReviewHistoryEntry = z.infer<typeof ReviewHistoryEntrySchema>;

export const ReviewResponseSchema = z.object({
  sessionId: z.number().int(),
  reviewStatus: ReviewStatusSchema,
  driftFlagged: z.boolean(),
  drift: z.record(z.string(), z.unknown()).nullable(),
  history: z.array(ReviewHistoryEntrySchema),
});
export type ReviewResponse = z.infer<typeof ReviewResponseSchema>;

export const LABEL_VERDICTS = ["good", "bad"] as const;

export const LabelRequestSchema = z
  .strictObject({
    stepId: z.number().int().positive().optional(),
    score: z.number().min(0, "score must be in [0, 1]").max(1, "score must be in [0, 1]").optional(),
    verdict: z.enum(LABEL_VERDICTS).optional(),
    preferredAttempt: z.number().int().positive().optional(),
    note: note.optional(),
  })
  .refine((label) => label.score !== undefined || label.verdict !== undefined || label.preferredAttempt !== undefined || label.note, {
    message: "a label needs a score, a verdict, a preferredAttempt or a note",
    path: ["score"],
  })
  .refine((label) => label.preferredAttempt === undefined || label.stepId !== undefined, {
    message: "preferredAttempt names an attempt of a step: give stepId too",
    path: ["preferredAttempt"],
  });
export type LabelRequest = z.infer<typeof LabelRequestSchema>;

export const HumanLabelSchema = z.object({
  id: z.number().int(),
  sessionId: z.number().int(),
  stepId: z.number().int().nullable(),
  score: z.number().nullable(),
  verdict: z.enum(LABEL_VERDICTS).nullable(),
  preferredAttempt: z.number().int().nullable(),
  note: z.string().nullable(),
  labeler: z.string(),
  createdAt: z.string(),
});
export type HumanLabel = z.infer<typeof HumanLabelSchema>;

export const LabelListSchema = z.object({ sessionId: z.number().int(), labels: z.array(HumanLabelSchema) });
export type LabelList = z.infer<typeof LabelListSchema>;

export const reviewPath = (sessionId: number) => `/api/sessions/${sessionId}/review`;
export const labelsPath = (sessionId: number) => `/api/sessions/${sessionId}/labels`;

export const AgreementQuerySchema = z.object({
  config: z.string().trim().min(1, "config must name a config"),
  /** Overrides the config's orchestration.retry_threshold for accept/reject. */
  threshold: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().min(0).max(1).optional()),
  /** Judge with a re-judge's scores; 0 (default) is the recorded judgement. */
  judgement: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().int().min(0).optional()),
});

export const AgreementSchema = z.object({
  pairs: z.number().int(),
  threshold: z.number(),
  spearman: z.number().nullable(),
  mae: z.number().nullable(),
  kappa: z.number().nullable(),
  confusion: z.object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() }),
  disagreements: z.array(
    z.object({
      sessionId: z.number().int(),
      stepId: z.number().int().nullable(),
      judge: z.number(),
      human: z.union([z.number(), z.enum(LABEL_VERDICTS)]),
    }),
  ),
  judgementVersion: z.number().int(),
  judges: z.array(
    z.object({
      identifier: z.string(),
      judgements: z.number().int(),
      escalations: z.number().int(),
      escalationRate: z.number().nullable(),
      splitEscalations: z.number().int(),
      arbiterSidedWithMinority: z.number().int(),
    }),
  ),
  /** With a re-judge: how its step scores moved from the recorded ones on the same attempts. */
  comparison: z.object({ pairs: z.number().int(), meanAbsoluteChange: z.number().nullable(), spearman: z.number().nullable() }).nullable(),
});
export type AgreementResponse = z.infer<typeof AgreementSchema>;

/** The most sessions one re-judge scores (listed, or selected by a filter). */
export const MAX_REJUDGE_SESSIONS = 500;

/**
 * A sessions-list filter as an object: the query parameters of `GET /api/sessions` (`{experiment: 3}`,
 * `{config: "demo", status: ["succeeded"], minReward: 0.5}`), without paging and order.
 */
export const RejudgeFilterSchema = z.strictObject(SessionListQuerySchema.omit({ sort: true, cursor: true, limit: true }).shape);

/** Which sessions to score again: `sessionIds`, or every session `filter` selects (one of the two). */
export const RejudgeRequestSchema = z
  .strictObject({
    sessionIds: z
      .array(z.number().int().positive())
      .min(1, "sessionIds must name at least one session")
      .max(MAX_REJUDGE_SESSIONS, `at most ${MAX_REJUDGE_SESSIONS} sessions per re-judge`)
      .optional(),
    filter: RejudgeFilterSchema.optional(),
    config: z.union([
      z.strictObject({ name: z.string().min(1), version: z.number().int().positive().optional() }),
      z.strictObject({ yaml: z.string().min(1, "config yaml must not be empty") }),
    ]),
  })
  .refine((request) => (request.sessionIds === undefined) !== (request.filter === undefined), {
    message: "give either sessionIds or filter (one of them)",
    path: ["sessionIds"],
  });
export type RejudgeRequest = z.infer<typeof RejudgeRequestSchema>;

export const RejudgeStatusSchema = z.object({
  rejudgeId: z.number().int(),
  status: z.enum(["running", "succeeded", "failed"]),
  done: z.number().int(),
  total: z.number().int(),
  /** Pass as `GET /api/sessions/:id?judgement=` to see these rewards; 0 is the recorded judgement. */
  judgementVersion: z.number().int(),
  configName: z.string().nullable(),
  configVersion: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type RejudgeStatus = z.infer<typeof RejudgeStatusSchema>;

export const JudgementSchema = z.object({
  version: z.number().int(),
  stepId: z.number().int(),
  attempt: z.number().int(),
  score: z.number().nullable(),
  rationale: z.string().nullable(),
  /** A re-judge's judge and arbiter calls (model, stage, temperature, messages, reply or error); null for recorded ones. */
  calls: z.array(z.record(z.string(), z.unknown())).nullable(),
});
export const JudgementListSchema = z.object({ sessionId: z.number().int(), judgements: z.array(JudgementSchema) });
export type JudgementList = z.infer<typeof JudgementListSchema>;
