import { expect, it } from "vitest";
import type { CanonicalCustomer, CanonicalOrder, RecordSource } from "../../app/core/canonical-records";
import { bulkQuery, withBulkChannel } from "../../app/db/bulk-channel.server";
import { newRecordId } from "../../app/db/record-id";
import { insertRows, updateRows } from "../../app/repositories/bulk-insert.server";
import { ingestBatch } from "../../app/services/ingestion.server";
import { describeEachDatabase } from "../support/databases";
import { createShop } from "../support/factories";

const NOW = new Date("2026-11-25T12:00:00.000Z");

function customer(index: number, source: RecordSource, overrides: Partial<CanonicalCustomer> = {}): CanonicalCustomer {
  return {
    source,
    sourceId: `person-${index}`,
    sourceUpdatedAt: null,
    email: `person-${index}@example.de`,
    firstName: "Jörg",
    lastName: `Weiß ${index}`,
    company: null,
    phone: null,
    language: "de",
    address: null,
    ...overrides,
  };
}

function order(index: number, source: RecordSource, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    source,
    sourceId: `order-${index}`,
    number: `#${10_000 + index}`,
    placedAt: new Date(Date.UTC(2025, 0, 1) + index * 3_600_000),
    sourceUpdatedAt: null,
    currency: "EUR",
    totalMinor: 4_990n,
    subtotalMinor: 4_990n,
    refundedMinor: 0n,
    financialState: "PAID",
    fulfilmentState: "FULFILLED",
    cancelledAt: null,
    cancelReason: null,
    checkoutToken: null,
    email: null,
    customerLocale: null,
    shippingAddress: null,
    discountCodes: [],
    customer: customer(Math.floor(index / 2), source),
    lineItems: [
      { sourceId: null, productId: null, variantId: null, sku: "TEE-M", title: "T-Shirt", variantTitle: "M", quantity: 2, unitPriceMinor: 1_500n, totalMinor: 3_000n },
      { sourceId: null, productId: null, variantId: null, sku: "CAP", title: "Mütze", variantTitle: null, quantity: 1, unitPriceMinor: 1_990n, totalMinor: 1_990n },
    ],
    live: false,
    ...overrides,
  };
}

