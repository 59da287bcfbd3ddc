import { describe, expect, it } from "vitest";
import { createLlmClient } from "@/lib/llm/client";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { ScriptReply } from "@/lib/llm/scripted/types";
import { buildTeacherPrompts } from "./prompts";
import { parseStructuredOutput } from "./step-messages";
import { Teacher } from "./teacher";
import { llmParams, TEST_ENV, testConfig } from "./testing/config";
import type { Plan, PlanStep } from "@/lib/trajectory";

const server = scriptedLlmPerFile();

function teacher(now?: () => number): Teacher {
  const config = testConfig({ llmUrl: server.url, systemPrompt: "Be exact." });
  return new Teacher({
    llm: createLlmClient(llmParams(server.url, "teacher-model") as never, { env: TEST_ENV, label: "teacher.llm" }),
    prompts: buildTeacherPrompts(config),
    planCacheSeconds: 300,
    ...(now ? { now } : {}),
  });
}

const step = (id: number, description: string, extra: Partial<PlanStep> = {}): PlanStep => ({
  id,
  description,
  tool: null,
  tool_params: null,
  depends_on: [],
  ...extra,
});

const studentPlan: Plan = {
  steps: [step(1, "Load the sales table"), step(2, "Compute revenue per region", { depends_on: [1] }), step(3, "Write the report", { depends_on: [2] })],
  execution_mode: "stepwise",
};

function reviewReplies(reply: ScriptReply) {
  server.setRules([{ caller: "plan_review", reply }]);
}

const signal = new AbortController().signal;

