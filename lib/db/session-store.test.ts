import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedLlm } from "@/lib/llm/scripted/server";
import type { ScriptedLlm } from "@/lib/llm/scripted/types";
import { runTask as run } from "@/lib/compose";
import { functionAgent, modeOf } from "@/lib/runtime/testing/agents";
import { TEST_ENV, testConfig } from "@/lib/runtime/testing/config";
import { agreeingJudges, keepPlanReview, validVerdict } from "@/lib/runtime/testing/scripts";
import { sessions, trajectoryEvents } from "./schema";
import { databaseSessionStore } from "./session-store";
import { createTestDatabase, type TestDatabase } from "./testing/databases";

let database: TestDatabase;
let llm: ScriptedLlm;
beforeAll(async () => {
  database = await createTestDatabase("pglite");
  llm = await startScriptedLlm({ rules: [keepPlanReview(), validVerdict, agreeingJudges()] });
});
afterAll(async () => {
  await database.close();
  await llm.close();
});

describe("databaseSessionStore", () => {
  it("creates a running session, reports its last seq and writes events with their projection", async () => {
    const store = databaseSessionStore(database.db);
    const { id } = await store.createSession({ task: "t", metadata: { team: "a" }, configName: "demo", configHash: "abc" });
    expect(await store.lastSeq(id)).toBe(0);
    await store.write([{ type: "session.started", sessionId: id, seq: 1, ts: new Date().toISOString(), actor: "system", task: "t", configName: "demo", configHash: "abc", metadata: { team: "a" } }]);
    expect(await store.lastSeq(id)).toBe(1);
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, id));
    expect(row).toMatchObject({ status: "running", task: "t", metadata: { team: "a" }, configName: "demo", configHash: "abc" });
    await expect(store.lastSeq(999_999)).rejects.toThrow("session 999999 does not exist");
  });

  it("lets run() continue a session created beforehand, after the events already stored", async () => {
    const store = databaseSessionStore(database.db);
    const { id } = await store.createSession({ task: "queued task", metadata: {}, configName: null, configHash: null });
    await store.write([{ type: "session.queued", sessionId: id, seq: 1, ts: new Date().toISOString(), actor: "system", position: 0, runningLimit: 1 }]);
    const agent = functionAgent((call) =>
      modeOf(call.metadata) === "planning" ? JSON.stringify({ steps: [{ id: 1, description: "Do it" }] }) : "done",
    );
    const result = await run({ task: "queued task", config: testConfig({ llmUrl: llm.url }), store, sessionId: id, env: TEST_ENV, adapter: agent });
    expect(result).toMatchObject({ sessionId: id, status: "succeeded" });
    const rows = await database.db.select().from(trajectoryEvents).where(eq(trajectoryEvents.sessionId, id)).orderBy(asc(trajectoryEvents.seq));
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index + 1));
    expect(rows.slice(0, 2).map((row) => row.type)).toEqual(["session.queued", "session.started"]);
    const [session] = await database.db.select().from(sessions).where(eq(sessions.id, id));
    expect(session).toMatchObject({ status: "succeeded", lastSeq: rows.length, finalAnswer: "done" });
  });
});
