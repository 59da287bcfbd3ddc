/**
 * The reward breakdown JSON, built with upstream's exact key order.
 */
import type { JudgeBreakdown, JudgeSample, Principle, RewardBreakdown } from "@/lib/trajectory";
import { aggregateScore } from "./scoring";

/** A tier-1 sample with the reasoning that only the `raw` copy carries. */
export interface SampleRecord extends JudgeSample {
  reasoning: unknown;
}

export interface JudgeOutcome {
  identifier: string;
  weight: number;
  score: number;
  rationale: string;
  principles: Principle[];
  samples: SampleRecord[];
  escalated: boolean;
  escalationReason: string | null;
  reasoning: unknown;
}

export function rewardBreakdown(outcomes: readonly JudgeOutcome[]): RewardBreakdown {
  const score = aggregateScore(outcomes);
  return {
    score,
    rationale: null,
    judges: outcomes.map(judgeEntry),
    raw: { score, judges: outcomes.map(rawJudgeEntry) },
  };
}

function judgeEntry(outcome: JudgeOutcome): JudgeBreakdown {
  return {
    identifier: outcome.identifier,
    score: outcome.score,
    rationale: outcome.rationale,
    principles: outcome.principles.map(principleEntry),
    samples: outcome.samples.map(sampleEntry),
    escalated: outcome.escalated,
    escalation_reason: outcome.escalationReason,
  };
}

function rawJudgeEntry(outcome: JudgeOutcome) {
  return {
    identifier: outcome.identifier,
    score: outcome.score,
    rationale: outcome.rationale,
    principles: outcome.principles.map(principleEntry),
    samples: outcome.samples.map((sample) => ({ ...sampleEntry(sample), reasoning: sample.reasoning })),
    escalated: outcome.escalated,
    escalation_reason: outcome.escalationReason,
    reasoning: outcome.reasoning,
  };
}

export function sampleEntry(sample: JudgeSample): JudgeSample {
  return {
    score: sample.score,
    rationale: sample.rationale,
    principles: sample.principles.map(principleEntry),
    uncertainty: sample.uncertainty,
    temperature: sample.temperature,
  };
}

function principleEntry(principle: Principle): Principle {
  return { name: principle.name, weight: principle.weight, description: principle.description };
}
