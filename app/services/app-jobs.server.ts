import { createJobRegistry, type JobRegistry } from "../jobs/job-definitions";
import { createJobRunner, type JobRunner } from "../jobs/job-runner.server";
import { jobQueue } from "../jobs/queue.server";
import { shopifyBackfillJob, shopifyReconcileOrdersJob } from "./shopify-backfill.server";
import { scheduleShopifySweep, shopifySweepJob } from "./shopify-sweep.server";

/** Every job the app runs; `npm run jobs:work` and the in-process runner run exactly these. */
export const appJobRegistry: JobRegistry = createJobRegistry([shopifySweepJob, shopifyBackfillJob, shopifyReconcileOrdersJob]);

/** Books the recurring jobs that keep themselves going (idempotent: dedupe keys per period). */
export async function scheduleRecurringJobs() {
  await scheduleShopifySweep();
}

declare global {
  var __letterloopInProcessRunner: JobRunner | undefined;
}

/**
 * Runs jobs inside the web process: the demo, and single-process installs that set
 * LETTERLOOP_IN_PROCESS_JOBS=1. Larger installs run `npm run jobs:work` beside the web process.
 */
export function startInProcessJobs(): JobRunner {
  if (!globalThis.__letterloopInProcessRunner) {
    const runner = createJobRunner({ queue: jobQueue(), registry: appJobRegistry });
    globalThis.__letterloopInProcessRunner = runner;
    runner.start();
    void scheduleRecurringJobs().catch((error: unknown) => console.warn(`Recurring jobs not scheduled: ${String(error)}`));
  }
  return globalThis.__letterloopInProcessRunner;
}
