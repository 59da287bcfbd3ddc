/**
 * Call capture through the real engine: the offline demo (bundled agent, scripted model over HTTP) on
 * PGlite and PostgreSQL. Every llm.call and agent.call has a row with the request as sent and the reply;
 * events keep no capture; the switch in the config and in the environment turns capture off; the export
 * carries the captures and an import of it restores them.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTask } from "@/lib/compose";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { loadConfigFile } from "@/lib/config/load-file";
import { listCalls } from "@/lib/db/queries/calls";
import { listEventsAfter } from "@/lib/db/queries/events";
import { databaseSessionStore } from "@/lib/db/session-store";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { exportFilters } from "@/lib/export/filters";
import { importLines } from "@/lib/export/import";
import { exportLines } from "@/lib/export/stream";
import { getSessionCall, getSessionCalls, usageByRoleSince } from "./calls";

const DEMO_CONFIG = path.resolve(import.meta.dirname, "../../configs/examples/demo_offline.yaml");
const drivers = (await availableDrivers()).filter((entry) => entry.driver !== "neon");
for (const { driver, skip } of drivers) if (skip) console.warn(`call capture tests on ${driver} skipped: ${skip}`);

async function demoConfig(overrides: Record<string, unknown> = {}): Promise<AtlasConfig> {
  const loaded = await loadConfigFile(DEMO_CONFIG);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const parsed = parseConfigObject({ ...(loaded.document as Record<string, unknown>), ...overrides });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(drivers)("call capture on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  const baseDir = path.dirname(DEMO_CONFIG);

  beforeAll(async () => {
    if (!skip) database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)("stores each call's request and reply beside its event, and serves them on demand", async () => {
    const store = databaseSessionStore(database.db);
    const result = await runTask({ task: "Plan a team offsite", config: await demoConfig(), baseDir, store, env: {} as NodeJS.ProcessEnv });
    const sessionId = result.sessionId!;
    const events = await listEventsAfter(database.db, { sessionId });
    const callEvents = events.filter((event) => event.type === "llm.call" || event.type === "agent.call");
    expect(callEvents.length).toBeGreaterThan(5);
    // The event log never carries a capture; the calls table has one row per call event, captured.
    expect(events.some((event) => "capture" in event)).toBe(false);
    const rows = await listCalls(database.db, { sessionId });
    expect(rows.map((row) => row.seq)).toEqual(callEvents.map((event) => event.seq));
    expect(rows.every((row) => row.captured)).toBe(true);

    const list = await getSessionCalls(database.db, sessionId, { step: 1, attempt: 1, fields: "all" });
    const validation = list.calls.find((call) => call.stage === "validation");
    expect(validation).toMatchObject({ kind: "llm", role: "teacher", stepId: 1, attempt: 1, captured: true });
    const detail = await getSessionCall(database.db, sessionId, validation!.id);
    const messages = detail.capture!.request.messages as { role: string; content: string }[];
    expect(messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(messages[1]!.content.length).toBeGreaterThan(20);
    expect((detail.capture!.request.parameters as { model: string }).model).toBe("atlas-demo-teacher");
    expect(typeof detail.capture!.reply!.content).toBe("string");
    expect(detail.capture!.reply!.finish_reason).toBe("stop");
    expect(detail.capture!.truncated).toBe(false);

    const execution = list.calls.find((call) => call.kind === "agent" && call.stage === "execution");
    const agentCall = await getSessionCall(database.db, sessionId, execution!.id);
    expect(agentCall.capture!.request.prompt).toContain("Plan a team offsite");
    expect((agentCall.capture!.request.metadata as { mode: string }).mode).toBe("execution");
    expect(typeof agentCall.capture!.reply!.text).toBe("string");

    // Judges and the arbiter are told apart; the roles' costs add up to the session's.
    const roles = list.usage.byRole.map((group) => group.key);
    expect(roles).toEqual(expect.arrayContaining(["teacher", "judges", "arbiter"]));
    const total = list.usage.byRole.reduce((sum, group) => sum + group.calls, 0);
    expect(total).toBe(callEvents.filter((event) => event.type === "llm.call").length);
    expect(list.usage.byModel.reduce((sum, group) => sum + group.calls, 0)).toBe(total);

    const usageOnly = await getSessionCalls(database.db, sessionId, { fields: "usage" });
    expect(usageOnly).toEqual({ calls: [], slowest: list.slowest, usage: list.usage });
    const everything = await getSessionCalls(database.db, sessionId, { fields: "all" });
    expect(everything.calls.length).toBe(callEvents.length);
    expect(list.slowest!.latencyMs).toBe(Math.max(...everything.calls.map((call) => call.latencyMs)));
    expect(list.calls.every((call) => call.stepId === 1 && call.attempt === 1)).toBe(true);
    // The overview's breakdown over every session: each model call counted once, the arbiter apart from the judges.
    const overall = await usageByRoleSince(database.db, new Date(0));
    expect(overall.find((group) => group.key === "arbiter")?.calls).toBe(list.usage.byRole.find((group) => group.key === "arbiter")?.calls);
    expect(overall.reduce((sum, group) => sum + group.calls, 0)).toBe(total);
    expect(await usageByRoleSince(database.db, new Date(Date.now() + 86_400_000))).toEqual([]);
    await expect(getSessionCall(database.db, sessionId, 999_999)).rejects.toMatchObject({ code: "not_found" });
    await expect(getSessionCalls(database.db, 999_999, { fields: "all" })).rejects.toMatchObject({ code: "not_found" });
  });

  it.skipIf(skip)("keeps only timing, tokens and cost when capture_calls is false or ATLAS_CAPTURE_CALLS=0", async () => {
    const store = databaseSessionStore(database.db);
    const byConfig = await runTask({ task: "Plan a review", config: await demoConfig({ capture_calls: false }), baseDir, store, env: {} as NodeJS.ProcessEnv });
    const byEnv = await runTask({
      task: "Plan a review",
      config: await demoConfig(),
      baseDir,
      store,
      env: { ATLAS_CAPTURE_CALLS: "0" } as unknown as NodeJS.ProcessEnv,
    });
    for (const result of [byConfig, byEnv]) {
      const rows = await listCalls(database.db, { sessionId: result.sessionId! });
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.some((row) => row.captured)).toBe(false);
      expect(rows.some((row) => row.kind === "llm" && row.promptTokens > 0)).toBe(true);
    }
  });

  it.skipIf(skip)("exports the captures with their events, and an import of the export restores them", async () => {
    const store = databaseSessionStore(database.db);
    const result = await runTask({ task: "Plan a workshop", config: await demoConfig(), baseDir, store, env: {} as NodeJS.ProcessEnv });
    const lines: string[] = [];
    for await (const line of exportLines(database.db, exportFilters({ trajectory_event_limit: "0", session_id: String(result.sessionId) }))) lines.push(line);
    const record = lines.map((line) => JSON.parse(line) as { trajectory_events: { event: { type: string; capture?: unknown } }[] }).at(-1)!;
    const exported = record.trajectory_events.filter((entry) => entry.event.type === "llm.call" || entry.event.type === "agent.call");
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.every((entry) => entry.event.capture !== undefined)).toBe(true);

    const target = await createTestDatabase(driver);
    try {
      const summary = await importLines(target.db, (async function* () {
        for (const [index, text] of lines.entries()) yield { number: index + 1, text };
      })());
      expect(summary).toMatchObject({ imported: 1, incompleteLogs: [] });
      const imported = { id: summary.sessionIds[0]! };
      const original = await listCalls(database.db, { sessionId: result.sessionId! });
      const restored = await listCalls(target.db, { sessionId: imported.id });
      expect(restored.map((row) => [row.seq, row.stage, row.captured])).toEqual(original.map((row) => [row.seq, row.stage, row.captured]));
      const call = await getSessionCall(target.db, imported.id, original[0]!.seq);
      expect(call.capture).toEqual((await getSessionCall(database.db, result.sessionId!, original[0]!.seq)).capture);
    } finally {
      await target.close();
    }
  });
});
