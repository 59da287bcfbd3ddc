import { describe, expect, it } from "vitest";
import { judgeStats } from "./judge-stats";

const judge = (identifier: string, score: number, escalated: boolean, samples: number[] = []) => ({
  identifier,
  score,
  escalated,
  samples: samples.map((value) => ({ score: value })),
});

describe("per-judge escalation rate and the arbiter's minority rulings", () => {
  it("counts against a hand-made set of panels", () => {
    const panels = [
      [judge("process", 0.8, false, [0.8, 0.8, 0.8]), judge("helpfulness", 0.7, true, [0.9, 0.8, 0.2])], // majority accepts, arbiter accepts
      [judge("process", 0.3, true, [0.9, 0.8, 0.2]), judge("helpfulness", 0.9, false)], // majority accepts, arbiter rejects: minority
      [judge("process", 0.9, true, [0.1, 0.2, 0.9]), judge("helpfulness", 0.5, true, [])], // majority rejects, arbiter accepts: minority; no samples
      [judge("process", 0.2, true, [0.1, 0.2, 0.3])], // unanimous samples: not a split
      "not a panel",
    ];
    expect(judgeStats(panels, 0.6)).toEqual([
      { identifier: "helpfulness", judgements: 3, escalations: 2, escalationRate: 0.666667, splitEscalations: 1, arbiterSidedWithMinority: 0 },
      { identifier: "process", judgements: 4, escalations: 3, escalationRate: 0.75, splitEscalations: 2, arbiterSidedWithMinority: 2 },
    ]);
  });
});
