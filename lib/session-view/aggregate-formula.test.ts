import { describe, expect, it } from "vitest";
import { aggregateFormula } from "./judging";

describe("how a step's aggregate is computed", () => {
  it("shows the weighted mean of the judges' outcomes", () => {
    const judges = [
      { identifier: "process", score: 0.8 },
      { identifier: "helpfulness", score: 0.6 },
    ];
    expect(aggregateFormula(judges, {}, 0.7)).toBe("(0.80×1 + 0.60×1) / 2 = 0.70");
    expect(aggregateFormula(judges, { process: 3, helpfulness: 1 }, 0.75)).toBe("(0.80×3 + 0.60×1) / 4 = 0.75");
    expect(aggregateFormula(judges, { process: 0.25 }, 0.65)).toBe("(0.80×0.25 + 0.60×1) / 1.25 = 0.65");
  });
});
