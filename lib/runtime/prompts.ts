/**
 * Persona prompts. Built-in bodies are written in our own words but keep upstream's output
 * contracts; each contains exactly one persona title, which is how the scripted test model tells the
 * callers apart (see team BRIEF).
 */
import type { AtlasConfig } from "@/lib/config";

export const BASE_PROMPT_PLACEHOLDER = "{base_prompt}";

export const PERSONA_TITLES = {
  planner: "You are the Student Planner",
  executor: "You are the Student Executor",
  synthesizer: "You are the Student Synthesizer",
  planReview: "You are the Teacher Plan Reviewer",
  validation: "You are the Teacher evaluating the student's step execution",
} as const;

export interface StudentPrompts {
  planner: string;
  executor: string;
  synthesizer: string;
}

export interface TeacherPrompts {
  plan_review: string;
  validation: string;
  guidance: string;
}

export interface PersonaPrompts {
  student: StudentPrompts;
  teacher: TeacherPrompts;
}

const PLANNER_BODY = `${PERSONA_TITLES.planner}. Read the request and every constraint in the instructions above, then plan the work.

Return a JSON object of the form
{"steps": [{"id": <integer, starting at 1 and increasing by 1>, "description": "<what this step does and how to check it>", "tool": "<an approved tool name>" or null, "tool_params": {<arguments>} or null, "depends_on": [<ids of earlier steps>]}]}

Guidelines:
- Respect every constraint and policy you were given.
- Use the smallest number of steps that still makes the result reliable; merge steps that repeat each other.
- Only name tools you are allowed to use.
- If the task is trivial (at most two obvious actions and no tools), you may return an empty "steps" list so the teacher can answer it in a single pass.
- Write each description so that someone else can verify the step was done.
Answer with the JSON object only.`;

const EXECUTOR_BODY = `${PERSONA_TITLES.executor}. You receive one step of a plan, the validated results of earlier steps and any guidance from your teacher.
Carry out this step, calling tools when they help. Then report what you did and what you found, plainly and factually, including the data or findings the next steps need.
The teacher decides whether the step succeeded or must be retried, so do not wrap your answer in artificial structures.`;

const SYNTHESIZER_BODY = `${PERSONA_TITLES.synthesizer}. Combine the validated step results into the final deliverable for the request.
Answer in four labelled sections:
Summary: <a short overview>
Final Answer: <the deliverable itself>
Evidence: <the step ids and artifacts that support it>
Follow-ups: <open items, or "None">
Keep the tone the instructions above ask for and do not invent anything the steps did not establish.`;

const PLAN_REVIEW_BODY = `${PERSONA_TITLES.planReview}. You receive the request, the student's plan and the instructions above.
Check the plan for:
1. whether it understands the request;
2. risks, edge cases and missing or wrong dependencies;
3. needless complexity (fewer steps are better when they are just as reliable);
4. the execution mode: "single_shot" when you are confident the task is simple enough to answer in one pass, otherwise "stepwise".
Return {"execution_mode": "stepwise" | "single_shot", "steps": [<the corrected plan, same step shape as the student's>], "concerns": "<optional notes>"}.
Output JSON only.`;

const VALIDATION_BODY = `${PERSONA_TITLES.validation}. You receive the step, the student's response, the execution trace, the validated results of earlier steps and the guidance given so far.
Decide whether this step is complete and its result can be used by the steps that follow.
Return {"valid": true | false, "guidance": <when invalid: at most three sentences telling the student concretely what to do on the retry; null when valid>}.
Be direct. Output JSON only.`;

export const BUILT_IN_BODIES = {
  planner: PLANNER_BODY,
  executor: EXECUTOR_BODY,
  synthesizer: SYNTHESIZER_BODY,
  plan_review: PLAN_REVIEW_BODY,
  validation: VALIDATION_BODY,
  // Upstream's guidance prompt is the validation text; it is never sent to a model.
  guidance: VALIDATION_BODY,
} as const;

