/**
 * Runs the engine as the composition root would, for engine tests: collaborators built from the config
 * (real LLM clients and evaluator against the scripted server), no store unless one is given.
 */
import { configuredCollaborators, type CollaboratorOptions } from "@/lib/compose/collaborators";
import { runSession, type SessionInput } from "../run-session";
import { noSessionStore } from "../store";
import type { RunResult } from "../types";

export type EngineTestInput = Omit<SessionInput, "store" | "collaborators"> &
  CollaboratorOptions & { store?: SessionInput["store"] };

export function runEngine({ env, baseDir, adapter, store, ...input }: EngineTestInput): Promise<RunResult> {
  return runSession({
    ...input,
    store: store ?? noSessionStore,
    collaborators: configuredCollaborators(input.config, { env, baseDir, adapter }),
  });
}
