// A job runner in a process of its own, for the crash test: it claims one job of
// JOB_TEST_NAME on JOB_TEST_DATABASE_URL, prints "STARTED {…}" once the handler runs, and then
// hangs (heartbeating its lease) until the test kills it with SIGKILL.
import { z } from "zod";
import { createDb } from "../../app/db/client.server";
import { createJobRegistry, defineJob } from "../../app/jobs/job-definitions";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { createPrismaJobQueue } from "../../app/jobs/prisma-job-queue.server";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const db = createDb(required("JOB_TEST_DATABASE_URL"));
const queue = createPrismaJobQueue(db, { leaseMs: Number(required("JOB_TEST_LEASE_MS")) });
const hang = defineJob({
  name: required("JOB_TEST_NAME"),
  payload: z.unknown(),
  handler: (_payload, { jobId, attempt }) => {
    process.stdout.write(`STARTED ${JSON.stringify({ jobId, attempt, pid: process.pid })}\n`);
    return new Promise<void>(() => undefined);
  },
});
const runner = createJobRunner({
  queue,
  registry: createJobRegistry([hang]),
  runnerId: required("JOB_TEST_RUNNER_ID"),
  pollIntervalMs: 50,
  logger: {
    info: (message) => process.stderr.write(`${message}\n`),
    warn: (message) => process.stderr.write(`${message}\n`),
    error: (message, error) => process.stderr.write(`${message} ${String(error)}\n`),
  },
});
runner.start();

// Should the test die before killing us, do not linger.
setTimeout(() => process.exit(3), 60_000).unref();
