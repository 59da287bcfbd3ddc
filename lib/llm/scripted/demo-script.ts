/**
 * The offline demo "model": a script for the scripted OpenAI-compatible server that walks a run through
 * every interesting path — a plan with a dependency, a reviewer concern, a failed validation followed by a
 * guided retry, judges that agree, judges that disagree and an arbiter that settles it, and a four-section
 * final answer. Replies are built from the request (the task, the step), but this is a script, not an LLM:
 * the answers carry no real analysis.
 */
import { parseJsonObject } from "../json";
import { startScriptedLlm } from "./server";
import type { RecordedRequest, ScriptedLlm, ScriptReply, ScriptRule } from "./types";

/** The validation guidance the demo teacher gives on step 1's first attempt; its presence marks the retry. */
export const DEMO_GUIDANCE =
  "List at least three concrete facts, each with where it comes from, so the later steps can cite them.";

/** How the demo executor's guided retry of step 1 begins; the demo teacher accepts it. */
const SOURCED_FACTS_MARKER = "with sources as the teacher asked";

/** The step whose process-judge samples disagree, so the arbiter is called. */
export const DEMO_DISPUTED_STEP = 2;

export function demoRules(): ScriptRule[] {
  return [
    { caller: "planner", reply: (request) => ({ json: { steps: demoPlanSteps(taskOf(request)) } }) },
    { caller: "plan_review", reply: planReview },
    { caller: "validation", reply: validation },
    { caller: "executor", reply: execution },
    { caller: "synthesizer", reply: synthesis },
    { caller: "process_judge", reply: processJudgeSample },
    { caller: "helpfulness_judge", reply: (request) => judgeSample(request, HELPFULNESS_SCORES, 0.15, HELPFULNESS_PRINCIPLES) },
    { caller: "custom_judge", reply: (request) => judgeSample(request, AGREEING_SCORES, 0.1, CUSTOM_PRINCIPLES) },
    { caller: ["process_arbiter", "helpfulness_arbiter", "custom_arbiter"], reply: arbiterDecision },
    { caller: "agent", reply: agentCall },
  ];
}

// ---------------------------------------------------------------- student

function demoPlanSteps(task: string) {
  const subject = quoted(task);
  return [
    { id: 1, description: `Collect the key facts needed for ${subject}`, tool: null, tool_params: null, depends_on: [] },
    {
      id: 2,
      description: `Identify the main options, trade-offs and risks for ${subject}`,
      tool: null,
      tool_params: null,
      depends_on: [],
    },
    {
      id: 3,
      description: `Draft a recommendation for ${subject} that builds on the facts and the trade-offs`,
      tool: null,
      tool_params: null,
      depends_on: [1, 2],
    },
  ];
}

function execution(request: RecordedRequest): ScriptReply {
  const text = allText(request);
  const stepId = stepIdOf(text) ?? 1;
  const description = stepDescriptionOf(text) ?? `step ${stepId}`;
  const task = quoted(taskOf(request));
  const guided = text.includes(DEMO_GUIDANCE);
  const lines = [`Step ${stepId} — ${description}.`];
  if (stepId === 1) {
    lines.push(
      guided
        ? [
            `Facts for ${task}, ${SOURCED_FACTS_MARKER}:`,
            "1. The goal and its constraints, as stated in the task text (source: task).",
            "2. The inputs available so far (source: the run's validated context).",
            "3. What a good outcome looks like (source: the agent's system prompt).",
          ].join("\n")
        : `Some background on ${task} was noted.`,
    );
  } else if (stepId === 2) {
    lines.push(`Options for ${task}: act now, act in stages, or wait. Staging trades speed for lower risk.`);
  } else {
    lines.push(`Recommendation for ${task}: proceed in stages, starting with the lowest-risk option from step 2.`);
  }
  lines.push("(Scripted demo output: no real analysis was performed.)");
  return { content: lines.join("\n\n") };
}

