import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { isAtlasError } from "@/lib/errors";
import { seedSession } from "@/lib/export/testing/fixture";
import { SessionListQuerySchema } from "@/lib/sessions/api-types";
import { listSessions } from "@/lib/sessions/list";
import { LabelRequestSchema } from "./api-types";
import { addLabel, labelsOf } from "./labels";
import { reviewOf, setReviewStatus } from "./status";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

/** Everything a review or label write must leave alone: the events and the tables projected from them. */
async function recordedState(database: TestDatabase, sessionId: number) {
  return queryRows(
    database.db,
    sql`select (select json_agg(e.event order by e.seq)::text from trajectory_events e where e.session_id = ${sessionId}) as events,
          (select row_to_json(s)::text from sessions s where s.id = ${sessionId}) as session,
          (select json_agg(r order by r.step_id)::text from step_results r where r.session_id = ${sessionId}) as steps,
          (select json_agg(a order by a.step_id, a.attempt)::text from step_attempts a where a.session_id = ${sessionId}) as attempts`,
  );
}

async function expectAtlasError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(isAtlasError(error) ? { code: error.code, message: error.message } : error).toEqual({ code, message: expect.stringMatching(message) });
}

describe.each(drivers)("review status and labels on $driver", ({ driver, skip }) => {
  let database: TestDatabase;
  let first = 0;
  let second = 0;

  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    ({ sessionId: first } = await seedSession(database.db, { task: "first session", configName: "alpha" }));
    ({ sessionId: second } = await seedSession(database.db, { task: "second session", configName: "beta" }));
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)("a session never reviewed is pending with no history", async () => {
    expect(await reviewOf(database.db, first)).toEqual({ sessionId: first, reviewStatus: "pending", driftFlagged: false, drift: null, history: [] });
  });

  it.skipIf(skip)("transitions append who, when and the note, and never change what was recorded", async () => {
    const before = await recordedState(database, first);
    await setReviewStatus(database.db, first, { status: "approved", note: "looks right", reviewer: "ana" });
    await setReviewStatus(database.db, first, { status: "quarantined", note: "wrong total" });
    const review = await setReviewStatus(database.db, first, { status: "pending", reviewer: "bo" });
    expect(review.reviewStatus).toBe("pending");
    expect(review.history.map(({ at: _at, ...entry }) => entry)).toEqual([
      { status: "approved", previousStatus: "pending", reviewer: "ana", note: "looks right" },
      { status: "quarantined", previousStatus: "approved", reviewer: "web", note: "wrong total" },
      { status: "pending", previousStatus: "quarantined", reviewer: "bo", note: null },
    ]);
    const times = review.history.map((entry) => Date.parse(entry.at));
    expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true);
    expect(await recordedState(database, first)).toEqual(before);
  });

  it.skipIf(skip)("unknown sessions are not found", async () => {
    await expectAtlasError(setReviewStatus(database.db, 999_999, { status: "approved" }), "not_found", /session 999999 does not exist/);
    await expectAtlasError(reviewOf(database.db, 999_999), "not_found", /does not exist/);
    await expectAtlasError(labelsOf(database.db, 999_999), "not_found", /does not exist/);
  });

  it.skipIf(skip)("GET /api/sessions?review= lists by review status and says each session's status", async () => {
    await setReviewStatus(database.db, second, { status: "approved" });
    const list = async (raw: Record<string, unknown>) =>
      (await listSessions(database.db, SessionListQuerySchema.parse(raw))).sessions.map((session) => [session.id, session.reviewStatus]);
    expect(await list({ review: "approved" })).toEqual([[second, "approved"]]);
    expect(await list({ review: "pending" })).toEqual([[first, "pending"]]);
    expect(await list({ review: ["pending", "approved"] })).toEqual([[second, "approved"], [first, "pending"]]);
    expect(await list({ review: "quarantined" })).toEqual([]);
    expect(await list({ review: "pending", config: "beta" })).toEqual([]);
    expect(SessionListQuerySchema.safeParse({ review: "done" }).error?.issues[0]?.path).toEqual(["review", 0]);
  });

  it.skipIf(skip)("labels on a session and a step are stored and listed, and leave the record alone", async () => {
    const before = await recordedState(database, first);
    const sessionLabel = await addLabel(database.db, first, LabelRequestSchema.parse({ score: 0.25, verdict: "bad", note: "missed the point" }));
    const stepLabel = await addLabel(database.db, first, LabelRequestSchema.parse({ stepId: 1, preferredAttempt: 1, verdict: "good" }));
    expect(sessionLabel).toMatchObject({ sessionId: first, stepId: null, score: 0.25, verdict: "bad", note: "missed the point", labeler: "web" });
    expect(stepLabel).toMatchObject({ stepId: 1, preferredAttempt: 1, verdict: "good", score: null });
    expect((await labelsOf(database.db, first)).labels.map((label) => label.id)).toEqual([sessionLabel.id, stepLabel.id]);
    expect(await recordedState(database, first)).toEqual(before);
  });

  it.skipIf(skip)("a label naming a missing step is not found; a missing attempt is bad input naming the field", async () => {
    await expectAtlasError(addLabel(database.db, first, { stepId: 42, verdict: "good" }), "not_found", /has no step 42/);
    const error = await addLabel(database.db, first, { stepId: 1, preferredAttempt: 7 }).catch((caught: unknown) => caught);
    expect(isAtlasError(error) && { code: error.code, issues: error.issues }).toEqual({
      code: "invalid_input",
      issues: [{ path: "preferredAttempt", message: "no attempt 7 on step 1" }],
    });
  });
});

describe("label requests", () => {
  it.each([
    [{}, "score", /needs a score, a verdict/],
    [{ score: 1.5 }, "score", /\[0, 1\]/],
    [{ verdict: "meh" }, "verdict", /./],
    [{ preferredAttempt: 2 }, "preferredAttempt", /give stepId/],
    [{ stepId: 0, score: 1 }, "stepId", /./],
  ])("%j is refused at %s", (body, path, message) => {
    const issue = LabelRequestSchema.safeParse(body).error?.issues[0];
    expect(issue?.path.join(".")).toBe(path);
    expect(issue?.message).toMatch(message);
  });
});
