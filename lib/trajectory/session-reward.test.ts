import { describe, expect, it } from "vitest";
import { FINAL_REWARD_STATUSES, hasFinalReward, sessionRewardOf } from "./session-reward";
import { SESSION_STATUSES } from "./status";

describe("the session reward, for every status", () => {
  it("is final only for a succeeded session; running is 'so far'; a stopped session's mean is 'partial'", () => {
    expect(sessionRewardOf("succeeded", 0.85)).toMatchObject({ kind: "final", score: 0.85, qualifier: "" });
    expect(sessionRewardOf("running", 0.7)).toMatchObject({ kind: "so_far", score: 0.7, qualifier: "so far" });
    expect(sessionRewardOf("queued", null)).toMatchObject({ kind: "so_far", score: null });
    for (const status of ["failed", "cancelled", "interrupted"]) {
      const reward = sessionRewardOf(status, 0.9);
      expect(reward).toMatchObject({ kind: "partial", score: 0.9, qualifier: "partial" });
      expect(reward.explanation).toContain(`The session ${status}`);
      expect(reward.explanation).toContain("not a session reward");
    }
  });

  it("gives every status exactly one meaning", () => {
    for (const status of SESSION_STATUSES) {
      expect(["final", "so_far", "partial"]).toContain(sessionRewardOf(status, 0.5).kind);
      expect(hasFinalReward(status)).toBe(FINAL_REWARD_STATUSES.includes(status));
    }
    expect(FINAL_REWARD_STATUSES).toEqual(["succeeded"]);
  });
});
