import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/db/testing/databases";
import { isAtlasError } from "@/lib/errors";
import { seedSession } from "@/lib/export/testing/fixture";
import { judgeAgreement } from "./judges";
import { addLabel } from "./labels";

describe("judge agreement from stored judgements and labels (PGlite)", () => {
  let database: TestDatabase;
  const ids: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    for (const [index, scores] of [[0.9, 0.7], [0.65, 0.95]].entries()) {
      const { sessionId } = await seedSession(database.db, {
        task: `judged ${index}`,
        configName: "judged",
        steps: scores.map((score) => ({ description: `step at ${score}`, score })),
      });
      ids.push(sessionId);
    }
    await seedSession(database.db, { task: "other config", configName: "other" });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("pairs the newest label of each target with the judges' reward of that step or session", async () => {
    const [first, second] = ids as [number, number];
    await addLabel(database.db, first, { stepId: 1, score: 0.2 }); // superseded below
    await addLabel(database.db, first, { stepId: 1, score: 0.85 });
    await addLabel(database.db, first, { stepId: 2, verdict: "bad" });
    await addLabel(database.db, second, { stepId: 1, score: 0.3, verdict: "bad" });
    await addLabel(database.db, second, { note: "a note alone is not a judgement" });
    await addLabel(database.db, second, { score: 0.9 });

    const result = await judgeAgreement(database.db, "judged");
    // judge / human: 0.9 / 0.85 tp · 0.7 / bad fp · 0.65 / 0.3+bad fp · session 0.8 / 0.9 tp (session reward = mean 0.8).
    expect(result).toMatchObject({ pairs: 4, threshold: 0.6, confusion: { tp: 2, fp: 2, tn: 0, fn: 0 } });
    expect(result.mae).toBeCloseTo((0.05 + 0.35 + 0.1) / 3, 5);
    expect(result.disagreements.map(({ sessionId, stepId, human }) => ({ sessionId, stepId, human }))).toEqual([
      { sessionId: first, stepId: 2, human: "bad" },
      { sessionId: second, stepId: 1, human: 0.3 },
    ]);
    expect((await judgeAgreement(database.db, "judged", { threshold: 0.95 })).confusion).toEqual({ tp: 0, fp: 0, tn: 4, fn: 0 });
    expect((await judgeAgreement(database.db, "other")).pairs).toBe(0);
    // The fixture's judges never escalate: two judges (process, helpfulness) on each judged attempt.
    expect(result.judges.map(({ identifier, escalations }) => [identifier, escalations])).toEqual([["helpfulness", 0], ["process", 0]]);
    expect(result.judges[0]!.judgements).toBeGreaterThanOrEqual(4);
    expect(result).toMatchObject({ judgementVersion: 0, comparison: null });
  });

  it("a config no session ran with is not found", async () => {
    const error = await judgeAgreement(database.db, "nobody").catch((caught: unknown) => caught);
    expect(isAtlasError(error) && error.code).toBe("not_found");
  });
});
