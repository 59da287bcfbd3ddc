import { describe, expect, it } from "vitest";
import { type RIMConfig, RIMConfigSchema } from "@/lib/config";
import { AtlasError } from "@/lib/errors";
import { type CallerRole, type ScriptReply, type ScriptRule } from "@/lib/llm/scripted";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { LlmCallRecord } from "@/lib/llm/types";
import { type EventInput, RewardBreakdownSchema, runtimeErrorReward, skippedReward, TrajectoryEventSchema } from "@/lib/trajectory";
import { ARBITER_FAILURE_RATIONALE, createRewardEvaluator } from "./index";
import { NO_TIER1_SAMPLES_LINE } from "./prompts";
import type { JudgeContext } from "./types";

const KEY_VAR = "ATLAS_TEST_RIM_KEY";
const env = { [KEY_VAR]: "sk-rim" };

const server = scriptedLlmPerFile();

function rim(overrides: Record<string, unknown> = {}): RIMConfig {
  const model = (name: string) => ({
    model: name,
    api_key_env: KEY_VAR,
    api_base: server.url,
    timeout_seconds: 5,
    retry: { attempts: 1, backoff_seconds: 0 },
  });
  return RIMConfigSchema.parse({ small_model: model("judge-small"), large_model: model("judge-large"), ...overrides });
}

const context: JudgeContext = {
  task: "Summarise the quarterly report for the board",
  step: { id: 2, description: "Extract the revenue figures", tool: null, tool_params: null, depends_on: [1] },
  trace: "HUMAN: Step ID: 2\nAI: Revenue grew 12% to $4.1M (page 3).",
  output: "Revenue grew 12% to $4.1M (page 3).",
  attempt: 1,
  priorResults: { "1": { output_text: "Report located", status: "ok" } },
  guidance: ["Cite the page numbers."],
};

const PRINCIPLES = [
  { name: "Accuracy", weight: 0.6, description: "Figures match the report" },
  { name: "Citations", weight: 0.4, description: "Pages are cited" },
];

function judgement(score: number, uncertainty: number, extra: Partial<ScriptReply> = {}): ScriptReply {
  return { json: { principles: PRINCIPLES, score, rationale: `scored ${score}`, uncertainty }, ...extra };
}

/** One rule per temperature: [temperature, score, uncertainty]. */
function samples(caller: CallerRole, entries: [number, number, number][]): ScriptRule[] {
  return entries.map(([temperature, score, uncertainty]) => ({ caller, temperature, reply: judgement(score, uncertainty) }));
}

function harness(config: RIMConfig) {
  const events: EventInput[] = [];
  const records: LlmCallRecord[] = [];
  const evaluator = createRewardEvaluator(config, {
    env,
    recorder: (record) => records.push(record),
    emit: async (event) => {
      events.push(event);
    },
  });
  const run = (signal: AbortSignal = new AbortController().signal) =>
    evaluator.evaluate(context, { stepId: 2, attempt: 1, signal });
  return { events, records, run };
}

const requestsBy = (role: CallerRole) => server.requests.filter((request) => request.callerRole === role);

