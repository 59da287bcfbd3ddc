/**
 * What `atlas run` prints live on a terminal: planning, the teacher's review, each attempt with its
 * validation, the guidance before the retry that uses it, the judges' scores per step with a line per
 * escalation, the session reward and the totals. A pure event → lines printer, so a test can feed it
 * a recorded event stream and read the text.
 */
import { rewardScoreOf, sessionRewardOf, type EventOf, type TrajectoryEvent } from "@/lib/trajectory";
import { palette, type Palette } from "./colours";
import { shorten } from "@/lib/runtime/console";

export interface LivePrinter {
  /** The lines this event prints (possibly none), without trailing newlines. */
  render(event: TrajectoryEvent): string[];
  /** After the run: where the session is kept (null: not stored) and the dashboard that shows it. */
  footer(sessionId: number | null, dashboardUrl: string): string[];
}

const TEXT_LIMIT = 160;

interface JudgeTally {
  samples: number;
  arbiterCalls: number;
  judgedSteps: number[];
}

export function createLivePrinter(options: { colour: boolean }): LivePrinter {
  const paint = palette(options.colour);
  const descriptions = new Map<number, string>();
  /** Samples per judge of the attempt being judged, keyed `step:attempt`. */
  const samples = new Map<string, Map<string, number[]>>();
  const tally: JudgeTally = { samples: 0, arbiterCalls: 0, judgedSteps: [] };
  let llmCalls = 0;

  const step = (event: { stepId?: number }) => `STEP ${event.stepId ?? "?"}`;
  // Parallel steps interleave: every attempt-level line says which step and attempt it belongs to.
  const at = (event: { stepId?: number; attempt?: number }) => `  ${step(event)}.${event.attempt ?? 1}`;
  const key = (event: { stepId?: number; attempt?: number }) => `${event.stepId ?? 0}:${event.attempt ?? 1}`;

  function render(event: TrajectoryEvent): string[] {
    switch (event.type) {
      case "session.started":
        return [paint.bold(`▶ Atlas: ${shorten(event.task, TEXT_LIMIT)}`), paint.dim("… planning: the student drafts a plan")];
      case "session.queued":
        return [paint.dim(`… queued at position ${event.position} (${event.runningLimit} run at a time)`)];
      case "plan.drafted":
        return [`${paint.green("✓")} plan drafted: ${event.plan.steps.length} step(s)${event.fallback ? paint.yellow(" (fallback: the reply was not a usable plan)") : ""}`, paint.dim("… the teacher reviews the plan")];
      case "plan.reviewed":
        return planReviewed(event, paint, descriptions);
      case "step.started":
        if (event.stepId !== undefined) descriptions.set(event.stepId, event.description);
        return [paint.cyan(`${step(event)} ▸ ${shorten(event.description, TEXT_LIMIT)}`) + dependsOn(event.dependsOn, paint)];
      case "attempt.started": {
        const guidance = event.guidance.at(-1);
        const lines = [];
        if ((event.attempt ?? 1) > 1 && guidance !== undefined) {
          lines.push(`${at(event)} ${paint.yellow("↳ guidance")} before this retry: ${shorten(guidance, TEXT_LIMIT)}`);
        }
        lines.push(paint.dim(`${at(event)} running…`));
        return lines;
      }
      case "validation":
        return [
          `${at(event)} validation ${event.valid ? paint.green("PASS") : paint.red("FAIL")}` +
            (event.valid || !event.guidance ? "" : ` — ${shorten(event.guidance, TEXT_LIMIT)}`),
        ];
      case "judge.sample": {
        tally.samples += 1;
        const perJudge = samples.get(key(event)) ?? new Map<string, number[]>();
        samples.set(key(event), perJudge);
        if (event.sample) perJudge.set(event.judge, [...(perJudge.get(event.judge) ?? []), event.sample.score]);
        return [];
      }
      case "judge.escalated":
        return [
          `${at(event)} ${paint.yellow("⚠ escalation")}: judge ${event.judge} goes to the arbiter (` +
            (event.reason === "tier1_no_valid_samples"
              ? "no usable tier-1 sample"
              : `spread ${fixed(event.spread)} vs ${fixed(event.varianceThreshold)}, uncertainty ${fixed(event.maxUncertainty)} vs ${fixed(event.uncertaintyThreshold)}`) +
            ")",
        ];
      case "arbiter.decision":
        tally.arbiterCalls += 1;
        return [`${at(event)} ${paint.yellow("⚖ arbiter")} (${event.model}) decided ${event.judge}: ${event.failed ? paint.red("failed") : event.score.toFixed(2)}`];
      case "reward":
        return event.skipped ? [] : [`${at(event)} ${judgeLine(event, samples.get(key(event)), paint)}`];
      case "attempt.finished":
        return [`${at(event)} ${attemptLine(event, paint)}`];
      case "step.finished":
        return [stepFinished(event, paint, tally)];
      case "llm.call":
        llmCalls += 1;
        return [];
      case "session.completed":
      case "session.failed":
      case "session.cancelled":
        return sessionEnd(event, paint, tally, llmCalls);
      default:
        return [];
    }
  }

  function footer(sessionId: number | null, dashboardUrl: string): string[] {
    if (sessionId === null) return [paint.dim("Not stored (--no-store).")];
    return [`${paint.bold(`Session ${sessionId}`)}: ${dashboardUrl}/sessions/${sessionId}`];
  }

  return { render, footer };
}

