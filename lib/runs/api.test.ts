/**
 * The runs/sessions HTTP API through the real route handlers, on the process database (in-memory
 * PGlite) and the process run manager, with every LLM call going to the scripted server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { closeDatabase } from "@/lib/db/client";
import { demoRules, startScriptedLlm, type ScriptedLlm } from "@/lib/llm/scripted";
import { TrajectoryEventSchema } from "@/lib/trajectory";
import {
  CancelResponseSchema,
  EventLogPageSchema,
  OverviewSchema,
  RunAcceptedSchema,
  SessionDetailSchema,
  SessionListResponseSchema,
} from "@/lib/sessions/api-types";
import { parseSseStream } from "@/lib/http/sse";
import { SCRIPTED_KEY_ENV, scriptedConfigYaml } from "./testing/harness";

process.env.ATLAS_DATA_DIR = "memory://";
delete process.env.DATABASE_URL;
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
process.env[SCRIPTED_KEY_ENV] = "test-key";

const runsRoute = await import("@/app/api/runs/route");
const sessionsRoute = await import("@/app/api/sessions/route");
const sessionRoute = await import("@/app/api/sessions/[id]/route");
const eventsRoute = await import("@/app/api/sessions/[id]/events/route");
const eventLogRoute = await import("@/app/api/sessions/[id]/event-log/route");
const cancelRoute = await import("@/app/api/sessions/[id]/cancel/route");
const overviewRoute = await import("@/app/api/overview/route");

let llm: ScriptedLlm;
let yaml: string;

beforeAll(async () => {
  llm = await startScriptedLlm({ rules: demoRules(), defaultLatencyMs: 5 });
  yaml = scriptedConfigYaml(llm.url);
});

afterAll(async () => {
  await closeDatabase();
  await llm?.close();
});

const url = (path: string) => `http://atlas.test${path}`;
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const postRun = (body: string) =>
  runsRoute.POST(new Request(url("/api/runs"), { method: "POST", body, headers: { "content-type": "application/json" } }), undefined);

async function json<S extends z.ZodType>(response: Response, status: number, schema?: S): Promise<z.infer<S>> {
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(status);
  return schema ? schema.parse(body) : (body as z.infer<S>);
}

async function errorOf(response: Response, status: number) {
  const body = (await json(response, status)) as { error: { code: string; message: string; issues?: { path: string; line?: number; column?: number; message: string }[] } };
  return body.error;
}

describe("POST /api/runs", () => {
  it("rejects malformed JSON and wrong shapes with a 400 that names the problem", async () => {
    const malformed = await errorOf(await postRun("{task:"), 400);
    expect(malformed.code).toBe("invalid_input");
    expect(malformed.message).toMatch(/^request body is not valid JSON/);

    const wrong = await errorOf(await postRun(JSON.stringify({ task: "  ", config: {} })), 400);
    expect(wrong.code).toBe("invalid_input");
    expect(wrong.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(["task", "config"]));
    expect(wrong.issues?.find((issue) => issue.path === "task")?.message).toBe("task must not be empty");

    const extra = await errorOf(await postRun(JSON.stringify({ task: "t", config: { name: "x" }, priority: 1 })), 400);
    expect(extra.issues?.[0]?.message).toMatch(/priority/);
  });

  it("reports invalid YAML with the path, line and column of each issue", async () => {
    const syntax = await errorOf(await postRun(JSON.stringify({ task: "t", config: { yaml: "agent:\n  type: [openai\n" } })), 400);
    expect(syntax.code).toBe("invalid_config");
    expect(syntax.issues?.[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });

    const badValue = yaml.replace("variance_threshold: 0.15", "variance_threshold: -1");
    const schema = await errorOf(await postRun(JSON.stringify({ task: "t", config: { yaml: badValue } })), 400);
    expect(schema.code).toBe("invalid_config");
    const line = badValue.split("\n").findIndex((text) => text.includes("variance_threshold")) + 1;
    expect(schema.issues).toEqual([expect.objectContaining({ path: "rim.variance_threshold", line, column: expect.any(Number) })]);
  });

  it("answers 404 for an unknown config name and 400 naming a missing API key variable", async () => {
    const unknown = await errorOf(await postRun(JSON.stringify({ task: "t", config: { name: "no-such-config" } })), 404);
    expect([unknown.code, unknown.message]).toEqual(["not_found", "config no-such-config not found"]);

    const needsKey = scriptedConfigYaml(llm.url, { keyEnv: "ATLAS_RUNS_TEST_UNSET_KEY" });
    const missing = await errorOf(await postRun(JSON.stringify({ task: "t", config: { yaml: needsKey } })), 400);
    expect(missing.code).toBe("missing_secret");
    expect(missing.message).toBe(
      "environment variable ATLAS_RUNS_TEST_UNSET_KEY is not set (needed by teacher.llm, rim.small_model, rim.large_model, agent.llm)",
    );
  });

  it("answers 202 once the session row exists; the session streams to completion and reads back through every endpoint", async () => {
    const accepted = await json(
      await postRun(JSON.stringify({ task: "Pick a database for a small team", config: { yaml }, metadata: { team: "data" } })),
      202,
      RunAcceptedSchema,
    );
    expect(accepted).toMatchObject({ status: "running", queuePosition: null });
    const id = String(accepted.sessionId);
    const early = await json(await sessionRoute.GET(new Request(url(`/api/sessions/${id}`)), params(id)), 200, SessionDetailSchema);
    expect(["running", "succeeded"]).toContain(early.session.status);

    const stream = await eventsRoute.GET(new Request(url(`/api/sessions/${id}/events`)), params(id));
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const streamed = [];
    for await (const message of parseSseStream(stream.body as ReadableStream<Uint8Array>)) {
      streamed.push(TrajectoryEventSchema.parse(JSON.parse(message.data)));
    }
    expect(streamed.map((event) => event.seq)).toEqual(streamed.map((_, index) => index + 1));
    expect(streamed.at(-1)?.type).toBe("session.completed");

    const detail = await json(await sessionRoute.GET(new Request(url(`/api/sessions/${id}`)), params(id)), 200, SessionDetailSchema);
    expect(detail.session).toMatchObject({
      status: "succeeded",
      configName: "inline",
      configVersion: expect.any(Number),
      lastSeq: streamed.length,
      metadata: { team: "data" },
      rim: { varianceThreshold: 0.15, uncertaintyThreshold: 0.3, retryThreshold: 0.6 },
    });
    expect(detail.plan?.plan.steps.length).toBe(3);
    expect(detail.steps.map((step) => step.stepId)).toEqual([1, 2, 3]);
    // The demo script rejects step 1's first attempt and guides the retry.
    const first = detail.steps[0];
    expect(first?.attemptDetails.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(first?.guidance).toEqual([expect.objectContaining({ sequence: 1, forAttempt: 2 })]);

    const page = await json(
      await eventLogRoute.GET(new Request(url(`/api/sessions/${id}/event-log?limit=10`)), params(id)),
      200,
      EventLogPageSchema,
    );
    expect(page.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([page.nextAfter, page.lastSeq]).toEqual([10, streamed.length]);
    const typed = await json(
      await eventLogRoute.GET(new Request(url(`/api/sessions/${id}/event-log?type=reward&type=guidance.issued&after=0`)), params(id)),
      200,
      EventLogPageSchema,
    );
    expect(typed.events.length).toBe(streamed.filter((event) => event.type === "reward" || event.type === "guidance.issued").length);
    expect(new Set(typed.events.map((event) => event.type))).toEqual(new Set(["reward", "guidance.issued"]));
    expect(typed.nextAfter).toBeNull();

    const list = await json(
      await sessionsRoute.GET(new Request(url("/api/sessions?status=succeeded&q=DATABASE%20for")), undefined),
      200,
      SessionListResponseSchema,
    );
    expect(list.sessions.map((session) => session.id)).toContain(accepted.sessionId);

    const overview = await json(await overviewRoute.GET(new Request(url("/api/overview")), undefined), 200, OverviewSchema);
    expect(overview.recent[0]?.id).toBe(accepted.sessionId);
    expect(overview.totals.judgeOutcomes).toBeGreaterThan(0);
    expect(overview.totals.escalationRate).toBe(overview.totals.escalations / overview.totals.judgeOutcomes);
    expect(overview.series.at(-1)?.sessions).toBeGreaterThanOrEqual(1);

    const conflict = await errorOf(await cancelRoute.POST(new Request(url(`/api/sessions/${id}/cancel`), { method: "POST" }), params(id)), 409);
    expect(conflict.message).toBe(`session ${id} already finished (succeeded)`);
  });

  it("cancels a running session through the API", async () => {
    llm.setRules([{ caller: "planner", reply: { hang: true } }, ...demoRules()]);
    try {
      const accepted = await json(await postRun(JSON.stringify({ task: "wait forever", config: { yaml } })), 202, RunAcceptedSchema);
      const id = String(accepted.sessionId);
      // Polls until the planner is asked; the test's own timeout bounds the wait.
      while (!llm.requests.some((request) => request.callerRole === "planner" && JSON.stringify(request.messages).includes("wait forever"))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const cancelled = await json(
        await cancelRoute.POST(new Request(url(`/api/sessions/${id}/cancel`), { method: "POST" }), params(id)),
        200,
        CancelResponseSchema,
      );
      expect(cancelled).toEqual({ sessionId: accepted.sessionId, status: "cancelled" });
    } finally {
      llm.reset();
    }
  });
});

describe("bad input is a 4xx, never a 5xx", () => {
  it.each([
    ["GET /api/sessions/abc", () => sessionRoute.GET(new Request(url("/api/sessions/abc")), params("abc")), 404],
    ["GET /api/sessions/999999", () => sessionRoute.GET(new Request(url("/api/sessions/999999")), params("999999")), 404],
    ["GET /api/sessions/999999/event-log", () => eventLogRoute.GET(new Request(url("/api/sessions/999999/event-log")), params("999999")), 404],
    ["GET /api/sessions/1/event-log?after=x", () => eventLogRoute.GET(new Request(url("/api/sessions/1/event-log?after=x")), params("1")), 400],
    ["GET /api/sessions/1/event-log?type=nope", () => eventLogRoute.GET(new Request(url("/api/sessions/1/event-log?type=nope")), params("1")), 400],
    ["GET /api/sessions/abc/events", () => eventsRoute.GET(new Request(url("/api/sessions/abc/events")), params("abc")), 404],
    ["POST /api/sessions/abc/cancel", () => cancelRoute.POST(new Request(url("/api/sessions/abc/cancel"), { method: "POST" }), params("abc")), 404],
    ["POST /api/sessions/999999/cancel", () => cancelRoute.POST(new Request(url("/api/sessions/999999/cancel"), { method: "POST" }), params("999999")), 404],
    ["GET /api/sessions?status=bogus", () => sessionsRoute.GET(new Request(url("/api/sessions?status=bogus")), undefined), 400],
    ["GET /api/sessions?cursor=garbage", () => sessionsRoute.GET(new Request(url("/api/sessions?cursor=garbage")), undefined), 400],
    ["GET /api/sessions?minReward=2", () => sessionsRoute.GET(new Request(url("/api/sessions?minReward=2")), undefined), 400],
    ["GET /api/sessions?from=yesterday", () => sessionsRoute.GET(new Request(url("/api/sessions?from=yesterday")), undefined), 400],
    ["GET /api/sessions?limit=0", () => sessionsRoute.GET(new Request(url("/api/sessions?limit=0")), undefined), 400],
  ])("%s", async (_name, call, status) => {
    const error = await errorOf(await call(), status);
    expect(error.message.length).toBeGreaterThan(0);
  });
});