describe("tier 1 agreement", () => {
  it("reproduces the spec's example: 0.80/0.78/0.76 at uncertainty 0.1 give 0.80, not escalated", async () => {
    server.setRules(samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.78, 0.1], [0.8, 0.76, 0.1]]));
    const { run } = harness(rim({ active_judges: { process: true } }));

    const breakdown = await run();

    expect(breakdown).toEqual({
      score: 0.8,
      rationale: null,
      judges: [
        {
          identifier: "process",
          score: 0.8,
          rationale: "scored 0.8",
          principles: PRINCIPLES,
          samples: [
            { score: 0.8, rationale: "scored 0.8", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.2 },
            { score: 0.78, rationale: "scored 0.78", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.5 },
            { score: 0.76, rationale: "scored 0.76", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.8 },
          ],
          escalated: false,
          escalation_reason: null,
        },
      ],
      raw: {
        score: 0.8,
        judges: [
          {
            identifier: "process",
            score: 0.8,
            rationale: "scored 0.8",
            principles: PRINCIPLES,
            samples: [
              { score: 0.8, rationale: "scored 0.8", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.2, reasoning: null },
              { score: 0.78, rationale: "scored 0.78", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.5, reasoning: null },
              { score: 0.76, rationale: "scored 0.76", principles: PRINCIPLES, uncertainty: 0.1, temperature: 0.8, reasoning: null },
            ],
            escalated: false,
            escalation_reason: null,
            reasoning: null,
          },
        ],
      },
    });
  });

  it("samples each judge once per temperature on the small model, in JSON mode, with the judge prompts", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.8, 0.1], [0.8, 0.8, 0.1]]),
      ...samples("helpfulness_judge", [[0.2, 0.7, 0.1], [0.5, 0.7, 0.1], [0.8, 0.7, 0.1]]),
    ]);
    const { run } = harness(rim());
    await run();

    for (const role of ["process_judge", "helpfulness_judge"] as const) {
      const requests = requestsBy(role);
      expect(requests.map((request) => request.temperature).sort()).toEqual([0.2, 0.5, 0.8]);
      for (const request of requests) {
        expect(request.model).toBe("judge-small");
        expect(request.response_format).toEqual({ type: "json_object" });
        expect(request.messages.map((message) => message.role)).toEqual(["system", "user"]);
        const system = request.messages[0]?.content ?? "";
        expect(system).toContain("Task: Summarise the quarterly report for the board");
        expect(system).toContain("Step Description: Extract the revenue figures");
        expect(system).toContain('"principles": [{"name"');
      }
    }
    const processPayload = JSON.parse(requestsBy("process_judge")[0]?.messages[1]?.content ?? "{}") as Record<string, unknown>;
    expect(Object.keys(processPayload)).toEqual(["step", "execution_trace", "final_output", "attempt", "prior_results", "guidance_history"]);
    expect(processPayload.guidance_history).toEqual(["Cite the page numbers."]);
    const helpfulnessPayload = JSON.parse(requestsBy("helpfulness_judge")[0]?.messages[1]?.content ?? "{}") as Record<string, unknown>;
    expect(Object.keys(helpfulnessPayload)).toEqual([
      "task",
      "step",
      "execution_trace",
      "final_output",
      "prior_step_results",
      "guidance_history",
    ]);
    expect(requestsBy("process_arbiter")).toHaveLength(0);
    expect(requestsBy("helpfulness_arbiter")).toHaveLength(0);
  });

  it("takes the lowest-uncertainty sample as the outcome", async () => {
    server.setRules(samples("process_judge", [[0.2, 0.7, 0.2], [0.5, 0.74, 0.05], [0.8, 0.72, 0.1]]));
    const breakdown = await harness(rim({ active_judges: { process: true } })).run();
    expect(breakdown.judges[0]).toMatchObject({ score: 0.74, rationale: "scored 0.74", escalated: false });
  });

  it("takes the first (lowest-temperature) sample on uncertainty ties", async () => {
    server.setRules(samples("process_judge", [[0.2, 0.7, 0.1], [0.5, 0.75, 0.1], [0.8, 0.72, 0.1]]));
    const breakdown = await harness(rim({ active_judges: { process: true } })).run();
    expect(breakdown.judges[0]?.score).toBe(0.7);
  });

  it("runs all built-in judges when none is enabled and appends judge_prompt to every prompt", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.8, 0.1], [0.8, 0.8, 0.1]]),
      ...samples("helpfulness_judge", [[0.2, 0.6, 0.1], [0.5, 0.6, 0.1], [0.8, 0.6, 0.1]]),
    ]);
    const { run } = harness(
      rim({ active_judges: { process: false, helpfulness: false }, judge_prompt: "Units must be stated explicitly." }),
    );
    const breakdown = await run();
    expect(breakdown.judges.map((judge) => judge.identifier)).toEqual(["process", "helpfulness"]);
    expect(breakdown.score).toBeCloseTo(0.7, 12);
    for (const request of server.requests) {
      expect(request.messages[0]?.content).toContain("Units must be stated explicitly.");
    }
  });
});

