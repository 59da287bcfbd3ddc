/**
 * When and how long to wait before retrying an LLM call.
 */
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { AtlasError, errorMessage } from "@/lib/errors";
import { describeConnectionFailure } from "./connection-error";

export const MAX_SINGLE_WAIT_MS = 30_000;

/**
 * LLM calls always get at least two retries (three tries): providers rate-limit and drop connections
 * routinely, and a judge or teacher call lost to one blip would cost a whole step attempt.
 * `retry.attempts` (1-5) raises the number of tries beyond that.
 */
export function maxTriesFor(retryAttempts: number | undefined): number {
  return Math.max(retryAttempts ?? 1, 3);
}

/** Why one try failed, and whether another try may help. */
export interface TryFailure {
  reason: string;
  retryable: boolean;
  /** Server-requested wait (Retry-After), in ms. */
  retryAfterMs: number | null;
  /** HTTP 429: the endpoint, not this call, needs to slow down. */
  rateLimited?: boolean;
}

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** Where the failed request went: named in connection and not-found errors. */
export interface FailureTarget {
  baseUrl: string;
  model: string;
}

export function classifyFailure(error: unknown, timedOut: boolean, timeoutSeconds: number, target?: FailureTarget): TryFailure {
  if (timedOut) return { reason: `no reply within ${timeoutSeconds}s`, retryable: true, retryAfterMs: null };
  if (error instanceof MalformedReplyError) return { reason: error.message, retryable: true, retryAfterMs: null };
  if (error instanceof SyntaxError) {
    return { reason: `malformed response body (not JSON): ${error.message}`, retryable: true, retryAfterMs: null };
  }
  if (error instanceof APIUserAbortError) return { reason: "request aborted", retryable: false, retryAfterMs: null };
  if (error instanceof APIConnectionError) {
    const where = target ? ` ${target.baseUrl}` : "";
    return { reason: `cannot reach${where}: ${describeConnectionFailure(error.cause ?? error)}`, retryable: true, retryAfterMs: null };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    // A 404 is nearly always a model name the provider does not serve, or a base URL with a wrong path.
    const notFound = status === 404 && target ? ` (model "${target.model}" at ${target.baseUrl})` : "";
    return {
      reason: `HTTP ${status}: ${serverMessage(error)}${notFound}`,
      retryable: RETRYABLE_STATUSES.has(status) || status >= 500,
      retryAfterMs: retryAfterMs(error.headers),
      ...(status === 429 ? { rateLimited: true } : {}),
    };
  }
  return { reason: errorMessage(error), retryable: false, retryAfterMs: null };
}

/** A 2xx reply that is not a chat completion. */
export class MalformedReplyError extends Error {}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === "string" && body.message !== "") return body.message;
  return error.message.replace(/^\d{3}\s*/, "") || "no message";
}

/** `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const milliseconds = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Wait before try `nextTry` (2, 3, …): the server's Retry-After when given, else exponential backoff with
 * full jitter (uniform in [0, base·2^(n-2)]), never more than 30 s.
 */
export function backoffMs(nextTry: number, baseSeconds: number, retryAfter: number | null, random: () => number): number {
  if (retryAfter !== null) return Math.min(retryAfter, MAX_SINGLE_WAIT_MS);
  const ceiling = Math.min(baseSeconds * 1000 * 2 ** Math.max(0, nextTry - 2), MAX_SINGLE_WAIT_MS);
  return Math.floor(random() * ceiling);
}

export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

/** Resolves after `ms`, or rejects with `cancelled` as soon as the signal aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AtlasError("cancelled", "cancelled while waiting to retry"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AtlasError("cancelled", "cancelled while waiting to retry"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
