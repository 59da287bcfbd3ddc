/**
 * The HTTP contract of experiments (`/api/experiments`), shared by the routes, the CLI and the
 * browser. Browser-safe. Scripts rely on these shapes: change them only additively.
 */
import { z } from "zod";
import { ConfigRefSchema } from "@/lib/configs/types";
import { SessionStatusSchema } from "@/lib/trajectory";

export const MAX_ARMS = 10;
export const MAX_REPEATS = 100;

/** How a final answer is scored against a task's expected answer (tasks without one are not scored). */
export const ReferenceScorerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("exact"), caseSensitive: z.boolean().optional() }),
  z.strictObject({ type: z.literal("contains"), caseSensitive: z.boolean().optional() }),
  /** The expected answer is the pattern. */
  z.strictObject({ type: z.literal("regex"), flags: z.string().regex(/^[imsu]*$/, "flags may only be i, m, s and u").optional() }),
  /** The answer's number closest to the expected one is within `tolerance` of it. */
  z.strictObject({ type: z.literal("numeric"), tolerance: z.number().nonnegative().finite().optional() }),
  /** The expected answer is JSON that the answer's JSON must contain. */
  z.strictObject({ type: z.literal("json_subset") }),
  /** `export default (output, expected, task) => number | {score, rationale}`, loaded only from the allowed code folders. */
  z.strictObject({ type: z.literal("module"), module: z.string().min(1).max(1000), export: z.string().min(1).max(200).optional() }),
  /**
   * The arm's `rim.large_model` grades the answer against the reference with this prompt (`{expected_answer}`,
   * and optionally `{output}` and `{task}`, are filled in), replying `{"score": 0..1, "rationale": "…"}`.
   */
  z.strictObject({
    type: z.literal("judge"),
    prompt: z
      .string()
      .min(1)
      .max(20_000)
      .refine((prompt) => prompt.includes("{expected_answer}"), "the judge prompt must contain {expected_answer}")
      .optional(),
  }),
]);
export type ReferenceScorer = z.infer<typeof ReferenceScorerSchema>;

export const CreateExperimentSchema = z.strictObject({
  name: z.string().trim().max(200, "name is longer than 200 characters").optional(),
  taskSetId: z.number().int().positive().max(2_147_483_647),
  arms: z
    .array(z.strictObject({ config: ConfigRefSchema }))
    .min(1, "an experiment needs at least one arm")
    .max(MAX_ARMS, `at most ${MAX_ARMS} arms`),
  repeats: z.number().int().min(1).max(MAX_REPEATS).optional(),
  maxCostUsd: z.number().positive("maxCostUsd must be positive").finite().optional(),
  /** Scores final answers against expected answers; `exact` when absent. */
  scorer: ReferenceScorerSchema.optional(),
});
export type CreateExperiment = z.infer<typeof CreateExperimentSchema>;

export const ExperimentAcceptedSchema = z.object({
  experimentId: z.number().int(),
  arms: z.array(z.object({ id: z.number().int(), configName: z.string() })),
});
export type ExperimentAccepted = z.infer<typeof ExperimentAcceptedSchema>;

export const EXPERIMENT_STATUSES = ["running", "completed", "cancelled"] as const;
export const ExperimentStatusSchema = z.enum(EXPERIMENT_STATUSES);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export const ExperimentArmSchema = z.object({
  id: z.number().int(),
  configName: z.string(),
  configVersion: z.number().int(),
  configHash: z.string(),
});
export type ExperimentArm = z.infer<typeof ExperimentArmSchema>;

