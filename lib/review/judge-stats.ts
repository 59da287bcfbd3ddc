/**
 * Per-judge behaviour over stored judge panels: how often each judge escalated to the arbiter, and how often the
 * arbiter sided with the minority of the tier-1 samples (samples split on accept/reject at the threshold; the
 * arbiter "sides with the minority" when its decision matches the smaller side). Pure, browser-safe.
 */

export interface JudgeStats {
  identifier: string;
  judgements: number;
  escalations: number;
  escalationRate: number | null;
  /** Escalations whose tier-1 samples were split on accept/reject. */
  splitEscalations: number;
  arbiterSidedWithMinority: number;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export function judgeStats(panels: readonly unknown[], threshold: number): JudgeStats[] {
  const byJudge = new Map<string, JudgeStats>();
  for (const panel of panels) {
    for (const judge of Array.isArray(panel) ? panel.filter(isObject) : []) {
      const identifier = typeof judge.identifier === "string" ? judge.identifier : "unknown";
      const stats = byJudge.get(identifier) ?? { identifier, judgements: 0, escalations: 0, escalationRate: null, splitEscalations: 0, arbiterSidedWithMinority: 0 };
      byJudge.set(identifier, stats);
      stats.judgements += 1;
      if (judge.escalated !== true) continue;
      stats.escalations += 1;
      const samples = (Array.isArray(judge.samples) ? judge.samples.filter(isObject) : [])
        .map((sample) => sample.score)
        .filter((score): score is number => typeof score === "number");
      const accepting = samples.filter((score) => score >= threshold).length;
      const rejecting = samples.length - accepting;
      if (accepting === 0 || rejecting === 0 || accepting === rejecting || typeof judge.score !== "number") continue;
      stats.splitEscalations += 1;
      const minorityAccepts = accepting < rejecting;
      if (judge.score >= threshold === minorityAccepts) stats.arbiterSidedWithMinority += 1;
    }
  }
  return [...byJudge.values()]
    .map((stats) => ({ ...stats, escalationRate: stats.judgements === 0 ? null : Number((stats.escalations / stats.judgements).toFixed(6)) }))
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}