describe("Teacher plan review", () => {
  it("sends the plan-review prompt and the task+plan JSON, and lists what changed", async () => {
    reviewReplies({
      json: {
        execution_mode: "stepwise",
        steps: [
          { id: 1, description: "Load the sales table and check for gaps" },
          { id: 3, description: "Write the report", depends_on: [1] },
          { id: 4, description: "Double-check totals", depends_on: [3], estimated_time: "2m" },
        ],
        concerns: "Step 2 is folded into step 1.",
        total_estimated_time: "10m",
      },
    });
    const review = await teacher().reviewPlan("Report revenue", studentPlan, signal);
    const request = server.requests[0];
    expect(request?.messages[0]?.role).toBe("system");
    expect(request?.messages[0]?.content.startsWith("Be exact.\n\nYou are the Teacher Plan Reviewer")).toBe(true);
    expect(request?.messages[1]?.content).toBe(`${JSON.stringify({ task: "Report revenue", plan: studentPlan })}\nReturn json.`);
    expect(request?.response_format).toEqual({ type: "json_object" });
    expect(review.mode).toBe("stepwise");
    expect(review.plan.steps.map((s) => s.id)).toEqual([1, 3, 4]);
    expect(review.concerns).toBe("Step 2 is folded into step 1.");
    expect(review.changes).toEqual([
      "removed step 2: Compute revenue per region",
      "edited step 1 (description)",
      "edited step 3 (depends_on)",
      "added step 4: Double-check totals",
    ]);
    expect(review.originalPlan).toBe(studentPlan);
  });

  it("normalises teacher plans like student plans", async () => {
    reviewReplies({
      json: { steps: [{ id: "step_1", description: "a" }, { id: "s2", description: "b", depends_on: ["step_1"], tools: ["x", "y"] }] },
    });
    const review = await teacher().reviewPlan("t", studentPlan, signal);
    expect(review.plan.steps).toEqual([step(1, "a"), step(2, "b", { depends_on: [1], tool: "x, y" })]);
  });

  it("honours single_shot even when the reviewer returns no steps", async () => {
    reviewReplies({ json: { execution_mode: "single_shot", steps: [] } });
    const review = await teacher().reviewPlan("t", studentPlan, signal);
    expect(review.mode).toBe("single_shot");
    expect(review.plan).toEqual({ steps: studentPlan.steps, execution_mode: "single_shot" });
    expect(review.changes).toEqual(["execution mode set to single_shot"]);
  });

  it("infers single_shot for a trivial plan when no mode is given, stepwise otherwise", async () => {
    reviewReplies({ json: { steps: [{ id: 1, description: "Say hello" }] } });
    const trivial = await teacher().reviewPlan("greet", studentPlan, signal);
    expect(trivial.mode).toBe("single_shot");
    expect(trivial.changes[0]).toBe("execution mode set to single_shot (inferred: trivial plan)");

    reviewReplies({ json: { execution_mode: "sideways", steps: studentPlan.steps } });
    const complex = await teacher().reviewPlan("report", studentPlan, signal);
    expect(complex.mode).toBe("stepwise");
    expect(complex.changes).toEqual([]);
  });

  it("keeps the original plan for a blank reply, a non-object or a reply without steps", async () => {
    for (const reply of [{ content: "   " }, { json: [1, 2] }, { json: { steps: [], concerns: "none" } }, { empty: true as const }]) {
      reviewReplies(reply);
      const review = await teacher().reviewPlan("t", studentPlan, signal);
      expect(review.plan).toBe(studentPlan);
      expect(review.mode).toBe("stepwise");
    }
  });

  it("fails naming the call when the reply is not JSON", async () => {
    reviewReplies({ content: "I think the plan is fine" });
    await expect(teacher().reviewPlan("t", studentPlan, signal)).rejects.toThrow(/^Teacher plan review returned invalid JSON/);
  });

  it("keeps the student's steps when the reviewed steps are unusable, and says so", async () => {
    reviewReplies({ json: { execution_mode: "stepwise", steps: [{ id: "first", description: "x" }] } });
    const review = await teacher().reviewPlan("t", studentPlan, signal);
    expect(review.plan.steps).toEqual(studentPlan.steps);
    expect(review.changes[0]).toMatch(/^the reviewed plan was unusable \(step #1: step id "first" is not an integer\)/);
  });

  it("reuses a review for the same task and plan within plan_cache_seconds", async () => {
    reviewReplies({ json: { steps: studentPlan.steps } });
    let clock = 1_000_000;
    const cached = teacher(() => clock);
    const first = await cached.reviewPlan("t", studentPlan, signal);
    clock += 299_000;
    const second = await cached.reviewPlan("t", studentPlan, signal);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(server.requests).toHaveLength(1);
    clock += 2_000;
    await cached.reviewPlan("t", studentPlan, signal);
    await cached.reviewPlan("other task", studentPlan, signal);
    expect(server.requests).toHaveLength(3);
  });

  it("names the call when the model keeps failing", async () => {
    reviewReplies({ status: 500, message: "overloaded" });
    await expect(teacher().reviewPlan("t", studentPlan, signal)).rejects.toThrow(
      /^Teacher plan review call failed: teacher\.llm call to teacher-model failed after 3 tries: HTTP 500: overloaded$/,
    );
  });
});

describe("Teacher validation", () => {
  const output = parseStructuredOutput('{"status": "ok", "result": {"deliverable": {"dataset": "A"}, "artifacts": {"rows": [1]}}}');

  function validate(reply: ScriptReply) {
    server.setRules([{ caller: "validation", reply }]);
    return teacher().validateStep({
      step: step(2, "Compute revenue"),
      attempt: 2,
      trace: "HUMAN: go\nAI: done",
      structuredOutput: output,
      priorResults: { "1": { status: "ok" } },
      priorGuidance: ["cite the table"],
      attemptGuidance: ["cite the table"],
      signal,
    });
  }

  it("sends the step, response, context and guidance and reads a boolean verdict", async () => {
    const result = await validate({ json: { valid: true, guidance: null } });
    expect(result).toMatchObject({ valid: true, guidance: null, status: "ok", deliverable: { dataset: "A" }, artifacts: { rows: [1] } });
    const user = server.requests[0]?.messages[1]?.content ?? "";
    expect(user.endsWith("\nReturn json.")).toBe(true);
    const payload = JSON.parse(user.slice(0, -"\nReturn json.".length)) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual([
      "step",
      "trace",
      "status",
      "student_response",
      "deliverable",
      "artifacts",
      "result",
      "reason",
      "structured_output",
      "validated_context",
      "prior_guidance",
      "attempt_guidance",
    ]);
    expect(payload).toMatchObject({ validated_context: { "1": { status: "ok" } }, prior_guidance: ["cite the table"] });
    expect(server.requests[0]?.messages[0]?.content).toContain("You are the Teacher evaluating the student's step execution");
  });

  it('accepts the strings "true"/"false" in any case', async () => {
    expect((await validate({ json: { valid: "TRUE" } })).valid).toBe(true);
    const invalid = await validate({ json: { valid: " False ", guidance: "Add the totals." } });
    expect(invalid).toMatchObject({ valid: false, guidance: "Add the totals." });
  });

  it("treats anything else as a malformed verdict: not valid, with guidance that explains it", async () => {
    const yes = await validate({ json: { valid: "yes", guidance: "Looks fine." } });
    expect(yes.valid).toBe(false);
    expect(yes.guidance).toBe(
      'The teacher\'s verdict was malformed ("valid" was "yes", expected true or false), so this attempt was not accepted. Looks fine.',
    );
    expect(yes.malformed_verdict).toBe(true);
    expect((await validate({ json: { valid: 1 } })).valid).toBe(false);
    expect((await validate({ json: { guidance: "g" } })).guidance).toContain('"valid" was missing');
  });

  it("fails naming the call when the reply is not a JSON object", async () => {
    await expect(validate({ content: "valid" })).rejects.toThrow(/^Teacher validation of step 2 \(attempt 2\) returned an unusable reply/);
  });
});
