/**
 * Reference scoring of an experiment's cells: when the task has an expected answer, the experiment's
 * scorer (exact by default; a JS module `export default (output, expected, task) => number |
 * {score, rationale}`; or a reference-aware judge) scores the session's final answer, and the score
 * is stored beside its reward.
 */
import "server-only";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Environment } from "@/lib/config/env-refs";
import { pathProblem } from "@/lib/config/code-location";
import type { ResolvedConfig } from "@/lib/configs";
import type { ConfigRef } from "@/lib/configs/types";
import { createLlmClient } from "@/lib/llm/client";
import { parseJsonObject } from "@/lib/llm/json";
import { getExperimentScorer, upsertReferenceScore } from "@/lib/db/queries/experiments";
import { getSessionById } from "@/lib/db/queries/sessions";
import type { AtlasDb } from "@/lib/db/types";
import { AtlasError, errorMessage } from "@/lib/errors";
import type { ReferenceScorer } from "./api-types";
import { checkScoreResult, DEFAULT_JUDGE_PROMPT, DEFAULT_SCORER, judgePrompt, scoreDeterministic, type ReferenceScore } from "./reference-scorers";
import type { CellWork } from "./runner";

export interface ReferenceScoringOptions {
  database: () => Promise<AtlasDb>;
  /** Relative module paths resolve from here. */
  baseDir: string;
  /** Folders a module scorer may be loaded from. */
  codeRoots: readonly string[];
  /** The judge scorer asks the cell's config's `rim.large_model`, with API keys from `env`. */
  resolveConfig: (db: AtlasDb, ref: ConfigRef) => Promise<ResolvedConfig>;
  env: Environment;
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
        : scorer.type === "judge"
          ? await scoreWithJudge(db, scorer.prompt ?? DEFAULT_JUDGE_PROMPT, session.finalAnswer, work)
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
      return checkScoreResult(await (await loading)(output, expected, task), "module scorer");
    } catch (error) {
      return { score: null, rationale: `the module scorer failed: ${errorMessage(error)}` };
    }
  }

  async function scoreWithJudge(db: AtlasDb, template: string, output: string, work: CellWork): Promise<ReferenceScore> {
    try {
      const resolved = await options.resolveConfig(db, work.config);
      const client = createLlmClient(resolved.config.rim.large_model, { env: options.env, label: "reference judge (rim.large_model)" });
      const reply = await client.complete({
        actor: "reward",
        stage: "reference_judge",
        json: true,
        temperature: 0,
        messages: [{ role: "user", content: judgePrompt(template, { task: work.task, expected: work.expectedAnswer ?? "", output }) }],
      });
      const parsed = parseJsonObject(reply.content);
      if (!parsed.ok) return { score: null, rationale: `the reference judge's reply is not a JSON object: ${parsed.error}` };
      return checkScoreResult(parsed.value, "reference judge");
    } catch (error) {
      return { score: null, rationale: `the reference judge failed: ${errorMessage(error)}` };
    }
  }
}

async function loadScorer(file: string, exportName: string): Promise<ScorerFunction> {
  const loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const scorer = loaded[exportName];
  if (typeof scorer !== "function") throw new AtlasError("invalid_config", `${file} does not export a function named ${exportName}`);
  return scorer as ScorerFunction;
}