describe("escalation to the arbiter", () => {
  it("escalates a judge whose samples disagree, calling the large model once at the arbiter temperature", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.9, 0.1], [0.5, 0.5, 0.1], [0.8, 0.7, 0.1]]),
      ...samples("helpfulness_judge", [[0.2, 0.6, 0.1], [0.5, 0.6, 0.1], [0.8, 0.6, 0.1]]),
      { caller: "process_arbiter", reply: judgement(0.65, 0.2, { json: { principles: [{ name: "Fidelity", weight: 2, description: "d" }], score: 0.65, rationale: "settled", uncertainty: 0.2 }, reasoning: "weighed both" }) },
    ]);
    const { events, records, run } = harness(rim());

    const breakdown = await run();

    const arbiterRequests = requestsBy("process_arbiter");
    expect(arbiterRequests).toHaveLength(1);
    expect(requestsBy("helpfulness_arbiter")).toHaveLength(0);
    const [arbiter] = arbiterRequests;
    expect(arbiter?.model).toBe("judge-large");
    expect(arbiter?.temperature).toBe(0.3);
    expect(arbiter?.response_format).toEqual({ type: "json_object" });
    expect(arbiter?.messages.map((message) => message.role)).toEqual(["user"]);
    const prompt = arbiter?.messages[0]?.content ?? "";
    expect(prompt).toContain("Escalation reason: tier1_variance_or_uncertainty");
    expect(prompt).toContain("Evaluation 1:\nPrinciples: ");
    expect(prompt).toContain("Score: 0.90\nUncertainty: 0.10\nRationale: scored 0.9");
    expect(prompt).toContain("Evaluation 3:");

    const [processJudge, helpfulnessJudge] = breakdown.judges;
    expect(processJudge).toMatchObject({
      identifier: "process",
      score: 0.65,
      rationale: "settled",
      principles: [{ name: "Fidelity", weight: 1, description: "d" }],
      escalated: true,
      escalation_reason: "tier1_variance_or_uncertainty",
    });
    expect(processJudge?.samples).toHaveLength(3);
    expect(helpfulnessJudge).toMatchObject({ score: 0.6, escalated: false });
    expect(breakdown.score).toBeCloseTo((0.65 + 0.6) / 2, 12);
    const rawProcess = (breakdown.raw as { judges: { reasoning: unknown }[] }).judges[0];
    expect(rawProcess?.reasoning).toEqual({ reasoning_content: "weighed both" });

    expect(events.map((event) => [event.type, "judge" in event ? event.judge : null])).toEqual([
      ["judge.sample", "process"],
      ["judge.sample", "process"],
      ["judge.sample", "process"],
      ["judge.sample", "helpfulness"],
      ["judge.sample", "helpfulness"],
      ["judge.sample", "helpfulness"],
      ["judge.escalated", "process"],
      ["arbiter.decision", "process"],
    ]);
    const escalated = events.find((event) => event.type === "judge.escalated");
    expect(escalated).toMatchObject({
      actor: "reward",
      stepId: 2,
      attempt: 1,
      reason: "tier1_variance_or_uncertainty",
      maxUncertainty: 0.1,
      varianceThreshold: 0.15,
      uncertaintyThreshold: 0.3,
    });
    expect(escalated && "spread" in escalated ? escalated.spread : null).toBeCloseTo(Math.sqrt(0.08 / 3), 9);
    expect(events.at(-1)).toMatchObject({ model: "judge-large", score: 0.65, rationale: "settled", failed: false });
    expect(records).toHaveLength(7);
    expect(records.filter((record) => record.stage === "arbiter:process")).toHaveLength(1);
    expect(records.every((record) => record.actor === "reward" && record.stepId === 2 && record.attempt === 1)).toBe(true);
  });

  it("escalates when one sample is too uncertain even though the scores agree", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.8, 0.45], [0.8, 0.8, 0.1]]),
      { caller: "process_arbiter", reply: judgement(0.7, 0.1) },
    ]);
    const { events, run } = harness(rim({ active_judges: { process: true } }));
    const breakdown = await run();
    expect(breakdown.judges[0]).toMatchObject({ score: 0.7, escalated: true, escalation_reason: "tier1_variance_or_uncertainty" });
    expect(events.find((event) => event.type === "judge.escalated")).toMatchObject({ spread: 0, maxUncertainty: 0.45 });
  });

  it("escalates with tier1_no_valid_samples when every sample is unusable", async () => {
    server.setRules([
      { caller: "process_judge", temperature: 0.2, reply: { content: "Looks good to me!" } },
      { caller: "process_judge", temperature: 0.5, reply: { malformed: true } },
      { caller: "process_judge", temperature: 0.8, reply: { json: { score: "high", rationale: "?", uncertainty: 0.1 } } },
      { caller: "process_arbiter", reply: judgement(0.55, 0.3) },
    ]);
    const { events, run } = harness(rim({ active_judges: { process: true } }));

    const breakdown = await run();

    expect(breakdown.judges[0]).toMatchObject({
      score: 0.55,
      samples: [],
      escalated: true,
      escalation_reason: "tier1_no_valid_samples",
      principles: PRINCIPLES,
    });
    expect(requestsBy("process_arbiter")[0]?.messages[0]?.content).toContain(NO_TIER1_SAMPLES_LINE);
    const sampleEvents = events.filter((event) => event.type === "judge.sample");
    expect(sampleEvents.map((event) => ("sample" in event ? event.sample : undefined))).toEqual([null, null, null]);
    const errors = sampleEvents.map((event) => ("error" in event ? event.error : null));
    expect(errors[0]).toMatch(/unusable judge reply: not valid JSON/);
    expect(errors[1]).toMatch(/rim\.small_model call to judge-small failed after 3 tries: malformed response body/);
    expect(errors[2]).toBe('unusable judge reply: score is not a number: "high"');
    expect(events.find((event) => event.type === "judge.escalated")).toMatchObject({
      reason: "tier1_no_valid_samples",
      spread: null,
      maxUncertainty: null,
    });
  });

  it("scores 0 with the fixed rationale when the arbiter fails", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.9, 0.1], [0.5, 0.3, 0.1], [0.8, 0.6, 0.1]]),
      { caller: "process_arbiter", reply: { content: "I cannot decide." } },
    ]);
    const { events, run } = harness(rim({ active_judges: { process: true } }));
    const breakdown = await run();
    expect(breakdown.score).toBe(0);
    expect(breakdown.judges[0]).toMatchObject({
      score: 0,
      rationale: ARBITER_FAILURE_RATIONALE,
      principles: PRINCIPLES,
      escalated: true,
    });
    expect(events.at(-1)).toMatchObject({ type: "arbiter.decision", failed: true, score: 0, rationale: ARBITER_FAILURE_RATIONALE });
  });

  it("scores 0 with the fixed rationale when the arbiter call itself fails", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.9, 0.1], [0.5, 0.3, 0.1], [0.8, 0.6, 0.1]]),
      { caller: "process_arbiter", reply: { status: 400, message: "context too long" } },
    ]);
    const breakdown = await harness(rim({ active_judges: { process: true } })).run();
    expect(breakdown.judges[0]).toMatchObject({ score: 0, rationale: ARBITER_FAILURE_RATIONALE });
    const raw = breakdown.raw as { judges: { reasoning: unknown }[] };
    expect(raw.judges[0]?.reasoning).toEqual({
      error: "rim.large_model call to judge-large failed after 1 try: HTTP 400: context too long",
    });
  });

  it("clamps scores outside [0, 1]", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 1.4, 0.1], [0.5, 1.4, 0.1], [0.8, 1.4, 0.1]]),
    ]);
    const breakdown = await harness(rim({ active_judges: { process: true } })).run();
    expect(breakdown.score).toBe(1);
    expect(breakdown.judges[0]?.score).toBe(1);
  });
});

