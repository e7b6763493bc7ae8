import { DEFAULT_RETRY_BACKOFF, nextRetryAt, type RetryBackoffPolicy } from "../core/retry-backoff";
import type { Db } from "../db/client.server";
import type { Prisma } from "../../prisma/client/sqlite/client";
import type { ClaimedJob, EnqueueRequest, EnqueueResult, FailOutcome, FailRequest, JobQueue } from "./job-queue";

/**
 * The embedded driver: the queue is the `Job` table of the app's own database, SQLite or
 * PostgreSQL. Every change of a job's state is one conditional UPDATE that names the state it
 * expects (status, attempts, lease holder); a row that changed in between matches nothing, so
 * of two runners racing for a job exactly one wins. That holds on both databases without
 * SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL only) or a process-wide lock (SQLite only).
 * `attempts` grows by one with every claim, so it doubles as the row's version.
 *
 * The writes use `update` with a unique `where` plus conditions, not `updateMany`: Prisma runs
 * `update` as a single UPDATE … RETURNING, while `updateMany` wraps its UPDATE in BEGIN/COMMIT
 * with awaits in between. On SQLite that open transaction holds the write lock across the
 * await, and better-sqlite3's busy wait blocks its whole process, so two clients in one process
 * could deadlock each other until the busy timeout.
 */

export type PrismaJobQueueOptions = {
  leaseMs?: number;
  backoff?: RetryBackoffPolicy;
  /** The clock; tests pass a fake one. */
  now?: () => Date;
};

const DEFAULT_LEASE_MS = 5 * 60 * 1_000;
const DEFAULT_MAX_ATTEMPTS = 5;
// Due jobs looked at per query; losing races for all of them just means querying again.
const CLAIM_BATCH = 10;
const CLAIM_ROUNDS = 3;
// lastError is for people reading it; a stack trace's head is enough.
const MAX_ERROR_LENGTH = 4_000;

