/**
 * The trajectory event union: everything a viewer needs to replay a session.
 * Shared by the engine, the database writer, the SSE stream, the browser and the exporter.
 *
 * Envelope fields are camelCase; payload objects that also appear in exports (plan, evaluation,
 * reward breakdown) keep the upstream snake_case shape.
 */
import { z } from "zod";
import { ExecutionModeSchema, PlanSchema, StepEvaluationSchema, StepResultSchema, TimingsSchema } from "./plan";
import { AgentCallModeSchema, CallCaptureSchema } from "./calls";
import { JudgeSampleSchema, PrincipleSchema, RewardBreakdownSchema } from "./reward";
import { TokenUsageSchema } from "./usage";

export const ActorSchema = z.enum(["student", "teacher", "reward", "agent", "system"]);
export type Actor = z.infer<typeof ActorSchema>;

const envelope = {
  sessionId: z.number().int(),
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: ActorSchema,
  stepId: z.number().int().optional(),
  attempt: z.number().int().positive().optional(),
};

function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...envelope, ...shape });
}

const JsonObject = z.record(z.string(), z.unknown());

export const SessionStartedEvent = event("session.started", {
  task: z.string(),
  configName: z.string().nullable(),
  configHash: z.string().nullable(),
  metadata: JsonObject,
});

export const SessionQueuedEvent = event("session.queued", {
  position: z.number().int().nonnegative(),
  runningLimit: z.number().int().positive(),
});

export const PlanDraftedEvent = event("plan.drafted", {
  plan: PlanSchema,
  /** True when the student's reply could not be used and the one-step fallback plan was taken. */
  fallback: z.boolean(),
});

export const PlanReviewedEvent = event("plan.reviewed", {
  mode: ExecutionModeSchema,
  plan: PlanSchema,
  originalPlan: PlanSchema,
  concerns: z.string().nullable(),
  /** Human-readable list of what the teacher changed (added/removed/edited steps, mode). */
  changes: z.array(z.string()),
  cached: z.boolean(),
});

export const StepStartedEvent = event("step.started", {
  description: z.string(),
  dependsOn: z.array(z.number().int()),
  tool: z.string().nullable(),
  toolParams: JsonObject.nullable(),
  level: z.number().int().nonnegative(),
});

export const AttemptStartedEvent = event("attempt.started", {
  guidance: z.array(z.string()),
  /** Validated outputs of earlier steps this attempt can see, keyed by step id. */
  context: JsonObject,
});

export const ToolCallEvent = event("tool.call", {
  tool: z.string(),
  callId: z.string(),
  arguments: JsonObject,
});

export const ToolResultEvent = event("tool.result", {
  tool: z.string(),
  callId: z.string(),
  output: z.string(),
  error: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});

export const ValidationEvent = event("validation", {
  valid: z.boolean(),
  guidance: z.string().nullable(),
  validation: JsonObject,
});

export const JudgeSampleEvent = event("judge.sample", {
  judge: z.string(),
  temperature: z.number(),
  /** null when the sample was discarded (call failed, unparsable JSON, non-numeric score). */
  sample: JudgeSampleSchema.nullable(),
  error: z.string().nullable(),
});

export const JudgeEscalatedEvent = event("judge.escalated", {
  judge: z.string(),
  reason: z.enum(["tier1_no_valid_samples", "tier1_variance_or_uncertainty"]),
  spread: z.number().nullable(),
  maxUncertainty: z.number().nullable(),
  varianceThreshold: z.number(),
  uncertaintyThreshold: z.number(),
});

export const ArbiterDecisionEvent = event("arbiter.decision", {
  judge: z.string(),
  model: z.string(),
  score: z.number(),
  rationale: z.string(),
  principles: z.array(PrincipleSchema),
  failed: z.boolean(),
});

export const RewardEvent = event("reward", {
  score: z.number(),
  skipped: z.boolean(),
  breakdown: RewardBreakdownSchema,
});

export const GuidanceIssuedEvent = event("guidance.issued", {
  note: z.string(),
  /** The attempt that will receive this guidance. */
  forAttempt: z.number().int().positive(),
  sequence: z.number().int().positive(),
});

