/**
 * Plan, step and reward shapes (spec §4.1, §5.6, §6.6). Browser-safe.
 * Payload objects keep the upstream snake_case keys because they flow unchanged into JSONL exports.
 */
import { z } from "zod";

export const StepIdSchema = z.number().int();

export const PlanStepSchema = z.object({
  id: StepIdSchema,
  description: z.string(),
  tool: z.string().nullable().default(null),
  tool_params: z.record(z.string(), z.unknown()).nullable().default(null),
  depends_on: z.array(z.union([z.number().int(), z.string()])).default([]),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const ExecutionModeSchema = z.enum(["stepwise", "single_shot"]);
export type ExecutionMode = z.infer<typeof ExecutionModeSchema>;

export const PlanSchema = z.object({
  steps: z.array(PlanStepSchema),
  execution_mode: ExecutionModeSchema.default("stepwise"),
});
export type Plan = z.infer<typeof PlanSchema>;

export const PrincipleSchema = z.object({
  name: z.string(),
  weight: z.number(),
  description: z.string(),
});
export type Principle = z.infer<typeof PrincipleSchema>;

export const JudgeSampleSchema = z.object({
  score: z.number(),
  rationale: z.string(),
  principles: z.array(PrincipleSchema),
  uncertainty: z.number(),
  temperature: z.number(),
});
export type JudgeSample = z.infer<typeof JudgeSampleSchema>;

export const JudgeBreakdownSchema = z.object({
  identifier: z.string(),
  score: z.number(),
  rationale: z.string(),
  principles: z.array(PrincipleSchema),
  samples: z.array(JudgeSampleSchema),
  escalated: z.boolean(),
  escalation_reason: z.string().nullable(),
});
export type JudgeBreakdown = z.infer<typeof JudgeBreakdownSchema>;

/** `AtlasRewardBreakdown.to_dict()`: key order score, rationale, judges, raw. */
export const RewardBreakdownSchema = z.object({
  score: z.number(),
  rationale: z.string().nullable(),
  judges: z.array(JudgeBreakdownSchema),
  raw: z.unknown(),
});
export type RewardBreakdown = z.infer<typeof RewardBreakdownSchema>;

export const ValidationResultSchema = z
  .object({
    valid: z.boolean(),
    guidance: z.string().nullable(),
  })
  .catchall(z.unknown());
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

export const StepEvaluationSchema = z.object({
  validation: z.record(z.string(), z.unknown()),
  reward: RewardBreakdownSchema,
});
export type StepEvaluation = z.infer<typeof StepEvaluationSchema>;

export const TimingsSchema = z.object({
  student_ms: z.number(),
  validation_ms: z.number(),
  reward_ms: z.number().optional(),
  guidance_ms: z.number().optional(),
  total_ms: z.number(),
});
export type Timings = z.infer<typeof TimingsSchema>;

export const StepResultSchema = z.object({
  step_id: StepIdSchema,
  trace: z.string(),
  output: z.string(),
  evaluation: StepEvaluationSchema,
  attempts: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
});
export type StepResult = z.infer<typeof StepResultSchema>;

/** What `run()` returns (spec §5.6), camelCased at the top level for TypeScript callers. */
export interface RunResult {
  sessionId: number | null;
  status: SessionStatus;
  finalAnswer: string;
  plan: Plan;
  stepResults: StepResult[];
  /** Why the session did not succeed (the failure rule's step list, the failing call, the cancel reason). */
  error?: string | null;
}

export const SESSION_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export const SessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;
export const TERMINAL_STATUSES: readonly SessionStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  calls: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export function emptyUsage(): TokenUsage {
  return { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
}
