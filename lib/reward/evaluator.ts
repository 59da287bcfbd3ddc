/**
 * RIM, the reward model: every judge samples the small model at several temperatures (tier 1);
 * a judge whose samples disagree, are unsure or unusable is escalated to the large model (tier 2, the
 * arbiter); the step reward is the (weighted) mean of the judges' scores.
 */
import type { RIMConfig } from "@/lib/config";
import type { Environment } from "@/lib/config/env-refs";
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import { createLlmClient } from "@/lib/llm/client";
import type { LlmCallRecorder, LlmClient } from "@/lib/llm/types";
import type { Principle, RewardBreakdown } from "@/lib/trajectory";
import { type JudgeOutcome, rewardBreakdown, type SampleRecord, sampleEntry } from "./breakdown";
import { activeJudges, type Judge } from "./judges";
import { createLimiter } from "./limit";
import {
  clampScore,
  decideEscalation,
  type EscalationDecision,
  type EscalationReason,
  mostCertain,
  parseArbiterReply,
  parseSample,
} from "./scoring";
import type { EmitEvent, JudgeContext, JudgeOptions, RewardEvaluator } from "./types";

export const ARBITER_FAILURE_RATIONALE = "Arbiter model failed to produce a valid response.";

export interface RewardEvaluatorOptions {
  env?: Environment;
  recorder?: LlmCallRecorder;
  /** Awaited before each judge or arbiter request goes out. */
  beforeRequest?: () => Promise<void>;
  emit: EmitEvent;
  /** Replaces the clients built from `rim.small_model` / `rim.large_model`. */
  clients?: { small: LlmClient; large: LlmClient };
}

interface SampleAttempt {
  temperature: number;
  sample: SampleRecord | null;
  error: string | null;
}

interface Arbitration {
  score: number;
  rationale: string;
  principles: Principle[];
  reasoning: unknown;
  failed: boolean;
}

interface JudgeTier1 {
  judge: Judge;
  attempts: SampleAttempt[];
  samples: SampleRecord[];
  decision: EscalationDecision;
}

