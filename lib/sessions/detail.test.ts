/**
 * The session page loads a snapshot without evaluations and fetches an opened step in full; the two
 * together must give exactly the full snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@/lib/db/queries/events";
import { createSession } from "@/lib/db/queries/sessions";
import { availableDrivers, createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { withFetchedEvaluations } from "@/lib/session-view/step-detail";
import { buildSessionEvents } from "@/lib/session-view/testing/session-events";
import { getSessionDetail, getStepDetail } from "./detail";

const drivers = (await availableDrivers()).filter(({ driver }) => driver !== "neon");

describe.each(drivers)("session snapshot without evaluations on $driver", ({ driver, skip }) => {
  if (skip) console.warn(`session detail tests on ${driver} skipped: ${skip}`);
  let database: TestDatabase;
  let sessionId: number;
  beforeAll(async () => {
    if (skip) return;
    database = await createTestDatabase(driver);
    sessionId = (await createSession(database.db, { task: "lazy steps", status: "running" })).id;
    const events = buildSessionEvents({ sessionId, steps: 5, attempts: 2, judges: ["process", "helpfulness"], unfinished: true });
    // Step 5 still running: its second attempt has not started.
    const cut = events.findIndex((event) => event.type === "attempt.started" && event.stepId === 5 && event.attempt === 2);
    await appendEvents(database.db, events.slice(0, cut));
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(skip)("leaves evaluations out and says so per step; each fetched step completes it to the full snapshot", async () => {
    const full = await getSessionDetail(database.db, sessionId);
    const compact = await getSessionDetail(database.db, sessionId, { evaluations: false });
    expect(full.steps.some((step) => step.evaluationsOmitted)).toBe(false);
    expect(compact.steps).toHaveLength(5);
    for (const step of compact.steps) {
      expect(step.evaluation).toBeNull();
      for (const attempt of step.attemptDetails) expect(attempt.evaluation).toBeNull();
      expect(step.evaluationsOmitted).toBe(true);
    }
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length / 2);
    expect({ ...compact, steps: [] }).toEqual({ ...full, steps: [] });
    for (const [index, step] of compact.steps.entries()) {
      const fetched = await getStepDetail(database.db, sessionId, step.stepId);
      expect(fetched).toEqual(full.steps[index]);
      expect(withFetchedEvaluations(step, fetched)).toEqual(full.steps[index]);
    }
  });

  it.skipIf(skip)("answers not_found for a step or session that does not exist", async () => {
    await expect(getStepDetail(database.db, sessionId, 99)).rejects.toMatchObject({ code: "not_found", message: `session ${sessionId} has no step 99` });
    await expect(getStepDetail(database.db, sessionId + 1000, 1)).rejects.toMatchObject({ code: "not_found" });
  });
});
