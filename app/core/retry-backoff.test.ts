import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_BACKOFF, nextRetryAt, retryDelayMs } from "./retry-backoff";

describe("retryDelayMs", () => {
  it.each([
    { attempt: 1, expected: 5_000 },
    { attempt: 2, expected: 10_000 },
    { attempt: 3, expected: 20_000 },
    { attempt: 4, expected: 40_000 },
    { attempt: 10, expected: 2_560_000 },
    // 5 s × 2^10 = 85 min: past the one-hour ceiling.
    { attempt: 11, expected: 3_600_000 },
    { attempt: 50, expected: 3_600_000 },
    { attempt: 5_000, expected: 3_600_000 },
    // Nonsense attempt numbers fall back to the base delay rather than to zero or NaN.
    { attempt: 0, expected: 5_000 },
    { attempt: -3, expected: 5_000 },
  ])("attempt $attempt waits $expected ms", ({ attempt, expected }) => {
    expect(retryDelayMs(attempt)).toBe(expected);
  });

  it.each([
    { policy: { baseMs: 1_000, maxMs: 4_000 }, attempt: 1, expected: 1_000 },
    { policy: { baseMs: 1_000, maxMs: 4_000 }, attempt: 3, expected: 4_000 },
    { policy: { baseMs: 1_000, maxMs: 4_000 }, attempt: 4, expected: 4_000 },
    { policy: { baseMs: 0, maxMs: 4_000 }, attempt: 9, expected: 0 },
  ])("honours the policy $policy at attempt $attempt", ({ policy, attempt, expected }) => {
    expect(retryDelayMs(attempt, policy)).toBe(expected);
  });
});

describe("nextRetryAt", () => {
  it("adds the delay to the failure time", () => {
    const failedAt = new Date("2030-01-01T00:00:00.000Z");
    expect(nextRetryAt(failedAt, 2).toISOString()).toBe("2030-01-01T00:00:10.000Z");
    expect(nextRetryAt(failedAt, 99, DEFAULT_RETRY_BACKOFF).toISOString()).toBe("2030-01-01T01:00:00.000Z");
  });
});
