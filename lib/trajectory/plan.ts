/**
 * Plan and step-result shapes. Payload objects keep the upstream snake_case keys because they flow
 * unchanged into JSONL exports.
 */
import { z } from "zod";
import { RewardBreakdownSchema } from "./reward";

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
