/**
 * Faults from the scripted server (429 storms, 500s, timeouts, malformed bodies): the run either
 * succeeds after the LLM client's retries or fails with a reason naming the call. Nothing hangs.
 */
import { describe, expect, it } from "vitest";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { ScriptReply, ScriptRule } from "@/lib/llm/scripted/types";
import type { EventOf, TrajectoryEvent } from "@/lib/trajectory";
import { functionAgent, modeOf } from "./testing/agents";
import { TEST_ENV, testConfig } from "./testing/config";
import { runEngine } from "./testing/engine";
import { agreeingJudges, keepPlanReview, validVerdict } from "./testing/scripts";

const server = scriptedLlmPerFile();

const agent = () =>
  functionAgent((call) => {
    const mode = modeOf(call.metadata);
    if (mode === "planning") return JSON.stringify({ steps: [{ id: 1, description: "Answer the question" }] });
    if (mode === "synthesis") return "Final Answer: 42";
    return "42";
  });

/** A short LLM timeout only where a hang is scripted: elsewhere a slow machine must not look like a fault. */
async function runWith(rules: ScriptRule[], llmTimeoutSeconds = 10) {
  server.setRules(rules);
  const events: TrajectoryEvent[] = [];
  const result = await runEngine({
    task: "What is six times seven?",
    config: testConfig({ llmUrl: server.url, llmTimeoutSeconds }),
    env: TEST_ENV,
    adapter: agent(),
    onEvent: (event) => events.push(event),
  });
  const ofType = <T extends TrajectoryEvent["type"]>(type: T) =>
    events.filter((event): event is EventOf<T> => event.type === type);
  return { result, ofType, events };
}

/** `fault` for the first `times` plan-review calls, then a normal review. */
function flakyReview(fault: ScriptReply, times: number): ScriptRule[] {
  return [{ caller: "plan_review", times, reply: fault }, keepPlanReview(), validVerdict, agreeingJudges()];
}

function failingValidation(fault: ScriptReply): ScriptRule[] {
  return [keepPlanReview(), { caller: "validation", reply: fault }, agreeingJudges()];
}

const FAULTS: { name: string; fault: ScriptReply; reason: RegExp; timeout?: number }[] = [
  { name: "a 429 storm", fault: { status: 429, retryAfter: 0, message: "slow down" }, reason: /HTTP 429: slow down$/ },
  { name: "500s", fault: { status: 500, message: "upstream exploded" }, reason: /HTTP 500: upstream exploded$/ },
  // 3 s, not less: every call of the run shares this timeout, and a loaded machine must not turn a normal reply into a fault.
  { name: "a hung request (timeout)", fault: { hang: true }, reason: /no reply within 3s$/, timeout: 3 },
  { name: "a malformed JSON body", fault: { malformed: true }, reason: /malformed response body/ },
];

describe.each(FAULTS)("LLM faults: $name", ({ fault, reason, timeout }) => {
  it("succeeds when the fault clears within the client's retries", async () => {
    const { result, ofType } = await runWith(flakyReview(fault, 2), timeout);
    expect(result.status).toBe("succeeded");
    expect(ofType("llm.call").find((event) => event.stage === "plan_review")).toMatchObject({ tries: 3, error: null });
  });

  it("fails the session naming the plan review when the fault persists", async () => {
    const { result, ofType, events } = await runWith(flakyReview(fault, 100), timeout);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^Teacher plan review call failed: teacher\.llm call to teacher-model failed after 3 tries: /);
    expect(result.error).toMatch(reason);
    expect(ofType("error")[0]?.where).toBe("plan_review");
    expect(events.at(-1)).toMatchObject({ type: "session.failed", error: result.error });
  });

  it("fails the session naming the step validation when the fault persists", async () => {
    const { result } = await runWith(failingValidation(fault), timeout);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^Teacher validation of step 1 \(attempt 1\) call failed: teacher\.llm call to teacher-model failed after 3 tries: /);
    expect(result.error).toMatch(reason);
  });
});

describe("judge faults degrade the reward instead of failing the run", () => {
  it("escalates when every sample fails and records a failed arbiter", async () => {
    const { result, ofType } = await runWith([
      keepPlanReview(),
      validVerdict,
      { caller: ["process_judge", "helpfulness_judge"], reply: { status: 500, message: "judge down" } },
      { caller: ["process_arbiter", "helpfulness_arbiter"], reply: { malformed: true } },
    ]);
    expect(ofType("judge.escalated").map((event) => event.reason)).toEqual(["tier1_no_valid_samples", "tier1_no_valid_samples", "tier1_no_valid_samples", "tier1_no_valid_samples"]);
    expect(ofType("arbiter.decision").every((event) => event.failed)).toBe(true);
    // Reward 0 is below the retry threshold: retried once, then accepted as the last attempt.
    expect(result.stepResults[0]?.attempts).toBe(2);
    expect(result.status).toBe("succeeded");
  });
});
