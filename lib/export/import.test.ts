import { readFileSync } from "node:fs";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { guidanceNotes, sessions, stepAttempts, trajectoryEvents } from "@/lib/db/schema";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import type { AtlasDb } from "@/lib/db/types";
import { exportFilters } from "./filters";
import { stableStringify } from "@/lib/trajectory";
import { describeImport, describeIncompleteLog, importLines } from "./import";
import { importKeyOf } from "./import-key";
import type { NumberedLine } from "./lines";
import { exportLines } from "./stream";
import { seedSession } from "./testing/fixture";
import { firstDifference, normaliseVolatile, withoutAtlasAdditions } from "./testing/normalize";
import { seedSet } from "./testing/seed-set";

const appendixLine = readFileSync(new URL("./testing/upstream-appendix-b.jsonl", import.meta.url), "utf8").trim();

const drivers = (await availableDrivers()).filter((entry) => entry.driver !== "neon");
for (const { driver, skip } of drivers) if (skip) console.warn(`import tests on ${driver} skipped: ${skip}`);

async function* numbered(lines: string[]): AsyncGenerator<NumberedLine> {
  for (const [index, text] of lines.entries()) yield { number: index + 1, text };
}

async function exportAll(db: AtlasDb, input: Record<string, unknown> = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of exportLines(db, exportFilters({ trajectory_event_limit: "0", ...input }))) lines.push(line.trimEnd());
  return lines;
}

