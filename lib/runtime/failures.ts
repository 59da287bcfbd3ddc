/**
 * Session-ending failures and how they stop a session: a Teacher or reward-evaluation error (after the
 * LLM client's own retries), an agent error while planning or synthesising, or an invalid plan ends the
 * whole session with a reason naming the call, and stops every sibling call in flight. Also the failure
 * rule's texts: why a step failed, and the session error naming every failed and skipped step.
 */
import { AtlasError, errorMessage, isAtlasError } from "@/lib/errors";
import { isOkStatus } from "./retry-rule";

/** A failure that ends the session (not a failed attempt); `where` names the call. */
export class RunFailure extends AtlasError {
  constructor(
    readonly where: string,
    message: string,
    cause?: unknown,
  ) {
    super(isAtlasError(cause) ? cause.code : "internal", message, cause === undefined ? undefined : { cause });
  }
}

/** The reason a step's signal fires when its time limit runs out. */
export class StepTimeout extends Error {}

/** Throws the stop reason (a cancellation, a shutdown, a sibling's session failure) once `signal` fired. */
export function throwIfStopped(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  throw new AtlasError("cancelled", "the run was cancelled");
}

/**
 * The session's own stop signal: it follows the caller's signal, and a session-ending failure fires it
 * too, so every sibling call stops at once.
 */
export class SessionGuard {
  private readonly controller = new AbortController();

  constructor(private readonly external: AbortSignal) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the caller stopped the run (not a session failure). */
  get stoppedByCaller(): boolean {
    return this.external.aborted;
  }

  /** Follows the caller's signal until the returned function is called. */
  follow(): () => void {
    const forward = () => this.controller.abort(this.external.reason);
    if (this.external.aborted) forward();
    else this.external.addEventListener("abort", forward, { once: true });
    return () => this.external.removeEventListener("abort", forward);
  }

  /** Call before any new call starts. */
  checkpoint(): void {
    throwIfStopped(this.signal);
  }

  /** Runs `work`; its error ends the session (as a RunFailure at `where`) unless `signal` had fired. */
  async fatalOnError<T>(where: string, prefix: string | null, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // A call stopped by a step timeout or a cancellation is not the call's own failure.
      if (signal.aborted) throw error;
      throw this.asFatal(where, prefix, error);
    }
  }

  fatalSync<T>(where: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.asFatal(where, null, error);
    }
  }

  /** Wraps a session-ending error and stops every sibling step; cancellations pass through. */
  private asFatal(where: string, prefix: string | null, error: unknown): unknown {
    if (this.signal.aborted || error instanceof RunFailure) return error;
    if (isAtlasError(error) && error.code === "cancelled") return error;
    const failure = new RunFailure(where, prefix ? `${prefix}: ${errorMessage(error)}` : errorMessage(error), error);
    this.controller.abort(failure);
    return failure;
  }
}

/** The error to report for a level: a session failure wins over the cancellations it caused. */
export function pickFailure(failures: unknown[], stoppedByCaller: boolean): unknown {
  if (stoppedByCaller) return failures.find((failure) => !(failure instanceof RunFailure)) ?? failures[0];
  return failures.find((failure) => failure instanceof RunFailure) ?? failures[0];
}

/** Why a step whose last attempt was not accepted failed. */
export function failureReason(last: { error: string | null; valid: boolean; status: string }, attempts: number): string {
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (last.error !== null) return `agent error after ${tries}: ${last.error}`;
  if (!last.valid) return `not validated after ${tries}`;
  if (!isOkStatus(last.status)) return `status "${last.status}" after ${tries}`;
  return `not accepted after ${tries}`;
}

interface UnfinishedStep {
  status: string;
  stepId: number;
  reason: string | null;
}

/** The session error of the failure rule, naming each failed and skipped step. */
export function failureText(steps: UnfinishedStep[]): string {
  const failed = steps.filter((step) => step.status === "failed");
  const skipped = steps.filter((step) => step.status === "skipped");
  const parts: string[] = [];
  if (failed.length > 0) {
    parts.push(`failed: ${failed.map((step) => `step ${step.stepId} (${step.reason ?? "failed"})`).join(", ")}`);
  }
  if (skipped.length > 0) {
    parts.push(`skipped: ${skipped.map((step) => `step ${step.stepId} (${step.reason ?? "skipped"})`).join(", ")}`);
  }
  return `Steps did not succeed — ${parts.join("; ")}`;
}
