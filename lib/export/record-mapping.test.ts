/**
 * The upstream SDK's records keep their own mapping (they carry no event log of ours), so the mapping is
 * held to the projection: a generated session exported in the upstream shape (our additions taken out,
 * no events) and imported gives what the projection gives for the same events, in every field that shape
 * carries — the final answer, plan, steps with their outputs, evaluations, metadata, statuses and rewards,
 * attempts with their outcomes and rewards, guidance, and the session's status, times, counts and reward.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { getSessionDetail } from "@/lib/sessions/detail";
import { buildSessionEvents, type SessionScript } from "@/lib/session-view/testing/session-events";
import { applyEvents, type JsonObject, type SessionDetail } from "@/lib/trajectory";
import { exportFilters } from "./filters";
import { importLines } from "./import";
import type { NumberedLine } from "./lines";
import { exportLines } from "./stream";
import { withoutAtlasAdditions } from "./testing/normalize";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

const SCENARIOS: { name: string; script: Omit<SessionScript, "sessionId"> }[] = [
  { name: "a run with retried steps and escalated judges", script: { steps: 5, attempts: 2, judges: ["process", "helpfulness"], toolCalls: 1 } },
  { name: "a run whose last step failed", script: { steps: 3, attempts: 3, judges: ["process"], ending: "failed", endsAtStep: 3 } },
];

/** The fields of a session's state an upstream record carries. */
function carried(detail: SessionDetail) {
  const { session } = detail;
  return {
    session: {
      task: session.task,
      status: session.status,
      finalAnswer: session.finalAnswer ?? "",
      createdAt: session.createdAt,
      completedAt: session.completedAt,
      executionMode: session.executionMode,
      stepCount: session.stepCount,
      attemptCount: session.attemptCount,
      // A mean of 4-byte reals in SQL against one of doubles.
      rewardScore: session.rewardScore === null ? null : Math.round(session.rewardScore * 1e6),
    },
    plan: detail.plan?.plan ?? null,
    steps: detail.steps.map((step) => ({
      stepId: step.stepId,
      description: step.description,
      status: step.status,
      output: step.output,
      trace: step.trace,
      evaluation: step.evaluation,
      attempts: step.attempts,
      metadata: step.metadata,
      rewardScore: step.rewardScore,
      guidance: step.guidance,
      attemptDetails: step.attemptDetails.map((attempt) => ({
        attempt: attempt.attempt,
        outcome: attempt.outcome,
        evaluation: attempt.evaluation,
        rewardSkipped: attempt.rewardSkipped,
        rewardScore: attempt.rewardScore,
      })),
    })),
  };
}

/** The record the Python exporter would write: no `atlas` blocks or attempt extras, and no event log of ours. */
function upstreamShape(line: string): string {
  const record = withoutAtlasAdditions(JSON.parse(line) as JsonObject);
  delete record.trajectory_events;
  delete (record.session_metadata as JsonObject).trajectory_events;
  return JSON.stringify(record);
}

async function* numbered(lines: string[]): AsyncGenerator<NumberedLine> {
  for (const [index, text] of lines.entries()) yield { number: index + 1, text };
}

describe.each(drivers)("the upstream record mapping against the projection on $driver", ({ driver, skip }) => {
  if (skip) console.warn(`upstream mapping parity on ${driver} skipped: ${skip}`);
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    if (!skip) [source, target] = await Promise.all([createTestDatabase(driver), createTestDatabase(driver)]);
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
  });

  it.skipIf(skip).each(SCENARIOS)("imports $name as the projection of its events", async ({ script }) => {
    const row = await createSession(source.db, { task: "Benchmark task", status: "queued" });
    const before = await getSessionDetail(source.db, row.id);
    const events = buildSessionEvents({ sessionId: row.id, ...script });
    await appendEvents(source.db, events);
    const lines: string[] = [];
    for await (const line of exportLines(source.db, exportFilters({ session_id: String(row.id) }))) lines.push(upstreamShape(line));

    const summary = await importLines(target.db, numbered(lines));
    expect(summary).toMatchObject({ imported: 1, incompleteLogs: [] });
    const imported = await getSessionDetail(target.db, summary.sessionIds[0]!);
    const projected = applyEvents(before, events);
    expect(projected.steps.some((step) => step.attemptDetails.length > 1)).toBe(true);
    expect(carried(imported)).toEqual(carried(projected));
  });
});
