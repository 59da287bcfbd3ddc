import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { exportFilters } from "./filters";
import { countSelection } from "@/lib/db/queries/export";
import { emptyStats, exportLines } from "./stream";
import { seedSet, type SeededSession } from "./testing/seed-set";
import type { SessionRecord } from "./types";

const drivers = (await availableDrivers()).filter((entry) => entry.driver !== "neon");
for (const { driver, skip } of drivers) {
  if (skip) console.warn(`export stream tests on ${driver} skipped: ${skip}`);
}

describe.each(drivers)("export stream on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  let seeded: Map<string, SeededSession>;
  const id = (key: string) => seeded.get(key)!.sessionId;

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    seeded = await seedSet(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  async function run(input: Record<string, unknown>) {
    const filters = exportFilters(input);
    const stats = emptyStats();
    const lines: string[] = [];
    for await (const line of exportLines(database.db, filters, { stats })) lines.push(line);
    return { lines, stats, records: lines.map((line) => JSON.parse(line) as SessionRecord) };
  }
  const idsOf = (records: SessionRecord[]) => records.map((record) => record.session_metadata.session_id);

  it.skipIf(skip)("exports every session newest first, same-instant ties in insertion order, one line each", async () => {
    const { lines, records, stats } = await run({});
    expect(lines.every((line) => line.endsWith("\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
    // The memoising serialiser writes exactly what JSON.stringify would.
    for (const line of lines) expect(line).toBe(`${JSON.stringify(JSON.parse(line))}\n`);
    const [tieLow, tieHigh] = [id("tie-a"), id("tie-b")].sort((a, b) => a - b);
    expect(idsOf(records)).toEqual([id("long"), id("cancelled"), tieLow, tieHigh, id("failed"), id("churn"), id("revenue")]);
    expect(stats).toMatchObject({ sessions: 7, lines: 7, steps: 2 + 3 + 1 + 1 + 1 + 1 + 2 });
  });

  it.skipIf(skip)("gives the same lines whatever the batch size (page boundaries, ties across pages)", async () => {
    const reference = (await run({})).lines;
    for (const batchSize of [1, 2, 3, 6, 7, 8]) {
      const { lines, stats } = await run({ batch_size: String(batchSize) });
      expect(lines, `batch size ${batchSize}`).toEqual(reference);
      expect(stats.batches).toBe(Math.ceil(7 / batchSize));
    }
  });

  it.skipIf(skip)("filters by status, case-insensitively and repeatably", async () => {
    expect(idsOf((await run({ status: "FAILED" })).records)).toEqual([id("failed")]);
    expect(idsOf((await run({ status: ["cancelled", "Failed"] })).records)).toEqual([id("cancelled"), id("failed")]);
    expect((await run({ status: "running" })).records).toEqual([]);
  });

  it.skipIf(skip)("exports exactly the given session ids in the given order, once each", async () => {
    const { records } = await run({ session_id: [String(id("churn")), String(id("long")), String(id("churn")), "999999"] });
    expect(idsOf(records)).toEqual([id("churn"), id("long")]);
    expect(idsOf((await run({ session_id: [String(id("churn")), String(id("failed"))], status: "failed" })).records)).toEqual([id("failed")]);
  });

  it.skipIf(skip)("applies limit and offset over the newest-first order", async () => {
    const all = idsOf((await run({})).records);
    expect(idsOf((await run({ limit: "3" })).records)).toEqual(all.slice(0, 3));
    expect(idsOf((await run({ limit: "3", offset: "2", batch_size: "2" })).records)).toEqual(all.slice(2, 5));
    expect(idsOf((await run({ offset: "5" })).records)).toEqual(all.slice(5));
    expect(idsOf((await run({ offset: "-4", limit: "1" })).records)).toEqual(all.slice(0, 1));
    expect((await run({ limit: "0" })).records).toEqual([]);
  });

  it.skipIf(skip)("filters by since (inclusive) and until (exclusive) on created_at", async () => {
    const { records } = await run({ since: "2025-10-03", until: "2025-10-05T09:00:00Z" });
    expect(idsOf(records).sort()).toEqual([id("failed"), id("tie-a"), id("tie-b")].sort());
  });

  it.skipIf(skip)("filters by minimum session reward, config name and task text", async () => {
    // Session reward = mean of the rewarded steps: tie-a 0.5, tie-b 0.7 (stored as real).
    const rewarded = (await run({ min_reward: "0.7" })).records;
    expect(idsOf(rewarded)).toContain(id("tie-b"));
    expect(idsOf(rewarded)).not.toContain(id("tie-a"));
    expect(idsOf(rewarded)).not.toContain(id("failed"));
    expect(idsOf((await run({ config: "writer" })).records).sort()).toEqual([id("failed"), id("tie-a"), id("tie-b")].sort());
    // LIKE wildcards in the text are literal.
    expect(idsOf((await run({ q: "100% of revenue_" })).records)).toEqual([id("tie-a")]);
    expect(idsOf((await run({ q: "FORECAST" })).records).sort()).toEqual([id("tie-a"), id("tie-b")].sort());
  });

  it.skipIf(skip)("keeps the latest N events and marks the cut", async () => {
    const long = seeded.get("long")!;
    const { records } = await run({ session_id: String(long.sessionId), trajectory_event_limit: "10" });
    const record = records[0]!;
    const events = record.trajectory_events!;
    expect(events).toHaveLength(10);
    const seqs = events.map((entry) => (entry.event as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, index) => long.eventCount - 9 + index));
    expect(events.at(-1)!.type).toBe("session.completed");
    expect((record.session_metadata.atlas as Record<string, unknown>).trajectory_events_truncated).toEqual({ kept: 10, total: long.eventCount });

    const full = (await run({ session_id: String(long.sessionId), trajectory_event_limit: "0" })).records[0]!;
    expect(full.trajectory_events).toHaveLength(long.eventCount);
    expect((full.session_metadata.atlas as Record<string, unknown>).trajectory_events_truncated).toBeUndefined();
    expect(long.eventCount).toBeGreaterThan(200);
    const byDefault = (await run({ session_id: String(long.sessionId) })).records[0]!;
    expect(byDefault.trajectory_events).toHaveLength(200);
  });

  it.skipIf(skip)("writes steps lines (the trainer's flattened view) and preference pairs", async () => {
    const steps = await run({ format: "steps", session_id: String(id("churn")) });
    expect(steps.stats).toMatchObject({ sessions: 1, steps: 3, lines: 3 });
    const first = JSON.parse(steps.lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      "task", "final_answer", "plan", "step_id", "step_description", "step_trace", "step_output", "attempts",
      "guidance_history", "step_context", "validation", "tool", "tool_params", "reward_score", "reward_breakdown",
      "session_metadata", "step_metadata",
    ]);
    expect(first).toMatchObject({ step_id: 1, attempts: 2, reward_score: 0.7 });
    expect("trajectory_events" in (first.session_metadata as object)).toBe(false);

    const pairs = await run({ format: "pairs" });
    // Retried and finally accepted: revenue 1, churn 1 and 2, long 1. The failed session's step ended rejected.
    const keys = pairs.lines.map((line) => {
      const pair = JSON.parse(line) as { session_id: number; step_id: number };
      return `${pair.session_id}:${pair.step_id}`;
    });
    expect(keys.sort()).toEqual(
      [`${id("long")}:1`, `${id("churn")}:1`, `${id("churn")}:2`, `${id("revenue")}:1`].sort(),
    );
    const churn2 = pairs.lines.map((line) => JSON.parse(line)).find((pair) => pair.session_id === id("churn") && pair.step_id === 2);
    expect(churn2).toMatchObject({
      rejected_attempts: 2,
      rejected: { attempt: 1, status: "needs_input", reward: { score: 0, skipped: true } },
      accepted: { attempt: 3, status: "ok", reward: { score: 0.95, skipped: false } },
      guidance: ["Ask for the missing input.", "Cite the source table for step 2."],
    });
    expect(churn2.accepted.output).toContain("attempt 3");
    expect(churn2.rejected.output).toContain("attempt 1");
  });

  it.skipIf(skip)("counts what an export would write", async () => {
    for (const input of [{}, { status: "failed" }, { limit: "2", offset: "1" }, { config: "finance" }, { session_id: [String(id("churn")), String(id("long"))], limit: "1" }]) {
      const { stats } = await run(input);
      expect(await countSelection(database.db, exportFilters(input)), JSON.stringify(input)).toEqual({
        sessions: stats.sessions,
        steps: stats.steps,
        lines: stats.lines,
      });
    }
  });

  it.skipIf(skip)("counts the lines of the chosen format: sessions, steps or preference pairs", async () => {
    for (const format of ["sessions", "steps", "pairs"]) {
      for (const input of [{ format }, { format, status: "succeeded" }, { format, limit: "3" }]) {
        const { lines } = await run(input);
        expect((await countSelection(database.db, exportFilters(input))).lines, JSON.stringify(input)).toBe(lines.length);
      }
    }
    // The seed set has retried steps: the pairs count is neither the sessions' nor the steps' count.
    const pairs = (await countSelection(database.db, exportFilters({ format: "pairs" }))).lines;
    expect(pairs).toBeGreaterThan(0);
    expect(pairs).toBeLessThan((await countSelection(database.db, exportFilters({ format: "steps" }))).lines);
  });
});