describe("aggregation", () => {
  const agreeing = () => [
    ...samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.8, 0.1], [0.8, 0.8, 0.1]]),
    ...samples("helpfulness_judge", [[0.2, 0.4, 0.1], [0.5, 0.4, 0.1], [0.8, 0.4, 0.1]]),
  ];

  it("averages the judges by default", async () => {
    server.setRules(agreeing());
    expect((await harness(rim()).run()).score).toBeCloseTo(0.6, 12);
  });

  it("weights the judges with judge_weights", async () => {
    server.setRules(agreeing());
    const breakdown = await harness(rim({ judge_weights: { process: 3, helpfulness: 1 } })).run();
    expect(breakdown.score).toBeCloseTo((0.8 * 3 + 0.4) / 4, 12);
  });

  it("runs custom judges with their focus and weight, escalating them to their own arbiter", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.8, 0.1], [0.5, 0.8, 0.1], [0.8, 0.8, 0.1]]),
      ...samples("custom_judge", [[0.2, 1, 0.1], [0.5, 0.4, 0.1], [0.8, 0.9, 0.1]]),
      { caller: "custom_arbiter", reply: judgement(0.5, 0.1) },
    ]);
    const config = rim({
      active_judges: { process: true },
      custom_judges: [{ identifier: "factual_accuracy", prompt: "Reward outputs whose numbers match the source.", weight: 2 }],
    });
    const breakdown = await harness(config).run();

    expect(breakdown.judges.map((judge) => [judge.identifier, judge.score, judge.escalated])).toEqual([
      ["process", 0.8, false],
      ["factual_accuracy", 0.5, true],
    ]);
    expect(breakdown.score).toBeCloseTo((0.8 + 0.5 * 2) / 3, 12);
    const customRequests = requestsBy("custom_judge");
    expect(customRequests).toHaveLength(3);
    expect(customRequests.every((request) => request.customJudge === "factual_accuracy")).toBe(true);
    expect(customRequests[0]?.messages[0]?.content).toContain("Reward outputs whose numbers match the source.");
    expect(requestsBy("custom_arbiter")[0]?.customJudge).toBe("factual_accuracy");
  });
});

