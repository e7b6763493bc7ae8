import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases";

const SHOP = "tx-isolation.myshopify.com";

describeEachDatabase("writes outside a transaction", (current) => {
  it("survive a transaction that is open at the same time and then rolls back", async () => {
    const { db } = current();
    const existing = await db.webhookEvent.create({ data: { shopDomain: SHOP, topic: "ORDERS_CREATE", webhookId: "existing", payload: "{}" } });
    let transactionIsOpen!: () => void;
    const opened = new Promise<void>((resolve) => (transactionIsOpen = resolve));

    const failing = db
      .$transaction(async (tx) => {
        await tx.webhookEvent.create({ data: { shopDomain: SHOP, topic: "ORDERS_CREATE", webhookId: "rolled-back", payload: "{}" } });
        transactionIsOpen();
        // Give the outside writes every chance to run while this transaction is open.
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("processing failed");
      })
      .catch((error: Error) => error.message);

    await opened;
    const outside = Promise.all([
      db.webhookEvent.create({ data: { shopDomain: SHOP, topic: "ORDERS_CREATE", webhookId: "outside", payload: "{}" } }),
      db.webhookEvent.update({ where: { id: existing.id }, data: { status: "PROCESSED" } }),
      db.$executeRawUnsafe(`UPDATE "WebhookEvent" SET "attempts" = 3 WHERE "id" = '${existing.id}'`),
    ]);

    expect(await failing).toBe("processing failed");
    await outside;
    const rows = await db.webhookEvent.findMany({ where: { shopDomain: SHOP }, orderBy: { webhookId: "asc" } });
    expect(rows.map((row) => [row.webhookId, row.status, row.attempts])).toEqual([
      ["existing", "PROCESSED", 3],
      ["outside", "RECEIVED", 0],
    ]);
  });
});
