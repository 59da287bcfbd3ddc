import { describe, expect, it } from "vitest";
import { ExportFiltersSchema } from "./filters";

describe("ExportFiltersSchema min_reward", () => {
  it("accepts a score between 0 and 1 given as text", () => {
    expect(ExportFiltersSchema.parse({ min_reward: "0.75" }).minReward).toBe(0.75);
  });

  it("rejects scores outside [0, 1] and non-numbers with a message naming the field", () => {
    for (const value of ["2", "-0.1", "abc"]) {
      const result = ExportFiltersSchema.safeParse({ min_reward: value });
      expect(result.success, value).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/^min_reward must be/);
    }
  });
});
