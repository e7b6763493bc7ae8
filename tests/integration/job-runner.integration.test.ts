import { randomBytes } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../app/core/app-error";
import { createDb, type Db } from "../../app/db/client.server";
import { createJobRegistry, defineJob, enqueueJob, type JobContext } from "../../app/jobs/job-definitions";
import type { JobQueue } from "../../app/jobs/job-queue";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { createPrismaJobQueue } from "../../app/jobs/prisma-job-queue.server";
import { describeEachDatabase } from "../support/databases";
import { manualClock, recordingLogger, sleep, waitFor } from "../support/jobs";

const uniqueName = (label: string) => `${label}.${randomBytes(4).toString("hex")}`;
const GreetingSchema = z.object({ who: z.string().min(1), times: z.number().int().positive() });

describeEachDatabase("job runner", (current) => {
  const extraClients: Db[] = [];
  const client = () => {
    const db = createDb(current().url);
    extraClients.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(extraClients.map((db) => db.$disconnect()));
  });

  it("runs a registered job with its parsed payload and marks it succeeded", async () => {
    const seen: { payload: unknown; context: Omit<JobContext, "signal"> }[] = [];
    const greet = defineJob({
      name: uniqueName("greet"),
      payload: GreetingSchema,
      async handler(payload, { signal: _signal, ...context }) {
        seen.push({ payload, context });
      },
    });
    const queue = createPrismaJobQueue(current().db);
    const runner = createJobRunner({ queue, registry: createJobRegistry([greet]), logger: recordingLogger() });
    const { id } = await enqueueJob(queue, greet, { who: "Ada", times: 2 }, { shopId: "shop-7", maxAttempts: 2 });

    expect(await runner.runOnce()).toEqual({ jobId: id, outcome: "SUCCEEDED" });
    expect(seen).toEqual([
      { payload: { who: "Ada", times: 2 }, context: { jobId: id, name: greet.name, attempt: 1, maxAttempts: 2, shopId: "shop-7" } },
    ]);
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(await runner.runOnce()).toBeNull();
  });

  it("refuses to enqueue a payload its definition rejects", async () => {
    const greet = defineJob({ name: uniqueName("greet"), payload: GreetingSchema, handler: async () => undefined });
    const queue = createPrismaJobQueue(current().db);
    const attempt = enqueueJob(queue, greet, { who: "", times: 0 });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toThrow(/Invalid payload for job .*: who: .*; times: /);
    expect(await current().db.job.count({ where: { name: greet.name } })).toBe(0);
  });

  it("fails a job with an invalid stored payload at once, with the reason, without calling the handler", async () => {
    let calls = 0;
    const greet = defineJob({
      name: uniqueName("greet"),
      payload: GreetingSchema,
      handler: async () => {
        calls++;
      },
    });
    const queue = createPrismaJobQueue(current().db);
    const logger = recordingLogger();
    const runner = createJobRunner({ queue, registry: createJobRegistry([greet]), logger });
    // Written past enqueueJob, as an older release or a hand-made row would.
    const { id } = await queue.enqueue({ name: greet.name, payload: { who: "Ada", times: "twice" } });
    const garbled = await current().db.job.create({ data: { name: greet.name, payload: "{not json" } });

    expect(await runner.runOnce()).toEqual({ jobId: id, outcome: "FAILED" });
    expect(await runner.runOnce()).toEqual({ jobId: garbled.id, outcome: "FAILED" });
    expect(calls).toBe(0);
    const row = await current().db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(row.lastError).toBe(`Invalid payload for job "${greet.name}": times: Invalid input: expected number, received string`);
    expect((await current().db.job.findUniqueOrThrow({ where: { id: garbled.id } })).lastError).toMatch(/^Invalid payload for job/);
    expect(logger.lines.filter((line) => line.includes("failed for good"))).toHaveLength(2);
  });

  it("retries a throwing handler after the backoff and records its error, then gives up after maxAttempts", async () => {
    const clock = manualClock();
    const attempts: number[] = [];
    const flaky = defineJob({
      name: uniqueName("flaky"),
      payload: z.object({}),
      async handler(_payload, { attempt }) {
        attempts.push(attempt);
        throw new Error(`printer on fire (${attempt})`);
      },
    });
    const queue = createPrismaJobQueue(current().db, { now: clock.now, backoff: { baseMs: 1_000, maxMs: 60_000 } });
    const runner = createJobRunner({ queue, registry: createJobRegistry([flaky]), logger: recordingLogger() });
    const { id } = await enqueueJob(queue, flaky, {}, { maxAttempts: 3 });

    expect(await runner.runOnce()).toEqual({ jobId: id, outcome: "RETRYING" });
    const afterFirst = await current().db.job.findUniqueOrThrow({ where: { id } });
    expect(afterFirst).toMatchObject({ status: "QUEUED", attempts: 1, runAt: new Date(clock.now().getTime() + 1_000) });
    expect(afterFirst.lastError).toMatch(/^Error: printer on fire \(1\)/);

    expect(await runner.runOnce()).toBeNull();
    clock.advance(1_000);
    expect(await runner.runOnce()).toEqual({ jobId: id, outcome: "RETRYING" });
    expect((await current().db.job.findUniqueOrThrow({ where: { id } })).runAt).toEqual(new Date(clock.now().getTime() + 2_000));
    clock.advance(2_000);
    expect(await runner.runOnce()).toEqual({ jobId: id, outcome: "FAILED" });

    expect(attempts).toEqual([1, 2, 3]);
    const row = await current().db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 3, finishedAt: clock.now() });
    expect(row.lastError).toMatch(/^Error: printer on fire \(3\)/);
  });

  it("only claims jobs it has a definition for", async () => {
    const known = defineJob({ name: uniqueName("known"), payload: z.null(), handler: async () => undefined });
    const queue = createPrismaJobQueue(current().db);
    const runner = createJobRunner({ queue, registry: createJobRegistry([known]), logger: recordingLogger() });
    const { id } = await queue.enqueue({ name: uniqueName("unknown"), payload: null });
    expect(await runner.runOnce()).toBeNull();
    expect((await current().db.job.findUniqueOrThrow({ where: { id } })).status).toBe("QUEUED");
  });

  it("keeps the lease of a handler that runs longer than the lease, so nobody else starts it", async () => {
    let runs = 0;
    const slow = defineJob({
      name: uniqueName("slow"),
      payload: z.null(),
      async handler() {
        runs++;
        await sleep(1_500);
      },
    });
    // Heartbeats every 250 ms against a 500 ms lease: a handler three leases long.
    const queue = createPrismaJobQueue(current().db, { leaseMs: 500 });
    const rival = createPrismaJobQueue(client(), { leaseMs: 500 });
    const runner = createJobRunner({ queue, registry: createJobRegistry([slow]), logger: recordingLogger() });
    const { id } = await queue.enqueue({ name: slow.name, payload: null });

    const running = runner.runOnce();
    const rivalClaims: unknown[] = [];
    while ((await current().db.job.findUniqueOrThrow({ where: { id } })).status !== "SUCCEEDED") {
      rivalClaims.push(await rival.claim({ runnerId: "rival", names: [slow.name] }));
      await sleep(50);
    }
    expect(await running).toEqual({ jobId: id, outcome: "SUCCEEDED" });
    expect(rivalClaims.length).toBeGreaterThan(10);
    expect(rivalClaims.every((claim) => claim === null)).toBe(true);
    expect(runs).toBe(1);
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
  });

  it("tells a handler through its signal when its lease was taken over, and drops its result", async () => {
    const aborted: string[] = [];
    const stalled = defineJob({
      name: uniqueName("stalled"),
      payload: z.null(),
      handler: (_payload, { signal }) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted.push(String((signal.reason as Error).message));
            resolve();
          });
        }),
    });
    const queue = createPrismaJobQueue(current().db, { leaseMs: 200 });
    const logger = recordingLogger();
    const runner = createJobRunner({ queue, registry: createJobRegistry([stalled]), logger });
    const { id } = await queue.enqueue({ name: stalled.name, payload: null });

    const running = runner.runOnce();
    await waitFor(async () => ((await current().db.job.findUniqueOrThrow({ where: { id } })).status === "RUNNING" ? true : undefined));
    // What another runner's claim after a stall looks like in the row.
    await current().db.job.update({ where: { id }, data: { lockedBy: "usurper", attempts: 2 } });

    expect(await running).toEqual({ jobId: id, outcome: "LEASE_LOST" });
    expect(aborted).toEqual([`Lease on job ${id} was taken over`]);
    expect(await current().db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "RUNNING", lockedBy: "usurper" });
    expect(logger.lines.some((line) => line.includes("result dropped"))).toBe(true);
  });

  it("never runs one job in two runners at once, and runs every job exactly once", async () => {
    const name = uniqueName("contended");
    const runsByJob = new Map<string, number>();
    const claimsByJob = new Map<string, string[]>();
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const contended = defineJob({
      name,
      payload: z.object({ n: z.number() }),
      async handler(_payload, { jobId }) {
        if (inFlight.has(jobId)) overlaps.push(jobId);
        inFlight.add(jobId);
        runsByJob.set(jobId, (runsByJob.get(jobId) ?? 0) + 1);
        await sleep(Math.floor(Math.random() * 15));
        inFlight.delete(jobId);
      },
    });
    const registry = createJobRegistry([contended]);
    const queue = createPrismaJobQueue(current().db);
    const jobIds: string[] = [];
    for (let n = 0; n < 40; n++) jobIds.push((await enqueueJob(queue, contended, { n })).id);

    // Each runner with a client of its own, as separate worker processes would have.
    const runners = Array.from({ length: 4 }, (_, i) => {
      const runnerQueue: JobQueue = createPrismaJobQueue(client());
      return createJobRunner({
        queue: {
          ...runnerQueue,
          claim: async (request) => {
            const job = await runnerQueue.claim(request);
            if (job) claimsByJob.set(job.id, [...(claimsByJob.get(job.id) ?? []), request.runnerId]);
            return job;
          },
        },
        registry,
        runnerId: `runner-${i}`,
        pollIntervalMs: 10,
        logger: recordingLogger(),
      });
    });
    for (const runner of runners) runner.start();
    await waitFor(async () => {
      const done = await current().db.job.count({ where: { name, status: "SUCCEEDED" } });
      return done === jobIds.length ? true : undefined;
    }, 20_000);
    await Promise.all(runners.map((runner) => runner.stop()));

    expect(overlaps).toEqual([]);
    expect([...runsByJob.keys()].sort()).toEqual([...jobIds].sort());
    expect([...runsByJob.values()].every((runs) => runs === 1)).toBe(true);
    expect([...claimsByJob.values()].every((claimants) => claimants.length === 1)).toBe(true);
    // The runners really competed: the work was spread over more than one of them.
    expect(new Set([...claimsByJob.values()].flat()).size).toBeGreaterThan(1);
    const rows = await current().db.job.findMany({ where: { name } });
    expect(rows.every((row) => row.status === "SUCCEEDED" && row.attempts === 1)).toBe(true);
  });

  it("finishes the current job on stop and claims nothing after", async () => {
    const finished: number[] = [];
    let started!: () => void;
    const startedOnce = new Promise<void>((resolve) => (started = resolve));
    const steady = defineJob({
      name: uniqueName("steady"),
      payload: z.object({ n: z.number() }),
      async handler({ n }) {
        started();
        await sleep(300);
        finished.push(n);
      },
    });
    const queue = createPrismaJobQueue(current().db);
    const runner = createJobRunner({ queue, registry: createJobRegistry([steady]), pollIntervalMs: 10, logger: recordingLogger() });
    const first = await enqueueJob(queue, steady, { n: 1 }, { runAt: new Date(Date.now() - 1_000) });
    const second = await enqueueJob(queue, steady, { n: 2 });

    runner.start();
    await startedOnce;
    await runner.stop();

    expect(finished).toEqual([1]);
    expect((await current().db.job.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("SUCCEEDED");
    expect((await current().db.job.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("QUEUED");
  });

  it("keeps polling when the queue fails, and logs it", async () => {
    const name = uniqueName("resilient");
    const ran: string[] = [];
    const resilient = defineJob({
      name,
      payload: z.null(),
      handler: async (_payload, { jobId }) => {
        ran.push(jobId);
      },
    });
    const queue = createPrismaJobQueue(current().db);
    let failures = 0;
    const logger = recordingLogger();
    const runner = createJobRunner({
      queue: {
        ...queue,
        claim: async (request) => {
          if (failures++ < 2) throw new Error("connection reset");
          return queue.claim(request);
        },
      },
      registry: createJobRegistry([resilient]),
      pollIntervalMs: 10,
      logger,
    });
    const { id } = await queue.enqueue({ name, payload: null });
    runner.start();
    await waitFor(() => (ran.length > 0 ? true : undefined));
    await runner.stop();

    expect(ran).toEqual([id]);
    expect(logger.lines.filter((line) => line.startsWith("error Job runner could not reach the queue connection reset"))).toHaveLength(2);
  });
});
