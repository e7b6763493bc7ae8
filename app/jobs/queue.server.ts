import { db } from "../db.server";
import type { JobQueue } from "./job-queue";
import { createPrismaJobQueue } from "./prisma-job-queue.server";

declare global {
  // Tests put a queue with a fake clock here; the app uses the embedded driver on db().
  var __letterloopJobQueue: JobQueue | undefined;
}

/** The app's job queue, on the app's own database (docs/decisions/0004-job-queue.md). */
export function jobQueue(): JobQueue {
  globalThis.__letterloopJobQueue ??= createPrismaJobQueue(db());
  return globalThis.__letterloopJobQueue;
}
