/**
 * The calls of a session, for the call inspector and the waterfall: summaries (and the session's tokens
 * and cost by role and by model) on one request, one call's request and reply on another, so the
 * session snapshot never carries prompts.
 */
import "server-only";
import { getCall, listCalls, slowestCall, sumCallUsage, sumUsageSince, type CallListRow, type CallUsageRow } from "@/lib/db/queries/calls";
import { getSessionById } from "@/lib/db/queries/sessions";
import type { CallRow } from "@/lib/db/schema";
import type { Queryable } from "@/lib/db/types";
import { AtlasError } from "@/lib/errors";
import type { CallDetail, CallList, CallListQuery, CallSummary, UsageGroup } from "@/lib/sessions/api-types";
import { callRoleOf, CallCaptureSchema } from "@/lib/trajectory";

export async function getSessionCalls(db: Queryable, sessionId: number, query: CallListQuery): Promise<CallList> {
  await requireSession(db, sessionId);
  const rows = query.fields === "usage" ? [] : await listCalls(db, { sessionId, ...(query.step === undefined ? {} : { stepId: query.step }), ...(query.attempt === undefined ? {} : { attempt: query.attempt }) });
  const usage = await sumCallUsage(db, sessionId);
  const slowest = await slowestCall(db, sessionId);
  return {
    calls: rows.map(summaryOf),
    slowest: slowest ? summaryOf(slowest) : null,
    usage: { byRole: groupUsage(usage, (row) => callRoleOf(row)), byModel: groupUsage(usage, (row) => row.model ?? "unknown") },
  };
}

export async function getSessionCall(db: Queryable, sessionId: number, callId: number): Promise<CallDetail> {
  await requireSession(db, sessionId);
  const row = await getCall(db, { sessionId, seq: callId });
  if (!row) throw new AtlasError("not_found", `call ${callId} of session ${sessionId} not found`);
  const parsed = CallCaptureSchema.safeParse(row.capture);
  return { ...summaryOf({ ...row, captured: row.capture !== null }), capture: parsed.success ? parsed.data : null };
}

/** Every session's model calls since `since`, by role (the overview page). */
export async function usageByRoleSince(db: Queryable, since: Date): Promise<UsageGroup[]> {
  const rows = await sumUsageSince(db, since);
  return groupUsage(
    rows.map((row) => ({ ...row, stage: row.arbiter ? "arbiter:" : "", model: null })),
    (row) => callRoleOf(row),
  );
}

async function requireSession(db: Queryable, sessionId: number): Promise<void> {
  if (!(await getSessionById(db, { id: sessionId }))) throw new AtlasError("not_found", `session ${sessionId} not found`);
}

function summaryOf(row: CallListRow | (Omit<CallRow, "capture"> & { captured: boolean })): CallSummary {
  return {
    id: row.seq,
    kind: row.kind === "agent" ? "agent" : "llm",
    actor: row.actor,
    role: callRoleOf(row),
    stage: row.stage,
    model: row.model,
    stepId: row.stepId,
    attempt: row.attempt,
    startedAt: new Date(row.startedAt).toISOString(),
    finishedAt: new Date(row.finishedAt).toISOString(),
    latencyMs: Number(row.latencyMs),
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    reasoningTokens: row.reasoningTokens,
    costUsd: Number(row.costUsd),
    tries: row.tries,
    error: row.error,
    captured: Boolean(row.captured),
  };
}

function groupUsage(rows: CallUsageRow[], keyOf: (row: CallUsageRow) => string): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const call of rows) {
    const key = keyOf(call);
    const group = groups.get(key) ?? { key, calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, costUsd: 0 };
    group.calls += call.calls;
    group.promptTokens += call.promptTokens;
    group.completionTokens += call.completionTokens;
    group.reasoningTokens += call.reasoningTokens;
    group.costUsd += call.costUsd;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.costUsd - a.costUsd || b.promptTokens + b.completionTokens - (a.promptTokens + a.completionTokens));
}
