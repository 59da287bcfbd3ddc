/** When an attempt is retried, and which statuses mean the agent finished its step. */

const OK_STATUSES = new Set(["ok", "success", "completed", ""]);

/** `ok`, `success` and `completed` all mean the agent finished the step. */
export function isOkStatus(status: string): boolean {
  return OK_STATUSES.has(status.trim().toLowerCase());
}

export interface RetryPolicy {
  maxRetries: number;
  retryThreshold: number;
}

/**
 * A judged attempt is retried while attempts remain unless the agent said `skipped`: when the teacher
 * did not validate it, its status is not ok, or its reward is below the threshold.
 */
export function shouldRetry(policy: RetryPolicy, attempt: number, status: string, valid: boolean, score: number | null): boolean {
  if (attempt > policy.maxRetries) return false;
  if (status.trim().toLowerCase() === "skipped") return false;
  if (!valid) return true;
  if (!isOkStatus(status)) return true;
  return score !== null && score < policy.retryThreshold;
}

/** An agent error inside an attempt is a failed attempt, retried while attempts remain. */
export function shouldRetryAgentError(policy: RetryPolicy, attempt: number): boolean {
  return attempt <= policy.maxRetries;
}
