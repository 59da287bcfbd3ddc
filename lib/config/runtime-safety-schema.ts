/**
 * The `runtime_safety` section (later Atlas SDK versions): the review gate on exports and drift alerts.
 * Absent, Atlas exports every session and raises no drift alert; present, each block takes upstream's defaults.
 * Browser-safe: zod only.
 */
import { z } from "zod";

export const REVIEW_STATUSES = ["pending", "approved", "quarantined"] as const;
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

export const ReviewPolicySchema = z
  .strictObject({
    require_approval: z
      .boolean()
      .default(true)
      .describe("Sessions wait as `pending` until a reviewer approves them; false approves each finished session."),
    default_export_statuses: z
      .array(ReviewStatusSchema)
      .min(1, "default_export_statuses must name at least one review status")
      .default((): ReviewStatus[] => ["approved"])
      .describe("Review statuses an export includes when it is given no --review-status."),
  })
  .describe("The review gate: what an export includes by default.");
export type ReviewPolicy = z.infer<typeof ReviewPolicySchema>;

export const DriftPolicySchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    window: z
      .number()
      .int()
      .min(2)
      .max(10_000)
      .default(50)
      .describe("How many earlier sessions of the same config a session's reward is compared with."),
    z_threshold: z
      .number()
      .positive()
      .default(3)
      .describe("A session whose reward is this many standard deviations (or MAD-scaled deviations) off is flagged."),
    min_baseline: z
      .number()
      .int()
      .min(2)
      .default(5)
      .describe("Fewest earlier rewarded sessions needed before a session can be flagged."),
    use_mad: z
      .boolean()
      .default(true)
      .describe("Atlas extension: also flag on the median-absolute-deviation z-score, robust to earlier outliers."),
    failure_rate: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        "Atlas extension: when a session fails and at least this share of the last `window` sessions of its config failed, " +
          "an alert is posted to ATLAS_ALERT_WEBHOOK_URL.",
      ),
  })
  .describe("Drift alerts: a reward far from the recent sessions of its config forces a review.");
export type DriftPolicy = z.infer<typeof DriftPolicySchema>;

export const RuntimeSafetySchema = z
  .strictObject({
    review: ReviewPolicySchema.prefault({}),
    drift: DriftPolicySchema.prefault({}),
  })
  .describe("Review gate and drift alerts (from later Atlas SDK versions).");
export type RuntimeSafety = z.infer<typeof RuntimeSafetySchema>;
