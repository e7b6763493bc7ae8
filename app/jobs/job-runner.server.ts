import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { describeIssues, type JobRegistry } from "./job-definitions";
import type { ClaimedJob, JobQueue } from "./job-queue";

/**
 * The worker loop: claim a due job, run its handler while keeping the lease alive, then
 * complete or fail it. One job at a time per runner; run more processes for more throughput.
 */

export type JobLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
};

export const consoleJobLogger: JobLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message, error) => console.error(message, error ?? ""),
};

export type JobRunnerOptions = {
  queue: JobQueue;
  registry: JobRegistry;
  /** Stored as the lease holder; unique per runner, default host:pid:random. */
  runnerId?: string;
  /** Wait between claims when nothing was due (or the database failed). */
  pollIntervalMs?: number;
  logger?: JobLogger;
};

export type JobRunOutcome = "SUCCEEDED" | "RETRYING" | "FAILED" | "LEASE_LOST";

export type JobRunner = {
  readonly runnerId: string;
  /** Starts polling in the background; stop() ends it. */
  start(): void;
  /** Lets the current job finish, then stops polling. */
  stop(): Promise<void>;
  /** Claims and runs at most one job: what became of it, or null when nothing was due. */
  runOnce(): Promise<{ jobId: string; outcome: JobRunOutcome } | null>;
};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { queue, registry } = options;
  const runnerId = options.runnerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const logger = options.logger ?? consoleJobLogger;
  const names = [...registry.keys()];

  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;

  async function runOnce(): Promise<{ jobId: string; outcome: JobRunOutcome } | null> {
    const job = await queue.claim({ runnerId, names });
    if (!job) return null;
    return { jobId: job.id, outcome: await run(job) };
  }

  async function run(job: ClaimedJob): Promise<JobRunOutcome> {
    const definition = registry.get(job.name);
    if (!definition) {
      // claim() only returns registered names; reaching this is a driver bug, not the job's fault.
      return settle(job, await queue.fail(job, { error: `No job definition named "${job.name}"`, permanent: true }));
    }
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) {
      // The same payload fails the same way every time: retrying would only delay the verdict.
      const error = `Invalid payload for job "${job.name}": ${describeIssues(parsed.error)}`;
      return settle(job, await queue.fail(job, { error, permanent: true }));
    }

    const leaseLost = new AbortController();
    const heartbeat = startHeartbeat(job, leaseLost);
    let failure: { error: unknown } | undefined;
    try {
      await definition.handler(parsed.data, {
        jobId: job.id,
        name: job.name,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        shopId: job.shopId,
        signal: leaseLost.signal,
      });
    } catch (error) {
      failure = { error };
    } finally {
      heartbeat.stop();
    }
    if (failure) return settle(job, await queue.fail(job, { error: errorText(failure.error) }));
    return settle(job, (await queue.complete(job)) ? { status: "SUCCEEDED" } : { status: "LEASE_LOST" });
  }

  /**
   * Extends the lease at half its length so a long handler keeps its job. If an extension
   * finds the lease taken, the handler is told through its signal.
   */
  function startHeartbeat(job: ClaimedJob, leaseLost: AbortController) {
    let beating: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beating = beating.then(async () => {
        try {
          if (!(await queue.extendLease(job))) {
            clearInterval(timer);
            leaseLost.abort(new Error(`Lease on job ${job.id} was taken over`));
          }
        } catch (error) {
          // A missed beat is not fatal while the lease still holds; the next one may succeed.
          logger.warn(`Could not extend the lease on job ${job.id}: ${errorText(error)}`);
        }
      });
    }, Math.max(1, Math.floor(queue.leaseMs / 2)));
    return { stop: () => clearInterval(timer) };
  }

  function settle(job: ClaimedJob, outcome: { status: JobRunOutcome; retryAt?: Date }): JobRunOutcome {
    const where = `${job.name} ${job.id} (attempt ${job.attempt}/${job.maxAttempts})`;
    if (outcome.status === "SUCCEEDED") logger.info(`Job ${where} succeeded`);
    if (outcome.status === "RETRYING") logger.warn(`Job ${where} failed; retrying at ${outcome.retryAt?.toISOString()}`);
    if (outcome.status === "FAILED") logger.warn(`Job ${where} failed for good`);
    if (outcome.status === "LEASE_LOST") logger.warn(`Job ${where} finished after its lease was taken over; result dropped`);
    return outcome.status;
  }

  async function pollUntilStopped(): Promise<void> {
    while (!stopping) {
      let ran = false;
      try {
        ran = (await runOnce()) !== null;
      } catch (error) {
        // The queue itself failed (database down): wait and try again rather than die.
        logger.error("Job runner could not reach the queue", error);
      }
      if (!ran && !stopping) await sleep(pollIntervalMs);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  return {
    runnerId,
    start() {
      if (loop) return;
      stopping = false;
      loop = pollUntilStopped();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      loop = undefined;
    },
    runOnce,
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
