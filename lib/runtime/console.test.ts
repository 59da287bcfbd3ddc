import { describe, expect, it } from "vitest";
import { createConsoleRenderer, localTimestamp, shorten } from "./console";
import type { EventInput, StepEvaluation, TrajectoryEvent } from "@/lib/trajectory";
import { EventRecorder } from "./recorder";

const usage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0, calls: 0 };
const STARTED_AT = new Date(2026, 10, 25, 20, 36, 26);
const LONG_GUIDANCE =
  "Load dataset A before summarising; cite the source table explicitly in your reply. And also do more things to exceed 120 characters";

function evaluation(valid: boolean, guidance: string | null, judged: boolean): StepEvaluation {
  return {
    validation: { valid, guidance, status: "ok" },
    reward: judged
      ? { score: 0.8, rationale: null, judges: [], raw: {} }
      : { score: 0, rationale: "validation_failed", judges: [], raw: { skipped: true, reason: "validation_failed" } },
  };
}

function finished(stepId: number, attempt: number, valid: boolean, totalMs: number, guidance: string | null = null): EventInput {
  return {
    type: "attempt.finished",
    actor: "student",
    stepId,
    attempt,
    status: "ok",
    outcome: valid ? "accepted" : "retry",
    output: "",
    trace: "",
    structuredOutput: null,
    evaluation: evaluation(valid, guidance, valid),
    rewardSkipped: !valid,
    timingsMs: { student_ms: totalMs, validation_ms: 0, total_ms: totalMs },
    error: null,
    metadata: {},
  };
}

async function render(inputs: EventInput[]): Promise<{ lines: string[]; summary: string[] }> {
  const events: TrajectoryEvent[] = [];
  const recorder = new EventRecorder({ sessionId: 1, listeners: [(event) => events.push(event)], now: () => STARTED_AT });
  for (const input of inputs) await recorder.emit(input);
  await recorder.flush();
  const renderer = createConsoleRenderer();
  const lines = events.flatMap((event) => renderer.render(event));
  return { lines, summary: renderer.summary() };
}

const plan = {
  steps: [
    { id: 1, description: "gather dataset A", tool: null, tool_params: null, depends_on: [] },
    { id: 2, description: "synthesise findings", tool: null, tool_params: null, depends_on: [1] },
  ],
  execution_mode: "stepwise" as const,
};

describe("console renderer", () => {
  it("prints the compact STEP format with guidance after the retry's result and the completion block", async () => {
    const { lines, summary } = await render([
      { type: "session.started", actor: "system", task: "Summarize the Atlas SDK", configName: null, configHash: null, metadata: {} },
      { type: "plan.reviewed", actor: "teacher", mode: "stepwise", plan, originalPlan: plan, concerns: null, changes: [], cached: false },
      { type: "step.started", actor: "student", stepId: 1, description: "gather dataset A", dependsOn: [], tool: null, toolParams: null, level: 0 },
      { type: "attempt.started", actor: "student", stepId: 1, attempt: 1, guidance: [], context: {} },
      finished(1, 1, false, 1234.5, LONG_GUIDANCE),
      { type: "attempt.started", actor: "student", stepId: 1, attempt: 2, guidance: [LONG_GUIDANCE], context: {} },
      finished(1, 2, true, 2345.67),
      { type: "step.started", actor: "student", stepId: 2, description: "synthesise findings", dependsOn: [1], tool: null, toolParams: null, level: 1 },
      { type: "attempt.started", actor: "student", stepId: 2, attempt: 1, guidance: [], context: {} },
      { ...(finished(2, 1, false, 0) as object), error: "adapter exploded", status: "error" } as EventInput,
      { type: "session.completed", actor: "system", finalAnswer: "Summary: did it\nFinal Answer: 42", executionMode: "stepwise", usage, durationMs: 40 },
    ]);
    expect(lines).toEqual([
      "=== Atlas task started: Summarize the Atlas SDK (2026-11-25 20:36:26) ===",
      "STEP 1: gather dataset A | actor=student | attempt=1 | validation=FAIL (Load dataset A before summarising; cite the source table explicitly in your rep…) | duration=1234.5ms",
      "STEP 1: gather dataset A | actor=student | attempt=2 | validation=PASS (ok) | duration=2345.7ms",
      "STEP 1: gather dataset A | actor=teacher | attempt=2 | guidance=Load dataset A before summarising; cite the source table explicitly in your reply. And also do more things to exceed 12…",
      "STEP 2: synthesise findings | actor=student | attempt=1 | validation=ERROR (adapter exploded)",
      "=== Atlas task completed in 0.0s ===",
      "Plan:",
      "  1. gather dataset A",
      "  2. synthesise findings",
      "Final Answer:",
      "  Summary: did it",
      "  Final Answer: 42",
      "Summary | execution_mode=stepwise | total_runtime=0.0s | judge_calls=1",
      "  attempts: 1=2, 2=1",
    ]);
    expect(summary).toEqual(lines.slice(5));
  });

  it("prints the single-shot line instead of the plan", async () => {
    const { summary } = await render([
      { type: "session.started", actor: "system", task: "t", configName: null, configHash: null, metadata: {} },
      { type: "session.completed", actor: "system", finalAnswer: "done", executionMode: "single_shot", usage, durationMs: 1500 },
    ]);
    expect(summary.slice(0, 2)).toEqual(["=== Atlas task completed in 1.5s ===", "Single-shot mode executed; step loop skipped."]);
  });

  it("prints the failure line with the error (upstream test_console_streamer_failure_message)", async () => {
    const { summary } = await render([
      { type: "session.started", actor: "system", task: "t", configName: null, configHash: null, metadata: {} },
      { type: "session.failed", actor: "system", error: "Teacher plan review call failed: boom", finalAnswer: null, failedSteps: [], usage, durationMs: 2300 },
    ]);
    expect(summary).toEqual(["=== Atlas task failed after 2.3s: Teacher plan review call failed: boom ==="]);
  });

  it("prints a cancellation line", async () => {
    const { summary } = await render([
      { type: "session.cancelled", actor: "system", reason: "cancelled by the user", usage, durationMs: 100 },
    ]);
    expect(summary).toEqual(["=== Atlas task cancelled after 0.1s: cancelled by the user ==="]);
  });

  it("shortens with an ellipsis and formats local timestamps", () => {
    expect(shorten("abcdef", 4)).toBe("abc…");
    expect(shorten("abc", 4)).toBe("abc");
    expect(localTimestamp(new Date(2026, 0, 2, 3, 4, 5))).toBe("2026-01-02 03:04:05");
  });
});