/** Upstream's teacher defaults: the body under a literal placeholder, so partial overrides still work. */
export const DEFAULT_TEACHER_TEMPLATES: TeacherPrompts = {
  plan_review: `${BASE_PROMPT_PLACEHOLDER}\n\n${PLAN_REVIEW_BODY}`,
  validation: `${BASE_PROMPT_PLACEHOLDER}\n\n${VALIDATION_BODY}`,
  guidance: `${BASE_PROMPT_PLACEHOLDER}\n\n${VALIDATION_BODY}`,
};

/** Every `{base_prompt}` replaced by the base prompt; text without the placeholder is used verbatim. */
export function applyTemplate(template: string, basePrompt: string): string {
  return template.split(BASE_PROMPT_PLACEHOLDER).join(basePrompt);
}

function withBase(basePrompt: string, body: string): string {
  return basePrompt === "" ? body : `${basePrompt}\n\n${body}`;
}

/** A default teacher template with an empty base prompt would start with blank lines: drop them. */
function fillTeacherDefault(template: string, basePrompt: string): string {
  const filled = applyTemplate(template, basePrompt);
  return basePrompt === "" ? filled.trimStart() : filled;
}

function withGuidance(prompt: string, guidance: string | undefined): string {
  const extra = guidance?.trim();
  return extra ? `${prompt}\n\nAdditional guidance:\n${extra}` : prompt;
}

export function buildStudentPrompts(config: Pick<AtlasConfig, "agent" | "student">): StudentPrompts {
  const base = config.agent.system_prompt.trim();
  const custom = config.student.prompts;
  const guidance = config.student.prompt_guidance;
  const prompts: StudentPrompts = custom
    ? {
        planner: applyTemplate(custom.planner, base),
        executor: applyTemplate(custom.executor, base),
        synthesizer: applyTemplate(custom.synthesizer, base),
      }
    : {
        planner: withBase(base, PLANNER_BODY),
        executor: withBase(base, EXECUTOR_BODY),
        synthesizer: withBase(base, SYNTHESIZER_BODY),
      };
  return {
    planner: withGuidance(prompts.planner, guidance.planner),
    executor: withGuidance(prompts.executor, guidance.executor),
    synthesizer: withGuidance(prompts.synthesizer, guidance.synthesizer),
  };
}

export function buildTeacherPrompts(config: Pick<AtlasConfig, "agent" | "teacher">): TeacherPrompts {
  const base = config.agent.system_prompt.trim();
  const custom = config.teacher.prompts ?? {};
  const guidance = config.teacher.prompt_guidance;
  const pick = (name: keyof TeacherPrompts): string => {
    const override = custom[name];
    const prompt =
      override === undefined ? fillTeacherDefault(DEFAULT_TEACHER_TEMPLATES[name], base) : applyTemplate(override, base);
    return withGuidance(prompt, guidance[name]);
  };
  return { plan_review: pick("plan_review"), validation: pick("validation"), guidance: pick("guidance") };
}

export function buildPersonaPrompts(config: Pick<AtlasConfig, "agent" | "student" | "teacher">): PersonaPrompts {
  return { student: buildStudentPrompts(config), teacher: buildTeacherPrompts(config) };
}

/** The JSON direction appended to the planner prompt. */
export const PLANNER_JSON_DIRECTION = `Reply with JSON only, in exactly this shape:
{"steps": [{"id": integer, "description": string, "tool": string | null, "tool_params": object | null, "depends_on": [integer]}]}
Write no prose before or after the JSON.`;

export function composePlannerPrompt(planner: string, task: string): string {
  return [planner, `Task: ${task.trim()}`, PLANNER_JSON_DIRECTION].join("\n\n");
}

export function composeSynthesisPrompt(
  synthesizer: string,
  task: string,
  executionMode: string,
  stepSummaries: unknown[],
): string {
  return [
    synthesizer,
    `Original Task: ${task.trim()}`,
    `Execution Mode: ${executionMode}`,
    `Completed Steps: ${JSON.stringify(stepSummaries, null, 2)}`,
  ].join("\n\n");
}
