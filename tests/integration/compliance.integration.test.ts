import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckout, createCustomer, createLetter, createOrder, createShop, emailHashFor } from "../support/factories";
import { describeEachDatabase } from "../support/databases";
import type { Db } from "../../app/db/client.server";
import { FileStoreError, type FileStore } from "../../app/files/file-store";
import { fileStore } from "../../app/files/file-store.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import type { ParsedComplianceWebhook } from "../../app/integrations/shopify/compliance-payloads";
import { loader as fileRoute } from "../../app/routes/files.$fileId";
import { applyComplianceRequest, DATA_EXPORT_FORMAT, listDataRequests, stopShopActivity } from "../../app/services/compliance.server";
import { readStoredFile, storeFile } from "../../app/services/stored-files.server";

const NOW = new Date("2025-06-01T12:00:00.000Z");
const LATER = new Date("2025-06-02T08:30:00.000Z");
const ALICE_SHOPIFY_ID = "1001";
const BOB_SHOPIFY_ID = "1002";
const ALICE_EMAIL = "Alice.Smith@Example.com";
const ALICE_ADDRESS = JSON.stringify({ name: "Alice Smith", line1: "Lindenweg 7", postalCode: "80331", city: "München", countryCode: "DE" });

const json = (value: unknown) => JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? `${inner}n` : inner));
const pdfBytes = (label: string) => Buffer.concat([Buffer.from(`%PDF-1.7\n% ${label}\n`, "latin1"), randomBytes(512), Buffer.from("\n%%EOF\n")]);

function dataRequest(overrides: Partial<Extract<ParsedComplianceWebhook, { kind: "customers-data-request" }>> = {}): ParsedComplianceWebhook {
  return { kind: "customers-data-request", shopifyCustomerId: ALICE_SHOPIFY_ID, email: ALICE_EMAIL.toLowerCase(), ordersRequested: [], dataRequestId: "9001", ...overrides };
}

function redact(overrides: Partial<Extract<ParsedComplianceWebhook, { kind: "customers-redact" }>> = {}): ParsedComplianceWebhook {
  return { kind: "customers-redact", shopifyCustomerId: ALICE_SHOPIFY_ID, email: ALICE_EMAIL.toLowerCase(), ordersToRedact: [], ...overrides };
}

/** Every row a shop owns, in a stable order, as comparable text (BigInt kept exact). */
async function shopRows(db: Db, shop: { id: string; domain: string }) {
  const where = { shopId: shop.id };
  const byId = { orderBy: { id: "asc" as const } };
  const tables = {
    shop: await db.shop.findMany({ where: { id: shop.id } }),
    customer: await db.customer.findMany({ where, ...byId }),
    customerIdentity: await db.customerIdentity.findMany({ where, ...byId }),
    optOutEvent: await db.optOutEvent.findMany({ where, ...byId }),
    order: await db.order.findMany({ where, ...byId }),
    orderLineItem: await db.orderLineItem.findMany({ where, ...byId }),
    checkout: await db.checkout.findMany({ where, ...byId }),
    checkoutLineItem: await db.checkoutLineItem.findMany({ where, ...byId }),
    letter: await db.letter.findMany({ where, ...byId }),
    letterStatusEvent: await db.letterStatusEvent.findMany({ where, ...byId }),
    qrScan: await db.qrScan.findMany({ where, ...byId }),
    campaign: await db.campaign.findMany({ where, ...byId }),
    campaignRecipient: await db.campaignRecipient.findMany({ where, ...byId }),
    discountCodePool: await db.discountCodePool.findMany({ where, ...byId }),
    discountCode: await db.discountCode.findMany({ where, ...byId }),
    dataRequest: await db.dataRequest.findMany({ where, ...byId }),
    storedFile: await db.storedFile.findMany({ where, ...byId }),
    job: await db.job.findMany({ where, ...byId }),
    session: await db.session.findMany({ where: { shop: shop.domain }, ...byId }),
    webhookEvent: await db.webhookEvent.findMany({ where: { shopDomain: shop.domain }, ...byId }),
  };
  return tables;
}

type ShopRows = Awaited<ReturnType<typeof shopRows>>;

function counts(rows: ShopRows): Record<keyof ShopRows, number> {
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length])) as Record<keyof ShopRows, number>;
}

/** One customer's rows and everything hanging off them. */
async function customerRows(db: Db, customerId: string) {
  return json(
    await db.customer.findUnique({
      where: { id: customerId },
      include: {
        identities: true,
        optOutEvents: true,
        orders: { include: { lineItems: true } },
        checkouts: { include: { lineItems: true } },
        letters: { include: { events: true, scans: true, file: true, discountUse: true } },
        campaignRecipient: true,
        dataRequests: true,
      },
    }),
  );
}

