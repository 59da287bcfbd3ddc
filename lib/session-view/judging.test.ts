import { describe, expect, it } from "vitest";
import { applyEvents } from "./apply-event";
import { emptyExtras, mergeExtras } from "./extras";
import { buildJudgePanel, populationStdDev } from "./judging";
import { buildSessionEvents, emptySessionDetail } from "./testing/session-events";
import { toSessionView, type AttemptDetail } from "./types";

const rim = { varianceThreshold: 0.15, uncertaintyThreshold: 0.3, retryThreshold: 0.6 };

function finishedSession() {
  const events = buildSessionEvents({ sessionId: 3, steps: 3, attempts: 2, judges: ["process", "helpfulness"] });
  return applyEvents(toSessionView(emptySessionDetail(3)), events);
}

function attemptOf(stepId: number, attempt: number): AttemptDetail {
  const found = finishedSession().steps.find((step) => step.stepId === stepId)?.attemptDetails.find((a) => a.attempt === attempt);
  if (!found) throw new Error("missing attempt");
  return found;
}

describe("buildJudgePanel", () => {
  it("explains a judge whose samples agree: not escalated, lowest-uncertainty sample decides", () => {
    const view = finishedSession();
    const panel = buildJudgePanel(attemptOf(1, 2), view.live.extras["1:2"] ?? emptyExtras(), rim);
    expect(panel.judges.map((judge) => judge.judge)).toEqual(["process", "helpfulness"]);
    const process = panel.judges[0];
    expect(process?.samples.map((sample) => sample.temperature)).toEqual([0.2, 0.5, 0.8]);
    expect(process?.spread).toBeCloseTo(populationStdDev([0.82, 0.8, 0.78]));
    expect(process?.escalated).toBe(false);
    expect(process?.arbiter).toBeNull();
    expect(process?.explanation).toBe("Not escalated: spread 0.02 ≤ 0.15 and max uncertainty 0.10 ≤ 0.30; the lowest-uncertainty sample decided.");
    expect(panel.aggregate).toBeCloseTo(0.82);
    expect(panel.skippedReason).toBeNull();
  });

  it("explains an escalation on spread and shows the arbiter's decision with its model", () => {
    const view = finishedSession();
    const panel = buildJudgePanel(attemptOf(2, 2), view.live.extras["2:2"] ?? emptyExtras(), rim);
    const process = panel.judges[0];
    expect(process?.spreadExceeded).toBe(true);
    expect(process?.uncertaintyExceeded).toBe(false);
    expect(process?.escalated).toBe(true);
    expect(process?.explanation).toBe("Escalated: spread 0.17 > 0.15 (variance threshold); the arbiter decided.");
    expect(process?.arbiter).toMatchObject({ model: "large-model", score: 0.78, failed: false });
    expect(process?.score).toBe(0.78);
  });

  it("falls back to the breakdown for the arbiter when the events were not loaded (after a reload)", () => {
    const panel = buildJudgePanel(attemptOf(2, 2), emptyExtras(), rim);
    expect(panel.judges[0]?.arbiter).toMatchObject({ model: null, score: 0.78, failed: false });
    expect(panel.judges[0]?.arbiter?.rationale).toContain("Arbiter for process");
  });

  it("says why a rejected attempt was not judged", () => {
    const panel = buildJudgePanel(attemptOf(1, 1), emptyExtras(), rim);
    expect(panel.judges).toEqual([]);
    expect(panel.skippedReason).toBe("not judged: the teacher did not validate this attempt");
    expect(panel.aggregate).toBeNull();
  });

  it("shows samples while judging is still running, including discarded ones", () => {
    const running: AttemptDetail = { ...attemptOf(1, 2), evaluation: { validation: { valid: true } }, rewardScore: null };
    const extras = mergeExtras(emptyExtras(), {
      ...emptyExtras(),
      samples: {
        process: [
          { seq: 1, temperature: 0.2, sample: { score: 0.4, rationale: "r", principles: [], uncertainty: 0.5, temperature: 0.2 }, error: null },
          { seq: 2, temperature: 0.5, sample: null, error: "unparsable JSON" },
        ],
      },
    });
    const panel = buildJudgePanel(running, extras, null);
    expect(panel.judging).toBe(true);
    const process = panel.judges[0];
    expect(process?.samples.map((sample) => sample.error)).toEqual([null, "unparsable JSON"]);
    expect(process?.score).toBeNull();
    expect(process?.thresholdsAssumed).toBe(true);
    expect(process?.uncertaintyExceeded).toBe(true);
    expect(process?.explanation).toBe("Judging: 2 samples so far.");
  });

  it("recognises a failed arbiter and a judge escalated for lack of usable samples", () => {
    const attempt: AttemptDetail = {
      ...attemptOf(1, 2),
      evaluation: {
        validation: { valid: true },
        reward: {
          score: 0,
          rationale: null,
          judges: [
            {
              identifier: "process",
              score: 0,
              rationale: "Arbiter model failed to produce a valid response.",
              principles: [],
              samples: [],
              escalated: true,
              escalation_reason: "tier1_no_valid_samples",
            },
          ],
          raw: {},
        },
      },
    };
    const judge = buildJudgePanel(attempt, emptyExtras(), rim).judges[0];
    expect(judge?.arbiter?.failed).toBe(true);
    expect(judge?.spread).toBeNull();
    expect(judge?.explanation).toBe("Escalated: no tier-1 sample was usable, so the arbiter judged on its own.");
  });
});

describe("populationStdDev", () => {
  it("divides by n, and is 0 for a single value", () => {
    expect(populationStdDev([1, 3])).toBe(1);
    expect(populationStdDev([0.5])).toBe(0);
  });
});
