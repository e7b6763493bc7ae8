import { createJobRegistry, type JobRegistry } from "../jobs/job-definitions";
import { createJobRunner, type JobRunner } from "../jobs/job-runner.server";
import { jobQueue } from "../jobs/queue.server";
import { billbeeImportJob } from "./billbee-import.server";
import { csvImportJob } from "./csv-import.server";
import { importRetentionJob, scheduleImportRetention } from "./import-retention.server";
import { shopifyBackfillJob, shopifyReconcileOrdersJob } from "./shopify-backfill.server";
import { scheduleShopifySweep, shopifySweepJob } from "./shopify-sweep.server";

/** Every job the app runs; `npm run jobs:work` and the in-process runner run exactly these. */
export const appJobRegistry: JobRegistry = createJobRegistry([shopifySweepJob, shopifyBackfillJob, shopifyReconcileOrdersJob, billbeeImportJob, csvImportJob, importRetentionJob]);

/** Books the recurring jobs that keep themselves going (idempotent: dedupe keys per period). */
export async function scheduleRecurringJobs() {
  await scheduleShopifySweep();
  await scheduleImportRetention();
}

declare global {
  var __letterloopInProcessRunner: JobRunner | undefined;
}

/**
 * Runs jobs inside the web process (LETTERLOOP_BACKGROUND=in-process, the default and always the
 * demo). With LETTERLOOP_BACKGROUND=worker they run in `npm run jobs:work` instead.
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
