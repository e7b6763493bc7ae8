/**
 * The job queue as the rest of the app sees it (docs/decisions/0004-job-queue.md). Drivers:
 * the embedded one on the app's database (prisma-job-queue.server.ts); a PostgreSQL one on
 * pg-boss or graphile-worker later. Nothing here may assume one of them.
 *
 * Guarantees every driver gives:
 * - A job runs at least once and at most once at a time: a runner holds a lease while it
 *   runs a job, nobody else gets the job while the lease holds, and a runner that dies
 *   (crash, SIGKILL, lost machine) leaves the job to be run again once the lease lapses.
 *   Handlers must therefore be idempotent.
 * - A job whose lease was taken over can no longer be completed or failed by its old holder.
 * - A failed job is retried later with backoff until it has made maxAttempts attempts; the
 *   delays are the driver's (the embedded one uses app/core/retry-backoff.ts).
 * - A dedupe key names at most one job, ever: enqueueing it again returns the existing job,
 *   whatever its status. Recurring work puts a time bucket in its keys.
 */

export type EnqueueRequest = {
  name: string;
  /** Any JSON value; the job definition's schema checks it again when the job runs. */
  payload: unknown;
  /** Not before this time; default: now. */
  runAt?: Date;
  dedupeKey?: string;
  /** Runs in total, the first included; default 5. */
  maxAttempts?: number;
  shopId?: string;
};

export type EnqueueResult = {
  id: string;
  /** false when a job with the same dedupe key already existed (its id is returned). */
  created: boolean;
};

/** A job a runner holds the lease of. Pass it back to extendLease, complete and fail. */
export type ClaimedJob = {
  id: string;
  name: string;
  payload: unknown;
  shopId: string | null;
  /** This run's number, 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  runnerId: string;
  lockedUntil: Date;
};

export type FailRequest = {
  error: string;
  /** Retrying cannot help (e.g. the payload is invalid): end the job FAILED now. */
  permanent?: boolean;
};

export type FailOutcome =
  | { status: "RETRYING"; retryAt: Date }
  | { status: "FAILED" }
  /** The lease had been taken over; the new holder's run decides the job's fate. */
  | { status: "LEASE_LOST" };

export interface JobQueue {
  /** How long a claim holds a job without a heartbeat; runners extend it at half that. */
  readonly leaseMs: number;

  enqueue(request: EnqueueRequest): Promise<EnqueueResult>;

  /**
   * Takes the lease on one job that is due (or whose previous holder's lease lapsed) among
   * `names`, or returns null when there is none.
   */
  claim(request: { runnerId: string; names: readonly string[] }): Promise<ClaimedJob | null>;

  /** Pushes the lease's end out by leaseMs; false when the lease is no longer this runner's. */
  extendLease(job: ClaimedJob): Promise<boolean>;

  /** Marks the job done; false when the lease is no longer this runner's (nothing changed). */
  complete(job: ClaimedJob): Promise<boolean>;

  fail(job: ClaimedJob, request: FailRequest): Promise<FailOutcome>;
}
