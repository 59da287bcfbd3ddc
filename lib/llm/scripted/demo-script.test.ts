import { describe, expect, it } from "vitest";
import { LLMParametersSchema, RIMConfigSchema } from "@/lib/config";
import { createRewardEvaluator } from "@/lib/reward";
import type { JudgeContext } from "@/lib/reward/types";
import { createLlmClient } from "../client";
import { parseJsonObject } from "../json";
import type { ChatMessage } from "../types";
import { DEMO_DISPUTED_STEP, DEMO_GUIDANCE, demoRules } from "./demo-script";
import { scriptedLlmPerFile } from "./testing";

const TASK = "Choose a laptop for a travelling photographer";
const server = scriptedLlmPerFile({ rules: demoRules() });

function params() {
  return LLMParametersSchema.parse({ model: "demo", api_key_env: "UNUSED_KEY", api_base: server.url });
}

async function ask(messages: ChatMessage[], temperature?: number): Promise<string> {
  const client = createLlmClient(params(), { env: { UNUSED_KEY: "x" } });
  const reply = await client.complete({ actor: "student", stage: "demo", messages, temperature });
  return reply.content;
}

async function askJson(messages: ChatMessage[]): Promise<Record<string, unknown>> {
  const parsed = parseJsonObject(await ask(messages));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe("the offline demo script", () => {
  it("plans three steps about the task, the last depending on the first two", async () => {
    const plan = await askJson([{ role: "user", content: `You are the Student Planner.\n\nTask: ${TASK}\n\nJSON only.` }]);
    const steps = plan.steps as { id: number; description: string; depends_on: number[] }[];
    expect(steps.map((step) => step.id)).toEqual([1, 2, 3]);
    expect(steps.every((step) => step.description.includes(TASK))).toBe(true);
    expect(steps[2]?.depends_on).toEqual([1, 2]);
  });

  it("reviews the plan stepwise, keeping the student's steps and raising a concern", async () => {
    const steps = [{ id: 1, description: "Only step", tool: null, tool_params: null, depends_on: [] }];
    const review = await askJson([
      { role: "system", content: "You are the Teacher Plan Reviewer." },
      { role: "user", content: `${JSON.stringify({ task: TASK, plan: { steps, execution_mode: "stepwise" } })}\nReturn json.` },
    ]);
    expect(review.execution_mode).toBe("stepwise");
    expect(review.steps).toEqual(steps);
    expect(typeof review.concerns).toBe("string");
  });

  it("fails step 1's first validation with guidance and accepts the guided retry", async () => {
    const validate = (stepId: number, priorGuidance: string[]) =>
      askJson([
        { role: "system", content: "You are the Teacher evaluating the student's step execution." },
        {
          role: "user",
          content: `${JSON.stringify({ step: { id: stepId, description: "d" }, student_response: "x", prior_guidance: priorGuidance })}\nReturn json.`,
        },
      ]);
    expect(await validate(1, [])).toEqual({ valid: false, guidance: DEMO_GUIDANCE });
    expect(await validate(1, [DEMO_GUIDANCE])).toEqual({ valid: true, guidance: null });
    expect(await validate(2, [])).toEqual({ valid: true, guidance: null });
  });

  it("executes steps from the request, following the guidance on the retry", async () => {
    const execute = (guidance: string[]) =>
      ask([
        { role: "system", content: "You are the Student Executor." },
        {
          role: "user",
          content: `Step ID: 1\nDescription: Collect the facts\nOriginal Task:\n${TASK}\nGuidance History: ${JSON.stringify(guidance)}`,
        },
      ]);
    const first = await execute([]);
    expect(first).toContain("Step 1 — Collect the facts");
    expect(first).toContain(TASK);
    const retry = await execute([DEMO_GUIDANCE]);
    expect(retry).toContain("with sources as the teacher asked");
  });

  it("answers the synthesis in the four labelled sections", async () => {
    const answer = await ask([
      {
        role: "user",
        content: `You are the Student Synthesizer.\n\nOriginal Task: ${TASK}\n\nCompleted Steps: ${JSON.stringify([{ step_id: 1 }, { step_id: 3 }])}`,
      },
    ]);
    const labels = answer.split("\n\n").map((section) => section.split(":")[0]);
    expect(labels).toEqual(["Summary", "Final Answer", "Evidence", "Follow-ups"]);
    expect(answer).toContain(TASK);
    expect(answer).toContain("Steps 1, 3");
  });

  it("has judges that agree on one step and disagree on another, so the arbiter runs once", async () => {
    const rim = RIMConfigSchema.parse({
      small_model: { ...params(), model: "demo-small" },
      large_model: { ...params(), model: "demo-large" },
    });
    const evaluator = createRewardEvaluator(rim, { env: { UNUSED_KEY: "x" }, emit: async () => {} });
    const contextFor = (id: number): JudgeContext => ({
      task: TASK,
      step: { id, description: `Step ${id} work`, tool: null, tool_params: null, depends_on: [] },
      trace: "AI: done",
      output: "done",
      attempt: 1,
      priorResults: {},
      guidance: [],
    });
    const options = (stepId: number) => ({ stepId, attempt: 1, signal: new AbortController().signal });

    const agreed = await evaluator.evaluate(contextFor(1), options(1));
    expect(agreed.judges.map((judge) => judge.escalated)).toEqual([false, false]);
    expect(agreed.score).toBeGreaterThanOrEqual(0.6);

    const disputed = await evaluator.evaluate(contextFor(DEMO_DISPUTED_STEP), options(DEMO_DISPUTED_STEP));
    expect(disputed.judges.map((judge) => [judge.identifier, judge.escalated])).toEqual([
      ["process", true],
      ["helpfulness", false],
    ]);
    expect(disputed.judges[0]?.rationale).toContain(TASK);
    expect(disputed.score).toBeGreaterThanOrEqual(0.6);
    expect(server.requests.filter((request) => request.callerRole === "process_arbiter")).toHaveLength(1);
  });

  it("answers any other agent call instead of failing", async () => {
    expect(await ask([{ role: "user", content: "hello there" }])).toContain("hello there");
    expect(server.requests.every((request) => request.status === 200)).toBe(true);
  });
});
