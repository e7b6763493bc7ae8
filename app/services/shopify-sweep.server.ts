import { z } from "zod";
import { db } from "../db.server";
import { defineJob, enqueueJob } from "../jobs/job-definitions";
import { jobQueue } from "../jobs/queue.server";
import { reviewDueCheckouts } from "./checkout-review.server";
import { processPendingWebhookEvents } from "./webhook-processing.server";

const SWEEP_EVERY_MS = 60_000;

/**
 * Once a minute: webhook events a crash left unprocessed (or whose retry is due), and checkouts
 * whose abandonment threshold has passed. Each run schedules the next; the dedupe key's minute
 * bucket keeps it to one per minute however many runners start it.
 */
export const shopifySweepJob = defineJob({
  name: "shopify.sweep",
  payload: z.object({}),
  async handler() {
    const now = new Date();
    // The next run is booked first, so a failing run never ends the chain.
    await scheduleShopifySweep(new Date(now.getTime() + SWEEP_EVERY_MS));
    await processPendingWebhookEvents(db(), { now });
    await reviewDueCheckouts(db(), { now });
  },
});

export async function scheduleShopifySweep(runAt: Date = new Date()) {
  const bucket = Math.floor(runAt.getTime() / SWEEP_EVERY_MS);
  return enqueueJob(jobQueue(), shopifySweepJob, {}, { runAt, dedupeKey: `shopify-sweep:${bucket}`, maxAttempts: 2 });
}