export function createPrismaJobQueue(db: Db, options: PrismaJobQueueOptions = {}): JobQueue {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const backoff = options.backoff ?? DEFAULT_RETRY_BACKOFF;
  const now = options.now ?? (() => new Date());

  async function enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer (got ${maxAttempts})`);
    }
    if (request.dedupeKey !== undefined) {
      const existing = await db.job.findUnique({ where: { dedupeKey: request.dedupeKey }, select: { id: true } });
      if (existing) return { id: existing.id, created: false };
    }
    try {
      const job = await db.job.create({
        data: {
          name: request.name,
          payload: JSON.stringify(request.payload ?? null),
          shopId: request.shopId ?? null,
          runAt: request.runAt ?? now(),
          dedupeKey: request.dedupeKey ?? null,
          maxAttempts,
        },
        select: { id: true },
      });
      return { id: job.id, created: true };
    } catch (error) {
      // Another enqueue with the same key won the race between our lookup and insert: the
      // unique index decided, so the job that exists is the answer.
      if (request.dedupeKey !== undefined && isUniqueViolation(error)) {
        const existing = await db.job.findUnique({ where: { dedupeKey: request.dedupeKey }, select: { id: true } });
        if (existing) return { id: existing.id, created: false };
      }
      throw error;
    }
  }

  async function claim({ runnerId, names }: { runnerId: string; names: readonly string[] }): Promise<ClaimedJob | null> {
    if (names.length === 0) return null;
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const at = now();
      const candidates = await db.job.findMany({
        where: {
          name: { in: [...names] },
          OR: [
            { status: "QUEUED", runAt: { lte: at } },
            { status: "RUNNING", lockedUntil: { lt: at } },
          ],
        },
        orderBy: [{ runAt: "asc" }, { id: "asc" }],
        take: CLAIM_BATCH,
        select: { id: true, name: true, payload: true, shopId: true, status: true, attempts: true, maxAttempts: true },
      });
      if (candidates.length === 0) return null;

      for (const candidate of candidates) {
        // The same conditions as the query, plus the version we saw: true only if nobody
        // claimed, extended, finished or failed the job since.
        const unchanged =
          candidate.status === "QUEUED"
            ? { id: candidate.id, status: "QUEUED" as const, attempts: candidate.attempts, runAt: { lte: at } }
            : { id: candidate.id, status: "RUNNING" as const, attempts: candidate.attempts, lockedUntil: { lt: at } };

        if (candidate.attempts >= candidate.maxAttempts) {
          // Its holder died on the last allowed attempt: running it again would exceed the limit.
          await updateIfUnchanged({
            where: unchanged,
            data: {
              status: "FAILED",
              lockedBy: null,
              lockedUntil: null,
              finishedAt: at,
              lastError: `Lease lapsed on attempt ${candidate.attempts} of ${candidate.maxAttempts} (the runner stopped without finishing)`,
            },
          });
          continue;
        }

        const lockedUntil = new Date(at.getTime() + leaseMs);
        const won = await updateIfUnchanged({
          where: unchanged,
          data: { status: "RUNNING", attempts: candidate.attempts + 1, lockedBy: runnerId, lockedUntil },
        });
        if (won) {
          return {
            id: candidate.id,
            name: candidate.name,
            payload: parseStoredPayload(candidate.payload),
            shopId: candidate.shopId,
            attempt: candidate.attempts + 1,
            maxAttempts: candidate.maxAttempts,
            runnerId,
            lockedUntil,
          };
        }
      }
      // Every candidate went to another runner: look again, there may be more due.
    }
    return null;
  }

  /** true when the row still matched `where` and was changed; false when it had moved on. */
  async function updateIfUnchanged(args: { where: Prisma.JobWhereUniqueInput; data: Prisma.JobUpdateInput }): Promise<boolean> {
    try {
      await db.job.update({ ...args, select: { id: true } });
      return true;
    } catch (error) {
      if (errorCode(error) === "P2025") return false;
      throw error;
    }
  }

  /** The row as this lease left it; any other runner's claim changed lockedBy or attempts. */
  function held(job: ClaimedJob) {
    return { id: job.id, status: "RUNNING" as const, lockedBy: job.runnerId, attempts: job.attempt };
  }

  async function extendLease(job: ClaimedJob): Promise<boolean> {
    const lockedUntil = new Date(now().getTime() + leaseMs);
    const extended = await updateIfUnchanged({ where: held(job), data: { lockedUntil } });
    if (extended) job.lockedUntil = lockedUntil;
    return extended;
  }

  async function complete(job: ClaimedJob): Promise<boolean> {
    return updateIfUnchanged({
      where: held(job),
      data: { status: "SUCCEEDED", lockedBy: null, lockedUntil: null, finishedAt: now() },
    });
  }

  async function fail(job: ClaimedJob, request: FailRequest): Promise<FailOutcome> {
    const at = now();
    const lastError = request.error.slice(0, MAX_ERROR_LENGTH);
    if (request.permanent || job.attempt >= job.maxAttempts) {
      const failed = await updateIfUnchanged({
        where: held(job),
        data: { status: "FAILED", lockedBy: null, lockedUntil: null, finishedAt: at, lastError },
      });
      return failed ? { status: "FAILED" } : { status: "LEASE_LOST" };
    }
    const retryAt = nextRetryAt(at, job.attempt, backoff);
    const requeued = await updateIfUnchanged({
      where: held(job),
      data: { status: "QUEUED", lockedBy: null, lockedUntil: null, runAt: retryAt, lastError },
    });
    return requeued ? { status: "RETRYING", retryAt } : { status: "LEASE_LOST" };
  }

  return { leaseMs, enqueue, claim, extendLease, complete, fail };
}

// Prisma's known request errors carry a code: P2002 unique violation, P2025 record not found.
// Duck-typed because each generated client has its own error class.
function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return errorCode(error) === "P2002";
}

/**
 * Payloads are written by enqueue as JSON. A row edited by hand into something else is handed
 * on as the raw text, so the definition's schema rejects it as an invalid payload (a failed
 * job with a reason) instead of the runner crashing on it.
 */
function parseStoredPayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