describe.each(drivers)("import on $driver", ({ driver, skip }) => {
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    if (skip) return;
    [source, target] = await Promise.all([createTestDatabase(driver), createTestDatabase(driver)]);
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
  });

  it.skipIf(skip)("imports an upstream record and re-exports the same fields", async () => {
    const summary = await importLines(target.db, numbered([appendixLine]));
    expect(summary).toMatchObject({ records: 1, imported: 1, skipped: 0 });
    const [sessionId] = summary.sessionIds;
    const [reexported] = await exportAll(target.db, { session_id: String(sessionId) });
    const upstream = JSON.parse(appendixLine) as Record<string, unknown>;
    const ours = withoutAtlasAdditions(JSON.parse(reexported!) as Record<string, unknown>);
    // Only the new database ids differ; timestamps, key order and every value survive.
    // Stored objects come back from jsonb with its key order; the record and step keys keep upstream order.
    const canonical = (value: unknown) => stableStringify(JSON.parse(normaliseVolatile(JSON.stringify(value))));
    expect(canonical(ours)).toBe(canonical(upstream));
    expect(Object.keys(ours)).toEqual(Object.keys(upstream));
    const stepKeys = (record: Record<string, unknown>) => (record.steps as object[]).map((step) => Object.keys(step));
    expect(stepKeys(ours)).toEqual(stepKeys(upstream));
    expect((ours.session_metadata as { session_id: number }).session_id).toBe(sessionId);

    const [row] = await target.db.select().from(sessions).where(eq(sessions.id, sessionId!));
    expect(row).toMatchObject({ source: "import", status: "succeeded", task: "Report revenue", metadata: { source: "demo" }, stepCount: 2, attemptCount: 3 });
    expect(row!.createdAt.toISOString()).toBe("2025-10-09T12:00:00.000Z");
    expect(row!.rewardScore).toBeCloseTo(0.85, 5);
    const events = await target.db.select().from(trajectoryEvents).where(eq(trajectoryEvents.sessionId, sessionId!));
    expect(events.map((event) => [event.seq, event.type])).toEqual([[1, "upstream.WORKFLOW_START"]]);
    const attempts = await target.db
      .select({ attempt: stepAttempts.attempt, outcome: stepAttempts.outcome, rewardSkipped: stepAttempts.rewardSkipped, rewardScore: stepAttempts.rewardScore })
      .from(stepAttempts)
      .where(eq(stepAttempts.sessionId, sessionId!))
      .orderBy(asc(stepAttempts.attempt));
    expect(attempts).toEqual([
      { attempt: 1, outcome: "retry", rewardSkipped: true, rewardScore: null },
      { attempt: 2, outcome: "accepted", rewardSkipped: false, rewardScore: expect.closeTo(0.8, 5) },
    ]);
    const notes = await target.db.select().from(guidanceNotes).where(eq(guidanceNotes.sessionId, sessionId!));
    expect(notes).toMatchObject([{ stepId: 1, sequence: 1, note: "Cite the source table.", forAttempt: 2 }]);
  });

  it.skipIf(skip)("is idempotent: the same record twice creates nothing new", async () => {
    const before = await sessionCount(target.db);
    const again = await importLines(target.db, numbered([appendixLine, "", appendixLine]));
    expect(again).toMatchObject({ records: 2, imported: 0, skipped: 2, alreadyImported: 2, malformed: [] });
    expect(await sessionCount(target.db)).toBe(before);
    expect(describeImport(again)).toBe("imported 0, skipped 2 (already imported 2, malformed 0)");
  });

  it.skipIf(skip)("reports malformed lines with their numbers and imports the rest", async () => {
    const record = JSON.parse(appendixLine) as Record<string, unknown>;
    const variant = (task: string) => JSON.stringify({ ...record, task });
    const lines = [
      variant("first good"),
      "{not json",
      JSON.stringify({ steps: [] }),
      "",
      JSON.stringify({ task: "no steps list", steps: "nope" }),
      JSON.stringify({ task: "bad step id", steps: [{ step_id: "one" }] }),
      JSON.stringify({ task: "twice", steps: [{ step_id: 1 }, { step_id: 1 }] }),
      "[1, 2]",
      variant("second good"),
      variant("first good"),
    ];
    const summary = await importLines(target.db, numbered(lines));
    expect(summary).toMatchObject({ records: 9, imported: 2, skipped: 7, alreadyImported: 1 });
    expect(summary.malformed.map((entry) => entry.line)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(summary.malformed[0]!.reason).toMatch(/^not valid JSON/);
    expect(summary.malformed[1]!.reason).toBe('missing "task"');
    expect(summary.malformed[2]!.reason).toMatch(/^steps: /);
    expect(summary.malformed[3]!.reason).toBe('steps[0].step_id must be an integer (got "one")');
    expect(summary.malformed[4]!.reason).toBe("step 1 appears twice");
    expect(summary.malformed[5]!.reason).toBe("not a JSON object");
    expect(describeImport(summary)).toContain("(already imported 1, malformed 6: line 2: not valid JSON");
  });

  it.skipIf(skip)("stores an Atlas record whose event log is incomplete from its fields, and lists it with the reason", async () => {
    const long = await seedSession(source.db, {
      task: "Incomplete logs",
      createdAt: new Date("2025-11-01T09:00:00Z"),
      extraLlmCallsPerAttempt: 80,
    });
    const [whole] = await exportAll(source.db, { session_id: String(long.sessionId) });
    const [capped] = await exportAll(source.db, { session_id: String(long.sessionId), trajectory_event_limit: "200" });
    expect(long.events.length).toBeGreaterThan(200);
    const status = (line: string, value: string) => {
      const record = JSON.parse(line) as JsonRecord;
      record.session_metadata.atlas.status = value;
      return JSON.stringify(record);
    };
    const lines = [
      whole!,
      capped!,
      withEvents(whole!, () => undefined),
      withEvents(whole!, (events) => events.filter((entry) => entry.event.seq !== 5)),
      withEvents(whole!, (events) => events.map((entry, index) => (index === 3 ? { ...entry, event: { note: "not ours" } } : entry))),
      status(whole!, "failed"),
    ];
    const fresh = await createTestDatabase(driver);
    try {
      const summary = await importLines(fresh.db, numbered(lines));
      expect(summary).toMatchObject({ imported: 6, skipped: 0 });
      expect(summary.incompleteLogs.map(({ line, reason }) => ({ line, reason }))).toEqual([
        { line: 2, reason: `the export kept 200 of its ${long.events.length} events` },
        { line: 3, reason: "it has no trajectory events" },
        { line: 4, reason: "its events jump from seq 4 to 6" },
        { line: 5, reason: "its event 4 is not an Atlas trajectory event" },
        { line: 6, reason: "its events give status succeeded, the record failed" },
      ]);
      expect(summary.incompleteLogs.map((entry) => entry.sessionId)).toEqual(summary.sessionIds.slice(1));
      expect(describeIncompleteLog(summary.incompleteLogs[0]!)).toBe(
        `event log incomplete (the export kept 200 of its ${long.events.length} events): stored from the record's fields`,
      );
      // Stored from the record's fields: what the record says, whatever its log holds.
      const rows = await fresh.db.select().from(sessions).orderBy(asc(sessions.id));
      expect(rows.map((row) => row.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "failed"]);
      expect(rows.map((row) => row.lastSeq)).toEqual([long.events.length, long.events.length, 0, long.events.length, long.events.length, long.events.length]);
      // The capped record exports again as it was, but for the count of events its export left out (the copy has no more).
      const reexported = await exportAll(fresh.db, { session_id: String(summary.sessionIds[1]), trajectory_event_limit: "200" });
      const cappedRecord = JSON.parse(capped!) as JsonRecord;
      expect(cappedRecord.session_metadata.atlas.trajectory_events_truncated).toEqual({ kept: 200, total: long.events.length });
      delete cappedRecord.session_metadata.atlas.trajectory_events_truncated;
      const same = (line: string) => normaliseVolatile(line, { keepTimestamps: true });
      expect(firstDifference(same(reexported[0]!), same(JSON.stringify(cappedRecord)))).toBeNull();
    } finally {
      await fresh.close();
    }
  });

  it.skipIf(skip)("round-trips recorded sessions: export, import elsewhere, export again gives the same file", async () => {
    await seedSet(source.db);
    const first = await exportAll(source.db);
    const fresh = await createTestDatabase(driver);
    try {
      const summary = await importLines(fresh.db, numbered(first));
      expect(summary).toMatchObject({ imported: first.length, skipped: 0 });
      const second = await exportAll(fresh.db);
      expect(second).toHaveLength(first.length);
      // Ids and run/import source differ; timestamps are kept exactly by the import.
      const normalised = (line: string) => normaliseVolatile(line, { keepTimestamps: true });
      second.forEach((line, index) => {
        expect(firstDifference(normalised(line), normalised(first[index]!)), `line ${index + 1}`).toBeNull();
        expect(normalised(line)).toBe(normalised(first[index]!));
      });
      // A re-export of the copy is recognised as the same content.
      expect(second.map((line) => importKeyOf(JSON.parse(line)))).toEqual(first.map((line) => importKeyOf(JSON.parse(line))));
      expect(await importLines(fresh.db, numbered(second))).toMatchObject({ imported: 0, alreadyImported: first.length });

      // Our typed events keep their type and now name their new session.
      const [imported] = await queryRows<{ id: number; types: string[]; ids: number[] }>(
        fresh.db,
        sql`select s.id, array_agg(distinct e.type) as types, array_agg(distinct (e.event->>'sessionId')::int) as ids
            from sessions s join trajectory_events e on e.session_id = s.id group by s.id order by s.id limit 1`,
      );
      expect(imported!.types).toContain("session.started");
      expect(imported!.types.some((type) => type.startsWith("upstream."))).toBe(false);
      expect(imported!.ids).toEqual([imported!.id]);
    } finally {
      await fresh.close();
    }
  });
});

interface EventEntry {
  event: Record<string, unknown>;
}
/** The parts of an exported record these tests edit. */
interface JsonRecord {
  trajectory_events?: EventEntry[];
  session_metadata: { trajectory_events?: EventEntry[]; atlas: Record<string, unknown> };
}

/** The same change to both copies of a record's event list. */
function withEvents(line: string, change: (events: EventEntry[]) => EventEntry[] | undefined): string {
  const record = JSON.parse(line) as JsonRecord;
  const events = change(record.trajectory_events ?? []);
  if (events) {
    record.trajectory_events = events;
    record.session_metadata.trajectory_events = events;
  } else {
    delete record.trajectory_events;
    delete record.session_metadata.trajectory_events;
  }
  return JSON.stringify(record);
}

async function sessionCount(db: AtlasDb): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(sessions);
  return row!.count;
}