/** One session of a cell; a re-run cell has several, the later ones pointing at the earlier by `retryOf`. */
export const ExperimentRunSchema = z.object({
  taskIndex: z.number().int(),
  armId: z.number().int(),
  repeat: z.number().int(),
  sessionId: z.number().int(),
  status: SessionStatusSchema,
  reward: z.number().nullable(),
  referenceScore: z.number().nullable(),
  costUsd: z.number(),
  /** `host:pid` of the process that ran the session. */
  worker: z.string().nullable(),
  retryOf: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type ExperimentRun = z.infer<typeof ExperimentRunSchema>;

/** Per cell (task × arm × repeat), by the status of its latest session; `pending` has none finished yet. */
export const ExperimentCountsSchema = z.object({
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  interrupted: z.number().int(),
  pending: z.number().int(),
  /** Of the pending cells, those whose session is running or queued now. */
  running: z.number().int(),
  /** Cells never started because the experiment stopped first (cancel or the cost cap). */
  skipped: z.number().int(),
});
export type ExperimentCounts = z.infer<typeof ExperimentCountsSchema>;

export const ExperimentDetailSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  status: ExperimentStatusSchema,
  taskSetId: z.number().int(),
  taskSetName: z.string(),
  taskCount: z.number().int(),
  repeats: z.number().int(),
  maxCostUsd: z.number().nullable(),
  /** Why scheduling stopped before every cell ran (the cost cap); null otherwise. */
  stopReason: z.string().nullable(),
  scorer: ReferenceScorerSchema,
  costUsd: z.number(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  arms: z.array(ExperimentArmSchema),
  runs: z.array(ExperimentRunSchema),
  counts: ExperimentCountsSchema,
});
export type ExperimentDetail = z.infer<typeof ExperimentDetailSchema>;

export const ExperimentSummarySchema = ExperimentDetailSchema.omit({ runs: true });
export const ExperimentListSchema = z.object({ experiments: z.array(ExperimentSummarySchema) });
export type ExperimentList = z.infer<typeof ExperimentListSchema>;

export const RerunAcceptedSchema = z.object({ experimentId: z.number().int(), cells: z.number().int() });
export type RerunAccepted = z.infer<typeof RerunAcceptedSchema>;

const armId = z.coerce.number().int().positive().max(2_147_483_647);
export const CompareQuerySchema = z.object({ base: armId, candidate: armId });

const CompareSideSchema = z.object({
  /** Mean reward over the cell's repeats that have one; null when none was rewarded. */
  reward: z.number().nullable(),
  referenceScore: z.number().nullable(),
  costUsd: z.number(),
  /** Mean duration of the finished sessions. */
  latencyMs: z.number().nullable(),
  attempts: z.number(),
  escalations: z.number(),
  sessionIds: z.array(z.number().int()),
  finalAnswer: z.string().nullable(),
});
export type CompareSide = z.infer<typeof CompareSideSchema>;

export const CompareRowSchema = z.object({
  taskIndex: z.number().int(),
  task: z.string(),
  base: CompareSideSchema,
  candidate: CompareSideSchema,
  /** candidate − base reward; null when either side has no reward. */
  delta: z.number().nullable(),
});
export type CompareRow = z.infer<typeof CompareRowSchema>;

export const CompareSummarySchema = z.object({
  /** Tasks where both arms have a reward: the pairs the statistics use. */
  n: z.number().int(),
  meanDelta: z.number().nullable(),
  /** Paired bootstrap percentile interval of the mean Δ (fixed seed, so the same data gives the same interval). */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  /** Candidate total cost / base total cost over the shared tasks; null when the base cost nothing. */
  costRatio: z.number().nullable(),
  /** Candidate mean latency / base mean latency over the shared tasks. */
  latencyRatio: z.number().nullable(),
  /** The same paired statistics over the reference scores, for tasks where both arms have one. */
  reference: z.object({
    n: z.number().int(),
    meanDelta: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    wins: z.number().int(),
    losses: z.number().int(),
    ties: z.number().int(),
  }),
});
export type CompareSummary = z.infer<typeof CompareSummarySchema>;

export const CompareResultSchema = z.object({
  base: ExperimentArmSchema.extend({ experimentId: z.number().int() }),
  candidate: ExperimentArmSchema.extend({ experimentId: z.number().int() }),
  rows: z.array(CompareRowSchema),
  summary: CompareSummarySchema,
});
export type CompareResult = z.infer<typeof CompareResultSchema>;
