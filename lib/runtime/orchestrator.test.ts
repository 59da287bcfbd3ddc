/**
 * Conformance tests mirroring upstream's tests/integration/test_orchestrator.py plus the
 * failure rule, retries, timeouts and session-ending errors. The teacher and judges are real LLM clients
 * talking to the scripted HTTP server; the agent is an in-process function.
 */
import { describe, expect, it } from "vitest";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { ScriptRule } from "@/lib/llm/scripted/types";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";
import type { StepTimer } from "./step-runner";
import { functionAgent, isStepCall, modeOf, waitOrCancel, type AgentHandler } from "./testing/agents";
import { TEST_ENV, testConfig } from "./testing/config";
import { latch, manualStepTimer, runEngine } from "./testing/engine";
import { agreeingJudges, isJudgeRequest, judgeReply, keepPlanReview, userPayload, validVerdict } from "./testing/scripts";

const server = scriptedLlmPerFile();

interface Scenario {
  rules: ScriptRule[];
  agent: AgentHandler;
  orchestration?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Sees each event as it is stored. */
  onEvent?: (event: TrajectoryEvent) => void;
  stepTimer?: StepTimer;
}

async function runScenario({ rules, agent: handler, orchestration, signal, onEvent, stepTimer }: Scenario) {
  server.setRules(rules);
  const agent = functionAgent(handler);
  const events: TrajectoryEvent[] = [];
  const config = testConfig({
    llmUrl: server.url,
    extra: { orchestration: { max_retries: 1, ...orchestration } },
  });
  const result = await runEngine({
    task: "Summarise datasets A and B",
    config,
    env: TEST_ENV,
    adapter: agent,
    onEvent: (event) => {
      events.push(event);
      onEvent?.(event);
    },
    ...(signal ? { signal } : {}),
    ...(stepTimer ? { stepTimer } : {}),
  });
  const ofType = <T extends TrajectoryEvent["type"]>(type: T) =>
    events.filter((event): event is EventOf<T> => event.type === type);
  return { result, events, ofType, agent };
}

const threeStepPlan = JSON.stringify({
  steps: [
    { id: 1, description: "Load dataset A", depends_on: [] },
    { id: 2, description: "Load dataset B", depends_on: [] },
    { id: 3, description: "Summarise both datasets", depends_on: [1, 2] },
  ],
});

function answer(status: string, deliverable: unknown, artifacts: Record<string, unknown> = {}) {
  return JSON.stringify({ status, result: { deliverable, artifacts } });
}

