/** The review and label routes, the review filter of the list and the web export gate, on the process database. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { afterStoredSession } from "@/lib/review/after-session";
import { parseConfigObject } from "@/lib/config";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { seedSession } from "@/lib/export/testing/fixture";

process.env.ATLAS_DATA_DIR = "memory://";
process.env.ATLAS_NO_SIGNAL_HANDLERS = "1";
delete process.env.DATABASE_URL;
delete process.env.ATLAS_DB_DRIVER;

const review = await import("./route");
const labels = await import("../labels/route");
const { GET: listRoute } = await import("../../route");
const { GET: exportRoute } = await import("../../../export/route");
const { GET: countRoute } = await import("../../../export/count/route");
const { GET: agreementRoute } = await import("../../../judges/agreement/route");

const params = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const post = (body: unknown) =>
  new Request("http://atlas.test/x", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });
const get = (url: string) => new Request(`http://atlas.test${url}`);

describe("review and label routes", () => {
  let gated = 0;
  let plain = 0;

  beforeAll(async () => {
    const { db } = await getDatabase();
    ({ sessionId: plain } = await seedSession(db, { task: "plain", configName: "judged", createdAt: new Date("2025-10-01T00:00:00Z") }));
    ({ sessionId: gated } = await seedSession(db, { task: "gated", createdAt: new Date("2025-10-02T00:00:00Z") }));
    const parsed = parseConfigObject({
      agent: { type: "http_api", name: "demo", system_prompt: "Answer.", transport: { base_url: "https://agent.example/v1" } },
      teacher: { llm: { model: "m" } },
      rim: { small_model: { model: "m" }, large_model: { model: "m" } },
      runtime_safety: {},
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await afterStoredSession(db, gated, parsed.config);
  });
  afterAll(async () => {
    await closeDatabase();
  });

  const exportedTasks = async (query: string) =>
    (await (await exportRoute(get(`/api/export${query}`), undefined)).text())
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line).task as string);

  it("the web export is gated by the config default until the session is approved", async () => {
    expect(await exportedTasks("")).toEqual(["plain"]);
    expect(await (await countRoute(get("/api/export/count"), undefined)).json()).toMatchObject({ sessions: 1 });
    expect(await exportedTasks("?review_status=all")).toEqual(["gated", "plain"]);
    expect(await exportedTasks("?review_status=pending")).toEqual(["gated", "plain"]);
    const bad = await exportRoute(get("/api/export?review_status=nope"), undefined);
    expect(bad.status).toBe(400);
  });

  it("POST /api/sessions/:id/review answers {sessionId, reviewStatus, history}", async () => {
    const response = await review.POST(post({ status: "approved", note: "fine" }), params(gated));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      sessionId: gated,
      reviewStatus: "approved",
      history: [{ status: "approved", previousStatus: "pending", reviewer: "web", note: "fine", at: expect.any(String) }],
    });
    expect((await (await review.GET(get("/x"), params(gated))).json()).reviewStatus).toBe("approved");
    expect(await exportedTasks("")).toEqual(["gated", "plain"]);
    expect(await exportedTasks("?review_status=approved")).toEqual(["gated"]);
  });

  it("GET /api/sessions?review= filters and each listed session says its review status", async () => {
    const body = await (await listRoute(get("/api/sessions?review=approved"), undefined)).json();
    expect(body.sessions.map((session: { id: number; reviewStatus: string }) => [session.id, session.reviewStatus])).toEqual([[gated, "approved"]]);
    expect((await listRoute(get("/api/sessions?review=maybe"), undefined)).status).toBe(400);
  });

  it("bad review bodies are 400 with issues naming the field; unknown sessions 404", async () => {
    const bad = await review.POST(post({ status: "done" }), params(gated));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("status");
    expect((await review.POST(post("{"), params(gated))).status).toBe(400);
    expect((await review.POST(post({ status: "approved" }), params(987654))).status).toBe(404);
    expect((await review.GET(get("/x"), params("abc"))).status).toBe(404);
  });

  it("POST /api/sessions/:id/labels answers 201 with the label; GET lists them", async () => {
    const created = await labels.POST(post({ stepId: 1, score: 0.4, verdict: "bad", preferredAttempt: 1, note: "first try was better" }), params(plain));
    expect(created.status).toBe(201);
    const label = await created.json();
    expect(label).toMatchObject({ id: expect.any(Number), sessionId: plain, stepId: 1, score: 0.4, verdict: "bad", preferredAttempt: 1 });
    const listed = await (await labels.GET(get("/x"), params(plain))).json();
    expect(listed).toEqual({ sessionId: plain, labels: [label] });
    const bad = await labels.POST(post({ score: 2 }), params(plain));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("score");
    expect((await labels.POST(post({ stepId: 99, verdict: "good" }), params(plain))).status).toBe(404);
    expect((await labels.POST(post({ verdict: "good" }), params(987654))).status).toBe(404);
    expect((await labels.GET(get("/x"), params(987654))).status).toBe(404);
  });

  it("GET /api/judges/agreement answers the contract's shape; no config is 400, an unknown one 404", async () => {
    const response = await agreementRoute(get("/api/judges/agreement?config=judged"), undefined);
    expect(response.status).toBe(200);
    // The step label above: step 1 judged 0.8 (the fixture's retried step), human 0.4 and "bad".
    expect(await response.json()).toEqual({
      pairs: 1,
      threshold: 0.6,
      spearman: null,
      mae: expect.closeTo(0.4, 5),
      kappa: 0,
      confusion: { tp: 0, fp: 1, tn: 0, fn: 0 },
      disagreements: [{ sessionId: plain, stepId: 1, judge: expect.closeTo(0.8, 5), human: 0.4 }],
      judgementVersion: 0,
      judges: expect.any(Array),
      comparison: null,
    });
    expect((await agreementRoute(get("/api/judges/agreement?config=judged&judgement=77"), undefined)).status).toBe(404);
    const missing = await agreementRoute(get("/api/judges/agreement"), undefined);
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.issues[0].path).toBe("config");
    expect((await agreementRoute(get("/api/judges/agreement?config=nobody"), undefined)).status).toBe(404);
    expect((await agreementRoute(get("/api/judges/agreement?config=judged&threshold=2"), undefined)).status).toBe(400);
  });
});
