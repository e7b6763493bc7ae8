/**
 * How long a failed job waits before its next attempt: exponential (base, 2×base, 4×base, …)
 * with a ceiling, so a job failing for a day keeps trying hourly instead of once a week.
 */
export type RetryBackoffPolicy = { baseMs: number; maxMs: number };

export const DEFAULT_RETRY_BACKOFF: RetryBackoffPolicy = { baseMs: 5_000, maxMs: 60 * 60 * 1_000 };

/** The delay after the `attempt`-th failed attempt (1 = the first run failed). */
export function retryDelayMs(attempt: number, policy: RetryBackoffPolicy = DEFAULT_RETRY_BACKOFF): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2 ** exponent overflows to Infinity past ~1023; the ceiling makes that harmless, but
  // capping the exponent keeps the arithmetic plain.
  const delay = policy.baseMs * 2 ** Math.min(exponent, 52);
  return Math.min(delay, policy.maxMs);
}

/** When the next attempt may start, given when the failed one ended. */
export function nextRetryAt(failedAt: Date, attempt: number, policy: RetryBackoffPolicy = DEFAULT_RETRY_BACKOFF): Date {
  return new Date(failedAt.getTime() + retryDelayMs(attempt, policy));
}
