/**
 * The judge and arbiter prompts, in our own words with the upstream output contract.
 * Plain template literals: JSON examples with braces are text here, never a format string.
 */
import type { JudgeContext } from "./types";

/** What every judge and arbiter must answer. */
export const OUTPUT_CONTRACT = [
  "Reply with exactly one JSON object and nothing else (no prose, no code fences), with exactly these keys:",
  '{"principles": [{"name": "<short name>", "weight": <number>, "description": "<what it checks>"}], "score": <number 0-1>, "rationale": "<text>", "uncertainty": <number 0-1>}',
].join("\n");

export const PROCESS_JUDGE_TITLE = "Atlas Process Reward Judge";
export const HELPFULNESS_JUDGE_TITLE = "Atlas Teaching Helpfulness Judge";
export const PROCESS_ARBITER_TITLE = "Atlas Process Arbiter";
export const HELPFULNESS_ARBITER_TITLE = "Atlas Teaching Helpfulness Arbiter";
export const customJudgeTitle = (identifier: string) => `Atlas Custom Judge: ${identifier}`;
export const customArbiterTitle = (identifier: string) => `Atlas Custom Arbiter: ${identifier}`;

export const NO_TIER1_SAMPLES_LINE = "Tier-1 judges produced no parsable output; escalating directly to you.";

const json = (value: unknown) => JSON.stringify(value);

function contextBlock(context: JudgeContext, include: { dependencies: boolean; attempt: boolean }): string {
  const lines = [
    `Task: ${context.task}`,
    `Step ID: ${context.step.id}`,
    `Step Description: ${context.step.description}`,
  ];
  if (include.dependencies) lines.push(`Declared Dependencies: ${json(context.step.depends_on)}`);
  if (include.attempt) lines.push(`Attempt Number: ${context.attempt}`);
  lines.push(
    `Teacher Guidance History: ${json(context.guidance)}`,
    `Peer Step Results: ${json(context.priorResults)}`,
    `Execution Trace:\n${context.trace}`,
    `Student Output:\n${context.output}`,
  );
  return lines.join("\n");
}

function withExtraFocus(prompt: string, extraFocus: string | null): string {
  const focus = extraFocus?.trim();
  return focus ? `${prompt}\n\nAdditional focus for this evaluation:\n${focus}` : prompt;
}

