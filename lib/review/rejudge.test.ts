/**
 * Re-judging a finished session with a different scripted judge: the recorded judgement stays exactly as it was,
 * the new one is stored as its own version and shown through `?judgement=`.
 */
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTask } from "@/lib/compose/run-task";
import { parseConfigObject, type AtlasConfig } from "@/lib/config";
import { insertRejudge } from "@/lib/db/queries/judgements";
import { queryRows } from "@/lib/db/raw";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { isAtlasError } from "@/lib/errors";
import { exportFilters } from "@/lib/export/filters";
import { exportRecords } from "@/lib/export/stream";
import { scriptedLlmPerFile } from "@/lib/llm/scripted/testing";
import type { ScriptRule } from "@/lib/llm/scripted/types";
import { llmParams, TEST_ENV } from "@/lib/runtime/testing/config";
import { isJudgeRequest, judgeReply, keepPlanReview, validVerdict } from "@/lib/runtime/testing/scripts";
import { getSessionDetail } from "@/lib/sessions/detail";
import { RejudgeRequestSchema } from "./api-types";
import { judgementVersionsOf, withJudgementVersion } from "./judgement-view";
import { judgeAgreement } from "./judges";
import { recoverAbandonedRejudges, rejudgeSettled, rejudgeStatus, startRejudge } from "./rejudge";

const server = scriptedLlmPerFile();

const agentModel: ScriptRule[] = [
  { caller: "planner", reply: { json: { steps: [{ id: 1, description: "Answer the question" }] } } },
  { caller: "executor", reply: { content: '{"status": "ok", "result": {"deliverable": "42"}}' } },
  { caller: "synthesizer", reply: { content: "Summary: s\nFinal Answer: 42" } },
];

/** The judges answer by model: the recorded run's judges score 0.9, the re-judging config's 0.3. */
const RULES: ScriptRule[] = [
  keepPlanReview(),
  validVerdict,
  { caller: ["process_judge", "helpfulness_judge"], model: "original-small", reply: judgeReply(0.9) },
  { caller: ["process_judge", "helpfulness_judge"], model: "strict-small", reply: judgeReply(0.3) },
  ...agentModel,
];

function configObject(judgeModel: string) {
  return {
    agent: { type: "openai", name: "agent", system_prompt: "You answer.", llm: llmParams(server.url, "agent-model") },
    teacher: { llm: llmParams(server.url, "teacher-model") },
    rim: { small_model: llmParams(server.url, `${judgeModel}-small`), large_model: llmParams(server.url, `${judgeModel}-large`) },
  };
}