describeEachDatabase("compliance webhooks", (current) => {
  let storeDir: string;

  beforeAll(() => {
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-compliance-"));
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
  });
  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
  });

  /**
   * Two shops. Shop A: Alice (opted out; orders, checkouts, letters in three states with PDFs,
   * scans, a discount code, a campaign), a guest order and checkout under her e-mail, Bob with
   * the same kinds of data, sessions, jobs, recorded deliveries. Shop B: the same person as
   * Alice (same Shopify id and e-mail, which must never be touched from shop A) with a letter.
   */
  async function seedWorld() {
    const { db } = current();
    const shopA = await createShop(db);
    const shopB = await createShop(db);
    const storePdf = (shopId: string, label: string) =>
      storeFile({ shopId, kind: "LETTER_PDF", filename: `letter-${label}.pdf`, contentType: "application/pdf", bytes: pdfBytes(label) });

    const alice = await createCustomer(db, {
      shopId: shopA.id,
      shopifyCustomerId: ALICE_SHOPIFY_ID,
      email: ALICE_EMAIL,
      firstName: "Alice",
      lastName: "Smith",
      company: "Smith GmbH",
      addressName: "Alice Smith",
      addressLine1: "Lindenweg 7",
      addressLine2: "Hinterhaus",
      postalCode: "80331",
      city: "München",
      region: "BY",
      searchText: "alice smith alice.smith@example.com",
      optedOut: true,
      optedOutAt: new Date("2025-05-01T00:00:00Z"),
      optedOutReason: "qr-landing",
      lifetimeValueMinor: 7485n,
      orderCount: 2,
    });
    await db.customerIdentity.create({ data: { shopId: shopA.id, customerId: alice.id, source: "BILLBEE", sourceId: "bb-77" } });
    await db.optOutEvent.create({ data: { shopId: shopA.id, customerId: alice.id, optedOut: true, actor: "qr-landing", createdAt: new Date("2025-05-01T00:00:00Z") } });
    const bob = await createCustomer(db, { shopId: shopA.id, shopifyCustomerId: BOB_SHOPIFY_ID, email: "bob@example.com", firstName: "Bob", lastName: "Baker" });

    const aliceOrders = [
      await createOrder(db, { shopId: shopA.id, customerId: alice.id, email: ALICE_EMAIL, lineItems: 2 }),
      await createOrder(db, { shopId: shopA.id, customerId: alice.id, email: ALICE_EMAIL, placedAt: new Date("2025-04-01T10:00:00Z") }),
    ];
    const guestOrder = await createOrder(db, { shopId: shopA.id, customerId: null, email: ALICE_EMAIL.toLowerCase(), sourceId: "5001" });
    const bobOrder = await createOrder(db, { shopId: shopA.id, customerId: bob.id, email: "bob@example.com" });
    const aliceCheckout = await createCheckout(db, { shopId: shopA.id, customerId: alice.id, email: ALICE_EMAIL, lineItems: 2 });
    const guestCheckout = await createCheckout(db, { shopId: shopA.id, customerId: null, email: ALICE_EMAIL.toLowerCase() });
    const bobCheckout = await createCheckout(db, { shopId: shopA.id, customerId: bob.id, email: "bob@example.com" });

    const campaign = await db.campaign.create({ data: { shopId: shopA.id, name: "Spring mailing", status: "SENT" } });
    await db.campaignRecipient.createMany({
      data: [
        { shopId: shopA.id, campaignId: campaign.id, customerId: alice.id, group: "LETTER" },
        { shopId: shopA.id, campaignId: campaign.id, customerId: bob.id, group: "HOLDOUT" },
      ],
    });
    const pool = await db.discountCodePool.create({ data: { shopId: shopA.id, name: "Spring codes" } });

    const aliceScheduled = await createLetter(db, { shopId: shopA.id, customerId: alice.id, status: "SCHEDULED", recipientSnapshot: null });
    const aliceRenderedPdf = await storePdf(shopA.id, "alice-rendered");
    const aliceRendered = await createLetter(db, { shopId: shopA.id, customerId: alice.id, status: "RENDERED", recipientSnapshot: ALICE_ADDRESS, fileId: aliceRenderedPdf.id, contentHash: aliceRenderedPdf.sha256 });
    const aliceMailedPdf = await storePdf(shopA.id, "alice-mailed");
    const aliceMailed = await createLetter(db, {
      shopId: shopA.id,
      customerId: alice.id,
      campaignId: campaign.id,
      status: "MAILED",
      recipientSnapshot: ALICE_ADDRESS,
      fileId: aliceMailedPdf.id,
      contentHash: aliceMailedPdf.sha256,
      discountCode: "SPRING-7F3K",
      costMinor: 145n,
      costCurrency: "EUR",
      scanCount: 2,
    });
    await db.discountCode.create({ data: { shopId: shopA.id, poolId: pool.id, code: "SPRING-7F3K", letterId: aliceMailed.id, assignedAt: NOW } });
    await db.letterStatusEvent.createMany({
      data: [
        { shopId: shopA.id, letterId: aliceMailed.id, status: "SUBMITTED", at: new Date("2025-03-05T09:00:00Z") },
        { shopId: shopA.id, letterId: aliceMailed.id, status: "MAILED", actor: "provider:pingen", at: new Date("2025-03-06T09:00:00Z") },
      ],
    });
    await db.qrScan.createMany({
      data: [
        { shopId: shopA.id, letterId: aliceMailed.id, deviceClass: "mobile", scannedAt: new Date("2025-03-09T19:00:00Z") },
        { shopId: shopA.id, letterId: aliceMailed.id, deviceClass: "desktop", scannedAt: new Date("2025-03-10T08:00:00Z") },
      ],
    });

    const bobPdf = await storePdf(shopA.id, "bob-mailed");
    const bobMailed = await createLetter(db, { shopId: shopA.id, customerId: bob.id, campaignId: campaign.id, status: "MAILED", fileId: bobPdf.id, scanCount: 1 });
    await db.qrScan.create({ data: { shopId: shopA.id, letterId: bobMailed.id, deviceClass: "mobile" } });
    const bobScheduled = await createLetter(db, { shopId: shopA.id, customerId: bob.id, status: "SCHEDULED" });
    const bobSubmitted = await createLetter(db, { shopId: shopA.id, customerId: bob.id, status: "SUBMITTED", provider: "pingen", providerRef: "pg-1" });

    // Shop B holds the same person under the same Shopify id and e-mail.
    const carol = await createCustomer(db, { shopId: shopB.id, shopifyCustomerId: ALICE_SHOPIFY_ID, email: ALICE_EMAIL, firstName: "Alice", lastName: "Smith" });
    await createOrder(db, { shopId: shopB.id, customerId: carol.id, email: ALICE_EMAIL, sourceId: "5001" });
    await createCheckout(db, { shopId: shopB.id, customerId: carol.id, email: ALICE_EMAIL });
    const carolPdf = await storePdf(shopB.id, "carol-rendered");
    const carolLetter = await createLetter(db, { shopId: shopB.id, customerId: carol.id, status: "RENDERED", recipientSnapshot: ALICE_ADDRESS, fileId: carolPdf.id });
    await db.qrScan.create({ data: { shopId: shopB.id, letterId: carolLetter.id, deviceClass: "tablet" } });

    for (const [shop, count] of [[shopA, 2], [shopB, 1]] as const) {
      for (let index = 0; index < count; index++) {
        await db.session.create({ data: { id: `offline_${shop.domain}_${index}`, shop: shop.domain, state: "s", accessToken: `token-${index}` } });
      }
    }
    const job = (shopId: string, status: "QUEUED" | "RUNNING" | "SUCCEEDED") => db.job.create({ data: { name: "letters.send", payload: "{}", shopId, status } });
    await job(shopA.id, "QUEUED");
    await job(shopA.id, "QUEUED");
    await job(shopA.id, "RUNNING");
    await job(shopA.id, "SUCCEEDED");
    await job(shopB.id, "QUEUED");

    const event = (shopDomain: string, topic: string, payload: unknown, status: "RECEIVED" | "PROCESSED") =>
      db.webhookEvent.create({ data: { shopDomain, topic, webhookId: randomBytes(8).toString("hex"), payload: JSON.stringify(payload), status } });
    const events = {
      aliceOrder: await event(shopA.domain, "ORDERS_CREATE", { id: Number(aliceOrders[0]!.sourceId), email: ALICE_EMAIL, customer: { id: 1001, first_name: "Alice" } }, "PROCESSED"),
      aliceCustomer: await event(shopA.domain, "CUSTOMERS_UPDATE", { id: 1001, email: null, first_name: "Alice" }, "PROCESSED"),
      bobCustomer: await event(shopA.domain, "CUSTOMERS_UPDATE", { id: 1002, email: "bob@example.com", first_name: "Bob" }, "PROCESSED"),
      pendingCheckout: await event(shopA.domain, "CHECKOUTS_UPDATE", { token: "pending", email: ALICE_EMAIL }, "RECEIVED"),
      shopRedact: await event(shopA.domain, "SHOP_REDACT", { shop_id: 1, shop_domain: shopA.domain }, "RECEIVED"),
      otherShop: await event(shopB.domain, "ORDERS_CREATE", { id: 5001, email: ALICE_EMAIL, customer: { id: 1001 } }, "PROCESSED"),
    };

    return {
      shopA,
      shopB,
      alice,
      bob,
      carol,
      aliceOrders,
      guestOrder,
      bobOrder,
      aliceCheckout,
      guestCheckout,
      bobCheckout,
      letters: { aliceScheduled, aliceRendered, aliceMailed, bobMailed, bobScheduled, bobSubmitted, carolLetter },
      files: { aliceRenderedPdf, aliceMailedPdf, bobPdf, carolPdf },
      events,
    };
  }

  type World = Awaited<ReturnType<typeof seedWorld>>;
  let world: World;
  beforeEach(async () => {
    world = await seedWorld();
  });

  async function exportOf(fileId: string) {
    const { file, bytes } = await readStoredFile({ shopId: world.shopA.id, fileId });
    return { file, text: bytes.toString("utf8"), document: JSON.parse(bytes.toString("utf8")) as Record<string, unknown> & { customers: Array<Record<string, unknown>> } };
  }

  describe("customers/data_request", () => {
    it("exports everything held on the customer in this shop, and nothing else", async () => {
      const { db } = current();
      const beforeA = counts(await shopRows(db, world.shopA));
      const beforeB = await shopRows(db, world.shopB);

      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest({ ordersRequested: ["5001"] }), now: NOW });
      expect(result.outcome).toBe("done");

      const requests = await db.dataRequest.findMany({ where: { shopId: world.shopA.id } });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ customerId: world.alice.id, shopifyCustomerId: ALICE_SHOPIFY_ID, shopifyRequestId: "9001", status: "READY", completedAt: NOW, createdAt: NOW });

      const { file, text, document } = await exportOf(requests[0]!.fileId!);
      expect(file).toMatchObject({ kind: "DATA_EXPORT", filename: "customer-1001-data-export.json", contentType: "application/json; charset=utf-8" });
      expect(document).toMatchObject({ format: DATA_EXPORT_FORMAT, version: 1, generatedAt: NOW.toISOString(), dataHeld: true, shop: { domain: world.shopA.domain } });
      expect(document.request).toEqual({ shopifyDataRequestId: "9001", shopifyCustomerId: ALICE_SHOPIFY_ID, ordersRequested: ["5001"] });

      expect(document.customers).toHaveLength(1);
      const customer = document.customers[0] as Record<string, unknown> & {
        identities: Array<{ source: string; sourceId: string }>;
        optOutEvents: unknown[];
        letters: Array<Record<string, unknown> & { events: unknown[]; scans: unknown[]; discountUse: { code: string } | null; campaign: { name: string } | null; file: { filename: string } | null }>;
        campaignMemberships: Array<{ campaignName: string; group: string }>;
      };
      expect(customer).toMatchObject({
        id: world.alice.id,
        email: ALICE_EMAIL,
        firstName: "Alice",
        lastName: "Smith",
        company: "Smith GmbH",
        phone: "+49 30 1234567",
        addressLine1: "Lindenweg 7",
        city: "München",
        optedOut: true,
        optedOutAt: "2025-05-01T00:00:00.000Z",
        // Money as exact decimal strings of minor units.
        lifetimeValueMinor: "7485",
      });
      expect(customer.identities.map((identity) => `${identity.source}:${identity.sourceId}`).sort()).toEqual(["BILLBEE:bb-77", "SHOPIFY:1001"]);
      expect(customer.optOutEvents).toHaveLength(1);
      expect(customer.campaignMemberships).toEqual([expect.objectContaining({ campaignName: "Spring mailing", group: "LETTER" })]);

      expect(customer.letters.map((letter) => letter.status)).toEqual(["SCHEDULED", "RENDERED", "MAILED"]);
      const mailed = customer.letters[2]!;
      expect(mailed).toMatchObject({ discountCode: "SPRING-7F3K", costMinor: "145", scanCount: 2, recipientSnapshot: JSON.parse(ALICE_ADDRESS) });
      expect(mailed.events).toHaveLength(2);
      expect(mailed.scans).toHaveLength(2);
      expect(mailed.discountUse?.code).toBe("SPRING-7F3K");
      expect(mailed.campaign?.name).toBe("Spring mailing");
      expect(mailed.file?.filename).toBe("letter-alice-mailed.pdf");

      // Her two orders and the guest order under her e-mail; her checkout and the guest checkout.
      const orders = document.orders as Array<{ id: string; totalMinor: string; placedAt: string; lineItems: Array<{ unitPriceMinor: string }> }>;
      expect(orders.map((order) => order.id).sort()).toEqual([...world.aliceOrders.map((order) => order.id), world.guestOrder.id].sort());
      const firstOrder = orders.find((order) => order.id === world.aliceOrders[0]!.id)!;
      expect(firstOrder).toMatchObject({ totalMinor: "4990", placedAt: "2025-03-01T10:00:00.000Z" });
      expect(firstOrder.lineItems.map((item) => item.unitPriceMinor)).toEqual(["2495", "2495"]);
      const checkouts = document.checkouts as Array<{ id: string; lineItems: unknown[] }>;
      expect(checkouts.map((checkout) => checkout.id).sort()).toEqual([world.aliceCheckout.id, world.guestCheckout.id].sort());
      expect(checkouts.find((checkout) => checkout.id === world.aliceCheckout.id)!.lineItems).toHaveLength(2);

      // Nothing of Bob, of shop B, or of the app's internals.
      expect(text).not.toContain("bob@example.com");
      expect(text).not.toContain(world.bobOrder.id);
      expect(text).not.toContain(world.carol.id);
      expect(text).not.toContain(world.letters.carolLetter.id);
      expect(text).not.toMatch(/"shopId"|"qrToken"/);
      expect(text).not.toContain(world.letters.aliceMailed.qrToken);

      const afterA = counts(await shopRows(db, world.shopA));
      expect(afterA).toEqual({ ...beforeA, dataRequest: beforeA.dataRequest + 1, storedFile: beforeA.storedFile + 1 });
      expect(json(await shopRows(db, world.shopB))).toBe(json(beforeB));
    });

    it("answers a repeated request id once", async () => {
      const { db } = current();
      const first = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: NOW });
      const second = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: LATER });
      expect(first.outcome).toBe("done");
      expect(second).toEqual({ outcome: "done", detail: "data request 9001 was already answered" });
      expect(await db.dataRequest.count({ where: { shopId: world.shopA.id } })).toBe(1);
      expect(await db.storedFile.count({ where: { shopId: world.shopA.id, kind: "DATA_EXPORT" } })).toBe(1);

      // A different request id is a new request.
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest({ dataRequestId: "9002" }), now: LATER });
      expect(await db.dataRequest.count({ where: { shopId: world.shopA.id } })).toBe(2);
    });

    it("marks a request FAILED when the export cannot be stored, and completes the same row on the retry", async () => {
      const { db } = current();
      const working = fileStore();
      const broken: FileStore = {
        put: () => Promise.reject(new FileStoreError("KEY_EXISTS", "disk says no")),
        read: (key) => working.read(key),
        get: (key) => working.get(key),
        exists: (key) => working.exists(key),
        delete: (key) => working.delete(key),
      };
      globalThis.__letterloopFileStore = broken;
      try {
        await expect(applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: NOW })).rejects.toThrow("disk says no");
      } finally {
        globalThis.__letterloopFileStore = working;
      }
      const failed = await db.dataRequest.findFirstOrThrow({ where: { shopId: world.shopA.id } });
      expect(failed).toMatchObject({ status: "FAILED", fileId: null });

      const retried = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: LATER });
      expect(retried.outcome).toBe("done");
      const rows = await db.dataRequest.findMany({ where: { shopId: world.shopA.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: failed.id, status: "READY", completedAt: LATER });
      expect(rows[0]!.fileId).not.toBeNull();
    });

    it("finds the customer by e-mail alone, in any case", async () => {
      const { db } = current();
      const result = await applyComplianceRequest(db, {
        shopDomain: world.shopA.domain,
        request: dataRequest({ shopifyCustomerId: null, email: " ALICE.smith@EXAMPLE.com ", dataRequestId: null }),
        now: NOW,
      });
      expect(result.outcome).toBe("done");
      const row = await db.dataRequest.findFirstOrThrow({ where: { shopId: world.shopA.id } });
      expect(row).toMatchObject({ customerId: world.alice.id, shopifyCustomerId: null, shopifyRequestId: null, status: "READY" });
      const { file, document } = await exportOf(row.fileId!);
      expect(file.filename).toBe(`customer-${world.alice.id}-data-export.json`);
      expect(document.customers.map((customer) => customer.id)).toEqual([world.alice.id]);
    });

    it("records a READY request saying nothing is held when no customer matches", async () => {
      const { db } = current();
      const result = await applyComplianceRequest(db, {
        shopDomain: world.shopA.domain,
        request: dataRequest({ shopifyCustomerId: "424242", email: "nobody@example.com", dataRequestId: "9100" }),
        now: NOW,
      });
      expect(result.outcome).toBe("no-customer");
      const row = await db.dataRequest.findFirstOrThrow({ where: { shopId: world.shopA.id } });
      expect(row).toMatchObject({ customerId: null, shopifyCustomerId: "424242", status: "READY", completedAt: NOW });
      const { document, text } = await exportOf(row.fileId!);
      expect(document).toMatchObject({ dataHeld: false, customers: [], orders: [], checkouts: [], summary: "LetterLoop holds no data about this customer for this shop." });
      expect(text).not.toContain("nobody@example.com");
    });

    it("answers no-shop for a shop it does not know, creating nothing", async () => {
      const { db } = current();
      const before = await db.dataRequest.count();
      expect(await applyComplianceRequest(db, { shopDomain: "unknown.myshopify.com", request: dataRequest(), now: NOW })).toEqual({ outcome: "no-shop" });
      expect(await db.dataRequest.count()).toBe(before);
    });

    it("lists the shop's requests with a signed link that downloads the export", async () => {
      const { db } = current();
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: NOW });
      expect(await listDataRequests({ shopId: world.shopB.id })).toEqual([]);

      const [item, ...rest] = await listDataRequests({ shopId: world.shopA.id });
      expect(rest).toEqual([]);
      expect(item).toMatchObject({ createdAt: NOW.toISOString(), shopifyCustomerId: ALICE_SHOPIFY_ID, status: "READY", exportErased: false });
      const url = new URL(item!.downloadUrl!, "http://127.0.0.1:3000");
      const response = await fileRoute({ request: new Request(url), params: { fileId: url.pathname.split("/")[2] }, context: {} });
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Disposition")).toContain("customer-1001-data-export.json");
      const body = JSON.parse(await response.text()) as { customers: Array<{ id: string }> };
      expect(body.customers[0]!.id).toBe(world.alice.id);
    });
  });

  describe("customers/redact", () => {
    it("removes the customer's personal data and files, keeps totals and the opt-out, and touches no one else", async () => {
      const { db } = current();
      // An export made earlier holds her data too.
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest(), now: NOW });
      const exportRow = await db.dataRequest.findFirstOrThrow({ where: { shopId: world.shopA.id } });
      const exportFile = await db.storedFile.findUniqueOrThrow({ where: { id: exportRow.fileId! } });

      const beforeA = await shopRows(db, world.shopA);
      const beforeB = await shopRows(db, world.shopB);
      const bobBefore = await customerRows(db, world.bob.id);
      const aliceBefore = await db.customer.findUniqueOrThrow({ where: { id: world.alice.id } });

      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ ordersToRedact: ["5001"] }), now: LATER });
      expect(result.outcome).toBe("done");

      const alice = await db.customer.findUniqueOrThrow({ where: { id: world.alice.id } });
      expect(alice).toMatchObject({
        email: null,
        emailNormalized: null,
        firstName: null,
        lastName: null,
        company: null,
        salutation: null,
        phone: null,
        addressName: null,
        addressLine1: null,
        addressLine2: null,
        postalCode: null,
        city: null,
        region: null,
        countryCode: null,
        searchText: "",
        redactedAt: LATER,
        // Kept: the hash and the opt-out, so she is never written to again; the statistics.
        emailHash: aliceBefore.emailHash,
        optedOut: true,
        optedOutAt: aliceBefore.optedOutAt,
        lifetimeValueMinor: 7485n,
        orderCount: 2,
      });
      expect(aliceBefore.emailHash).toMatch(/^[0-9a-f]{64}$/);
      expect(await db.customerIdentity.count({ where: { customerId: world.alice.id } })).toBe(0);
      expect(await db.optOutEvent.count({ where: { customerId: world.alice.id } })).toBe(1);

      // Checkouts (hers and the guest one under her e-mail) are gone with their items.
      expect(await db.checkout.count({ where: { id: { in: [world.aliceCheckout.id, world.guestCheckout.id] } } })).toBe(0);
      expect(await db.checkoutLineItem.count({ where: { checkoutId: { in: [world.aliceCheckout.id, world.guestCheckout.id] } } })).toBe(0);

      // Orders lose the e-mail and keep every amount.
      for (const order of [...world.aliceOrders, world.guestOrder]) {
        const after = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { lineItems: true } });
        expect(after.email).toBeNull();
        expect(after).toMatchObject({ totalMinor: order.totalMinor, totalShopMinor: order.totalShopMinor, shippingCountry: "DE", customerLocale: "de" });
        expect(after.lineItems).toHaveLength(order.lineItems.length);
      }

      // Letters: unsent ones cancelled with a reason, the mailed one keeps its status; no address, no PDF, no scans.
      const letters = await db.letter.findMany({ where: { customerId: world.alice.id }, include: { events: { orderBy: { at: "asc" } } }, orderBy: { createdAt: "asc" } });
      expect(Object.fromEntries(letters.map((letter) => [letter.id, letter.status]))).toEqual({
        [world.letters.aliceScheduled.id]: "CANCELLED",
        [world.letters.aliceRendered.id]: "CANCELLED",
        [world.letters.aliceMailed.id]: "MAILED",
      });
      for (const letter of letters) {
        expect(letter).toMatchObject({ recipientSnapshot: null, fileId: null, contentHash: null });
        if (letter.status === "CANCELLED") expect(letter.events.at(-1)).toMatchObject({ status: "CANCELLED", reason: "Customer data erased (customers/redact)", at: LATER });
      }
      expect(letters.find((letter) => letter.id === world.letters.aliceMailed.id)).toMatchObject({ scanCount: 2, costMinor: 145n, discountCode: "SPRING-7F3K" });
      expect(await db.qrScan.count({ where: { letterId: { in: letters.map((letter) => letter.id) } } })).toBe(0);

      // Her PDFs and the export: no rows, no bytes.
      for (const file of [world.files.aliceRenderedPdf, world.files.aliceMailedPdf, exportFile]) {
        expect(await db.storedFile.findUnique({ where: { id: file.id } })).toBeNull();
        expect(await fileStore().exists(file.key)).toBe(false);
      }
      expect(await db.dataRequest.findUniqueOrThrow({ where: { id: exportRow.id } })).toMatchObject({ status: "READY", fileId: null, shopifyCustomerId: null });
      const [listed] = await listDataRequests({ shopId: world.shopA.id });
      expect(listed).toMatchObject({ downloadUrl: null, exportErased: true });

      // Recorded deliveries about her are emptied; pending ones and everyone else's stay.
      const event = (id: string) => db.webhookEvent.findUniqueOrThrow({ where: { id } });
      expect((await event(world.events.aliceOrder.id)).payload).toBe('{"redacted":true}');
      expect((await event(world.events.aliceCustomer.id)).payload).toBe('{"redacted":true}');
      for (const untouched of [world.events.bobCustomer, world.events.pendingCheckout, world.events.shopRedact, world.events.otherShop]) {
        expect((await event(untouched.id)).payload).toBe(untouched.payload);
      }

      // Exactly these rows went; the cancellations added two status events.
      const afterA = await shopRows(db, world.shopA);
      const removedCheckoutItems = world.aliceCheckout.lineItems.length + world.guestCheckout.lineItems.length;
      expect(counts(afterA)).toEqual({
        ...counts(beforeA),
        customerIdentity: counts(beforeA).customerIdentity - 2,
        checkout: counts(beforeA).checkout - 2,
        checkoutLineItem: counts(beforeA).checkoutLineItem - removedCheckoutItems,
        qrScan: counts(beforeA).qrScan - 2,
        storedFile: counts(beforeA).storedFile - 3,
        letterStatusEvent: counts(beforeA).letterStatusEvent + 2,
      });
      // Nothing that names her is left in the shop's tables (a delivery not yet processed is the processor's).
      const settled = { ...afterA, webhookEvent: afterA.webhookEvent.filter((row) => row.status !== "RECEIVED") };
      expect(json(settled).toLowerCase()).not.toMatch(/alice|smith|lindenweg/);

      // Bob and shop B are exactly as they were, files included.
      expect(await customerRows(db, world.bob.id)).toBe(bobBefore);
      expect(json(await shopRows(db, world.shopB))).toBe(json(beforeB));
      expect((await readStoredFile({ shopId: world.shopA.id, fileId: world.files.bobPdf.id })).bytes.byteLength).toBe(world.files.bobPdf.byteSize);
      expect((await readStoredFile({ shopId: world.shopB.id, fileId: world.files.carolPdf.id })).bytes.byteLength).toBe(world.files.carolPdf.byteSize);
    });

    it("finds the customer by e-mail alone", async () => {
      const { db } = current();
      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ shopifyCustomerId: null, email: "ALICE.SMITH@example.com" }), now: LATER });
      expect(result.outcome).toBe("done");
      expect(await db.customer.findUniqueOrThrow({ where: { id: world.alice.id } })).toMatchObject({ email: null, firstName: null, redactedAt: LATER });
      expect(await db.customerIdentity.count({ where: { customerId: world.alice.id } })).toBe(0);
      expect(await db.customer.findUniqueOrThrow({ where: { id: world.carol.id } })).toMatchObject({ email: ALICE_EMAIL, redactedAt: null });
    });

    it("finds the customer by Shopify id alone, and also clears the customer's own e-mail from orders", async () => {
      const { db } = current();
      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ email: null }), now: LATER });
      expect(result.outcome).toBe("done");
      expect(await db.customer.findUniqueOrThrow({ where: { id: world.alice.id } })).toMatchObject({ email: null, redactedAt: LATER });
      // The guest order carries her e-mail as stored on her record, so it is found too.
      expect(await db.order.findUniqueOrThrow({ where: { id: world.guestOrder.id } })).toMatchObject({ email: null });
      expect(await db.order.findUniqueOrThrow({ where: { id: world.bobOrder.id } })).toMatchObject({ email: "bob@example.com" });
    });

    it("is a no-op the second time, by e-mail hash or by an id that is gone", async () => {
      const { db } = current();
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact(), now: LATER });
      const afterFirst = json(await shopRows(db, world.shopA));

      // The hash still finds her: done, nothing changes (not even updatedAt).
      const again = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact(), now: new Date("2025-07-01T00:00:00Z") });
      expect(again.outcome).toBe("done");
      expect(json(await shopRows(db, world.shopA))).toBe(afterFirst);

      // Her Shopify identity is gone, so by id alone there is no one left to find.
      const byId = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ email: null }), now: new Date("2025-07-02T00:00:00Z") });
      expect(byId.outcome).toBe("no-customer");
      expect(json(await shopRows(db, world.shopA))).toBe(afterFirst);
    });

    it("keeps an e-mail hash, computing it for a customer that had none", async () => {
      const { db } = current();
      const dana = await createCustomer(db, { shopId: world.shopA.id, shopifyCustomerId: "1003", email: "Dana@Example.com", emailHash: null });
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ shopifyCustomerId: "1003", email: null }), now: LATER });
      expect(await db.customer.findUniqueOrThrow({ where: { id: dana.id } })).toMatchObject({
        email: null,
        emailNormalized: null,
        emailHash: emailHashFor(world.shopA.emailHashSalt, "dana@example.com"),
      });
    });

    it("deletes an export made for the same Shopify customer when no record matched then", async () => {
      const { db } = current();
      await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: dataRequest({ shopifyCustomerId: "424242", email: null }), now: NOW });
      const request = await db.dataRequest.findFirstOrThrow({ where: { shopId: world.shopA.id } });
      const file = await db.storedFile.findUniqueOrThrow({ where: { id: request.fileId! } });

      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ shopifyCustomerId: "424242", email: null }), now: LATER });
      expect(result.outcome).toBe("no-customer");
      expect(await db.storedFile.findUnique({ where: { id: file.id } })).toBeNull();
      expect(await fileStore().exists(file.key)).toBe(false);
      expect(await db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ fileId: null, shopifyCustomerId: null, status: "READY" });
    });

    it("anonymises listed orders even when no customer is named", async () => {
      const { db } = current();
      const before = await shopRows(db, world.shopA);
      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: redact({ shopifyCustomerId: null, email: null, ordersToRedact: ["5001"] }), now: LATER });
      expect(result.outcome).toBe("no-customer");
      expect(await db.order.findUniqueOrThrow({ where: { id: world.guestOrder.id } })).toMatchObject({ email: null, totalMinor: world.guestOrder.totalMinor });
      const after = await shopRows(db, world.shopA);
      expect(counts(after)).toEqual(counts(before));
      expect(json(after.customer)).toBe(json(before.customer));
      // Shop B's order with the same Shopify id is another shop's.
      expect(await db.order.findFirstOrThrow({ where: { shopId: world.shopB.id, sourceId: "5001" } })).toMatchObject({ email: ALICE_EMAIL });
    });

    it("answers no-shop for a shop it does not know", async () => {
      const { db } = current();
      expect(await applyComplianceRequest(db, { shopDomain: "unknown.myshopify.com", request: redact(), now: LATER })).toEqual({ outcome: "no-shop" });
    });
  });

  describe("shop/redact", () => {
    it("erases the shop's rows, files, sessions, jobs and deliveries, and nothing of another shop", async () => {
      const { db } = current();
      const filesA = await db.storedFile.findMany({ where: { shopId: world.shopA.id } });
      expect(filesA).toHaveLength(3);
      const beforeB = json(await shopRows(db, world.shopB));

      const result = await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: { kind: "shop-redact" }, now: LATER });
      expect(result.outcome).toBe("done");

      const afterA = counts(await shopRows(db, world.shopA));
      // Only the shop/redact delivery itself stays: it holds no personal data and is still being processed.
      expect(afterA).toEqual(Object.fromEntries(Object.keys(afterA).map((table) => [table, table === "webhookEvent" ? 1 : 0])));
      expect((await db.webhookEvent.findFirstOrThrow({ where: { shopDomain: world.shopA.domain } })).id).toBe(world.events.shopRedact.id);
      for (const file of filesA) expect(await fileStore().exists(file.key)).toBe(false);

      expect(json(await shopRows(db, world.shopB))).toBe(beforeB);
      expect((await readStoredFile({ shopId: world.shopB.id, fileId: world.files.carolPdf.id })).bytes.byteLength).toBe(world.files.carolPdf.byteSize);

      // A repeated delivery finds nothing left.
      expect(await applyComplianceRequest(db, { shopDomain: world.shopA.domain, request: { kind: "shop-redact" }, now: LATER })).toMatchObject({ outcome: "no-shop" });
    });

    it("removes sessions and deliveries of a domain that never got a shop row", async () => {
      const { db } = current();
      const domain = `never-opened-${randomBytes(3).toString("hex")}.myshopify.com`;
      await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "s", accessToken: "t" } });
      await db.webhookEvent.create({ data: { shopDomain: domain, topic: "APP_UNINSTALLED", webhookId: "w1", payload: "{}", status: "PROCESSED" } });
      const result = await applyComplianceRequest(db, { shopDomain: domain, request: { kind: "shop-redact" }, now: LATER });
      expect(result.outcome).toBe("no-shop");
      expect(await db.session.count({ where: { shop: domain } })).toBe(0);
      expect(await db.webhookEvent.count({ where: { shopDomain: domain } })).toBe(0);
    });
  });

  describe("app/uninstalled", () => {
    it("cancels unsent letters, removes sessions and queued jobs, and leaves sent letters and other shops alone", async () => {
      const { db } = current();
      const beforeA = await shopRows(db, world.shopA);
      const beforeB = json(await shopRows(db, world.shopB));

      const result = await stopShopActivity(db, { shopDomain: world.shopA.domain, now: LATER });
      expect(result).toEqual({ cancelledLetters: 3, cancelledJobs: 2 });

      for (const letter of [world.letters.aliceScheduled, world.letters.aliceRendered, world.letters.bobScheduled]) {
        const after = await db.letter.findUniqueOrThrow({ where: { id: letter.id }, include: { events: { orderBy: { at: "asc" } } } });
        expect(after.status).toBe("CANCELLED");
        expect(after.events.at(-1)).toMatchObject({ status: "CANCELLED", reason: "The app was uninstalled", actor: "system", at: LATER });
        // Only the status changes: the letter's data stays until shop/redact.
        expect(after.recipientSnapshot).toBe(letter.recipientSnapshot);
      }
      for (const letter of [world.letters.aliceMailed, world.letters.bobMailed, world.letters.bobSubmitted]) {
        expect(json(await db.letter.findUniqueOrThrow({ where: { id: letter.id } }))).toBe(json(beforeA.letter.find((row) => row.id === letter.id)));
      }

      const afterA = await shopRows(db, world.shopA);
      expect(afterA.shop[0]!.uninstalledAt).toEqual(LATER);
      expect(afterA.session).toEqual([]);
      expect(afterA.job.map((job) => job.status).sort()).toEqual(["RUNNING", "SUCCEEDED"]);
      expect(counts(afterA)).toEqual({ ...counts(beforeA), session: 0, job: 2, letterStatusEvent: counts(beforeA).letterStatusEvent + 3 });
      expect(json(await shopRows(db, world.shopB))).toBe(beforeB);

      // Again: nothing left to stop, and the first uninstall time stays.
      expect(await stopShopActivity(db, { shopDomain: world.shopA.domain, now: new Date("2025-06-03T00:00:00Z") })).toEqual({ cancelledLetters: 0, cancelledJobs: 0 });
      expect((await db.shop.findUniqueOrThrow({ where: { id: world.shopA.id } })).uninstalledAt).toEqual(LATER);
    });

    it("removes the sessions of a domain without a shop row", async () => {
      const { db } = current();
      const domain = `no-row-${randomBytes(3).toString("hex")}.myshopify.com`;
      await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "s", accessToken: "t" } });
      expect(await stopShopActivity(db, { shopDomain: domain, now: LATER })).toEqual({ cancelledLetters: 0, cancelledJobs: 0 });
      expect(await db.session.count({ where: { shop: domain } })).toBe(0);
    });
  });
});
