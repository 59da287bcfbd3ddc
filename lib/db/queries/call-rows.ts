import "server-only";
import type { TrajectoryEvent } from "@/lib/trajectory";
import type { calls } from "../schema";

/** The `calls` row of an `llm.call` or `agent.call` event; the call started `latencyMs` before the event. */
export function callRowOf(event: TrajectoryEvent): typeof calls.$inferInsert | null {
  if (event.type !== "llm.call" && event.type !== "agent.call") return null;
  const finishedAt = new Date(event.ts);
  const common = {
    sessionId: event.sessionId,
    seq: event.seq,
    actor: event.actor,
    stepId: event.stepId ?? null,
    attempt: event.attempt ?? null,
    startedAt: new Date(finishedAt.getTime() - event.latencyMs),
    finishedAt,
    latencyMs: event.latencyMs,
    error: event.error,
    capture: event.capture ?? null,
  };
  if (event.type === "agent.call") return { ...common, kind: "agent", stage: event.mode, model: null };
  return {
    ...common,
    kind: "llm",
    stage: event.stage,
    model: event.model,
    promptTokens: event.promptTokens,
    completionTokens: event.completionTokens,
    reasoningTokens: event.reasoningTokens,
    costUsd: event.costUsd,
    tries: event.tries,
  };
}
