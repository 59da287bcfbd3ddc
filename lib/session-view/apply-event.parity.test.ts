/**
 * The live page and a reload must agree: folding the stored events into a snapshot with `applyEvent`
 * gives what `GET /api/sessions/:id` returns once the database has projected the same events —
 * from the first event, and from a snapshot taken mid-run (the reload case).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import type { TrajectoryEvent } from "@/lib/trajectory";
import { getSessionDetail } from "@/lib/sessions/detail";
import type { SessionDetail } from "@/lib/sessions/api-types";
import { applyEvents } from "./apply-event";
import { buildSessionEvents } from "./testing/session-events";
import { toSessionView } from "./types";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("pglite");
});
afterAll(async () => {
  await database?.close();
});

/** Sums computed in SQL and in JS, and rewards stored as 4-byte reals, differ in the last bits. */
function comparable(detail: SessionDetail) {
  const { session, ...rest } = detail;
  return {
    ...rest,
    session: { ...session, costUsd: Math.round(session.costUsd * 1e6), rewardScore: session.rewardScore === null ? null : Math.round(session.rewardScore * 1e6) },
  };
}

function withoutLive(view: ReturnType<typeof toSessionView>): SessionDetail {
  const { live: _live, ...detail } = view;
  return detail;
}

async function seed(events: (sessionId: number) => TrajectoryEvent[]) {
  const row = await createSession(database.db, { task: "Benchmark task", configName: "parity", status: "queued" });
  return { sessionId: row.id, before: await getSessionDetail(database.db, row.id), events: events(row.id) };
}

describe("applyEvent against the database projection", () => {
  it("folds a whole run into the same detail the server returns", async () => {
    const { sessionId, before, events } = await seed((id) =>
      buildSessionEvents({ sessionId: id, steps: 5, attempts: 2, judges: ["process", "helpfulness"], toolCalls: 1 }),
    );
    await appendEvents(database.db, events);
    const stored = await getSessionDetail(database.db, sessionId);
    const folded = withoutLive(applyEvents(toSessionView(before), events));
    expect(comparable(folded)).toEqual(comparable(stored));
  });

  it("resumes from a mid-run snapshot (a reload) and ends in the same state, even with overlapping events", async () => {
    const { sessionId, events } = await seed((id) =>
      buildSessionEvents({ sessionId: id, steps: 4, attempts: 2, judges: ["process"], unfinished: false }),
    );
    const cut = Math.floor(events.length / 2);
    await appendEvents(database.db, events.slice(0, cut));
    const midRun = await getSessionDetail(database.db, sessionId);
    expect(midRun.session.lastSeq).toBe(cut);
    await appendEvents(database.db, events.slice(cut));
    const stored = await getSessionDetail(database.db, sessionId);
    // A stream resumed a few events early delivers some twice: they must not count twice.
    const resumed = withoutLive(applyEvents(toSessionView(midRun), events.slice(cut - 5)));
    expect(comparable(resumed)).toEqual(comparable(stored));
  });
});
