/**
 * THE parity test of the one projection. Over the same generated sessions — retried steps, escalated
 * judges, a failed step with the rest skipped, a cancellation, a crash — every path that turns events
 * into a session's state gives the same state:
 * - the pure projection (lib/trajectory), folded over the pre-run snapshot;
 * - the batched SQL writer (appendEvents), read back with getSessionDetail, at several cuts of the run;
 * - the browser reducer, folding the events over the pre-run snapshot, and resuming from a mid-run
 *   snapshot (a reload) with events it had already seen;
 * - the import: the stored session exported, imported into another database, read back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { exportFilters } from "@/lib/export/filters";
import { importLines } from "@/lib/export/import";
import type { NumberedLine } from "@/lib/export/lines";
import { exportLines } from "@/lib/export/stream";
import { getSessionDetail } from "@/lib/sessions/detail";
import { applyEvents as project, type SessionDetail, type TrajectoryEvent } from "@/lib/trajectory";
import { applyEvents } from "./apply-event";
import { buildSessionEvents, type SessionScript } from "./testing/session-events";
import { toSessionView, type SessionView } from "./types";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

const judges = ["process", "helpfulness"];
/** Each scenario with the status and the step statuses it must end in (so the comparison is not of empty states). */
const SCENARIOS: { name: string; script: Omit<SessionScript, "sessionId">; status: string; steps: string[]; escalations: number }[] = [
  // Every step retried once after guidance; steps 2 and 5 disputed, so both judges escalate to the arbiter.
  {
    name: "a completed run with retried steps and escalated judges",
    script: { steps: 5, attempts: 2, judges, toolCalls: 1 },
    status: "succeeded",
    steps: ["succeeded", "succeeded", "succeeded", "succeeded", "succeeded"],
    escalations: 4,
  },
  {
    name: "a failed step, the steps after it skipped",
    script: { steps: 4, attempts: 2, judges, ending: "failed", endsAtStep: 2 },
    status: "failed",
    steps: ["succeeded", "failed", "skipped", "skipped"],
    escalations: 0,
  },
  {
    name: "a session cancelled during a step",
    script: { steps: 4, attempts: 2, judges, ending: "cancelled", endsAtStep: 3 },
    status: "cancelled",
    steps: ["succeeded", "succeeded", "cancelled"],
    escalations: 2,
  },
  {
    name: "a session interrupted during a step",
    script: { steps: 4, attempts: 2, judges, toolCalls: 1, ending: "interrupted", endsAtStep: 3 },
    status: "interrupted",
    steps: ["succeeded", "succeeded", "running"],
    escalations: 2,
  },
];

/** Sums computed in SQL and in JS, and means of rewards stored as 4-byte reals, differ in the last bits. */
function comparable(detail: SessionDetail) {
  const { session, ...rest } = detail;
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1e6));
  return { ...rest, session: { ...session, costUsd: round(session.costUsd), rewardScore: round(session.rewardScore) } };
}

/** What legitimately differs in an imported copy: its id and its source. */
function asImported(detail: SessionDetail) {
  const { session, ...rest } = comparable(detail);
  return { ...rest, session: { ...session, id: 0, source: "import" } };
}

function withoutLive(view: SessionView): SessionDetail {
  const { live: _live, ...detail } = view;
  return detail;
}

async function* numbered(lines: string[]): AsyncGenerator<NumberedLine> {
  for (const [index, text] of lines.entries()) yield { number: index + 1, text };
}

/** Where the run is cut for a snapshot: mid-attempt (after a verdict), after guidance, halfway, before the end. */
function cutsOf(events: TrajectoryEvent[]): number[] {
  const after = (type: TrajectoryEvent["type"]) => events.findIndex((event) => event.type === type) + 1;
  const cuts = [after("validation"), after("guidance.issued"), Math.floor(events.length / 2), events.length - 1, events.length];
  return [...new Set(cuts.filter((cut) => cut > 0))].sort((a, b) => a - b);
}

describe.each(drivers)("one projection of the events on $driver", ({ driver, skip }) => {
  if (skip) console.warn(`projection parity on ${driver} skipped: ${skip}`);
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    if (!skip) [source, target] = await Promise.all([createTestDatabase(driver), createTestDatabase(driver)]);
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
  });

  describe.each(SCENARIOS)("$name", (scenario) => {
    let events: TrajectoryEvent[];
    let before: SessionDetail;
    let stored: SessionDetail;
    const snapshots = new Map<number, SessionDetail>();

    beforeAll(async () => {
      if (skip) return;
      const row = await createSession(source.db, { task: "Benchmark task", configName: "parity", status: "queued" });
      before = await getSessionDetail(source.db, row.id);
      events = buildSessionEvents({ sessionId: row.id, ...scenario.script });
      let written = 0;
      // Written in bursts up to each cut, so the batched statements fold runs of events as the engine's do.
      for (const cut of cutsOf(events)) {
        await appendEvents(source.db, events.slice(written, cut));
        written = cut;
        snapshots.set(cut, await getSessionDetail(source.db, row.id));
      }
      stored = snapshots.get(events.length)!;
    });

    it.skipIf(skip)("the SQL writer stores at every cut what the projection gives for the events so far", () => {
      expect(stored.session).toMatchObject({ lastSeq: events.length, status: scenario.status, escalations: scenario.escalations });
      expect(stored.steps.map((step) => step.status)).toEqual(scenario.steps);
      expect(stored.steps[0]!.attemptDetails.map((attempt) => attempt.outcome)).toEqual(["retry", "accepted"]);
      for (const [cut, snapshot] of snapshots) {
        expect(comparable(project(before, events.slice(0, cut))), `after ${cut} of ${events.length} events`).toEqual(comparable(snapshot));
      }
    });

    it.skipIf(skip)("the browser reducer folds the events into the stored state, from the start and resumed mid-run", () => {
      expect(comparable(withoutLive(applyEvents(toSessionView(before), events)))).toEqual(comparable(stored));
      const cut = Math.floor(events.length / 2);
      const midRun = snapshots.get(cut)!;
      expect(midRun.session.lastSeq).toBe(cut);
      // A stream resumed a few events early delivers some twice: they must not count twice.
      const resumed = applyEvents(toSessionView(midRun), events.slice(cut - 5));
      expect(comparable(withoutLive(resumed))).toEqual(comparable(stored));
    });

    it.skipIf(skip)("the import of the exported session replays its events into the same state", async () => {
      const lines: string[] = [];
      for await (const line of exportLines(source.db, exportFilters({ session_id: String(stored.session.id), trajectory_event_limit: "0" }))) {
        lines.push(line);
      }
      const summary = await importLines(target.db, numbered(lines));
      expect(summary).toMatchObject({ imported: 1, skipped: 0, incompleteLogs: [] });
      const imported = await getSessionDetail(target.db, summary.sessionIds[0]!);
      expect(imported.session.source).toBe("import");
      expect(asImported(imported)).toEqual(asImported(stored));
    });
  });
});
