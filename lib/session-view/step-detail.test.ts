import { describe, expect, it } from "vitest";
import type { AttemptDetail, StepDetail } from "@/lib/sessions/api-types";
import { withFetchedEvaluations } from "./step-detail";
import { emptyStepDetail, runningAttemptDetail } from "@/lib/trajectory";

const attempt = (number: number, evaluation: AttemptDetail["evaluation"]): AttemptDetail => ({
  ...runningAttemptDetail(number, "2026-01-01T00:00:00.000Z"),
  evaluation,
});

const step = (attempts: AttemptDetail[], extra: Partial<StepDetail> = {}): StepDetail => ({
  ...emptyStepDetail(3, "Join"),
  status: "running",
  attemptDetails: attempts,
  ...extra,
});

describe("withFetchedEvaluations", () => {
  it("fills omitted evaluations, keeps what live events set after the snapshot, and keeps attempts the fetch did not know", () => {
    const live = step(
      [attempt(1, null), attempt(2, { reward: { score: 0.9 } }), attempt(3, { validation: { valid: true } })],
      { evaluationsOmitted: true, status: "succeeded" },
    );
    const fetched = step([attempt(1, { validation: { valid: false } }), attempt(2, { validation: { valid: true }, reward: { score: 0.1 } })], {
      evaluation: { validation: { valid: true } },
    });
    const merged = withFetchedEvaluations(live, fetched);
    expect(merged.evaluationsOmitted).toBeUndefined();
    expect(merged.status).toBe("succeeded");
    expect(merged.evaluation).toEqual({ validation: { valid: true } });
    expect(merged.attemptDetails.map((entry) => entry.evaluation)).toEqual([
      { validation: { valid: false } },
      { validation: { valid: true }, reward: { score: 0.9 } },
      { validation: { valid: true } },
    ]);
  });
});
