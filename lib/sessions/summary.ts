import "server-only";
import type { SessionListRow } from "@/lib/db/queries/session-views";
import type { SessionStatus } from "@/lib/trajectory";
import type { SessionSummary } from "./api-types";

export function toSessionSummary(row: SessionListRow): SessionSummary {
  return {
    id: row.id,
    task: row.task,
    status: row.status as SessionStatus,
    source: row.source,
    configName: row.configName,
    configVersion: row.configVersion,
    createdAt: row.createdAt.toISOString(),
    startedAt: isoOrNull(row.startedAt),
    completedAt: isoOrNull(row.completedAt),
    durationMs: row.durationMs,
    stepCount: row.stepCount,
    attemptCount: row.attemptCount,
    rewardScore: row.rewardScore,
    escalations: row.escalations,
    judgeOutcomes: row.judgeOutcomes,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    reasoningTokens: row.reasoningTokens,
    costUsd: row.costUsd,
    llmCalls: row.llmCalls,
    error: row.error,
  };
}

export function isoOrNull(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}