export function createRewardEvaluator(rim: RIMConfig, options: RewardEvaluatorOptions): RewardEvaluator {
  const judges = activeJudges(rim);
  const clientOptions = { env: options.env, recorder: options.recorder, beforeRequest: options.beforeRequest };
  const clients = options.clients ?? {
    small: createLlmClient(rim.small_model, { ...clientOptions, label: "rim.small_model" }),
    large: createLlmClient(rim.large_model, { ...clientOptions, label: "rim.large_model" }),
  };
  const limit = createLimiter(rim.parallel_workers);
  const thresholds = { variance: rim.variance_threshold, uncertainty: rim.uncertainty_threshold };

  async function evaluate(context: JudgeContext, judgeOptions: JudgeOptions): Promise<RewardBreakdown> {
    const { stepId, attempt, signal } = judgeOptions;
    const envelope = { actor: "reward" as const, stepId, attempt };
    const userMessageOf = (judge: Judge) => JSON.stringify(judge.userPayload(context), null, 2);

    async function sampleOnce(judge: Judge, systemPrompt: string, temperature: number): Promise<SampleAttempt> {
      try {
        const reply = await clients.small.complete({
          actor: "reward",
          stage: `judge:${judge.identifier}`,
          messages: [
            { role: "system", content: systemPrompt },
            { role: "user", content: userMessageOf(judge) },
          ],
          json: true,
          temperature,
          stepId,
          attempt,
          signal,
        });
        const parsed = parseSample(reply.content);
        if (!parsed.ok) return { temperature, sample: null, error: `unusable judge reply: ${parsed.error}` };
        const { score, rationale, principles, uncertainty, reasoning } = parsed.judgement;
        return {
          temperature,
          sample: { score, rationale, principles, uncertainty: uncertainty ?? 0, temperature, reasoning: reply.reasoning ?? reasoning },
          error: null,
        };
      } catch (error) {
        rethrowCancellation(error, signal);
        return { temperature, sample: null, error: errorMessage(error) };
      }
    }

    async function arbitrate(judge: Judge, reason: EscalationReason, samples: SampleRecord[]): Promise<Arbitration> {
      const fallbackPrinciples = samples[0]?.principles ?? [];
      const failed = (error: string): Arbitration => ({
        score: 0,
        rationale: ARBITER_FAILURE_RATIONALE,
        principles: fallbackPrinciples,
        reasoning: { error },
        failed: true,
      });
      try {
        const reply = await clients.large.complete({
          actor: "reward",
          stage: `arbiter:${judge.identifier}`,
          messages: [{ role: "user", content: judge.arbiterPrompt(context, reason, samples) }],
          json: true,
          temperature: rim.arbiter_temperature,
          stepId,
          attempt,
          signal,
        });
        const parsed = parseArbiterReply(reply.content);
        if (!parsed.ok) return failed(`unusable arbiter reply: ${parsed.error}`);
        const { score, rationale, principles, reasoning } = parsed.judgement;
        return {
          score: clampScore(score),
          rationale,
          principles: principles.length > 0 ? principles : fallbackPrinciples,
          reasoning: reply.reasoning ?? reasoning,
          failed: false,
        };
      } catch (error) {
        rethrowCancellation(error, signal);
        return failed(errorMessage(error));
      }
    }

    ensureNotCancelled(signal);

    // Tier 1: every judge at every temperature, concurrently (bounded by parallel_workers).
    const tier1: JudgeTier1[] = await Promise.all(
      judges.map(async (judge) => {
        const systemPrompt = judge.systemPrompt(context);
        const attempts = await Promise.all(
          rim.sample_temperatures.map((temperature) => limit(() => sampleOnce(judge, systemPrompt, temperature))),
        );
        const samples = attempts.flatMap((entry) => (entry.sample ? [entry.sample] : []));
        return { judge, attempts, samples, decision: decideEscalation(samples, thresholds) };
      }),
    );
    ensureNotCancelled(signal);

    for (const { judge, attempts } of tier1) {
      for (const entry of attempts) {
        await options.emit({
          type: "judge.sample",
          ...envelope,
          judge: judge.identifier,
          temperature: entry.temperature,
          sample: entry.sample ? sampleEntry(entry.sample) : null,
          error: entry.error,
        });
      }
    }
    for (const { judge, decision } of tier1) {
      if (!decision.escalate || decision.reason === null) continue;
      await options.emit({
        type: "judge.escalated",
        ...envelope,
        judge: judge.identifier,
        reason: decision.reason,
        spread: decision.spread,
        maxUncertainty: decision.maxUncertainty,
        varianceThreshold: thresholds.variance,
        uncertaintyThreshold: thresholds.uncertainty,
      });
    }

    // Tier 2: one arbiter call per escalated judge.
    const arbitrations = await Promise.all(
      tier1.map(({ judge, samples, decision }) =>
        decision.escalate && decision.reason !== null
          ? limit(() => arbitrate(judge, decision.reason as EscalationReason, samples))
          : Promise.resolve(null),
      ),
    );
    ensureNotCancelled(signal);

    const outcomes: JudgeOutcome[] = [];
    for (const [index, { judge, samples, decision }] of tier1.entries()) {
      const arbitration = arbitrations[index] ?? null;
      if (arbitration) {
        await options.emit({
          type: "arbiter.decision",
          ...envelope,
          judge: judge.identifier,
          model: clients.large.model,
          score: arbitration.score,
          rationale: arbitration.rationale,
          principles: arbitration.principles,
          failed: arbitration.failed,
        });
        outcomes.push({
          identifier: judge.identifier,
          weight: judge.weight,
          score: arbitration.score,
          rationale: arbitration.rationale,
          principles: arbitration.principles,
          samples,
          escalated: true,
          escalationReason: decision.reason,
          reasoning: arbitration.reasoning,
        });
        continue;
      }
      const chosen = mostCertain(samples);
      if (!chosen) throw new AtlasError("internal", `judge ${judge.identifier} has neither a sample nor an arbiter decision`);
      outcomes.push({
        identifier: judge.identifier,
        weight: judge.weight,
        score: clampScore(chosen.score),
        rationale: chosen.rationale,
        principles: chosen.principles,
        samples,
        escalated: false,
        escalationReason: null,
        reasoning: chosen.reasoning,
      });
    }
    return rewardBreakdown(outcomes);
  }

  return { evaluate };
}

function ensureNotCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AtlasError("cancelled", "reward evaluation was cancelled");
}

function rethrowCancellation(error: unknown, signal: AbortSignal): void {
  if (signal.aborted) throw new AtlasError("cancelled", "reward evaluation was cancelled", { cause: error });
  if (isAtlasError(error) && error.code === "cancelled") throw error;
}
