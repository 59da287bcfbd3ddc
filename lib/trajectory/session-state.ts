/**
 * The state a session's events project into: the session row with its totals, the plan, and each
 * step with its attempts and guidance. It is also the HTTP contract of `GET /api/sessions/:id`
 * (lib/sessions/api-types.ts re-exports it), so change it only additively.
 */
import { z } from "zod";
import { PlanSchema } from "./plan";
import { SessionStatusSchema } from "./status";

const JsonObject = z.record(z.string(), z.unknown());

export const SessionSummarySchema = z.object({
  id: z.number().int(),
  task: z.string(),
  status: SessionStatusSchema,
  source: z.string(),
  configName: z.string().nullable(),
  configVersion: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  stepCount: z.number().int(),
  attemptCount: z.number().int(),
  rewardScore: z.number().nullable(),
  escalations: z.number().int(),
  judgeOutcomes: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costUsd: z.number(),
  llmCalls: z.number().int(),
  error: z.string().nullable(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

export const AttemptDetailSchema = z.object({
  attempt: z.number().int(),
  status: z.string().nullable(),
  outcome: z.string().nullable(),
  output: z.string().nullable(),
  trace: z.string().nullable(),
  /** `{validation, reward}`; the reward has the breakdown of lib/reward/breakdown.ts (judges, samples, escalation). */
  evaluation: JsonObject.nullable(),
  timingsMs: JsonObject.nullable(),
  rewardSkipped: z.boolean().nullable(),
  rewardScore: z.number().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type AttemptDetail = z.infer<typeof AttemptDetailSchema>;

export const GuidanceNoteSchema = z.object({ sequence: z.number().int(), note: z.string(), forAttempt: z.number().int().nullable() });
export type GuidanceNote = z.infer<typeof GuidanceNoteSchema>;

export const StepDetailSchema = z.object({
  stepId: z.number().int(),
  description: z.string(),
  status: z.string(),
  attempts: z.number().int().nullable(),
  output: z.string().nullable(),
  trace: z.string().nullable(),
  evaluation: JsonObject.nullable(),
  metadata: JsonObject.nullable(),
  rewardScore: z.number().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  attemptDetails: z.array(AttemptDetailSchema),
  guidance: z.array(GuidanceNoteSchema),
  /** Set when the snapshot left this step's evaluations out (`?evaluations=omit`): fetch the step for them. */
  evaluationsOmitted: z.literal(true).optional(),
});
export type StepDetail = z.infer<typeof StepDetailSchema>;

export const SessionDetailSchema = z.object({
  session: SessionSummarySchema.extend({
    finalAnswer: z.string().nullable(),
    metadata: JsonObject.nullable(),
    executionMode: z.string().nullable(),
    configHash: z.string().nullable(),
    /** Seq of the last stored event: resume the event stream after it. */
    lastSeq: z.number().int(),
    /** Thresholds of the config the session ran with, for the judge panel (null for imports). */
    rim: z
      .object({ varianceThreshold: z.number(), uncertaintyThreshold: z.number(), retryThreshold: z.number() })
      .nullable(),
  }),
  plan: z
    .object({
      plan: PlanSchema,
      originalPlan: PlanSchema.nullable(),
      review: z.object({ mode: z.string(), concerns: z.string().nullable(), changes: z.array(z.string()) }).nullable(),
    })
    .nullable(),
  steps: z.array(StepDetailSchema),
});
export type SessionDetail = z.infer<typeof SessionDetailSchema>;
export type SessionHead = SessionDetail["session"];

/** A step no event has filled in yet (the database row's defaults). */
export function emptyStepDetail(stepId: number, description = ""): StepDetail {
  return {
    stepId,
    description,
    status: "pending",
    attempts: null,
    output: null,
    trace: null,
    evaluation: null,
    metadata: null,
    rewardScore: null,
    startedAt: null,
    completedAt: null,
    attemptDetails: [],
    guidance: [],
  };
}

/** An attempt that has started (or, with `startedAt` null, is first seen finishing) and has nothing recorded yet. */
export function runningAttemptDetail(attempt: number, startedAt: string | null): AttemptDetail {
  return {
    attempt,
    status: "running",
    outcome: null,
    output: null,
    trace: null,
    evaluation: null,
    timingsMs: null,
    rewardSkipped: null,
    rewardScore: null,
    startedAt,
    finishedAt: null,
  };
}

/** A session's state before its first event: the given head fields, every total zero, no plan or steps. */
export function sessionBeforeEvents(
  head: Pick<SessionHead, "id" | "task" | "status" | "source" | "createdAt"> & Partial<SessionHead>,
): SessionDetail {
  return {
    session: {
      configName: null,
      configVersion: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
      stepCount: 0,
      attemptCount: 0,
      rewardScore: null,
      escalations: 0,
      judgeOutcomes: 0,
      promptTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
      llmCalls: 0,
      error: null,
      finalAnswer: null,
      metadata: null,
      executionMode: null,
      configHash: null,
      lastSeq: 0,
      rim: null,
      ...head,
    },
    plan: null,
    steps: [],
  };
}
