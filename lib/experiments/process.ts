/**
 * The experiment runner of this server process, on the process run manager (one instance on
 * globalThis, like the run manager, because Next bundles routes as separate module graphs).
 */
import "server-only";
import { agentCodeRoots } from "@/lib/config/code-location";
import { configsBaseDir, resolveConfigForRun } from "@/lib/configs";
import { getDatabase } from "@/lib/db/client";
import { getRunManager } from "@/lib/runs/process";
import { runManagerLauncher } from "./launcher";
import { referenceScoring } from "./reference";
import { ExperimentRunner } from "./runner";
import { resumeExperiments, type ExperimentDeps } from "./service";

const holder = globalThis as unknown as { __atlasExperiments?: { deps: ExperimentDeps; resumed: Promise<unknown> | null } };

/** The process's experiment collaborators; the first call also resumes experiments a stopped process left running. */
export async function processExperimentDeps(): Promise<ExperimentDeps> {
  if (!holder.__atlasExperiments) {
    const manager = getRunManager();
    const database = async () => (await getDatabase()).db;
    const runner = new ExperimentRunner({
      database,
      launcher: runManagerLauncher(manager),
      afterCell: referenceScoring({
        database,
        baseDir: configsBaseDir(),
        codeRoots: agentCodeRoots(process.env),
        resolveConfig: resolveConfigForRun,
        env: process.env,
      }),
    });
    holder.__atlasExperiments = { deps: { database, runner, resolveConfig: resolveConfigForRun, env: process.env }, resumed: null };
  }
  const state = holder.__atlasExperiments;
  // Recovery first, so the sessions the stopped process left are already marked interrupted.
  state.resumed ??= getRunManager()
    .recover()
    .then(() => resumeExperiments(state.deps))
    .catch((error: unknown) => {
      state.resumed = null;
      console.error("could not resume running experiments:", error);
    });
  await state.resumed;
  return state.deps;
}
