import { describe, expect, it } from "vitest";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { detectCaller } from "@/lib/llm/scripted/roles";
import {
  BASE_PROMPT_PLACEHOLDER,
  PERSONA_TITLES,
  buildStudentPrompts,
  buildTeacherPrompts,
  composePlannerPrompt,
  composeSynthesisPrompt,
} from "./prompts";

function config(extra: { system_prompt?: string; student?: unknown; teacher?: unknown }): AtlasConfig {
  const llm = { model: "m", api_key_env: "KEY" };
  const parsed = parseConfigObject({
    agent: { type: "module", name: "a", system_prompt: extra.system_prompt ?? "  Base rules.  ", module: "./x.mjs" },
    student: extra.student ?? {},
    teacher: { llm, ...(extra.teacher as object) },
    rim: { small_model: llm, large_model: llm },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("persona prompts", () => {
  it("prefixes built-in student prompts with the trimmed base prompt and carries exactly one title each", () => {
    const prompts = buildStudentPrompts(config({}));
    expect(prompts.planner.startsWith("Base rules.\n\nYou are the Student Planner")).toBe(true);
    expect(prompts.executor.startsWith("Base rules.\n\nYou are the Student Executor")).toBe(true);
    expect(prompts.synthesizer.startsWith("Base rules.\n\nYou are the Student Synthesizer")).toBe(true);
    for (const title of Object.values(PERSONA_TITLES)) {
      const total = Object.values(prompts).reduce((sum, prompt) => sum + occurrences(prompt, title), 0);
      expect(total).toBe(title.startsWith("You are the Student") ? 1 : 0);
    }
    expect(prompts.synthesizer).toContain("Summary:");
    expect(prompts.synthesizer).toContain("Final Answer:");
    expect(prompts.synthesizer).toContain("Evidence:");
    expect(prompts.synthesizer).toContain("Follow-ups:");
  });

  it("uses the body alone when the base prompt is empty", () => {
    const prompts = buildStudentPrompts(config({ system_prompt: "   " }));
    expect(prompts.planner.startsWith(PERSONA_TITLES.planner)).toBe(true);
    expect(buildTeacherPrompts(config({ system_prompt: "" })).plan_review.startsWith(PERSONA_TITLES.planReview)).toBe(true);
  });

  it("substitutes {base_prompt} in custom student prompts and keeps templates without it verbatim (upstream test_build_student_prompts_respects_templates)", () => {
    const prompts = buildStudentPrompts(
      config({
        student: {
          prompts: {
            planner: "{base_prompt}\nPlan carefully. {base_prompt}",
            executor: "Execute without the base prompt.",
            synthesizer: "{base_prompt} then synthesise",
          },
        },
      }),
    );
    expect(prompts.planner).toBe("Base rules.\nPlan carefully. Base rules.");
    expect(prompts.executor).toBe("Execute without the base prompt.");
    expect(prompts.synthesizer).toBe("Base rules. then synthesise");
  });

  it("starts default teacher prompts with the base prompt; plan review says Output JSON only. (upstream test_build_teacher_prompts_default_templates_include_base_prompt)", () => {
    const prompts = buildTeacherPrompts(config({}));
    expect(prompts.plan_review.startsWith("Base rules.\n\n")).toBe(true);
    expect(prompts.validation.startsWith("Base rules.\n\n")).toBe(true);
    expect(prompts.guidance.startsWith("Base rules.\n\n")).toBe(true);
    expect(prompts.plan_review).toContain("Output JSON only.");
    expect(prompts.plan_review).not.toContain(BASE_PROMPT_PLACEHOLDER);
    expect(prompts.validation).toContain('"valid": true | false');
    expect(occurrences(prompts.validation, PERSONA_TITLES.validation)).toBe(1);
  });

  it("lets one teacher prompt be overridden while the others keep their defaults", () => {
    const prompts = buildTeacherPrompts(config({ teacher: { prompts: { validation: "Judge strictly. {base_prompt}" } } }));
    expect(prompts.validation).toBe("Judge strictly. Base rules.");
    expect(prompts.plan_review).toContain(PERSONA_TITLES.planReview);
  });

  it("appends prompt_guidance by prompt name", () => {
    const prompts = buildStudentPrompts(config({ student: { prompt_guidance: { executor: "Cite sources." } } }));
    expect(prompts.executor.endsWith("\n\nAdditional guidance:\nCite sources.")).toBe(true);
    expect(prompts.planner).not.toContain("Additional guidance");
  });

  it("is recognised by the scripted server's caller detection", () => {
    const student = buildStudentPrompts(config({}));
    const teacher = buildTeacherPrompts(config({}));
    const roleOf = (text: string) => detectCaller([{ role: "system", content: text }]).role;
    expect(roleOf(student.planner)).toBe("planner");
    expect(roleOf(student.executor)).toBe("executor");
    expect(roleOf(student.synthesizer)).toBe("synthesizer");
    expect(roleOf(teacher.plan_review)).toBe("plan_review");
    expect(roleOf(teacher.validation)).toBe("validation");
  });

  it("composes the planner and synthesis prompts", () => {
    const planner = composePlannerPrompt("PLANNER", "  Count the files  ");
    expect(planner.startsWith("PLANNER\n\nTask: Count the files\n\n")).toBe(true);
    expect(planner).toContain('"depends_on": [integer]');
    const synthesis = composeSynthesisPrompt("SYN", "Task text", "stepwise", [{ step_id: 1 }]);
    expect(synthesis).toBe('SYN\n\nOriginal Task: Task text\n\nExecution Mode: stepwise\n\nCompleted Steps: [\n  {\n    "step_id": 1\n  }\n]');
  });
});
