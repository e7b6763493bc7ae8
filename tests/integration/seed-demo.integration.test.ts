import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoShop } from "../../app/demo/seed-demo.server";
import { DEMO_SHOP_DOMAIN } from "../../app/env.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { rebuildCustomerStats } from "../../app/services/customer-stats-rebuild.server";
import { reviewCheckouts } from "../../app/services/ingestion.server";
import { describeEachDatabase } from "../support/databases";

const NOW = new Date("2026-11-25T00:00:00Z");

describeEachDatabase("demo seed", (current) => {
  // The letter PDFs go to a store of the suite's own, never to ./storage.
  let storeDir: string;
  let files: LocalDiskFileStore;
  beforeAll(() => {
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-seed-files-"));
    files = new LocalDiskFileStore(storeDir);
  });
  afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

  it("seeds the demo shop and replaces it on a second run, leaving other shops alone", async () => {
    const { db } = current();
    const other = await db.shop.create({ data: { domain: "other.myshopify.com", name: "Other", emailHashSalt: "salt" } });
    await db.customer.create({ data: { shopId: other.id, email: "keep@example.com" } });

    const first = await seedDemoShop({ db, now: NOW, files });
    const second = await seedDemoShop({ db, now: NOW, files });

    expect(second.customers).toBe(first.customers);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(first.customers);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(first.orders);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(first.orderLineItems);
    expect(await db.letter.count({ where: { shopId: shop.id } })).toBe(first.letters);
    // The same letters render to the same bytes: the second run finds every PDF in place.
    const pdfs = await db.storedFile.findMany({ where: { shopId: shop.id }, select: { key: true } });
    expect(pdfs).toHaveLength(first.letterPdfs);
    expect((await Promise.all(pdfs.map((pdf) => files.exists(pdf.key)))).every(Boolean)).toBe(true);
    expect(await db.webhookEvent.count({ where: { shopDomain: DEMO_SHOP_DOMAIN } })).toBeGreaterThan(0);
    expect(await db.customer.count({ where: { shopId: other.id } })).toBe(1);
    expect(second.durationMs).toBeLessThan(15_000);
  });

  it("agrees with the rules: re-deciding every checkout and recomputing every statistic changes nothing", async () => {
    const { db } = current();
    await seedDemoShop({ db, now: NOW, files });
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    const checkouts = await db.checkout.findMany({ where: { shopId: shop.id }, select: { id: true, abandonedAt: true, recoveryKind: true } });
    expect(checkouts.filter((checkout) => checkout.abandonedAt !== null).length).toBeGreaterThan(30);
    expect(new Set(checkouts.map((checkout) => checkout.recoveryKind))).toEqual(new Set([null, "CHECKOUT_COMPLETED", "SAME_CUSTOMER_ORDER"]));

    expect(await reviewCheckouts(db, { shopId: shop.id, checkoutIds: checkouts.map((checkout) => checkout.id), now: NOW })).toEqual({ changed: 0 });
    expect(await rebuildCustomerStats(db, { shopId: shop.id, now: NOW, write: false })).toMatchObject({ differing: 0 });
  });
});
