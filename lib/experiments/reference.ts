/**
 * Reference scoring of an experiment's cells: when the task has an expected answer, the experiment's
 * scorer (exact by default, or a JS module `export default (output, expected, task) => number |
 * {score, rationale}`) scores the session's final answer, and the score is stored beside its reward.
 */
import "server-only";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { pathProblem } from "@/lib/config/code-location";
import { getExperimentScorer, upsertReferenceScore } from "@/lib/db/queries/experiments";
import { getSessionById } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, errorMessage } from "@/lib/errors";
import type { ReferenceScorer } from "./api-types";
import { DEFAULT_SCORER, scoreDeterministic, type ReferenceScore } from "./reference-scorers";
import type { CellWork } from "./runner";

export interface ReferenceScoringOptions {
  database: () => Promise<AtlasDb>;
  /** Relative module paths resolve from here. */
  baseDir: string;
  /** Folders a module scorer may be loaded from. */
  codeRoots: readonly string[];
}

type ScorerFunction = (output: string, expected: string, task: string) => unknown;

/** The runner's `afterCell`: scores a finished cell's session, when its task has an expected answer. */
export function referenceScoring(options: ReferenceScoringOptions) {
  const modules = new Map<string, Promise<ScorerFunction>>();
  return async (experimentId: number, sessionId: number, work: CellWork): Promise<void> => {
    if (work.expectedAnswer === null) return;
    const db = await options.database();
    const session = await getSessionById(db, { id: sessionId });
    if (!session || session.finalAnswer === null) return;
    const scorer = (await getExperimentScorer<ReferenceScorer>(db, experimentId)) ?? DEFAULT_SCORER;
    const result =
      scorer.type === "module"
        ? await scoreWithModule(scorer, session.finalAnswer, work.expectedAnswer, work.task)
        : scoreDeterministic(scorer, session.finalAnswer, work.expectedAnswer);
    await upsertReferenceScore(db, { sessionId, score: result.score, rationale: result.rationale, scorer: scorer.type });
  };

  async function scoreWithModule(scorer: Extract<ReferenceScorer, { type: "module" }>, output: string, expected: string, task: string): Promise<ReferenceScore> {
    try {
      const problem = pathProblem(scorer.module, { baseDir: options.baseDir, roots: options.codeRoots });
      if (problem) throw new AtlasError("invalid_config", `scorer.module: ${problem}`);
      const file = path.resolve(options.baseDir, scorer.module);
      const key = `${file}#${scorer.export ?? "default"}`;
      let loading = modules.get(key);
      if (!loading) {
        loading = loadScorer(file, scorer.export ?? "default");
        modules.set(key, loading);
        loading.catch(() => modules.delete(key));
      }
      return checkModuleResult(await (await loading)(output, expected, task));
    } catch (error) {
      return { score: null, rationale: `the module scorer failed: ${errorMessage(error)}` };
    }
  }
}

async function loadScorer(file: string, exportName: string): Promise<ScorerFunction> {
  const loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const scorer = loaded[exportName];
  if (typeof scorer !== "function") throw new AtlasError("invalid_config", `${file} does not export a function named ${exportName}`);
  return scorer as ScorerFunction;
}

function checkModuleResult(value: unknown): ReferenceScore {
  const [score, rationale] =
    typeof value === "number" ? [value, "scored by the module"] : value !== null && typeof value === "object" ? [(value as { score?: unknown }).score, (value as { rationale?: unknown }).rationale] : [value, null];
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
    return { score: null, rationale: `the module scorer returned ${JSON.stringify(value)}; expected a number in [0, 1] or {score, rationale}` };
  }
  return { score, rationale: typeof rationale === "string" ? rationale : "scored by the module" };
}