function synthesis(request: RecordedRequest): ScriptReply {
  const text = allText(request);
  const task = quoted(taskOf(request));
  const stepIds = [...new Set([...text.matchAll(/"step_id"\s*:\s*(\d+)/g)].map((match) => Number(match[1])))];
  const evidence = stepIds.length > 0 ? `Steps ${stepIds.join(", ")} (validated outputs).` : "The validated step outputs.";
  return {
    content: [
      `Summary: The built-in scripted demo model walked ${task} through planning, review, execution with one guided retry, and judging. No real LLM was involved.`,
      `Final Answer: For ${task}, proceed in stages, starting with the lowest-risk option identified in the plan.`,
      `Evidence: ${evidence}`,
      "Follow-ups: Replace api_base: builtin:demo with a real model to get a real answer.",
    ].join("\n\n"),
  };
}

function agentCall(request: RecordedRequest): ScriptReply {
  const text = allText(request);
  const tool = /"tool"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  if (tool) return { json: { result: `scripted demo result of tool ${tool}` } };
  const last = request.messages.at(-1)?.content ?? "";
  return { content: `Scripted demo reply to: ${last.slice(0, 160)}` };
}

// ---------------------------------------------------------------- teacher

function planReview(request: RecordedRequest): ScriptReply {
  const payload = firstJsonObject(request);
  const plan = payload?.plan as { steps?: unknown } | undefined;
  const steps = Array.isArray(plan?.steps) && plan.steps.length > 0 ? plan.steps : demoPlanSteps(taskOf(request));
  return {
    json: {
      execution_mode: "stepwise",
      steps,
      concerns: "The final step depends on both earlier steps: step 1 must cite concrete, sourced facts so the recommendation can be checked.",
    },
  };
}

function validation(request: RecordedRequest): ScriptReply {
  const text = allText(request);
  const step = firstJsonObject(request)?.step as { id?: unknown } | undefined;
  const stepId = typeof step?.id === "number" ? step.id : stepIdOf(text);
  const retried = text.includes(DEMO_GUIDANCE) || text.includes(SOURCED_FACTS_MARKER);
  if (stepId === 1 && !retried) return { json: { valid: false, guidance: DEMO_GUIDANCE } };
  return { json: { valid: true, guidance: null } };
}

// ---------------------------------------------------------------- judges

type Principle = { name: string; weight: number; description: string };
type ScoresByTemperature = readonly (readonly [number, number])[];

const AGREEING_SCORES: ScoresByTemperature = [[0.2, 0.82], [0.5, 0.8], [0.8, 0.78]];
const DISAGREEING_SCORES: ScoresByTemperature = [[0.2, 0.92], [0.5, 0.5], [0.8, 0.78]];
const HELPFULNESS_SCORES: ScoresByTemperature = [[0.2, 0.76], [0.5, 0.74], [0.8, 0.72]];

const PROCESS_PRINCIPLES: Principle[] = [
  { name: "Plan adherence", weight: 0.4, description: "The output does what the step description asks." },
  { name: "Evidence quality", weight: 0.35, description: "Claims are backed by cited facts or tool results." },
  { name: "Safety and compliance", weight: 0.25, description: "Nothing unsafe, invented or off-policy." },
];
const HELPFULNESS_PRINCIPLES: Principle[] = [
  { name: "Actionability", weight: 0.5, description: "The guidance tells the student exactly what to change." },
  { name: "Risk mitigation", weight: 0.5, description: "The guidance closes the gap that made the attempt fail." },
];
const CUSTOM_PRINCIPLES: Principle[] = [
  { name: "Focus criteria", weight: 1, description: "The output meets the custom judge's evaluation focus." },
];

function processJudgeSample(request: RecordedRequest): ScriptReply {
  const disputed = stepIdOf(allText(request)) === DEMO_DISPUTED_STEP;
  return judgeSample(request, disputed ? DISAGREEING_SCORES : AGREEING_SCORES, 0.1, PROCESS_PRINCIPLES);
}

