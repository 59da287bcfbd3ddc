import { describe, expect, it } from "vitest";
import { rewardBreakdown } from "./breakdown";
import { rewardScoreOf, runtimeErrorReward, skippedReward } from "@/lib/trajectory";

describe("rewardScoreOf", () => {
  it("counts a judged reward and not the placeholders, whatever shape stored JSON has", () => {
    const judged = rewardBreakdown([]);
    expect(rewardScoreOf({ reward: { ...judged, score: 0.8 } })).toBe(0.8);
    expect(rewardScoreOf({ reward: skippedReward("validation_failed") })).toBeNull();
    expect(rewardScoreOf({ reward: runtimeErrorReward("boom") })).toBeNull();
    expect(rewardScoreOf({ reward: { score: "0.8" } })).toBeNull();
    expect(rewardScoreOf({ reward: [] })).toBeNull();
    expect(rewardScoreOf(null)).toBeNull();
  });
});
