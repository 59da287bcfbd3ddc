import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assembleSessionRecord, buildReward } from "./record";
import { serializeRecord } from "./serialize";
import { withoutAtlasAdditions } from "./testing/normalize";
import type { SessionBundle, SessionRowForExport, StepRowForExport } from "./types";

const appendixB = JSON.parse(
  readFileSync(new URL("./testing/upstream-appendix-b.jsonl", import.meta.url), "utf8").trim(),
) as Record<string, unknown>;

/** The stored rows behind the upstream sample record (lib/export/testing/upstream-appendix-b.jsonl), shaped as `core._persist_results` writes them. */
function appendixBundle(): SessionBundle {
  const validation1 = { valid: true, guidance: null, status: "ok", artifacts: {}, deliverable: "Revenue was 10M", text: "Revenue was 10M" };
  const judge1 = {
    identifier: "process",
    score: 0.8,
    rationale: "clear",
    principles: [{ name: "Accuracy", weight: 1.0, description: "facts" }],
    samples: [],
    escalated: true,
    escalation_reason: "tier1_no_valid_samples",
  };
  const reward1 = { score: 0.8, rationale: null, judges: [judge1], raw: { score: 0.8, judges: [{ ...judge1, reasoning: null }] } };
  const evaluation1 = { validation: validation1, reward: reward1 };
  const rejected = {
    validation: { valid: false, guidance: "Cite the source table.", status: "ok", artifacts: {}, deliverable: "Revenue ~10M", text: "Revenue ~10M" },
    reward: { score: 0.0, rationale: "validation_failed", judges: [], raw: { skipped: true, reason: "validation_failed" } },
  };
  const metadata1 = {
    reasoning: [{ origin: "student", payload: { content: "Revenue was 10M" } }],
    status: "ok",
    artifacts: {},
    deliverable: "Revenue was 10M",
    result: { deliverable: "Revenue was 10M", artifacts: {} },
    structured_output: {
      status: "ok",
      deliverable: "Revenue was 10M",
      artifacts: {},
      result: { deliverable: "Revenue was 10M", artifacts: {} },
      text: "Revenue was 10M",
    },
    text: "Revenue was 10M",
    runtime: { reward_skipped: false, timings_ms: { student_ms: 812.4, validation_ms: 640.2, reward_ms: 1530.9, total_ms: 2983.5 } },
  };
  const judge2 = {
    identifier: "process",
    score: 0.9,
    rationale: "concise",
    principles: [{ name: "Faithfulness", weight: 1.0, description: "matches step 1" }],
    samples: [{ score: 0.9, rationale: "ok", principles: [], uncertainty: 0.1, temperature: 0.2 }],
    escalated: false,
    escalation_reason: null,
  };
  const reward2 = {
    score: 0.9,
    rationale: null,
    judges: [judge2],
    raw: {
      score: 0.9,
      judges: [{ ...judge2, reasoning: { thinking_blocks: [] }, samples: [{ ...judge2.samples[0], reasoning: null }] }],
    },
  };
  const validation2 = { valid: true, guidance: null, status: "ok", artifacts: {}, deliverable: "Summary", text: "Summary" };
  const attempt = (attemptNumber: number, evaluation: unknown) => ({
    attempt: attemptNumber,
    evaluation,
    status: null,
    outcome: null,
    output: null,
    trace: null,
    timingsMs: null,
    rewardSkipped: null,
    rewardScore: null,
  });
  const step = (overrides: Partial<StepRowForExport>): StepRowForExport => ({
    stepId: 1,
    description: "",
    status: "succeeded",
    trace: null,
    output: null,
    evaluation: null,
    attempts: null,
    metadata: null,
    startedAt: null,
    completedAt: null,
    attemptRows: [],
    guidance: [],
    ...overrides,
  });
  const session: SessionRowForExport = {
    id: 7,
    task: "Report revenue",
    status: "succeeded",
    metadata: { source: "demo" },
    finalAnswer: "Summary: ...\nFinal Answer: Revenue was 10M",
    error: null,
    executionMode: "stepwise",
    configName: null,
    configHash: null,
    createdAt: "2025-10-09T12:00:00.000000+00:00",
    startedAt: null,
    completedAt: "2025-10-09T12:01:00.000000+00:00",
    durationMs: null,
    rewardScore: 0.85,
    judgeOutcomes: 2,
    escalations: 1,
    promptTokens: 0,
    completionTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    llmCalls: 0,
    source: "run",
    plan: {
      steps: [
        { id: 1, description: "Collect the figures", tool: null, tool_params: null, depends_on: [] },
        { id: 2, description: "Summarise", tool: null, tool_params: null, depends_on: [1] },
      ],
      execution_mode: "stepwise",
    },
    originalPlan: null,
    review: null,
  };
  return {
    session,
    steps: [
      step({
        stepId: 1,
        trace: "HUMAN: Step ID: 1 ...\nAI: Revenue was 10M",
        output: "Revenue was 10M",
        evaluation: evaluation1,
        attempts: 2,
        metadata: metadata1,
        attemptRows: [attempt(1, rejected), attempt(2, evaluation1)],
        guidance: [{ sequence: 1, note: "Cite the source table.", forAttempt: 2 }],
      }),
      step({ stepId: 2, trace: "AI: done", output: "Summary", evaluation: { validation: validation2, reward: reward2 }, attempts: 1 }),
    ],
    events: [
      {
        id: 101,
        event: {
          parent_id: "root",
          function_ancestry: { function_id: "root", function_name: "root", parent_id: null, parent_name: null },
          payload: {
            event_type: "WORKFLOW_START",
            event_timestamp: 1760000000.0,
            span_event_timestamp: null,
            framework: null,
            name: "orchestration",
            tags: null,
            metadata: null,
            data: { input: { task: "Report revenue" }, output: null, chunk: null },
            usage_info: null,
            UUID: "9b1c",
          },
        },
        createdAt: "2025-10-09T12:00:01.000000+00:00",
      },
    ],
    eventTotal: 1,
  };
}

