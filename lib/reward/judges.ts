/**
 * The judge panel: built-in process and helpfulness judges plus the custom judges of the config.
 */
import { BUILT_IN_JUDGES, type RIMConfig } from "@/lib/config";
import {
  customArbiterPrompt,
  customJudgePrompt,
  helpfulnessArbiterPrompt,
  helpfulnessJudgePrompt,
  processArbiterPrompt,
  processJudgePrompt,
  type SampleForArbiter,
} from "./prompts";
import type { JudgeContext } from "./types";

export interface Judge {
  identifier: string;
  /** Weight in the aggregate reward. */
  weight: number;
  systemPrompt(context: JudgeContext): string;
  /** The user message of a tier-1 call. */
  userPayload(context: JudgeContext): Record<string, unknown>;
  arbiterPrompt(context: JudgeContext, reason: string, samples: readonly SampleForArbiter[]): string;
}

/**
 * Built-in judges enabled in `active_judges`, in the map's order (all of them when none is enabled;
 * unknown names are ignored, as upstream), followed by every custom judge.
 */
export function activeJudges(rim: RIMConfig): Judge[] {
  const builtIns: readonly string[] = BUILT_IN_JUDGES;
  const enabled = Object.entries(rim.active_judges)
    .filter(([name, on]) => on && builtIns.includes(name))
    .map(([name]) => name);
  const names = enabled.length > 0 ? enabled : [...BUILT_IN_JUDGES];
  const extraFocus = rim.judge_prompt ?? null;
  const weightOf = (identifier: string, fallback: number) => rim.judge_weights?.[identifier] ?? fallback;

  const judges: Judge[] = names.map((name) =>
    name === "process" ? processJudge(weightOf(name, 1), extraFocus) : helpfulnessJudge(weightOf(name, 1), extraFocus),
  );
  for (const custom of rim.custom_judges) {
    judges.push(customJudge(custom.identifier, custom.prompt, weightOf(custom.identifier, custom.weight), extraFocus));
  }
  return judges;
}

function stepDump(context: JudgeContext) {
  const { id, description, tool, tool_params, depends_on } = context.step;
  return { id, description, tool, tool_params, depends_on };
}

function processJudge(weight: number, extraFocus: string | null): Judge {
  return {
    identifier: "process",
    weight,
    systemPrompt: (context) => processJudgePrompt(context, extraFocus),
    userPayload: (context) => ({
      step: stepDump(context),
      execution_trace: context.trace,
      final_output: context.output,
      attempt: context.attempt,
      prior_results: context.priorResults,
      guidance_history: context.guidance,
    }),
    arbiterPrompt: (context, reason, samples) => processArbiterPrompt({ context, reason, samples, extraFocus }),
  };
}

function helpfulnessJudge(weight: number, extraFocus: string | null): Judge {
  return {
    identifier: "helpfulness",
    weight,
    systemPrompt: (context) => helpfulnessJudgePrompt(context, extraFocus),
    userPayload: (context) => ({
      task: context.task,
      step: stepDump(context),
      execution_trace: context.trace,
      final_output: context.output,
      prior_step_results: context.priorResults,
      guidance_history: context.guidance,
    }),
    arbiterPrompt: (context, reason, samples) => helpfulnessArbiterPrompt({ context, reason, samples, extraFocus }),
  };
}

function customJudge(identifier: string, focus: string, weight: number, extraFocus: string | null): Judge {
  return {
    identifier,
    weight,
    systemPrompt: (context) => customJudgePrompt(identifier, focus, context, extraFocus),
    userPayload: (context) => ({
      task: context.task,
      step: stepDump(context),
      execution_trace: context.trace,
      final_output: context.output,
      attempt: context.attempt,
      prior_results: context.priorResults,
      guidance_history: context.guidance,
    }),
    arbiterPrompt: (context, reason, samples) => customArbiterPrompt(identifier, focus, { context, reason, samples, extraFocus }),
  };
}
