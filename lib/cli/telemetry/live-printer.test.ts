import { describe, expect, it } from "vitest";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { main } from "../main";
import { captureIO } from "../testing";
import { createLivePrinter } from "./live-printer";

const REPO = new URL("../../..", import.meta.url).pathname;
const DEMO = "configs/examples/demo_offline.yaml";

async function runOnTerminal(env: Record<string, string>, extra: string[] = []) {
  const capture = captureIO({ env, cwd: REPO, isTTY: true });
  const code = await main(["run", "--config", DEMO, "--task", "Plan a team offsite", ...extra], capture.io);
  return { code, text: capture.stdout(), lines: capture.stdout().split("\n"), stderr: capture.stderr() };
}

function indexOf(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no line matches ${pattern}:\n${lines.join("\n")}`);
  return index;
}

describe("atlas run on a terminal", () => {
  it("shows planning, the review, attempts with validation, guidance before the retry, judges, escalation, reward and counts", async () => {
    const { code, text, lines, stderr } = await runOnTerminal({ NO_COLOR: "1" }, ["--no-store"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(text).not.toContain("\u001b[");
    expect(lines.slice(0, 2)).toEqual(["▶ Atlas: Plan a team offsite", "… planning: the student drafts a plan"]);
    const review = indexOf(lines, /^✓ teacher review: mode=stepwise$/);
    expect(lines[review + 1]).toMatch(/^ {2}concerns: The final step depends on both earlier steps/);

    // Step 1: the failed validation, then the guidance, then the retry that receives it.
    const failed = indexOf(lines, /^ {2}STEP 1\.1 validation FAIL — List at least three concrete facts/);
    const guidance = indexOf(lines, /^ {2}STEP 1\.2 ↳ guidance before this retry: List at least three concrete facts/);
    const retry = indexOf(lines, /^ {2}STEP 1\.2 running…$/);
    const passed = indexOf(lines, /^ {2}STEP 1\.2 validation PASS$/);
    expect(failed).toBeLessThan(guidance);
    expect(guidance).toBeLessThan(retry);
    expect(retry).toBeLessThan(passed);

    // The judges per step, and the escalation line before the arbiter's decision it leads to.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}STEP 1\.2 judges: process \d\.\d\d \(3 samples\), helpfulness \d\.\d\d \(3 samples\) → reward \d\.\d\d$/));
    const escalation = indexOf(lines, /^ {2}STEP (\d)\.1 ⚠ escalation: judge process goes to the arbiter \(spread \d\.\d\d vs 0\.15/);
    const escalatedStep = /STEP (\d)/.exec(lines[escalation]!)![1];
    const arbiter = indexOf(lines, new RegExp(`^ {2}STEP ${escalatedStep}\\.1 ⚖ arbiter \\(atlas-demo-arbiter\\) decided process: \\d\\.\\d\\d$`));
    expect(escalation).toBeLessThan(arbiter);
    expect(lines[arbiter + 1]).toMatch(new RegExp(`^ {2}STEP ${escalatedStep}\\.1 judges: process \\d\\.\\d\\d \\(arbiter\\)`));
    for (const id of [1, 2, 3]) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^STEP ${id} ✓ succeeded · reward \\d\\.\\d\\d$`)));

    indexOf(lines, /^✓ session succeeded in \d+\.\ds$/);
    expect(lines).toContainEqual(expect.stringMatching(/^Session reward: \d\.\d\d — mean of 3 judged step\(s\)$/));
    // 3 steps × 2 judges × 3 samples, and the one escalation's arbiter call.
    expect(lines).toContainEqual(expect.stringMatching(/^Counts: judge samples=18 · arbiter calls=1 · LLM calls=\d+ · tokens=\d+ · cost=\$\d+\.\d{4}$/));
    expect(lines.at(-2)).toBe("Not stored (--no-store).");
  });

  it("colours the text unless NO_COLOR is set, and ends with the session id and its dashboard URL", async () => {
    const { code, text, lines } = await runOnTerminal({ ATLAS_DATA_DIR: "memory://", HOST: "0.0.0.0", PORT: "4567" });
    expect(code).toBe(0);
    expect(text).toContain("\u001b[32m✓\u001b[39m teacher review");
    expect(lines.at(-2)).toMatch(/^\u001b\[1mSession (\d+)\u001b\[22m: http:\/\/127\.0\.0\.1:4567\/sessions\/\1$/);
  });
});

describe("the live printer's session reward", () => {
  const envelope = { sessionId: 1, ts: "2026-01-01T00:00:00.000Z" };
  const usage = { promptTokens: 1, completionTokens: 2, reasoningTokens: 0, costUsd: 0, calls: 1 };
  const judgedStep = (stepId: number, score: number) =>
    ({
      ...envelope,
      seq: stepId,
      type: "step.finished",
      actor: "system",
      stepId,
      status: "succeeded",
      reason: null,
      result: { step_id: stepId, trace: "", output: "", attempts: 1, metadata: {}, evaluation: { validation: {}, reward: { score, rationale: null, judges: [], raw: {} } } },
    }) as TrajectoryEvent;

  it("calls a cancelled session's mean partial", () => {
    const printer = createLivePrinter({ colour: false });
    const lines = [judgedStep(1, 0.8), judgedStep(2, 0.6)].flatMap((event) => printer.render(event));
    expect(lines).toEqual(["STEP 1 ✓ succeeded · reward 0.80", "STEP 2 ✓ succeeded · reward 0.60"]);
    const end = printer.render({ ...envelope, seq: 3, type: "session.cancelled", actor: "system", reason: "Ctrl-C", usage, durationMs: 1200 });
    expect(end).toEqual([
      "■ session cancelled after 1.2s: Ctrl-C",
      "Session reward: 0.70 (partial) — mean of 2 judged step(s)",
      "Counts: judge samples=0 · arbiter calls=0 · LLM calls=0 · tokens=3 · cost=$0.0000",
    ]);
  });
});
