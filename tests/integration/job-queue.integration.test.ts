import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "../../app/db/client.server";
import { createPrismaJobQueue } from "../../app/jobs/prisma-job-queue.server";
import { describeEachDatabase } from "../support/databases";
import { manualClock } from "../support/jobs";

// The embedded driver's contract, on a clock the tests move by hand. Every test uses job
// names of its own, so the tests of one suite share a database without seeing each other.
const uniqueName = (label: string) => `${label}.${randomBytes(4).toString("hex")}`;

describeEachDatabase("job queue (embedded driver)", (current) => {
  let other: Db;
  beforeAll(() => {
    // A second client on the same database: another process, as far as the database can tell.
    other = createDb(current().url);
  });
  afterAll(async () => {
    await other.$disconnect();
  });

  it("does not hand out a job before its runAt, and does once it is due", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now });
    const name = uniqueName("later");
    const runAt = new Date(clock.now().getTime() + 60_000);
    const { id, created } = await queue.enqueue({ name, payload: { n: 1 }, runAt, shopId: "shop-1" });
    expect(created).toBe(true);

    clock.advance(59_999);
    expect(await queue.claim({ runnerId: "r1", names: [name] })).toBeNull();

    clock.advance(1);
    const job = await queue.claim({ runnerId: "r1", names: [name] });
    expect(job).toMatchObject({ id, name, payload: { n: 1 }, shopId: "shop-1", attempt: 1, maxAttempts: 5, runnerId: "r1" });
    expect(job!.lockedUntil.getTime()).toBe(runAt.getTime() + queue.leaseMs);
    const row = await current().db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "RUNNING", attempts: 1, lockedBy: "r1" });
  });

  it("hands out only the names asked for, oldest runAt first", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now });
    const [a, b] = [uniqueName("a"), uniqueName("b")];
    const second = await queue.enqueue({ name: a, payload: 2, runAt: new Date(clock.now().getTime() - 1_000) });
    const first = await queue.enqueue({ name: a, payload: 1, runAt: new Date(clock.now().getTime() - 2_000) });
    await queue.enqueue({ name: b, payload: 3 });

    expect(await queue.claim({ runnerId: "r", names: [] })).toBeNull();
    expect((await queue.claim({ runnerId: "r", names: [a] }))?.id).toBe(first.id);
    expect((await queue.claim({ runnerId: "r", names: [a] }))?.id).toBe(second.id);
    expect(await queue.claim({ runnerId: "r", names: [a] })).toBeNull();
    expect((await queue.claim({ runnerId: "r", names: [a, b] }))?.payload).toBe(3);
  });

  it("keeps one job per dedupe key, whatever became of it", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now });
    const name = uniqueName("dedupe");
    const dedupeKey = `${name}:2030-01-01`;
    const first = await queue.enqueue({ name, payload: { v: 1 }, dedupeKey });
    const again = await queue.enqueue({ name, payload: { v: 2 }, dedupeKey });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });

    // Still the same job after it ran: the key names it for good.
    const job = await queue.claim({ runnerId: "r", names: [name] });
    expect(await queue.complete(job!)).toBe(true);
    expect(await queue.enqueue({ name, payload: { v: 3 }, dedupeKey })).toEqual({ id: first.id, created: false });

    const rows = await current().db.job.findMany({ where: { name } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ v: 1 });
  });

  it("keeps one job per dedupe key when many enqueue it at once from two clients", async () => {
    const name = uniqueName("dedupe-race");
    const dedupeKey = `${name}:key`;
    const queues = [createPrismaJobQueue(current().db), createPrismaJobQueue(other)];
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => queues[i % 2]!.enqueue({ name, payload: { i }, dedupeKey })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(await current().db.job.count({ where: { name } })).toBe(1);
  });

  it("gives each due job to exactly one of many concurrent claims from two clients", async () => {
    const name = uniqueName("claim-race");
    const queues = [createPrismaJobQueue(current().db), createPrismaJobQueue(other)];
    const ids = new Set<string>();
    for (let i = 0; i < 6; i++) ids.add((await queues[0]!.enqueue({ name, payload: i })).id);

    const claims = await Promise.all(
      Array.from({ length: 24 }, (_, i) => queues[i % 2]!.claim({ runnerId: `runner-${i}`, names: [name] })),
    );
    const won = claims.filter((claim) => claim !== null);
    expect(won.map((claim) => claim!.id).sort()).toEqual([...ids].sort());
    const rows = await current().db.job.findMany({ where: { name } });
    for (const row of rows) {
      const winner = won.find((claim) => claim!.id === row.id)!;
      expect(row).toMatchObject({ status: "RUNNING", attempts: 1, lockedBy: winner.runnerId });
    }
  });

  it("retries a failed job with growing backoff, then fails it for good after maxAttempts", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now });
    const name = uniqueName("flaky");
    const { id } = await queue.enqueue({ name, payload: {}, maxAttempts: 3 });

    const first = await queue.claim({ runnerId: "r", names: [name] });
    expect(first?.attempt).toBe(1);
    const failedAt = clock.now();
    expect(await queue.fail(first!, { error: "boom 1" })).toEqual({
      status: "RETRYING",
      retryAt: new Date(failedAt.getTime() + 5_000),
    });
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "QUEUED",
      attempts: 1,
      lastError: "boom 1",
      lockedBy: null,
      lockedUntil: null,
      runAt: new Date(failedAt.getTime() + 5_000),
    });

    clock.advance(4_999);
    expect(await queue.claim({ runnerId: "r", names: [name] })).toBeNull();
    clock.advance(1);
    const second = await queue.claim({ runnerId: "r", names: [name] });
    expect(second?.attempt).toBe(2);
    const outcome = await queue.fail(second!, { error: "boom 2" });
    // The second delay doubles the first.
    expect(outcome).toEqual({ status: "RETRYING", retryAt: new Date(clock.now().getTime() + 10_000) });

    clock.advance(10_000);
    const third = await queue.claim({ runnerId: "r", names: [name] });
    expect(third?.attempt).toBe(3);
    expect(await queue.fail(third!, { error: "boom 3" })).toEqual({ status: "FAILED" });
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      attempts: 3,
      lastError: "boom 3",
      finishedAt: clock.now(),
      lockedBy: null,
    });
    clock.advance(24 * 60 * 60 * 1_000);
    expect(await queue.claim({ runnerId: "r", names: [name] })).toBeNull();
  });

  it("fails a job for good at once when the failure is permanent", async () => {
    const queue = createPrismaJobQueue(current().db);
    const name = uniqueName("permanent");
    const { id } = await queue.enqueue({ name, payload: {}, maxAttempts: 5 });
    const job = await queue.claim({ runnerId: "r", names: [name] });
    expect(await queue.fail(job!, { error: "cannot ever work", permanent: true })).toEqual({ status: "FAILED" });
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      attempts: 1,
      lastError: "cannot ever work",
    });
  });

  it("lets another runner take a job only after its lease lapsed, and then ignores the old holder", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now, leaseMs: 10_000 });
    const otherQueue = createPrismaJobQueue(other, { now: clock.now, leaseMs: 10_000 });
    const name = uniqueName("lease");
    const { id } = await queue.enqueue({ name, payload: {} });
    const stale = await queue.claim({ runnerId: "old", names: [name] });

    clock.advance(9_999);
    expect(await otherQueue.claim({ runnerId: "new", names: [name] })).toBeNull();
    clock.advance(2);
    const taken = await otherQueue.claim({ runnerId: "new", names: [name] });
    expect(taken).toMatchObject({ id, attempt: 2, runnerId: "new" });

    // The old holder wakes up: none of its writes may touch the new holder's run.
    expect(await queue.extendLease(stale!)).toBe(false);
    expect(await queue.complete(stale!)).toBe(false);
    expect(await queue.fail(stale!, { error: "late" })).toEqual({ status: "LEASE_LOST" });
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "RUNNING",
      attempts: 2,
      lockedBy: "new",
      lastError: null,
    });

    expect(await otherQueue.complete(taken!)).toBe(true);
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "SUCCEEDED",
      lockedBy: null,
      lockedUntil: null,
      finishedAt: clock.now(),
    });
  });

  it("keeps a job from other runners while its holder extends the lease", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now, leaseMs: 10_000 });
    const name = uniqueName("extend");
    await queue.enqueue({ name, payload: {} });
    const job = await queue.claim({ runnerId: "holder", names: [name] });

    clock.advance(8_000);
    expect(await queue.extendLease(job!)).toBe(true);
    expect(job!.lockedUntil).toEqual(new Date(clock.now().getTime() + 10_000));
    clock.advance(8_000);
    expect(await queue.claim({ runnerId: "thief", names: [name] })).toBeNull();
    expect(await queue.complete(job!)).toBe(true);
  });

  it("a holder whose lease lapsed untaken may still finish its job", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now, leaseMs: 1_000 });
    const name = uniqueName("late-finish");
    const { id } = await queue.enqueue({ name, payload: {} });
    const job = await queue.claim({ runnerId: "slow", names: [name] });
    clock.advance(5_000);
    expect(await queue.complete(job!)).toBe(true);
    expect((await current().db.job.findUniqueOrThrow({ where: { id } })).status).toBe("SUCCEEDED");
  });

  it("fails a job whose holder died on its last attempt instead of running it once more", async () => {
    const clock = manualClock();
    const queue = createPrismaJobQueue(current().db, { now: clock.now, leaseMs: 1_000 });
    const name = uniqueName("last-attempt");
    const { id } = await queue.enqueue({ name, payload: {}, maxAttempts: 1 });
    expect(await queue.claim({ runnerId: "dies", names: [name] })).not.toBeNull();

    clock.advance(1_001);
    expect(await queue.claim({ runnerId: "next", names: [name] })).toBeNull();
    const row = await current().db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 1, lockedBy: null });
    expect(row.lastError).toMatch(/Lease lapsed on attempt 1 of 1/);
  });

  it("refuses a maxAttempts below one", async () => {
    const queue = createPrismaJobQueue(current().db);
    await expect(queue.enqueue({ name: uniqueName("bad"), payload: {}, maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
  });
});
