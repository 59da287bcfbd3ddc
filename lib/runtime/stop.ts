/**
 * Why a run is being stopped, carried as the reason of the AbortSignal the caller gives the engine.
 * A cancel ends the session `session.cancelled`; a shutdown (the server process is stopping) ends it
 * `session.interrupted`. Any other abort reason (a string, a plain AbortError) counts as a cancel.
 */
import { AtlasError, isAtlasError } from "@/lib/errors";

export type StopKind = "cancel" | "shutdown";

export class RunStop extends AtlasError {
  constructor(
    readonly stopKind: StopKind,
    reason: string,
  ) {
    super("cancelled", reason);
    this.name = "RunStop";
  }
}

/** `controller.abort(cancelRun("cancelled by request"))`: the session ends cancelled with that reason. */
export function cancelRun(reason: string): RunStop {
  return new RunStop("cancel", reason);
}

/** `controller.abort(shutdownRun(reason))`: the session ends interrupted with that reason. */
export function shutdownRun(reason: string): RunStop {
  return new RunStop("shutdown", reason);
}

export interface StopReason {
  kind: StopKind;
  reason: string;
}

const DEFAULT_CANCEL_REASON = "the run was cancelled";

/** Reads a signal's abort reason (recognised by shape: Next may load this module more than once). */
export function stopOf(reason: unknown): StopReason {
  if (isAtlasError(reason)) {
    const kind = (reason as Partial<RunStop>).stopKind;
    if (kind === "cancel" || kind === "shutdown") return { kind, reason: reason.message || DEFAULT_CANCEL_REASON };
  }
  if (typeof reason === "string" && reason.trim() !== "") return { kind: "cancel", reason };
  if (reason instanceof Error && reason.name !== "AbortError" && reason.message) return { kind: "cancel", reason: reason.message };
  return { kind: "cancel", reason: DEFAULT_CANCEL_REASON };
}