describe("orchestrator retries and context (upstream test_orchestrator_retries_and_records_context)", () => {
  it("retries step 1 with guidance and passes only validated outputs to step 3", async () => {
    let step1Attempts = 0;
    const step3Contexts: unknown[] = [];
    const { result, events, ofType, agent } = await runScenario({
      rules: [
        keepPlanReview(),
        { caller: "validation", contains: '"status":"needs_input"', reply: { json: { valid: false, guidance: "retry with missing references" } } },
        validVerdict,
        agreeingJudges(0.8),
      ],
      agent: (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return threeStepPlan;
        if (mode === "synthesis") return "FINAL: datasets summarised";
        if (!isStepCall(call.metadata)) throw new Error("unexpected tool call");
        const { step } = call.metadata;
        if (step.id === 1) {
          step1Attempts += 1;
          return step1Attempts === 1
            ? answer("needs_input", null)
            : answer("ok", { dataset: "A" }, { rows: [1, 2, 3] });
        }
        if (step.id === 2) return answer("ok", { dataset: "B" }, { rows: [4, 5] });
        step3Contexts.push(JSON.parse(call.prompt.split("Validated Prior Results (artifacts when available): ")[1]!.split("\nGuidance History:")[0]!));
        return answer("ok", { summary: "dataset A has 3 rows, dataset B has 2" });
      },
    });

    expect(result.status).toBe("succeeded");
    expect(result.finalAnswer).toBe("FINAL: datasets summarised");
    expect(Object.fromEntries(result.stepResults.map((step) => [step.step_id, step.attempts]))).toEqual({ 1: 2, 2: 1, 3: 1 });
    expect(events[0]?.type).toBe("session.started");
    expect(events.at(-1)?.type).toBe("session.completed");
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));

    // Guidance recorded for step 1 and shown to its second attempt.
    expect(ofType("guidance.issued")).toEqual([
      expect.objectContaining({ stepId: 1, attempt: 1, note: "retry with missing references", forAttempt: 2, sequence: 1 }),
    ]);
    const step1Started = ofType("attempt.started").filter((event) => event.stepId === 1);
    expect(step1Started.map((event) => event.guidance)).toEqual([[], ["retry with missing references"]]);
    const secondCall = agent.calls.filter((call) => isStepCall(call.metadata) && call.metadata.step.id === 1)[1];
    expect(secondCall?.prompt).toContain('Guidance History: [\n  "retry with missing references"\n]');
    expect(secondCall && isStepCall(secondCall.metadata) && secondCall.metadata.guidance).toEqual(["retry with missing references"]);

    // Attempt entries with status, reward_skipped and timings.
    const step1Finished = ofType("attempt.finished").filter((event) => event.stepId === 1);
    expect(step1Finished).toHaveLength(2);
    expect(step1Finished[0]).toMatchObject({ status: "needs_input", rewardSkipped: true, outcome: "retry" });
    expect(step1Finished[0]?.timingsMs.validation_ms).toBeGreaterThanOrEqual(0);
    expect(step1Finished[0]?.timingsMs.guidance_ms).toBe(0);
    expect(step1Finished[0]?.evaluation.reward).toEqual({
      score: 0,
      rationale: "validation_failed",
      judges: [],
      raw: { skipped: true, reason: "validation_failed" },
    });
    expect(step1Finished[1]).toMatchObject({ status: "ok", rewardSkipped: false, outcome: "accepted" });

    // Only validated outputs reach step 3, each as a context entry.
    expect(step3Contexts).toHaveLength(1);
    const context = step3Contexts[0] as Record<string, Record<string, unknown>>;
    expect(Object.keys(context).sort()).toEqual(["1", "2"]);
    expect(context["1"]).toMatchObject({ status: "ok", deliverable: { dataset: "A" } });
    expect(context["2"]).toMatchObject({ status: "ok", artifacts: { rows: [4, 5] } });
    expect(Object.keys(context["1"] ?? {})).toEqual(["output_text", "status", "artifacts", "deliverable", "structured_output"]);
    expect(ofType("attempt.started").find((event) => event.stepId === 3)?.context).toEqual(context);

    // The evaluator ran exactly 3 times (2 judges × 3 temperatures each), always on ok outputs.
    const rewarded = ofType("reward").filter((event) => !event.skipped);
    expect(rewarded.map((event) => [event.stepId, event.attempt])).toEqual(expect.arrayContaining([[1, 2], [2, 1], [3, 1]]));
    expect(rewarded).toHaveLength(3);
    const judgeRequests = server.requests.filter(isJudgeRequest);
    expect(judgeRequests).toHaveLength(18);
    for (const request of judgeRequests) expect(JSON.stringify(userPayload(request))).not.toContain("needs_input");

    // Exporter-relevant step metadata.
    expect(result.stepResults[0]?.metadata).toMatchObject({ deliverable: { dataset: "A" }, status: "ok" });
    const step3 = result.stepResults[2]?.metadata as Record<string, unknown> & { runtime: Record<string, unknown> };
    expect(step3.status).toBe("ok");
    expect(JSON.stringify(step3.deliverable)).toContain("dataset");
    expect(step3.runtime.reward_skipped).toBe(false);
    expect(step3.runtime.timings_ms).toMatchObject({ student_ms: expect.any(Number), validation_ms: expect.any(Number), reward_ms: expect.any(Number) });
    expect(result.stepResults[2]?.evaluation.reward.score).toBeCloseTo(0.8);
  });
});

