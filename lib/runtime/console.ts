/**
 * Terminal telemetry (one compact `STEP n:` line per step, not upstream's multi-line blocks): a pure
 * event → lines renderer. It keeps only what it needs to print later lines (descriptions, the guidance
 * that led to each attempt, the plan, attempt counts).
 */
import type { EventOf, ExecutionMode, Plan, TrajectoryEvent } from "@/lib/trajectory";

export interface ConsoleRenderer {
  /** The lines this event prints (possibly none), without trailing newlines. */
  render(event: TrajectoryEvent): string[];
  /** The completion/failure block: what a non-streaming run prints at the end. */
  summary(): string[];
}

const GUIDANCE_LIMIT = 120;
const REASON_LIMIT = 80;

export function createConsoleRenderer(): ConsoleRenderer {
  let task = "";
  let plan: Plan | null = null;
  let executionMode: ExecutionMode = "stepwise";
  let terminal: TrajectoryEvent | null = null;
  const descriptions = new Map<number, string>();
  /** Guidance shown to an attempt, keyed `step:attempt`: printed after that attempt's result line. */
  const guidanceForAttempt = new Map<string, string>();
  const attemptsByStep = new Map<number, number>();
  let judgeCalls = 0;

  const describe = (stepId: number | undefined) =>
    stepId === undefined ? "step" : (descriptions.get(stepId) ?? `step ${stepId}`);

  function onAttemptFinished(event: EventOf<"attempt.finished">): string[] {
    const stepId = event.stepId ?? 0;
    const attempt = event.attempt ?? 1;
    attemptsByStep.set(stepId, Math.max(attemptsByStep.get(stepId) ?? 0, attempt));
    if (!event.rewardSkipped) judgeCalls += 1;
    const prefix = `STEP ${stepId}: ${describe(stepId)} | actor=student | attempt=${attempt}`;
    const lines: string[] = [];
    if (event.error !== null) {
      lines.push(`${prefix} | validation=ERROR (${shorten(event.error, REASON_LIMIT)})`);
    } else {
      const valid = event.evaluation.validation.valid === true;
      const guidance = event.evaluation.validation.guidance;
      const reason = valid ? event.status : typeof guidance === "string" && guidance !== "" ? guidance : event.status;
      lines.push(
        `${prefix} | validation=${valid ? "PASS" : "FAIL"} (${shorten(reason, REASON_LIMIT)}) | duration=${event.timingsMs.total_ms.toFixed(1)}ms`,
      );
    }
    const note = guidanceForAttempt.get(`${stepId}:${attempt}`);
    if (note !== undefined) {
      lines.push(`STEP ${stepId}: ${describe(stepId)} | actor=teacher | attempt=${attempt} | guidance=${note}`);
    }
    return lines;
  }

  function summary(): string[] {
    if (!terminal) return [];
    if (terminal.type === "session.failed") {
      const lines = [`=== Atlas task failed after ${seconds(terminal.durationMs)}s: ${terminal.error} ===`];
      if (terminal.finalAnswer) lines.push("Final Answer:", ...indent(terminal.finalAnswer));
      return lines;
    }
    if (terminal.type === "session.cancelled") {
      return [`=== Atlas task cancelled after ${seconds(terminal.durationMs)}s: ${terminal.reason} ===`];
    }
    if (terminal.type !== "session.completed") return [];
    const lines = [`=== Atlas task completed in ${seconds(terminal.durationMs)}s ===`];
    if (terminal.executionMode === "single_shot") {
      lines.push("Single-shot mode executed; step loop skipped.");
    } else {
      lines.push("Plan:", ...(plan?.steps ?? []).map((step) => `  ${step.id}. ${step.description}`));
    }
    lines.push("Final Answer:", ...indent(terminal.finalAnswer));
    lines.push(
      `Summary | execution_mode=${terminal.executionMode ?? executionMode} | total_runtime=${seconds(terminal.durationMs)}s | judge_calls=${judgeCalls}`,
    );
    const attempts = [...attemptsByStep].sort(([a], [b]) => a - b);
    if (attempts.length > 0) lines.push(`  attempts: ${attempts.map(([id, n]) => `${id}=${n}`).join(", ")}`);
    return lines;
  }

  function render(event: TrajectoryEvent): string[] {
    switch (event.type) {
      case "session.started":
        task = event.task;
        return [`=== Atlas task started: ${task} (${localTimestamp(new Date(event.ts))}) ===`];
      case "plan.reviewed":
        plan = event.plan;
        executionMode = event.mode;
        for (const step of event.plan.steps) descriptions.set(step.id, step.description);
        return [];
      case "step.started":
        if (event.stepId !== undefined) descriptions.set(event.stepId, event.description);
        return [];
      case "attempt.started": {
        const last = event.guidance.at(-1);
        if (last !== undefined && event.stepId !== undefined && event.attempt !== undefined) {
          guidanceForAttempt.set(`${event.stepId}:${event.attempt}`, shorten(last, GUIDANCE_LIMIT));
        }
        return [];
      }
      case "attempt.finished":
        return onAttemptFinished(event);
      case "session.completed":
        executionMode = event.executionMode;
        terminal = event;
        return summary();
      case "session.failed":
      case "session.cancelled":
        terminal = event;
        return summary();
      default:
        return [];
    }
  }

  return { render, summary };
}

/** Keeps `limit - 1` characters and adds `…`. */
export function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function indent(text: string): string[] {
  return text.split("\n").map((line) => `  ${line}`);
}

/** `YYYY-MM-DD HH:MM:SS` in local time. */
export function localTimestamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