export const AttemptFinishedEvent = event("attempt.finished", {
  /** Status reported by the agent (`ok`, `needs_input`, …) or `error`. */
  status: z.string(),
  outcome: z.enum(["accepted", "retry", "failed", "cancelled"]),
  output: z.string(),
  trace: z.string(),
  structuredOutput: JsonObject.nullable(),
  evaluation: StepEvaluationSchema,
  rewardSkipped: z.boolean(),
  timingsMs: TimingsSchema,
  error: z.string().nullable(),
  /** The augmented step metadata (upstream's keys plus ours) stored with each step result. */
  metadata: JsonObject,
});

export const StepFinishedEvent = event("step.finished", {
  status: z.enum(["succeeded", "failed", "skipped", "cancelled"]),
  result: StepResultSchema,
  reason: z.string().nullable(),
});

export const SynthesisEvent = event("synthesis", {
  finalAnswer: z.string(),
});

export const LlmCallEvent = event("llm.call", {
  stage: z.string(),
  model: z.string(),
  latencyMs: z.number().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Number of HTTP tries including retries. */
  tries: z.number().int().positive(),
  error: z.string().nullable(),
  /** The request and reply; present only on the way to the store (see ./calls). */
  capture: CallCaptureSchema.optional(),
});

/** One call of the user's agent (planning, a step turn, a tool, synthesis), successful or not. */
export const AgentCallEvent = event("agent.call", {
  mode: AgentCallModeSchema,
  latencyMs: z.number().nonnegative(),
  error: z.string().nullable(),
  /** What was sent and what came back; present only on the way to the store (see ./calls). */
  capture: CallCaptureSchema.optional(),
});

export const ErrorEvent = event("error", {
  message: z.string(),
  where: z.string(),
});

export const SessionCompletedEvent = event("session.completed", {
  finalAnswer: z.string(),
  executionMode: ExecutionModeSchema,
  usage: TokenUsageSchema,
  durationMs: z.number().nonnegative(),
});

export const SessionFailedEvent = event("session.failed", {
  error: z.string(),
  finalAnswer: z.string().nullable(),
  failedSteps: z.array(z.number().int()),
  usage: TokenUsageSchema,
  durationMs: z.number().nonnegative(),
});

export const SessionCancelledEvent = event("session.cancelled", {
  reason: z.string(),
  usage: TokenUsageSchema,
  durationMs: z.number().nonnegative(),
});

/** Written by crash recovery for sessions a dead process left `running`. */
export const SessionInterruptedEvent = event("session.interrupted", {
  reason: z.string(),
});

export const TrajectoryEventSchema = z.discriminatedUnion("type", [
  SessionStartedEvent,
  SessionQueuedEvent,
  PlanDraftedEvent,
  PlanReviewedEvent,
  StepStartedEvent,
  AttemptStartedEvent,
  ToolCallEvent,
  ToolResultEvent,
  ValidationEvent,
  JudgeSampleEvent,
  JudgeEscalatedEvent,
  ArbiterDecisionEvent,
  RewardEvent,
  GuidanceIssuedEvent,
  AttemptFinishedEvent,
  StepFinishedEvent,
  SynthesisEvent,
  LlmCallEvent,
  AgentCallEvent,
  ErrorEvent,
  SessionCompletedEvent,
  SessionFailedEvent,
  SessionCancelledEvent,
  SessionInterruptedEvent,
]);

export type TrajectoryEvent = z.infer<typeof TrajectoryEventSchema>;
export type EventType = TrajectoryEvent["type"];
export type EventOf<T extends EventType> = Extract<TrajectoryEvent, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What the engine hands to a sink: the sink assigns `sessionId`, `seq` and `ts`. */
export type EventInput = DistributiveOmit<TrajectoryEvent, "sessionId" | "seq" | "ts">;

export const EVENT_TYPES = TrajectoryEventSchema.options.map((option) => option.shape.type.value) as EventType[];

export const TERMINAL_EVENT_TYPES = [
  "session.completed",
  "session.failed",
  "session.cancelled",
  "session.interrupted",
] as const satisfies readonly EventType[];

export function isTerminalEvent(event: Pick<TrajectoryEvent, "type">): boolean {
  return (TERMINAL_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The event as viewers and the event log see it: without the capture its call row keeps. */
export function withoutCapture(event: TrajectoryEvent): TrajectoryEvent {
  if ((event.type !== "llm.call" && event.type !== "agent.call") || event.capture === undefined) return event;
  const { capture: _capture, ...rest } = event;
  return rest as TrajectoryEvent;
}