export function processJudgePrompt(context: JudgeContext, extraFocus: string | null): string {
  return withExtraFocus(
    `${PROCESS_JUDGE_TITLE}

You score how well the student carried out one step of a larger plan: did it do what the step asked, fit in with the steps running beside it, follow the teacher's guidance, respect safety policies and use tools as their contracts require?

${contextBlock(context, { dependencies: true, attempt: true })}

How to judge:
1. Choose 3 to 5 principles that matter most for this step (for example plan adherence, evidence quality, safety and compliance, coordination with other steps) and weight them so the weights add up to 1.
2. Check the execution against each principle and point to concrete evidence in the trace and the output.
3. Give a score between 0 and 1. Policy, safety or correctness violations pull it down hard; a high score needs strong evidence on every principle.
4. Write a rationale that covers every principle and names any risk still open.
5. Give your uncertainty between 0 and 1, and go above 0.3 when the evidence is thin or contradictory.
Unsafe, non-compliant or invented (hallucinated) behaviour weighs more than anything else.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}

export function helpfulnessJudgePrompt(context: JudgeContext, extraFocus: string | null): string {
  return withExtraFocus(
    `${HELPFULNESS_JUDGE_TITLE}

You score the teacher's guidance for one step, not the student: did it get the student to a good result faster, close the risks that made earlier attempts fail, and keep execution safe, in particular while other steps run in parallel?

${contextBlock(context, { dependencies: false, attempt: false })}

How to judge:
1. Choose principles such as specificity, actionability, risk mitigation, grounding in the available tools and data, and fit with parallel work; weight them so the weights add up to 1.
2. Score high only when the guidance was specific and actionable and visibly changed the outcome; score low when guidance was missing, misleading or unsafe.
3. Write a rationale that covers every principle.
4. Give your uncertainty between 0 and 1, and go above 0.3 when the effect of the guidance cannot be determined.
Call out any policy or safety violation the guidance caused or failed to catch.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}

export function customJudgePrompt(
  identifier: string,
  focus: string,
  context: JudgeContext,
  extraFocus: string | null,
): string {
  return withExtraFocus(
    `${customJudgeTitle(identifier)}

You are one judge on a panel scoring one step of an agent's work. Your evaluation focus:
${focus.trim()}

${contextBlock(context, { dependencies: true, attempt: true })}

How to judge:
1. Turn your evaluation focus into 2 to 5 principles and weight them so the weights add up to 1.
2. Check the step's execution and output against each principle, citing concrete evidence.
3. Give a score between 0 and 1 and a rationale that covers every principle.
4. Give your uncertainty between 0 and 1, and go above 0.3 when the evidence is thin or contradictory.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}

/** A tier-1 sample as the arbiter sees it. */
export interface SampleForArbiter {
  principles: unknown;
  score: number;
  uncertainty: number;
  rationale: string;
}

function samplesBlock(samples: readonly SampleForArbiter[]): string {
  if (samples.length === 0) return NO_TIER1_SAMPLES_LINE;
  return samples
    .map((sample, index) =>
      [
        `Evaluation ${index + 1}:`,
        `Principles: ${json(sample.principles)}`,
        `Score: ${sample.score.toFixed(2)}`,
        `Uncertainty: ${sample.uncertainty.toFixed(2)}`,
        `Rationale: ${sample.rationale}`,
      ].join("\n"),
    )
    .join("\n\n");
}

interface ArbiterInput {
  context: JudgeContext;
  reason: string;
  samples: readonly SampleForArbiter[];
  extraFocus: string | null;
}

export function processArbiterPrompt({ context, reason, samples, extraFocus }: ArbiterInput): string {
  return withExtraFocus(
    `${PROCESS_ARBITER_TITLE}: the tier-1 judges disagreed, or were unsure, about how well the student executed this step. Your decision is final.
Escalation reason: ${reason}

Task: ${context.task}
Step ID: ${context.step.id}
Step Description: ${context.step.description}
Execution Trace:
${context.trace}
Student Output:
${context.output}

Tier-1 evaluations:
${samplesBlock(samples)}

Apply your own high-fidelity principles rather than averaging the evaluations. In the rationale, explain how you resolved the conflicts between them and how you checked compliance and safety.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}

export function helpfulnessArbiterPrompt({ context, reason, samples, extraFocus }: ArbiterInput): string {
  return withExtraFocus(
    `${HELPFULNESS_ARBITER_TITLE}: the tier-1 judges are uncertain, or disagree, about the impact of the teacher's guidance on this step. Your decision is final.
Escalation reason: ${reason}

Task: ${context.task}
Step Description: ${context.step.description}
Teacher Guidance History: ${json(context.guidance)}
Execution Trace:
${context.trace}
Student Output:
${context.output}

Tier-1 evaluations:
${samplesBlock(samples)}

Apply your own high-fidelity principles. In the rationale, explain how you reconciled the evaluations, which guidance opportunities were missed, and whether a human should look at this step.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}

export function customArbiterPrompt(identifier: string, focus: string, input: ArbiterInput): string {
  const { context, reason, samples, extraFocus } = input;
  return withExtraFocus(
    `${customArbiterTitle(identifier)}: the tier-1 judges for this focus disagreed, or were unsure. Your decision is final.
Evaluation focus:
${focus.trim()}
Escalation reason: ${reason}

Task: ${context.task}
Step ID: ${context.step.id}
Step Description: ${context.step.description}
Execution Trace:
${context.trace}
Student Output:
${context.output}

Tier-1 evaluations:
${samplesBlock(samples)}

Apply your own high-fidelity principles for this focus. In the rationale, explain how you resolved the conflicts between the evaluations.

${OUTPUT_CONTRACT}`,
    extraFocus,
  );
}