describe("single-shot mode (upstream test_orchestrator_single_shot_invokes_reward)", () => {
  it("runs one step built from the reviewed plan, rewards it once and synthesises", async () => {
    let summaries: unknown;
    const { result, ofType, agent } = await runScenario({
      rules: [keepPlanReview("single_shot"), validVerdict, agreeingJudges(0.9)],
      agent: (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return threeStepPlan;
        if (mode === "synthesis") {
          summaries = JSON.parse(call.prompt.split("Completed Steps: ")[1]!);
          return "FINAL:answer text";
        }
        return JSON.stringify({ status: "ok", result: { deliverable: "answer text" } });
      },
    });
    expect(result.status).toBe("succeeded");
    expect(result.plan.execution_mode).toBe("single_shot");
    expect(result.plan.steps).toHaveLength(1);
    expect(result.plan.steps[0]?.description).toBe(
      [
        "Produce the complete answer for the task in a single response.",
        "Ensure the output matches the requested format and includes any necessary reasoning.",
        "Follow this reviewed plan while responding:",
        "1. Load dataset A",
        "2. Load dataset B",
        "3. Summarise both datasets",
      ].join("\n"),
    );
    expect(result.stepResults).toHaveLength(1);
    expect(result.finalAnswer).toBe("FINAL:answer text");
    expect(result.stepResults[0]?.evaluation.reward.score).toBeCloseTo(0.9);
    expect(result.stepResults[0]?.metadata.status).toBe("ok");
    expect(ofType("reward").filter((event) => !event.skipped)).toHaveLength(1);
    expect(server.requests.filter(isJudgeRequest)).toHaveLength(6);
    expect(summaries).toEqual([
      expect.objectContaining({ step_id: 1, status: "ok", output: JSON.stringify({ status: "ok", result: { deliverable: "answer text" } }) }),
    ]);
    expect(agent.calls.filter((call) => isStepCall(call.metadata))).toHaveLength(1);
    expect(ofType("plan.reviewed")[0]).toMatchObject({ mode: "single_shot", plan: result.plan });
    expect(ofType("session.completed")[0]?.executionMode).toBe("single_shot");
  });
});

describe("the retry decision", () => {
  const plainPlan = JSON.stringify({ steps: [{ id: 1, description: "Answer", depends_on: [] }] });

  it("treats success/completed like ok: rewarded and not retried", async () => {
    for (const status of ["success", "Completed"]) {
      const { result, ofType } = await runScenario({
        rules: [keepPlanReview(), validVerdict, agreeingJudges(0.8)],
        agent: (call) => (modeOf(call.metadata) === "planning" ? plainPlan : modeOf(call.metadata) === "synthesis" ? "done" : answer(status, "x")),
      });
      expect(result.status).toBe("succeeded");
      expect(result.stepResults[0]?.attempts).toBe(1);
      expect(ofType("reward")[0]?.skipped).toBe(false);
      server.reset();
    }
  });

  it("retries when the reward is below orchestration.retry_threshold and accepts the last attempt", async () => {
    const { result, ofType } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges(0.5)],
      orchestration: { retry_threshold: 0.7, max_retries: 2 },
      agent: (call) => (modeOf(call.metadata) === "planning" ? plainPlan : modeOf(call.metadata) === "synthesis" ? "done" : "an answer"),
    });
    expect(result.stepResults[0]?.attempts).toBe(3);
    expect(ofType("attempt.finished").map((event) => event.outcome)).toEqual(["retry", "retry", "accepted"]);
    expect(result.status).toBe("succeeded");
  });

  it("stops at once on status skipped", async () => {
    const { result } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges()],
      agent: (call) => (modeOf(call.metadata) === "planning" ? plainPlan : answer("skipped", null)),
    });
    expect(result.stepResults[0]?.attempts).toBe(1);
    expect(result.status).toBe("failed");
  });
});