function config(judgeModel: string): AtlasConfig {
  const parsed = parseConfigObject(configObject(judgeModel));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

const recordedJudgement = (database: TestDatabase, sessionId: number) =>
  queryRows(
    database.db,
    sql`select (select json_agg(a.evaluation order by a.step_id, a.attempt)::text from step_attempts a where a.session_id = ${sessionId}) as attempts,
          (select json_agg(r.evaluation order by r.step_id)::text from step_results r where r.session_id = ${sessionId}) as steps,
          (select reward_score from sessions where id = ${sessionId}) as reward,
          (select json_agg(e.event order by e.seq)::text from trajectory_events e where e.session_id = ${sessionId}) as events`,
  );

describe("re-judge a stored session (PGlite, scripted judges over HTTP)", () => {
  let database: TestDatabase;
  let sessionId = 0;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    server.setRules(RULES);
    const result = await runTask({ task: "What is six times seven?", config: config("original"), store: { database: database.db }, env: TEST_ENV, configName: "rejudged" });
    sessionId = result.sessionId!;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("keeps the recorded judgement and stores the new one as its own version", async () => {
    server.setRules(RULES);
    const before = await recordedJudgement(database, sessionId);
    const requestsBefore = server.requests.length;
    const started = await startRejudge(database.db, { sessionIds: [sessionId], config: { yaml: stringify(configObject("strict")) } }, { env: TEST_ENV });
    expect(started).toMatchObject({ status: "running", done: 0, total: 1, judgementVersion: started.rejudgeId });
    await rejudgeSettled(started.rejudgeId);
    expect(await rejudgeStatus(database.db, started.rejudgeId)).toMatchObject({ status: "succeeded", done: 1, total: 1, error: null });

    const judged = server.requests.slice(requestsBefore).filter(isJudgeRequest);
    expect(judged.length).toBeGreaterThan(0);
    expect(new Set(judged.map((request) => request.body.model))).toEqual(new Set(["strict-small"]));
    expect(await recordedJudgement(database, sessionId)).toEqual(before);

    const detail = await getSessionDetail(database.db, sessionId);
    expect(detail.steps[0]!.rewardScore).toBeCloseTo(0.9, 5);
    const rejudged = await withJudgementVersion(database.db, detail, started.judgementVersion);
    expect(rejudged.steps[0]!.rewardScore).toBeCloseTo(0.3, 5);
    expect(rejudged.steps[0]!.attemptDetails[0]!.rewardScore).toBeCloseTo(0.3, 5);
    expect(rejudged.session.rewardScore).toBeCloseTo(0.3, 5);
    expect((await withJudgementVersion(database.db, detail, 0)).steps[0]!.rewardScore).toBeCloseTo(0.9, 5);

    const exported = async (input: Record<string, unknown>) => {
      const records = [];
      for await (const record of exportRecords(database.db, exportFilters({ session_id: String(sessionId), ...input }))) records.push(record);
      return records[0]!;
    };
    const recordedRecord = await exported({});
    const rejudgedRecord = await exported({ judgement_version: String(started.judgementVersion) });
    expect(recordedRecord.steps[0]!.reward.score).toBeCloseTo(0.9, 5);
    expect("judgement_version" in recordedRecord).toBe(false);
    expect(rejudgedRecord.judgement_version).toBe(started.judgementVersion);
    expect(rejudgedRecord.steps[0]!.reward.score).toBeCloseTo(0.3, 5);
    const history = rejudgedRecord.steps[0]!.metadata.attempt_history as { evaluation: { reward: { score: number } } }[];
    expect(history[0]!.evaluation.reward.score).toBeCloseTo(0.3, 5);
    const none = await exported({ judgement_version: "999" }).catch((error: unknown) => error);
    expect(isAtlasError(none) && none.code).toBe("not_found");

    const compared = await judgeAgreement(database.db, "rejudged", { judgement: started.judgementVersion });
    expect(compared.comparison).toEqual({ pairs: 1, meanAbsoluteChange: expect.closeTo(0.6, 5), spearman: null });
    expect(compared.judges.map((judge) => judge.identifier)).toEqual(["helpfulness", "process"]);

    const versions = await judgementVersionsOf(database.db, detail);
    const calls = versions.judgements.find((judgement) => judgement.version === started.judgementVersion)?.calls ?? [];
    expect(calls.length).toBe(judged.length);
    expect(calls[0]).toMatchObject({ model: "strict-small", messages: expect.any(Array), reply: expect.stringContaining("0.3") });
    expect(versions.judgements.map(({ version, stepId, attempt, score }) => ({ version, stepId, attempt, score: Number(score!.toFixed(4)) }))).toEqual([
      { version: 0, stepId: 1, attempt: 1, score: 0.9 },
      { version: started.judgementVersion, stepId: 1, attempt: 1, score: 0.3 },
    ]);
  });

  it("re-judges the sessions a sessions-list filter selects, and refuses a filter that selects none", async () => {
    server.setRules(RULES);
    const request = RejudgeRequestSchema.parse({ filter: { config: "rejudged", status: "succeeded" }, config: { yaml: stringify(configObject("strict")) } });
    const started = await startRejudge(database.db, request, { env: TEST_ENV });
    expect(started).toMatchObject({ total: 1 });
    await rejudgeSettled(started.rejudgeId);
    const detail = await withJudgementVersion(database.db, await getSessionDetail(database.db, sessionId), started.judgementVersion);
    expect(detail.steps[0]!.rewardScore).toBeCloseTo(0.3, 5);

    const none = RejudgeRequestSchema.parse({ filter: { config: "no-such-config" }, config: { yaml: stringify(configObject("strict")) } });
    const refused = await startRejudge(database.db, none, { env: TEST_ENV }).catch((error: unknown) => error);
    expect(isAtlasError(refused) && [refused.code, refused.issues]).toEqual(["invalid_input", [{ path: "filter", message: "selects no session" }]]);
  });

  it("at start-up, a re-judge whose process is gone is marked failed; one of another host or still running is left", async () => {
    server.setRules(RULES);
    const job = (owner: string) => insertRejudge(database.db, { configName: null, configVersion: null, configYaml: "rim: {}", sessionIds: [sessionId], total: 1, owner });
    const dead = await job(`${hostname()} 2147483646`);
    const otherHost = await job("some-other-host 4242");
    const live = await startRejudge(database.db, { sessionIds: [sessionId], config: { yaml: stringify(configObject("strict")) } }, { env: TEST_ENV });

    expect(await recoverAbandonedRejudges(database.db)).toEqual([dead.id]);
    expect(await rejudgeStatus(database.db, dead.id)).toMatchObject({
      status: "failed",
      error: `interrupted: the process that ran it (${hostname()} 2147483646) stopped before it finished; start the re-judge again`,
    });
    expect(await rejudgeStatus(database.db, otherHost.id)).toMatchObject({ status: "running" });
    await rejudgeSettled(live.rejudgeId);
    expect(await rejudgeStatus(database.db, live.rejudgeId)).toMatchObject({ status: "succeeded" });
  });

  it("takes either session ids or a filter, never both or neither, and no unknown filter key", () => {
    const config = { name: "rejudged" };
    expect(RejudgeRequestSchema.safeParse({ sessionIds: [1], config }).success).toBe(true);
    expect(RejudgeRequestSchema.safeParse({ filter: { experiment: 3 }, config }).success).toBe(true);
    for (const bad of [{ config }, { sessionIds: [1], filter: { experiment: 3 }, config }, { filter: { experiments: 3 }, config }]) {
      expect(RejudgeRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("unknown sessions, versions and bad configs are refused before anything is stored", async () => {
    const unknown = await startRejudge(database.db, { sessionIds: [sessionId, 424242], config: { yaml: stringify(configObject("strict")) } }).catch((error: unknown) => error);
    expect(isAtlasError(unknown) && [unknown.code, unknown.message]).toEqual(["not_found", "no session 424242"]);
    const bad = await startRejudge(database.db, { sessionIds: [sessionId], config: { yaml: "agent: {}" } }).catch((error: unknown) => error);
    expect(isAtlasError(bad) && bad.code).toBe("invalid_config");
    expect(isAtlasError(bad) && bad.issues?.[0]?.path.startsWith("config.")).toBe(true);
    const missing = await withJudgementVersion(database.db, await getSessionDetail(database.db, sessionId), 999).catch((error: unknown) => error);
    expect(isAtlasError(missing) && missing.code).toBe("not_found");
    const status = await rejudgeStatus(database.db, 999).catch((error: unknown) => error);
    expect(isAtlasError(status) && status.code).toBe("not_found");
  });
});