describe("assembleSessionRecord", () => {
  it("writes the upstream sample record byte for byte (key order included) once our additive keys are taken out", () => {
    const record = assembleSessionRecord(appendixBundle());
    expect(JSON.stringify(withoutAtlasAdditions(record))).toBe(JSON.stringify(appendixB));
  });

  it("serialises exactly like JSON.stringify, sharing the repeated subtrees", () => {
    const record = assembleSessionRecord(appendixBundle());
    expect(serializeRecord(record)).toBe(JSON.stringify(record));
    const step = record.steps[0]!;
    expect(step.reward.raw).toBe((step.metadata.raw_evaluation as { reward: unknown }).reward);
    expect(step.attempt_history).toBe(step.metadata.attempt_details);
    expect(record.trajectory_events).toBe(record.session_metadata.trajectory_events);
  });

  it("puts step keys in upstream order and lifts metadata keys", () => {
    const record = assembleSessionRecord(appendixBundle());
    expect(Object.keys(record)).toEqual(["task", "final_answer", "plan", "steps", "session_metadata", "trajectory_events"]);
    expect(Object.keys(record.steps[0]!)).toEqual([
      "step_id", "description", "trace", "output", "reward", "tool", "tool_params", "context", "validation", "attempts",
      "guidance", "artifacts", "deliverable", "runtime", "reasoning", "status", "result", "structured_output", "text",
      "attempt_history", "attempt_details", "raw_evaluation", "depends_on", "atlas", "metadata",
    ]);
    expect(Object.keys(record.steps[0]!.reward)).toEqual(["score", "judges", "rationale", "raw"]);
    // As upstream: the whole stored reward object, its own `raw` nested inside.
    expect(record.steps[0]!.reward.raw).toMatchObject({ score: 0.8, raw: { judges: [{ reasoning: null }] } });
    expect(record.steps[1]!.context.prior_results).toEqual({ "1": { output_text: "Revenue was 10M", artifacts: {}, status: "ok" } });
    expect(record.session_metadata.trajectory_events).toEqual(record.trajectory_events);
  });

  it("adds our session block and never drops the truncation fact", () => {
    const bundle = appendixBundle();
    bundle.eventTotal = 5;
    const atlas = assembleSessionRecord(bundle).session_metadata.atlas as Record<string, unknown>;
    expect(atlas).toMatchObject({ schema_version: 1, source: "run", reward_score: 0.85, judging: { judge_outcomes: 2, escalations: 1 } });
    expect(atlas.trajectory_events_truncated).toEqual({ kept: 1, total: 5 });
    expect("trajectory_events_truncated" in (assembleSessionRecord(appendixBundle()).session_metadata.atlas as object)).toBe(false);
  });

  it("omits trajectory_events when there are none and keeps user metadata keys upstream keeps", () => {
    const bundle = appendixBundle();
    bundle.events = [];
    bundle.eventTotal = 0;
    bundle.session.metadata = { status: "custom", created_at: "", tenant: "acme" };
    const record = assembleSessionRecord(bundle);
    expect("trajectory_events" in record).toBe(false);
    expect(record.session_metadata).toMatchObject({ status: "custom", created_at: "2025-10-09T12:00:00+00:00", tenant: "acme" });
    expect("trajectory_events" in record.session_metadata).toBe(false);
  });

  it("coerces odd stored values the way the Python exporter does", () => {
    const bundle = appendixBundle();
    bundle.session.metadata = ["a", "b"];
    bundle.session.plan = { steps: [{ id: "2", description: "raw step", tool: "search", tool_params: "q" }] };
    bundle.steps[1]!.evaluation = null;
    bundle.steps[1]!.metadata = [1, 2];
    const record = assembleSessionRecord(bundle);
    expect(record.session_metadata).toMatchObject({ "0": "a", "1": "b" });
    // Invalid plan (string id): kept raw, its steps still found by int(id).
    expect(record.plan).toEqual({ steps: [{ id: "2", description: "raw step", tool: "search", tool_params: "q" }] });
    const step2 = record.steps[1]!;
    expect(step2.tool).toBe("search");
    expect(step2.tool_params).toEqual({ q: "q" });
    expect(step2.metadata).toMatchObject({ raw: [1, 2], raw_evaluation: { raw: null } });
    expect(step2.reward).toEqual({ score: 0, judges: [], rationale: null, raw: {} });
    expect(step2.validation).toEqual({});
  });

  it("builds typed judges without reasoning and keeps the stored reward whole", () => {
    const reward = buildReward({
      score: "0.7",
      judges: [{ identifier: "process", score: 0.7, samples: [{ score: 0.6, uncertainty: "x", reasoning: "r" }], reasoning: {} }],
    });
    expect(reward.score).toBe(0.7);
    expect(reward.judges[0]).toEqual({
      identifier: "process",
      score: 0.7,
      rationale: "",
      principles: [],
      samples: [{ score: 0.6, rationale: "", principles: [], uncertainty: null, temperature: null }],
      escalated: false,
      escalation_reason: null,
    });
    expect((reward.raw.judges as { reasoning: unknown }[])[0]!.reasoning).toEqual({});
  });
});