describe("the failure rule", () => {
  it("fails the step, skips its dependents, runs the rest, synthesises accepted steps and fails the session", async () => {
    const { result, ofType, agent } = await runScenario({
      rules: [
        keepPlanReview(),
        { caller: "validation", contains: "Load dataset A", reply: { json: { valid: false, guidance: "Load the real dataset A." } } },
        validVerdict,
        agreeingJudges(0.8),
      ],
      agent: (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return threeStepPlan;
        if (mode === "synthesis") return `partial: ${call.prompt.includes('"step_id": 2') && !call.prompt.includes('"step_id": 1')}`;
        return answer("ok", "some rows");
      },
    });
    expect(result.status).toBe("failed");
    expect(result.finalAnswer).toBe("partial: true");
    const finished = Object.fromEntries(ofType("step.finished").map((event) => [event.stepId, event.status]));
    expect(finished).toEqual({ 1: "failed", 2: "succeeded", 3: "skipped" });
    expect(agent.calls.some((call) => isStepCall(call.metadata) && call.metadata.step.id === 3)).toBe(false);
    const failed = ofType("session.failed")[0];
    expect(failed?.failedSteps).toEqual([1, 3]);
    expect(failed?.finalAnswer).toBe("partial: true");
    expect(failed?.error).toBe(
      "Steps did not succeed — failed: step 1 (not validated after 2 attempts); skipped: step 3 (depends on step 1, which did not succeed)",
    );
    expect(result.error).toBe(failed?.error);
    expect(ofType("synthesis")).toHaveLength(1);
  });

  it("counts an agent error as a failed attempt and retries it", async () => {
    let calls = 0;
    const { result, ofType } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges()],
      agent: (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return JSON.stringify({ steps: [{ id: 1, description: "Fetch" }] });
        if (mode === "synthesis") return "done";
        calls += 1;
        if (calls === 1) throw new Error("agent crashed");
        return "fetched";
      },
    });
    expect(result.status).toBe("succeeded");
    const attempts = ofType("attempt.finished");
    expect(attempts[0]).toMatchObject({ status: "error", outcome: "retry", error: "agent crashed", rewardSkipped: true });
    expect(attempts[0]?.evaluation.reward).toEqual({ score: 0, rationale: "runtime_error", judges: [], raw: { error: "agent crashed" } });
    expect(attempts[1]).toMatchObject({ status: "ok", outcome: "accepted" });
  });

  it("fails a step that exceeds step_timeout_seconds across its attempts and skips its dependents", async () => {
    // Step 1 never answers; its time runs out once step 2 has finished, whatever the clock says.
    const clock = manualStepTimer();
    const { result, ofType } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges()],
      orchestration: { step_timeout_seconds: 3 },
      stepTimer: clock.timer,
      onEvent: (event) => {
        if (event.type === "step.finished" && event.stepId === 2) clock.fire(1);
      },
      agent: async (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return threeStepPlan;
        if (mode === "synthesis") return "done";
        if (isStepCall(call.metadata) && call.metadata.step.id === 1) {
          await waitOrCancel(60_000, call.signal);
        }
        return "ok";
      },
    });
    expect(result.status).toBe("failed");
    const step1 = ofType("step.finished").find((event) => event.stepId === 1);
    expect(step1).toMatchObject({ status: "failed", reason: "step 1 timed out after 3s" });
    expect(ofType("step.finished").find((event) => event.stepId === 3)?.status).toBe("skipped");
    expect(ofType("step.finished").find((event) => event.stepId === 2)?.status).toBe("succeeded");
    expect(ofType("attempt.finished").filter((event) => event.stepId === 1)).toEqual([
      expect.objectContaining({ status: "error", outcome: "failed", error: "step 1 timed out after 3s" }),
    ]);
  });

  it("runs at most max_parallel_steps steps at once", async () => {
    let running = 0;
    let peak = 0;
    // The first two step calls wait for each other, so two surely overlap; later ones pass straight through.
    const firstTwo = latch(2);
    // Steps started and not yet finished, in the order the engine emitted the events.
    let inFlight = 0;
    let peakInFlight = 0;
    const wide = JSON.stringify({ steps: [1, 2, 3, 4, 5].map((id) => ({ id, description: `Part ${id}` })) });
    const { result } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges()],
      orchestration: { max_parallel_steps: 2 },
      agent: async (call) => {
        const mode = modeOf(call.metadata);
        if (mode === "planning") return wide;
        if (mode === "synthesis") return "done";
        running += 1;
        peak = Math.max(peak, running);
        await firstTwo.enter();
        running -= 1;
        return "part done";
      },
      onEvent: (event) => {
        if (event.type === "step.started") peakInFlight = Math.max(peakInFlight, ++inFlight);
        if (event.type === "step.finished") inFlight -= 1;
      },
    });
    expect(result.status).toBe("succeeded");
    expect(peak).toBe(2);
    expect(peakInFlight).toBe(2);
  });
});