describeEachDatabase("ingestion of large batches", (current) => {
  it("writes a batch of 1,000 orders for 500 new customers in one call, and the same batch again changes nothing", async () => {
    const { db } = current();
    const shop = await createShop(db, { domain: "batch-1000.myshopify.com" });
    const orders = Array.from({ length: 1_000 }, (_, index) => order(index, "CSV"));

    const first = await ingestBatch(db, { shopId: shop.id, batch: { orders }, now: NOW });
    expect(first.orders).toEqual({ created: 1_000, updated: 0, skipped: 0 });
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(500);
    expect(await db.customerIdentity.count({ where: { shopId: shop.id, source: "CSV" } })).toBe(500);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(2_000);
    const someone = await db.customer.findFirstOrThrow({ where: { shopId: shop.id, email: "person-7@example.de" } });
    expect([someone.orderCount, someone.lifetimeValueMinor, someone.firstName, someone.lastName]).toEqual([2, 9_980n, "Jörg", "Weiß 7"]);
    expect(someone.firstOrderAt?.toISOString()).toBe(orders[14]!.placedAt.toISOString());
    expect(someone.lastOrderAt?.toISOString()).toBe(orders[15]!.placedAt.toISOString());
    expect(someone.typicalDaysBetweenOrders).not.toBeNull();

    const updatedAtBefore = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "order-3" }, select: { updatedAt: true } });
    const again = await ingestBatch(db, { shopId: shop.id, batch: { orders, customers: orders.slice(0, 10).map((row) => row.customer!) }, now: NOW });
    expect(again.orders).toEqual({ created: 0, updated: 0, skipped: 1_000 });
    expect(again.customers).toEqual({ created: 0, updated: 0, skipped: 10 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(1_000);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(2_000);
    const updatedAtAfter = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "order-3" }, select: { updatedAt: true } });
    expect(updatedAtAfter.updatedAt.toISOString()).toBe(updatedAtBefore.updatedAt.toISOString());
  });

  it("updates an order without a source version when its content changed, and only that one", async () => {
    const { db } = current();
    const shop = await createShop(db, { domain: "content-change.myshopify.com" });
    const orders = Array.from({ length: 4 }, (_, index) => order(index, "API"));
    await ingestBatch(db, { shopId: shop.id, batch: { orders }, now: NOW });

    const corrected = orders.map((row, index) => (index === 2 ? { ...row, totalMinor: 5_990n, lineItems: row.lineItems.slice(0, 1) } : row));
    const result = await ingestBatch(db, { shopId: shop.id, batch: { orders: corrected }, now: NOW });
    expect(result.orders).toEqual({ created: 0, updated: 1, skipped: 3 });
    const stored = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "order-2" }, include: { lineItems: true } });
    expect(stored.totalMinor).toBe(5_990n);
    expect(stored.lineItems.map((item) => item.sku)).toEqual(["TEE-M"]);
    const buyer = await db.customer.findFirstOrThrow({ where: { shopId: shop.id, email: "person-1@example.de" } });
    expect(buyer.lifetimeValueMinor).toBe(4_990n + 5_990n);
  });

  it("marks a known order live when a live copy arrives, even though its content is the same", async () => {
    const { db } = current();
    const shop = await createShop(db, { domain: "live-later.myshopify.com" });
    await ingestBatch(db, { shopId: shop.id, batch: { orders: [order(1, "API")] }, now: NOW });
    const result = await ingestBatch(db, { shopId: shop.id, batch: { orders: [order(1, "API", { live: true })] }, now: NOW });
    expect(result.orders.updated).toBe(1);
    expect(result.newlyLiveOrderIds).toHaveLength(1);
    expect((await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "order-1" } })).live).toBe(true);
  });

  it("keeps the bulk statements inside the transaction: a failure rolls them back with everything else", async () => {
    const { db } = current();
    const shop = await createShop(db, { domain: "bulk-rollback.myshopify.com" });
    const failed = withBulkChannel(() =>
      db.$transaction(async (tx) => {
        await tx.customer.create({ data: { shopId: shop.id, email: "orm@example.de" } });
        await insertRows(tx, "Customer", ["id", "shopId", "email", "searchText", "createdAt", "updatedAt"], [
          { id: newRecordId(), shopId: shop.id, email: "bulk@example.de", searchText: "bulk@example.de", createdAt: NOW, updatedAt: NOW },
        ]);
        // Visible inside the transaction through the channel…
        const seen = await bulkQuery<{ email: string }>(`SELECT "email" FROM "Customer" WHERE "email" = 'bulk@example.de'`, []);
        expect(seen).toEqual([{ email: "bulk@example.de" }]);
        throw new Error("the batch failed");
      }),
    ).catch((error: Error) => error.message);
    expect(await failed).toBe("the batch failed");
    // …and gone with it.
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(0);
    // Outside a channel there is no shortcut: the ORM path is used.
    expect(await bulkQuery(`SELECT 1 AS "one"`, [])).toBeNull();
  });

  it("writes typed values in multi-row updates (dates, big integers, nulls, fractions) and only in the given shop", async () => {
    const { db } = current();
    const shop = await createShop(db, { domain: "typed-update.myshopify.com" });
    const other = await createShop(db, { domain: "typed-update-other.myshopify.com" });
    const mine = await db.customer.create({ data: { shopId: shop.id, email: "a@example.de", lastOrderAt: NOW } });
    const theirs = await db.customer.create({ data: { shopId: other.id, email: "b@example.de" } });
    const row = (id: string) => ({ id, lifetimeValueMinor: 9_007_199_254_740_993n, lastOrderAt: null, firstOrderAt: new Date("2024-02-29T23:59:59.123Z"), typicalDaysBetweenOrders: 12.5 });
    for (const viaChannel of [false, true]) {
      const write = () =>
        db.$transaction((tx) =>
          updateRows(tx, {
            provider: current().provider,
            table: "Customer",
            shopId: shop.id,
            columns: [
              { name: "lifetimeValueMinor", type: "bigint" },
              { name: "lastOrderAt", type: "timestamp" },
              { name: "firstOrderAt", type: "timestamp" },
              { name: "typicalDaysBetweenOrders", type: "double" },
            ],
            rows: [row(mine.id), row(theirs.id)],
          }),
        );
      await (viaChannel ? withBulkChannel(write) : write());
      const stored = await db.customer.findUniqueOrThrow({ where: { id: mine.id } });
      expect([stored.lifetimeValueMinor, stored.lastOrderAt, stored.firstOrderAt?.toISOString(), stored.typicalDaysBetweenOrders]).toEqual([
        9_007_199_254_740_993n,
        null,
        "2024-02-29T23:59:59.123Z",
        12.5,
      ]);
      const untouched = await db.customer.findUniqueOrThrow({ where: { id: theirs.id } });
      expect(untouched.lifetimeValueMinor).toBe(0n);
    }
  });
});