describe("breakdown shape and events", () => {
  it("keeps upstream's key order, carries reasoning only in raw, and validates against the shared schema", async () => {
    server.setRules([
      { caller: "process_judge", temperature: 0.2, reply: judgement(0.8, 0.1, { reasoning: "checked page 3" }) },
      ...samples("process_judge", [[0.5, 0.7, 0.1], [0.8, 0.6, 0.1]]),
      { caller: "helpfulness_judge", reply: judgement(0.9, 0.05, { reasoning: "guidance fixed the citation gap" }) },
    ]);
    const breakdown = await harness(rim({ variance_threshold: 1, uncertainty_threshold: 1 })).run();

    expect(RewardBreakdownSchema.parse(breakdown)).toEqual(breakdown);
    expect(Object.keys(breakdown)).toEqual(["score", "rationale", "judges", "raw"]);
    const judgeKeys = ["identifier", "score", "rationale", "principles", "samples", "escalated", "escalation_reason"];
    const sampleKeys = ["score", "rationale", "principles", "uncertainty", "temperature"];
    for (const judge of breakdown.judges) {
      expect(Object.keys(judge)).toEqual(judgeKeys);
      for (const sample of judge.samples) expect(Object.keys(sample)).toEqual(sampleKeys);
      for (const principle of judge.principles) expect(Object.keys(principle)).toEqual(["name", "weight", "description"]);
    }
    const raw = JSON.parse(JSON.stringify(breakdown.raw)) as {
      score: number;
      judges: { samples: Record<string, unknown>[]; reasoning: unknown }[];
    };
    expect(Object.keys(raw)).toEqual(["score", "judges"]);
    expect(raw.score).toBe(breakdown.score);
    for (const judge of raw.judges) {
      expect(Object.keys(judge)).toEqual([...judgeKeys, "reasoning"]);
      for (const sample of judge.samples) expect(Object.keys(sample)).toEqual([...sampleKeys, "reasoning"]);
    }
    expect(raw.judges[0]?.reasoning).toEqual({ reasoning_content: "checked page 3" });
    expect(raw.judges[0]?.samples[0]?.reasoning).toEqual({ reasoning_content: "checked page 3" });
    expect(raw.judges[1]?.reasoning).toEqual({ reasoning_content: "guidance fixed the citation gap" });
  });

  it("emits events that are valid trajectory events for the reward actor", async () => {
    server.setRules([
      ...samples("process_judge", [[0.2, 0.9, 0.1], [0.5, 0.4, 0.1]]),
      { caller: "process_judge", temperature: 0.8, reply: { content: "nope" } },
      { caller: "process_arbiter", reply: judgement(0.6, 0.1) },
    ]);
    const { events, run } = harness(rim({ active_judges: { process: true } }));
    await run();
    expect(events.map((event) => event.type)).toEqual([
      "judge.sample",
      "judge.sample",
      "judge.sample",
      "judge.escalated",
      "arbiter.decision",
    ]);
    events.forEach((event, index) => {
      const stored = TrajectoryEventSchema.parse({ ...event, sessionId: 1, seq: index + 1, ts: new Date(0).toISOString() });
      expect(stored).toMatchObject({ actor: "reward", stepId: 2, attempt: 1 });
    });
    expect(events.slice(0, 3).map((event) => ("temperature" in event ? event.temperature : null))).toEqual([0.2, 0.5, 0.8]);
    expect(events[0]).toMatchObject({ judge: "process", error: null, sample: { score: 0.9, temperature: 0.2 } });
    expect(events[2]).toMatchObject({ sample: null });
  });

  it("matches the upstream evaluator test: small 0.8/0.7/0.6, large 0.75, thresholds 1.0", async () => {
    server.setRules([
      ...[0.2, 0.5, 0.8].map((temperature, index) => ({
        caller: ["process_judge", "helpfulness_judge"] as CallerRole[],
        temperature,
        reply: judgement([0.8, 0.7, 0.6][index] ?? 0, 0.2, { reasoning: `confidence at ${temperature}` }),
      })),
      { caller: ["process_arbiter", "helpfulness_arbiter"], reply: judgement(0.75, 0.1) },
    ]);
    const breakdown = await harness(rim({ variance_threshold: 1, uncertainty_threshold: 1 })).run();
    expect(breakdown.score).toBeGreaterThanOrEqual(0);
    expect(breakdown.score).toBeLessThanOrEqual(1);
    for (const judge of breakdown.judges) {
      expect(judge.principles.length).toBeGreaterThan(0);
      expect(typeof judge.score).toBe("number");
    }
    for (const judge of (breakdown.raw as { judges: { reasoning: unknown }[] }).judges) expect(judge.reasoning).not.toBeNull();
  });
});

describe("cancellation and placeholders", () => {
  it("rejects with cancelled when aborted while judges are sampling, without calling the arbiter", async () => {
    server.setRules([{ caller: "process_judge", reply: { hang: true } }]);
    const controller = new AbortController();
    const { events, run } = harness(rim({ active_judges: { process: true } }));
    const pending = run(controller.signal);
    for (let waited = 0; server.requests.length < 3 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    await expect(pending).rejects.toSatisfy((error) => error instanceof AtlasError && error.code === "cancelled");
    expect(requestsBy("process_arbiter")).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it("builds the skipped and runtime-error placeholders", () => {
    expect(JSON.stringify(skippedReward("validation_failed"))).toBe(
      '{"score":0,"rationale":"validation_failed","judges":[],"raw":{"skipped":true,"reason":"validation_failed"}}',
    );
    expect(JSON.stringify(runtimeErrorReward("boom"))).toBe(
      '{"score":0,"rationale":"runtime_error","judges":[],"raw":{"error":"boom"}}',
    );
  });
});
