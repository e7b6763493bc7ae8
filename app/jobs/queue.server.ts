import { db, type Db } from "../db.server";
import type { JobQueue } from "./job-queue";
import { createPrismaJobQueue } from "./prisma-job-queue.server";

declare global {
  // Tests put a queue with a fake clock here; the app uses the embedded driver on db().
  var __letterloopJobQueue: JobQueue | undefined;
}

let embedded: { on: Db; queue: JobQueue } | undefined;

/** The app's job queue, on the app's own database (docs/decisions/0004-job-queue.md). */
export function jobQueue(): JobQueue {
  if (globalThis.__letterloopJobQueue) return globalThis.__letterloopJobQueue;
  // Follows db(): a process that switches databases (the test suites) never enqueues into the old one.
  const current = db();
  if (embedded?.on !== current) embedded = { on: current, queue: createPrismaJobQueue(current) };
  return embedded.queue;
}