function judgeSample(
  request: RecordedRequest,
  scores: ScoresByTemperature,
  uncertainty: number,
  principles: Principle[],
): ScriptReply {
  const text = allText(request);
  const score = scoreAt(scores, request.temperature);
  const step = stepDescriptionOf(text) ?? `step ${stepIdOf(text) ?? "?"}`;
  return {
    json: {
      principles,
      score,
      rationale: `${principles.map((principle) => principle.name).join(", ")}: the output for "${step}" scores ${score.toFixed(2)} (scripted demo judgement).`,
      uncertainty,
    },
  };
}

function scoreAt(scores: ScoresByTemperature, temperature: number | null): number {
  const exact = scores.find(([at]) => temperature !== null && Math.abs(at - temperature) < 1e-9);
  return (exact ?? scores[scores.length - 1] ?? [0, 0.8])[1];
}

function arbiterDecision(request: RecordedRequest): ScriptReply {
  const text = allText(request);
  const principles = request.callerRole === "helpfulness_arbiter" ? HELPFULNESS_PRINCIPLES : PROCESS_PRINCIPLES;
  return {
    json: {
      principles,
      score: 0.78,
      rationale:
        `Reconciled the tier-1 evaluations of ${quoted(taskOf(request))}: the highest sample over-credited evidence that is ` +
        "only summarised, the lowest ignored that the step's scope was met. " +
        (text.includes("no parsable output") ? "Tier-1 produced nothing usable, so this is a fresh judgement. " : "") +
        "No safety or compliance issue found; no human escalation needed. (Scripted demo arbiter.)",
      uncertainty: 0.12,
    },
  };
}

// ---------------------------------------------------------------- reading requests

function allText(request: RecordedRequest): string {
  return request.messages.map((message) => message.content).join("\n");
}

function taskOf(request: RecordedRequest): string {
  const text = allText(request);
  const original = /Original Task:[ \t]*\n?[ \t]*([^\n]+)/.exec(text)?.[1];
  const labelled = /(?:^|\n)Task:[ \t]*([^\n]+)/.exec(text)?.[1];
  const inJson = /"task"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  const task = original ?? labelled ?? (inJson === undefined ? undefined : unescapeJsonString(inJson));
  return task?.trim() || "the task";
}

function stepIdOf(text: string): number | null {
  const match = /Step ID:\s*(\d+)/.exec(text) ?? /"id"\s*:\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : null;
}

function stepDescriptionOf(text: string): string | null {
  const labelled = /(?:Step )?Description:[ \t]*([^\n]+)/.exec(text)?.[1];
  if (labelled) return labelled.trim();
  const inJson = /"description"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
  return inJson === undefined ? null : unescapeJsonString(inJson);
}

function firstJsonObject(request: RecordedRequest): Record<string, unknown> | null {
  for (const message of [...request.messages].reverse()) {
    if (message.role !== "user") continue;
    const parsed = parseJsonObject(message.content);
    if (parsed.ok) return parsed.value;
  }
  return null;
}

function unescapeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function quoted(task: string): string {
  const short = task.length > 120 ? `${task.slice(0, 117)}...` : task;
  return `"${short}"`;
}

// ---------------------------------------------------------------- the shared demo server

const holder = globalThis as unknown as { __atlasDemoLlm?: Promise<ScriptedLlm> };

/**
 * The demo server of this process, started on first use on an ephemeral loopback port and reused
 * afterwards. It does not keep the process alive.
 */
export function startDemoLlm(): Promise<ScriptedLlm> {
  holder.__atlasDemoLlm ??= startScriptedLlm({ rules: demoRules(), unref: true, recordLimit: 200 }).catch((error: unknown) => {
    holder.__atlasDemoLlm = undefined;
    throw error;
  });
  return holder.__atlasDemoLlm;
}
