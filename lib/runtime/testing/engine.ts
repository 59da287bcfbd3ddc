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

/** A step timer the test fires: `fire(stepId)` ends that step's time as if its limit had run out. */
export function manualStepTimer() {
  const pending = new Map<number, () => void>();
  return {
    timer: (stepId: number, _ms: number, onTimeout: () => void) => {
      pending.set(stepId, onTimeout);
      return () => pending.delete(stepId);
    },
    fire(stepId: number): void {
      const onTimeout = pending.get(stepId);
      if (!onTimeout) throw new Error(`step ${stepId} has no running time limit`);
      onTimeout();
    },
  };
}

/** A latch that opens once `count` callers are inside: each `enter()` resolves then (at once, after that). */
export function latch(count: number) {
  let inside = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    enter(): Promise<void> {
      inside += 1;
      if (inside >= count) open();
      return opened;
    },
  };
}