describe("session-ending errors name the call", () => {
  const onePlan = JSON.stringify({ steps: [{ id: 1, description: "Load dataset A" }, { id: 2, description: "Load dataset B" }] });
  const simpleAgent: AgentHandler = (call) =>
    modeOf(call.metadata) === "planning" ? onePlan : modeOf(call.metadata) === "synthesis" ? "done" : "rows";

  it("fails on a teacher validation error and stops the sibling step", async () => {
    const { result, ofType } = await runScenario({
      rules: [
        keepPlanReview(),
        { caller: "validation", contains: "Load dataset A", reply: { status: 500, message: "teacher down" } },
        // Step 2's validation never answers, so it is surely in flight when step 1's fails.
        { caller: "validation", reply: { hang: true } },
        agreeingJudges(),
      ],
      agent: simpleAgent,
    });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(
      "Teacher validation of step 1 (attempt 1) call failed: teacher.llm call to teacher-model failed after 3 tries: HTTP 500: teacher down",
    );
    expect(ofType("error")[0]).toMatchObject({ where: "validation:step 1 attempt 1" });
    const statuses = Object.fromEntries(ofType("step.finished").map((event) => [event.stepId, event.status]));
    expect(statuses).toEqual({ 1: "failed", 2: "cancelled" });
    expect(ofType("session.failed")).toHaveLength(1);
    expect(ofType("synthesis")).toHaveLength(0);
  });

  it("fails when the agent errors while planning", async () => {
    const { result, ofType } = await runScenario({
      rules: [],
      agent: () => {
        throw new Error("planner offline");
      },
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^Student planning call to the agent failed: .*planner offline/);
    expect(ofType("error")[0]?.where).toBe("planning");
    expect(server.requests).toHaveLength(0);
  });

  it("fails on a cyclic reviewed plan with the steps named", async () => {
    const { result } = await runScenario({
      rules: [
        {
          caller: "plan_review",
          reply: { json: { steps: [{ id: 1, description: "a", depends_on: [2] }, { id: 2, description: "b", depends_on: ["#1"] }] } },
        },
      ],
      agent: simpleAgent,
    });
    expect(result.error).toBe("Plan contains circular dependencies: steps 1 → 2 → 1");
  });

  it("fails when synthesis errors, keeping the step results", async () => {
    const { result } = await runScenario({
      rules: [keepPlanReview(), validVerdict, agreeingJudges()],
      agent: (call) => {
        if (modeOf(call.metadata) === "synthesis") throw new Error("no words left");
        return simpleAgent(call);
      },
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^Student synthesis call to the agent failed: .*no words left/);
    expect(result.stepResults).toHaveLength(2);
  });
});

describe("judge escalation inside a run", () => {
  it("records samples, the escalation and the arbiter decision for a disputed step", async () => {
    const { ofType } = await runScenario({
      rules: [
        keepPlanReview(),
        validVerdict,
        { caller: "process_judge", temperature: 0.2, reply: judgeReply(0.95) },
        { caller: "process_judge", temperature: 0.5, reply: judgeReply(0.4) },
        { caller: "process_judge", reply: judgeReply(0.7) },
        { caller: "helpfulness_judge", reply: judgeReply(0.8) },
        { caller: "process_arbiter", reply: judgeReply(0.75) },
      ],
      agent: (call) =>
        modeOf(call.metadata) === "planning"
          ? JSON.stringify({ steps: [{ id: 1, description: "Answer" }] })
          : modeOf(call.metadata) === "synthesis"
            ? "done"
            : "answer",
    });
    expect(ofType("judge.sample")).toHaveLength(6);
    expect(ofType("judge.escalated")).toEqual([expect.objectContaining({ judge: "process", reason: "tier1_variance_or_uncertainty", stepId: 1, attempt: 1 })]);
    expect(ofType("arbiter.decision")).toEqual([expect.objectContaining({ judge: "process", score: 0.75, failed: false })]);
    expect(ofType("reward")[0]?.score).toBeCloseTo((0.75 + 0.8) / 2);
    expect(ofType("llm.call").filter((event) => event.actor === "reward")).toHaveLength(7);
  });
});
