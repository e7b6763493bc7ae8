import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases";

/**
 * The invariants the schema itself guarantees, on both databases: one identity per
 * (shop, source, source id), one letter per purpose, a discount code used once, one delivery
 * record per (shop, webhook id), exact money beyond 32 bits, and a shop's deletion taking all
 * of its data and nothing of another shop's.
 */

function uniqueViolation(promise: Promise<unknown>) {
  return expect(promise).rejects.toMatchObject({ code: "P2002" });
}

describeEachDatabase("data model", (current) => {
  let shopA: string;
  let shopB: string;
  let customerA: string;

  beforeAll(async () => {
    const { db } = current();
    shopA = (await db.shop.create({ data: { domain: "a.myshopify.com", name: "A", emailHashSalt: "sa" } })).id;
    shopB = (await db.shop.create({ data: { domain: "b.myshopify.com", name: "B", emailHashSalt: "sb" } })).id;
    customerA = (
      await db.customer.create({
        data: {
          shopId: shopA,
          firstName: "Jürgen",
          lastName: "Жуков",
          email: "j@example.com",
          emailNormalized: "j@example.com",
          searchText: "jürgen жуков j@example.com",
          identities: {
            create: [
              { shopId: shopA, source: "SHOPIFY", sourceId: "gid://shopify/Customer/1" },
              { shopId: shopA, source: "BILLBEE", sourceId: "4711" },
              { shopId: shopA, source: "CSV", sourceId: "j@example.com" },
            ],
          },
        },
      })
    ).id;
    await db.customer.create({
      data: {
        shopId: shopB,
        firstName: "Other",
        identities: { create: [{ shopId: shopB, source: "SHOPIFY", sourceId: "gid://shopify/Customer/1" }] },
      },
    });
  });

  it("keeps one person found in three sources as one customer with three identities", async () => {
    const customer = await current().db.customer.findUniqueOrThrow({ where: { id: customerA }, include: { identities: true } });
    expect(customer.identities.map((identity) => identity.source).sort()).toEqual(["BILLBEE", "CSV", "SHOPIFY"]);
  });

  it("refuses a second identity with the same (shop, source, source id), but not in another shop", async () => {
    const { db } = current();
    const other = await db.customer.create({ data: { shopId: shopA, firstName: "Dup" } });
    await uniqueViolation(
      db.customerIdentity.create({ data: { shopId: shopA, customerId: other.id, source: "BILLBEE", sourceId: "4711" } }),
    );
    // shop B already holds the same Shopify id above without conflict.
    expect(await db.customerIdentity.count({ where: { source: "SHOPIFY", sourceId: "gid://shopify/Customer/1" } })).toBe(2);
  });

  it("stores money beyond 32 bits exactly and sorts by it", async () => {
    const { db } = current();
    // 25,000,000,000.00 IDR in minor units: larger than any 32-bit integer.
    const big = 2_500_000_000_000n;
    await db.customer.update({ where: { id: customerA }, data: { lifetimeValueMinor: big } });
    const top = await db.customer.findFirstOrThrow({ where: { shopId: shopA }, orderBy: { lifetimeValueMinor: "desc" } });
    expect(top.id).toBe(customerA);
    expect(top.lifetimeValueMinor).toBe(big);
  });

  it("allows one letter per purpose (dedupe key) per shop", async () => {
    const { db } = current();
    const letter = { shopId: shopA, customerId: customerA, dedupeKey: "order:1001", language: "de", scheduledFor: new Date() };
    await db.letter.create({ data: { ...letter, qrToken: "tok-1" } });
    await uniqueViolation(db.letter.create({ data: { ...letter, qrToken: "tok-2" } }));
    await uniqueViolation(db.letter.create({ data: { ...letter, dedupeKey: "order:1002", qrToken: "tok-1" } }));
  });

  it("hands a discount code to one letter only", async () => {
    const { db } = current();
    const pool = await db.discountCodePool.create({ data: { shopId: shopA, name: "Welcome back" } });
    const letterOne = await db.letter.findFirstOrThrow({ where: { shopId: shopA, dedupeKey: "order:1001" } });
    await db.discountCode.createMany({
      data: [
        { shopId: shopA, poolId: pool.id, code: "THANKS-A1" },
        { shopId: shopA, poolId: pool.id, code: "THANKS-A2" },
      ],
    });
    await db.discountCode.update({ where: { poolId_code: { poolId: pool.id, code: "THANKS-A1" } }, data: { letterId: letterOne.id } });
    await uniqueViolation(
      db.discountCode.update({ where: { poolId_code: { poolId: pool.id, code: "THANKS-A2" } }, data: { letterId: letterOne.id } }),
    );
    await uniqueViolation(db.discountCode.create({ data: { shopId: shopA, poolId: pool.id, code: "THANKS-A1" } }));
  });

  it("records a webhook delivery once per (shop, webhook id)", async () => {
    const { db } = current();
    const event = { shopDomain: "a.myshopify.com", topic: "ORDERS_CREATE", webhookId: "w-1", payload: "{}" };
    await db.webhookEvent.create({ data: event });
    await uniqueViolation(db.webhookEvent.create({ data: event }));
    await db.webhookEvent.create({ data: { ...event, shopDomain: "b.myshopify.com" } });
  });

  it("deletes all of a shop's data with the shop, and nothing of another shop", async () => {
    const { db } = current();
    const order = await db.order.create({
      data: {
        shopId: shopA,
        customerId: customerA,
        source: "SHOPIFY",
        sourceId: "gid://shopify/Order/1",
        number: "#1001",
        placedAt: new Date("2026-11-01T10:00:00Z"),
        currency: "EUR",
        totalMinor: 4990n,
        lineItems: { create: [{ shopId: shopA, title: "Espresso 1 kg", quantity: 1, unitPriceMinor: 4990n, totalMinor: 4990n }] },
      },
    });
    await db.checkout.create({
      data: {
        shopId: shopA,
        customerId: customerA,
        token: "tok-checkout",
        currency: "EUR",
        valueMinor: 4990n,
        sourceCreatedAt: new Date(),
        sourceUpdatedAt: new Date(),
        recoveredByOrderId: order.id,
        lineItems: { create: [{ shopId: shopA, title: "Espresso 1 kg", quantity: 1, unitPriceMinor: 4990n }] },
      },
    });
    const design = await db.letterDesign.create({ data: { shopId: shopA, name: "Thank you" } });
    await db.automation.create({
      data: {
        shopId: shopA,
        tiers: {
          create: [
            {
              shopId: shopA,
              position: 0,
              minMinor: 0n,
              maxMinor: 20000n,
              variants: { create: [{ shopId: shopA, language: "*", designId: design.id }] },
            },
          ],
        },
      },
    });
    await db.shop.delete({ where: { id: shopA } });
    for (const count of [
      db.customer.count({ where: { shopId: shopA } }),
      db.customerIdentity.count({ where: { shopId: shopA } }),
      db.order.count({ where: { shopId: shopA } }),
      db.orderLineItem.count({ where: { shopId: shopA } }),
      db.checkout.count({ where: { shopId: shopA } }),
      db.checkoutLineItem.count({ where: { shopId: shopA } }),
      db.letter.count({ where: { shopId: shopA } }),
      db.discountCode.count({ where: { shopId: shopA } }),
      db.automationLetterVariant.count({ where: { shopId: shopA } }),
      db.letterDesign.count({ where: { shopId: shopA } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await db.customer.count({ where: { shopId: shopB } })).toBe(1);
    expect(await db.customerIdentity.count({ where: { shopId: shopB } })).toBe(1);
  });
});
