import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { jobQueue } from "../../app/jobs/queue.server";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { appJobRegistry } from "../../app/services/app-jobs.server";
import { scheduleShopifySweep } from "../../app/services/shopify-sweep.server";
import { describeEachDatabase } from "../support/databases";
import { recordingLogger } from "../support/jobs";
import { orderPayload } from "../support/shopify-fixtures";

const HOUR = 60 * 60 * 1000;

describeEachDatabase("the minute sweep, run by the job runner", (current) => {
  it("marks a checkout whose threshold passed, processes a stranded delivery, and books its next run", async () => {
    const { db } = current();
    const shop = await db.shop.create({ data: { domain: `sweep-${randomUUID().slice(0, 8)}.myshopify.com`, name: "Sweep", emailHashSalt: "s" } });
    const customer = await db.customer.create({ data: { shopId: shop.id, email: "sweep@example.com" } });
    const lastActivity = new Date(Date.now() - 2 * HOUR);
    // Stored while still open (its threshold had not passed yet); nothing touched it since.
    const checkout = await db.checkout.create({
      data: { shopId: shop.id, customerId: customer.id, token: randomUUID(), currency: "EUR", valueMinor: 4_990n, sourceCreatedAt: lastActivity, sourceUpdatedAt: lastActivity, lastActivityAt: lastActivity },
    });
    // A delivery recorded by a process that died before processing it.
    const stranded = await db.webhookEvent.create({
      data: {
        shopDomain: shop.domain,
        topic: "ORDERS_CREATE",
        webhookId: randomUUID(),
        payload: JSON.stringify(orderPayload({ id: 7_700_000_001, customerId: 7_700_000_002, email: "other@example.com" })),
        receivedAt: new Date(Date.now() - 5 * 60_000),
      },
    });

    const first = await scheduleShopifySweep(new Date(Date.now() - 1_000));
    const runner = createJobRunner({ queue: jobQueue(), registry: appJobRegistry, logger: recordingLogger() });
    expect(await runner.runOnce()).toEqual({ jobId: first.id, outcome: "SUCCEEDED" });

    const marked = await db.checkout.findUniqueOrThrow({ where: { id: checkout.id } });
    expect(marked.abandonedAt?.getTime()).toBe(lastActivity.getTime() + HOUR);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).openAbandonedCheckouts).toBe(1);
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: stranded.id } })).status).toBe("PROCESSED");
    expect(await db.order.count({ where: { shopId: shop.id, sourceId: "7700000001" } })).toBe(1);
    const next = await db.job.findMany({ where: { name: "shopify.sweep", status: "QUEUED" } });
    expect(next).toHaveLength(1);
    expect(next[0]!.runAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });
});