function planReviewed(event: EventOf<"plan.reviewed">, paint: Palette, descriptions: Map<number, string>): string[] {
  for (const planned of event.plan.steps) descriptions.set(planned.id, planned.description);
  const lines = [`${paint.green("✓")} teacher review: mode=${event.mode}${event.cached ? " (cached)" : ""}`];
  if (event.concerns) lines.push(`  concerns: ${shorten(event.concerns, TEXT_LIMIT)}`);
  for (const change of event.changes) lines.push(`  change: ${shorten(change, TEXT_LIMIT)}`);
  for (const planned of event.plan.steps) lines.push(paint.dim(`  ${planned.id}. ${shorten(planned.description, TEXT_LIMIT)}`));
  return lines;
}

function dependsOn(ids: number[], paint: Palette): string {
  return ids.length === 0 ? "" : paint.dim(` (after ${ids.join(", ")})`);
}

function judgeLine(event: EventOf<"reward">, perJudge: Map<string, number[]> | undefined, paint: Palette): string {
  const judges = event.breakdown.judges.map((judge) => {
    const count = perJudge?.get(judge.identifier)?.length ?? judge.samples.length;
    return `${judge.identifier} ${judge.score.toFixed(2)}${judge.escalated ? " (arbiter)" : ` (${count} samples)`}`;
  });
  return `judges: ${judges.join(", ")} → ${paint.bold(`reward ${event.score.toFixed(2)}`)}`;
}

function attemptLine(event: EventOf<"attempt.finished">, paint: Palette): string {
  const seconds = `${(event.timingsMs.total_ms / 1000).toFixed(1)}s`;
  const outcome =
    event.outcome === "accepted" ? paint.green("accepted") : event.outcome === "retry" ? paint.yellow("retry") : paint.red(event.outcome);
  const error = event.error ? ` — ${paint.red(shorten(event.error, TEXT_LIMIT))}` : "";
  return `→ ${outcome} (${seconds})${error}`;
}

function stepFinished(event: EventOf<"step.finished">, paint: Palette, tally: JudgeTally): string {
  const score = event.status === "succeeded" ? rewardScoreOf(event.result.evaluation) : null;
  if (score !== null && event.stepId !== undefined) tally.judgedSteps.push(score);
  const mark = event.status === "succeeded" ? paint.green("✓") : event.status === "skipped" ? paint.dim("↷") : paint.red("✗");
  const reason = event.reason ? ` — ${shorten(event.reason, TEXT_LIMIT)}` : "";
  return `STEP ${event.stepId ?? "?"} ${mark} ${event.status}${score !== null ? ` · reward ${score.toFixed(2)}` : ""}${reason}`;
}

function sessionEnd(
  event: EventOf<"session.completed" | "session.failed" | "session.cancelled">,
  paint: Palette,
  tally: JudgeTally,
  llmCalls: number,
): string[] {
  const status = event.type === "session.completed" ? "succeeded" : event.type === "session.failed" ? "failed" : "cancelled";
  const mean = tally.judgedSteps.length === 0 ? null : tally.judgedSteps.reduce((sum, score) => sum + score, 0) / tally.judgedSteps.length;
  const reward = sessionRewardOf(status, mean);
  const head =
    status === "succeeded"
      ? paint.green(`✓ session succeeded in ${seconds(event.durationMs)}`)
      : status === "failed"
        ? paint.red(`✗ session failed after ${seconds(event.durationMs)}: ${(event as EventOf<"session.failed">).error}`)
        : paint.yellow(`■ session cancelled after ${seconds(event.durationMs)}: ${(event as EventOf<"session.cancelled">).reason}`);
  const rewardText = reward.score === null ? "—" : `${reward.score.toFixed(2)}${reward.qualifier ? ` (${reward.qualifier})` : ""}`;
  const { usage } = event;
  const finalAnswer = event.type === "session.cancelled" ? null : event.finalAnswer;
  return [
    head,
    ...(finalAnswer ? ["Final answer:", ...finalAnswer.split("\n").map((line) => `  ${line}`)] : []),
    `${paint.bold("Session reward")}: ${rewardText} — mean of ${tally.judgedSteps.length} judged step(s)`,
    `Counts: judge samples=${tally.samples} · arbiter calls=${tally.arbiterCalls} · LLM calls=${llmCalls} · ` +
      `tokens=${usage.promptTokens + usage.completionTokens + usage.reasoningTokens} · cost=$${usage.costUsd.toFixed(4)}`,
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function fixed(value: number | null): string {
  return value === null ? "—" : value.toFixed(2);
}
