/** Experiments with finished cells written straight to the database, for tests of what reads them. */
import { eq } from "drizzle-orm";
import { insertExperiment, upsertReferenceScore } from "@/lib/db/queries/experiments";
import { createSession } from "@/lib/db/queries/sessions";
import { insertTaskSet } from "@/lib/db/queries/task-sets";
import { sessions } from "@/lib/db/schema";
import type { AtlasDb } from "@/lib/db/types";
import { resolveConfigForRun } from "@/lib/configs";

export interface SeededCell {
  reward: number | null;
  costUsd: number;
  durationMs: number;
  status?: "succeeded" | "failed";
  finalAnswer?: string;
}

/** One experiment over a new task set: `cells[arm][task]` is that arm's session for that task (repeat 0). */
export async function seedExperiment(
  db: AtlasDb,
  options: { taskSetName: string; yamls: string[]; cells: SeededCell[][]; referenceScores?: (number | null)[][] },
) {
  const taskCount = options.cells[0]!.length;
  const set = await insertTaskSet(
    db,
    options.taskSetName,
    Array.from({ length: taskCount }, (_, index) => ({ task: `Seeded task ${index + 1}`, expectedAnswer: null, metadata: null })),
  );
  if (!set) throw new Error(`task set ${options.taskSetName} exists`);
  const resolved = await Promise.all(options.yamls.map((yaml) => resolveConfigForRun(db, { yaml })));
  const { experiment, arms } = await insertExperiment(db, {
    name: "seeded",
    taskSetId: set.id,
    repeats: 1,
    maxCostUsd: null,
    scorer: null,
    arms: resolved.map((config) => ({ configName: config.name, configVersion: config.version, configVersionId: config.versionId, configHash: config.hash })),
  });
  for (const [armIndex, armCells] of options.cells.entries()) {
    for (const [taskIndex, cell] of armCells.entries()) {
      const row = await createSession(db, {
        task: `Seeded task ${taskIndex + 1}`,
        cell: { experimentId: experiment.id, experimentArmId: arms[armIndex]!.id, taskIndex, repeatIndex: 0, retryOf: null },
      });
      await db
        .update(sessions)
        .set({ status: cell.status ?? "succeeded", rewardScore: cell.reward, costUsd: cell.costUsd, durationMs: cell.durationMs, finalAnswer: cell.finalAnswer ?? null })
        .where(eq(sessions.id, row.id));
      const reference = options.referenceScores?.[armIndex]?.[taskIndex];
      if (reference !== undefined && reference !== null) {
        await upsertReferenceScore(db, { sessionId: row.id, score: reference, rationale: "seeded", scorer: "exact" });
      }
    }
  }
  return { experimentId: experiment.id, taskSetId: set.id, arms };
}
