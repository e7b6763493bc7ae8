import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { action as profileAction, loader as profileLoader } from "../../app/routes/app.customers.$customerId";
import { loader as orderItemsLoader } from "../../app/routes/app.customers.$customerId_.orders.$orderId";
import { loader as listLoader } from "../../app/routes/app.customers._index";
import { loader as fileLoader } from "../../app/routes/files.$fileId";
import { storeFile } from "../../app/services/stored-files.server";
import { adminRequest, createOfflineSession, outcome } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createCheckout, createCustomer, createLetter, createOrder, createShop } from "../support/factories";

/**
 * The customer list and profile through their real loaders and actions, signed like requests
 * from the embedded admin (B1–B7, E2, E4): what a merchant sees and can do, on both databases.
 */

const DAY = 86_400_000;
const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY);
const PDF = Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(2048), Buffer.from("\n%%EOF\n")]);

type ListData = Awaited<ReturnType<typeof listLoader>>;
type ProfileData = Awaited<ReturnType<typeof profileLoader>>;

describeEachDatabase("customer screens", (current) => {
  const domain = `screens-${randomBytes(3).toString("hex")}.myshopify.com`;
  const otherDomain = `screens-other-${randomBytes(3).toString("hex")}.myshopify.com`;
  let shopId: string;
  let storeDir: string;
  const ids = {} as Record<
    | "regular"
    | "oldestOrder"
    | "threeItemOrder"
    | "sentLetter"
    | "fileId"
    | "billbee"
    | "both"
    | "redacted"
    | "cyrillic"
    | "umlaut"
    | "percent"
    | "never"
    | "foreign"
    | "foreignOrder"
    | "foreignLetter",
    string
  >;

  const list = async (query = "") =>
    (await listLoader({ request: adminRequest(`/app/customers${query}`, domain), params: {}, context: {} })) as ListData;
  const profile = async (customerId: string, query = "", shop = domain) =>
    (await profileLoader({ request: adminRequest(`/app/customers/${customerId}${query}`, shop), params: { customerId }, context: {} })) as ProfileData;
  const act = (customerId: string, form: Record<string, string>, shop = domain) =>
    profileAction({ request: adminRequest(`/app/customers/${customerId}`, shop, { form }), params: { customerId }, context: {} });
  const namesOf = (data: ListData) => data.customers.map((customer) => customer.name);

  beforeAll(async () => {
    const { db } = current();
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-screens-"));
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
    await createOfflineSession(db, domain);
    await createOfflineSession(db, otherDomain);
    const shop = await createShop(db, { domain, currency: "EUR", attributionWindowDays: 30, contactCapLetters: 1, contactCapDays: 30 });
    shopId = shop.id;
    const other = await createShop(db, { domain: otherDomain });

    // 25 orders, one a day, the newest yesterday; the 3rd newest has three items.
    const regular = await createCustomer(db, { shopId, firstName: "Greta", lastName: "Regular", email: "greta@example.com", lifetimeValueMinor: 62_375n, orderCount: 25, lastOrderAt: daysAgo(1) });
    ids.regular = regular.id;
    for (let index = 0; index < 25; index += 1) {
      const order = await createOrder(db, { shopId, customerId: regular.id, number: `#${2000 + index}`, placedAt: daysAgo(25 - index), lineItems: index === 22 ? 3 : 1 });
      if (index === 0) ids.oldestOrder = order.id;
      if (index === 22) ids.threeItemOrder = order.id;
    }
    // An abandoned checkout between the 5th and 6th newest orders, and an old recovered one.
    await createCheckout(db, { shopId, customerId: regular.id, sourceCreatedAt: daysAgo(5.5), abandonedAt: daysAgo(5.4), lineItems: 2 });
    const recoveredBy = await db.order.findFirstOrThrow({ where: { shopId, number: "#2002" } });
    await createCheckout(db, {
      shopId,
      customerId: regular.id,
      sourceCreatedAt: daysAgo(23.5),
      abandonedAt: daysAgo(23.4),
      recoveredAt: daysAgo(23),
      recoveredByOrderId: recoveredBy.id,
      recoveryKind: "CHECKOUT_COMPLETED",
    });
    // A letter 4.5 days ago (next order 3.5 days later, inside the window) with a stored PDF,
    // an older one whose next order came after it, and a scheduled one.
    const file = await storeFile({ shopId, kind: "LETTER_PDF", filename: "letter.pdf", contentType: "application/pdf", bytes: PDF });
    const campaign = await db.campaign.create({ data: { shopId, name: "Spring letter" } });
    const sent = await createLetter(db, {
      shopId,
      customerId: regular.id,
      campaignId: campaign.id,
      status: "DELIVERED",
      createdAt: daysAgo(5),
      submittedAt: daysAgo(4.5),
      mailedAt: daysAgo(4),
      deliveredAt: daysAgo(2),
      fileId: file.id,
      firstScanAt: daysAgo(3),
      scanCount: 2,
    });
    ids.sentLetter = sent.id;
    ids.fileId = file.id;
    await createLetter(db, { shopId, customerId: regular.id, status: "SCHEDULED", scheduledFor: new Date(NOW + 2 * DAY), createdAt: daysAgo(0.5) });

    const billbee = await createCustomer(db, { shopId, firstName: "Bruno", lastName: "Billbee", email: "bruno@example.com", shopifyCustomerId: null, lifetimeValueMinor: 5000n, orderCount: 1 });
    await db.customerIdentity.create({ data: { shopId, customerId: billbee.id, source: "BILLBEE", sourceId: "BB-1" } });
    await createOrder(db, { shopId, customerId: billbee.id, source: "BILLBEE", number: "BB-100", placedAt: daysAgo(40) });
    ids.billbee = billbee.id;

    const both = await createCustomer(db, { shopId, firstName: "Dora", lastName: "Doppel", email: "dora@example.com", lifetimeValueMinor: 9000n, orderCount: 2 });
    await db.customerIdentity.create({ data: { shopId, customerId: both.id, source: "BILLBEE", sourceId: "BB-2" } });
    ids.both = both.id;

    const redacted = await createCustomer(db, {
      shopId,
      firstName: null,
      lastName: null,
      email: null,
      addressName: null,
      addressLine1: null,
      postalCode: null,
      city: null,
      countryCode: null,
      phone: null,
      searchText: "",
      redactedAt: daysAgo(10),
      optedOut: true,
      optedOutAt: daysAgo(10),
    });
    await createOrder(db, { shopId, customerId: redacted.id, number: "#3000", placedAt: daysAgo(60) });
    ids.redacted = redacted.id;

    ids.cyrillic = (await createCustomer(db, { shopId, firstName: "Дмитрий", lastName: "Жуков", email: "zhukov@example.com", lifetimeValueMinor: 100n, orderCount: 1 })).id;
    ids.umlaut = (await createCustomer(db, { shopId, firstName: "Jörg", lastName: "Müller", email: "j.mueller@example.com", lifetimeValueMinor: 200n, orderCount: 1, openAbandonedCheckouts: 1, lastLetterAt: daysAgo(3), letterCount: 1 })).id;
    ids.percent = (await createCustomer(db, { shopId, firstName: "Rabatt", lastName: "50%", email: "fifty@example.com" })).id;
    ids.never = (await createCustomer(db, { shopId, firstName: "Nora", lastName: "Never", email: "nora@example.com", lastLetterAt: daysAgo(100), letterCount: 1 })).id;

    // Another shop's customer, order and letter with a file: never reachable from this shop.
    const foreign = await createCustomer(db, { shopId: other.id, firstName: "Fremd", lastName: "Müller", email: "fremd@example.com" });
    ids.foreign = foreign.id;
    ids.foreignOrder = (await createOrder(db, { shopId: other.id, customerId: foreign.id })).id;
    const foreignFile = await storeFile({ shopId: other.id, kind: "LETTER_PDF", filename: "x.pdf", contentType: "application/pdf", bytes: PDF });
    ids.foreignLetter = (await createLetter(db, { shopId: other.id, customerId: foreign.id, status: "MAILED", submittedAt: daysAgo(1), fileId: foreignFile.id })).id;
  });

  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
  });

  describe("list", () => {
    it("lists only this shop's customers, highest lifetime value first, with totals for the KPI cards", async () => {
      const data = await list();
      expect(data.customers.map((customer) => customer.id)).not.toContain(ids.foreign);
      expect(data.customers[0]!.id).toBe(ids.regular);
      expect(data.totals.customers).toBe(8);
      expect(data.totals.revenueMinor).toBe(62_375 + 5000 + 9000 + 100 + 200);
      // Average over the five customers who ordered.
      expect(data.totals.averageLifetimeValueMinor).toBe(Math.round((62_375 + 5000 + 9000 + 100 + 200) / 5));
      expect(data.totals.lettersSent).toBe(2);
    });

    it("searches case-insensitively beyond ASCII, and takes % literally", async () => {
      expect(namesOf(await list("?q=жуков"))).toEqual(["Дмитрий Жуков"]);
      expect(namesOf(await list("?q=ЖУКОВ"))).toEqual(["Дмитрий Жуков"]);
      expect(namesOf(await list("?q=MÜLLER"))).toEqual(["Jörg Müller"]);
      // A decomposed ü (as some keyboards send it) finds the stored one.
      expect(namesOf(await list(`?q=${encodeURIComponent("mu\u0308ller")}`))).toEqual(["Jörg Müller"]);
      expect(namesOf(await list("?q=muller"))).toEqual([]);
      expect(namesOf(await list("?q=GRETA%40EXAMPLE"))).toEqual(["Greta Regular"]);
      expect(namesOf(await list(`?q=${encodeURIComponent("50%")}`))).toEqual(["Rabatt 50%"]);
      expect(namesOf(await list(`?q=${encodeURIComponent("%")}`))).toEqual(["Rabatt 50%"]);
      expect((await list("?q=%20%20")).totals.customers).toBe(8);
    });

    it("filters by source, open abandoned checkout, opt-out and recent letters", async () => {
      expect(new Set((await list("?source=BILLBEE")).customers.map((customer) => customer.id))).toEqual(new Set([ids.billbee, ids.both]));
      expect((await list("?abandoned=1")).customers.map((customer) => customer.id)).toEqual([ids.umlaut]);
      expect((await list("?optedOut=1")).customers.map((customer) => customer.id)).toEqual([ids.redacted]);
      expect((await list("?writtenWithinDays=30")).customers.map((customer) => customer.id)).toEqual([ids.umlaut]);
      expect((await list("?writtenWithinDays=365")).customers.map((customer) => customer.id)).toEqual([ids.umlaut, ids.never]);
      const combined = await list("?source=SHOPIFY&q=example.com&writtenWithinDays=365");
      expect(combined.customers.map((customer) => customer.id)).toEqual([ids.umlaut, ids.never]);
      expect(combined.totals.customers).toBe(2);
    });

    it("sorts by each column in both directions, customers without a value last", async () => {
      expect((await list("?sort=orders&direction=desc")).customers[0]!.id).toBe(ids.regular);
      const lastLetter = await list("?sort=lastLetter&direction=desc");
      expect(lastLetter.customers.slice(0, 2).map((customer) => customer.id)).toEqual([ids.umlaut, ids.never]);
      expect(lastLetter.customers.at(-1)!.lastLetterAt).toBeNull();
      const ascending = await list("?sort=lastLetter&direction=asc");
      expect(ascending.customers.slice(0, 2).map((customer) => customer.id)).toEqual([ids.never, ids.umlaut]);
      expect(ascending.customers.at(-1)!.lastLetterAt).toBeNull();
      const ltvAscending = await list("?sort=ltv&direction=asc");
      expect(ltvAscending.customers.at(-1)!.id).toBe(ids.regular);
      const lastOrder = await list("?sort=lastOrder");
      expect(lastOrder.customers[0]!.id).toBe(ids.regular);
    });

    it("marks sources, QR scans and anonymised customers in the rows", async () => {
      const rows = new Map((await list()).customers.map((customer) => [customer.id, customer]));
      expect(rows.get(ids.both)!.sources).toEqual(["SHOPIFY", "BILLBEE"]);
      expect(rows.get(ids.billbee)!.sources).toEqual(["BILLBEE"]);
      expect(rows.get(ids.redacted)).toMatchObject({ name: null, email: null, redacted: true, optedOut: true });
    });

    it("pages through the list in stable order", async () => {
      const { db } = current();
      const pagingShop = await createShop(db, { domain: `paging-${randomBytes(3).toString("hex")}.myshopify.com` });
      await createOfflineSession(db, pagingShop.domain);
      for (let index = 0; index < 120; index += 1) {
        await db.customer.create({ data: { shopId: pagingShop.id, firstName: `P${index}`, searchText: `p${index}`, lifetimeValueMinor: BigInt(index % 7) } });
      }
      const seen: string[] = [];
      for (let page = 0; page < 3; page += 1) {
        const data = (await listLoader({ request: adminRequest(`/app/customers?page=${page}`, pagingShop.domain), params: {}, context: {} })) as ListData;
        expect(data.totals.customers).toBe(120);
        seen.push(...data.customers.map((customer) => customer.id));
      }
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
    });

    it("refuses malformed parameters with 400 and a reason", async () => {
      for (const query of ["?sort=email", "?writtenWithinDays=-3", "?writtenWithinDays=0", "?source=EBAY", "?page=abc", "?abandoned=yes", `?q=${"x".repeat(201)}`]) {
        const result = await outcome(list(query));
        expect(result, query).toBeInstanceOf(Response);
        const response = result as Response;
        expect(response.status, query).toBe(400);
        const body = (await response.json()) as { message: string };
        expect(body.message, query).toMatch(/^Invalid customer list parameters: \w+/);
      }
    });
  });

  describe("profile", () => {
    it("shows the 10 latest orders with their items and checkouts in between, all 25 on expand", async () => {
      const { profile: data } = await profile(ids.regular);
      expect(data.orders.total).toBe(25);
      expect(data.orders.showingAll).toBe(false);
      const orders = data.orders.timeline.filter((entry) => entry.kind === "order");
      expect(orders.map((entry) => entry.order.number)).toEqual(Array.from({ length: 10 }, (_, index) => `#${2024 - index}`));
      expect(orders[2]!.order.items).toHaveLength(3);
      expect(orders[0]!.order).toMatchObject({ totalMinor: 2495, currency: "EUR", status: "FULFILLED" });
      expect(orders[0]!.order.items![0]).toEqual({ title: "Product 1", variantTitle: null, sku: "SKU-1", quantity: 1, unitPriceMinor: 2495, totalMinor: 2495 });
      // The recent abandoned checkout sits between #2020 and #2019; the old recovered one waits for "show all".
      const kinds = data.orders.timeline.map((entry) => (entry.kind === "order" ? entry.order.number : "checkout"));
      expect(kinds.slice(4, 7)).toEqual(["#2020", "checkout", "#2019"]);
      expect(kinds.filter((kind) => kind === "checkout")).toHaveLength(1);
      const checkout = data.orders.timeline.find((entry) => entry.kind === "checkout")!;
      expect(checkout.kind === "checkout" && checkout.checkout).toMatchObject({ recoveredAt: null, valueMinor: 3980, currency: "EUR" });
      expect(checkout.kind === "checkout" && checkout.checkout.items).toHaveLength(2);

      const { profile: all } = await profile(ids.regular, "?orders=all");
      expect(all.orders.showingAll).toBe(true);
      const allOrders = all.orders.timeline.filter((entry) => entry.kind === "order");
      expect(allOrders).toHaveLength(25);
      expect(allOrders.at(-1)!.order.number).toBe("#2000");
      // Items of the long list load on demand.
      expect(allOrders[0]!.order.items).toBeNull();
      const recovered = all.orders.timeline.filter((entry) => entry.kind === "checkout" && entry.checkout.recoveredAt !== null);
      expect(recovered).toHaveLength(1);
      expect(recovered[0]!.kind === "checkout" && recovered[0]!.checkout).toMatchObject({ recoveryKind: "CHECKOUT_COMPLETED", recoveredByOrder: { number: "#2002" } });
    });

    it("loads an order's items when opened, and only for this shop's customer", async () => {
      const response = (await orderItemsLoader({
        request: adminRequest(`/app/customers/${ids.regular}/orders/${ids.threeItemOrder}`, domain),
        params: { customerId: ids.regular, orderId: ids.threeItemOrder },
        context: {},
      })) as Response;
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const items = (await response.json()) as { items: Array<{ title: string }> };
      expect(items.items.map((item) => item.title)).toEqual(["Product 1", "Product 2", "Product 3"]);
      for (const params of [
        { customerId: ids.foreign, orderId: ids.foreignOrder },
        { customerId: ids.regular, orderId: ids.foreignOrder },
        { customerId: ids.billbee, orderId: ids.threeItemOrder },
      ]) {
        const result = await outcome(
          orderItemsLoader({ request: adminRequest(`/app/customers/${params.customerId}/orders/${params.orderId}`, domain), params, context: {} }),
        );
        expect((result as Response).status).toBe(404);
      }
    });

    it("shows each letter with its campaign, dates, scans and the next order inside the attribution window", async () => {
      const { profile: data } = await profile(ids.regular);
      expect(data.letters).toHaveLength(2);
      const [scheduled, sent] = data.letters;
      expect(scheduled).toMatchObject({ status: "SCHEDULED", sentAt: null, nextOrder: null, hasPdf: false });
      expect(sent).toMatchObject({
        id: ids.sentLetter,
        campaign: { name: "Spring letter" },
        status: "DELIVERED",
        hasPdf: true,
        scanCount: 2,
        firstScanAt: daysAgo(3).toISOString(),
      });
      // Sent 4.5 days ago; the next order was 4 days ago: 0 whole days later, inside 30 days.
      expect(sent!.nextOrder).toMatchObject({ number: "#2021", daysAfter: 0, withinAttributionWindow: true });
      expect(data.contactGuard).toMatchObject({ lastWrittenAt: daysAgo(4.5).toISOString(), daysSinceLastLetter: 4, capReached: true });
      expect(data.contactGuard.nextContactAllowedAt).toBe(new Date(daysAgo(4.5).getTime() + 30 * DAY).toISOString());
    });

    it("opens a letter's stored PDF through a short-lived signed link, exactly as stored", async () => {
      const result = (await act(ids.regular, { intent: "letter-pdf", letterId: ids.sentLetter })) as { pdfUrl: string };
      expect(result.pdfUrl).toMatch(new RegExp(`^/files/${ids.fileId}\\?`));
      const url = new URL(result.pdfUrl, "http://127.0.0.1:3000");
      const response = await fileLoader({ request: new Request(url), params: { fileId: ids.fileId }, context: {} });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
      const expires = Number(url.searchParams.get("expires"));
      expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    });

    it("answers 404 for another shop's customer or letter, and for a letter without a PDF", async () => {
      expect(((await outcome(profile(ids.foreign))) as Response).status).toBe(404);
      expect(((await outcome(profile("cnotacustomer000000000000"))) as Response).status).toBe(404);
      expect(((await outcome(act(ids.regular, { intent: "letter-pdf", letterId: ids.foreignLetter }))) as Response).status).toBe(404);
      const scheduled = (await profile(ids.regular)).profile.letters.find((letter) => letter.status === "SCHEDULED")!;
      expect(((await outcome(act(ids.regular, { intent: "letter-pdf", letterId: scheduled.id }))) as Response).status).toBe(404);
      expect(((await outcome(act(ids.foreign, { intent: "opt-out", reason: "x" }))) as Response).status).toBe(404);
    });

    it("shows a Billbee customer without a checkout section and says why", async () => {
      const { profile: data } = await profile(ids.billbee);
      expect(data.sources).toEqual(["BILLBEE"]);
      expect(data.hasCheckoutData).toBe(false);
      expect(data.sourcesWithoutCheckouts).toEqual(["BILLBEE"]);
      expect(data.orders.timeline.map((entry) => entry.kind)).toEqual(["order"]);
      expect(data.orders.timeline[0]!.kind === "order" && data.orders.timeline[0]!.order.source).toBe("BILLBEE");
    });

    it("shows one profile with two source badges for a customer found in Shopify and Billbee", async () => {
      const { profile: data } = await profile(ids.both);
      expect(data.sources).toEqual(["SHOPIFY", "BILLBEE"]);
      expect(data.hasCheckoutData).toBe(true);
      expect(data.sourcesWithoutCheckouts).toEqual(["BILLBEE"]);
    });

    it("shows a redacted customer as an anonymised placeholder without personal data", async () => {
      const data = await profile(ids.redacted);
      expect(data.profile).toMatchObject({ redacted: true, name: null, email: null, address: null });
      expect(JSON.stringify(data)).not.toMatch(/Musterstraße|Erika|@example\.com|10115/);
      expect(data.profile.orders.timeline).toHaveLength(1);
    });

    it("shows an empty history for a customer without orders or letters", async () => {
      const { profile: data } = await profile(ids.percent);
      expect(data.orders).toEqual({ total: 0, showingAll: true, timeline: [] });
      expect(data.letters).toEqual([]);
      expect(data.contactGuard).toMatchObject({ lastWrittenAt: null, capReached: false });
    });
  });

  describe("opt-out", () => {
    it("stops letters with a reason, allows them again, and logs both", async () => {
      const { db } = current();
      const first = await act(ids.cyrillic, { intent: "opt-out", reason: "  Asked by phone  " });
      expect(first).toMatchObject({ ok: true, intent: "opt-out" });
      let data = (await profile(ids.cyrillic)).profile;
      expect(data.optOut).toMatchObject({ optedOut: true, reason: "Asked by phone" });
      expect(data.optOut.at).not.toBeNull();
      // Submitted twice: nothing changes, nothing more is logged.
      await act(ids.cyrillic, { intent: "opt-out", reason: "again" });
      const again = (await profile(ids.cyrillic)).profile;
      expect(again.optOut).toMatchObject({ optedOut: true, reason: "Asked by phone", at: data.optOut.at });
      expect(again.optOut.log).toHaveLength(1);
      expect((await list("?optedOut=1")).customers.map((customer) => customer.id)).toContain(ids.cyrillic);

      await act(ids.cyrillic, { intent: "opt-in", reason: "" });
      data = (await profile(ids.cyrillic)).profile;
      expect(data.optOut).toMatchObject({ optedOut: false, at: null, reason: null });
      expect(data.optOut.log.map((event) => [event.optedOut, event.reason, event.actor])).toEqual([
        [false, null, "merchant"],
        [true, "Asked by phone", "merchant"],
      ]);
      expect(await db.optOutEvent.count({ where: { customerId: ids.cyrillic } })).toBe(2);
    });

    it("refuses an overlong reason and an unknown intent, changing nothing", async () => {
      const { db } = current();
      const tooLong = (await outcome(act(ids.never, { intent: "opt-out", reason: "x".repeat(501) }))) as Response;
      expect(tooLong.status).toBe(422);
      expect(await tooLong.json()).toMatchObject({ fieldErrors: { reason: [expect.stringMatching(/500/)] } });
      const unknown = (await outcome(act(ids.never, { intent: "delete" }))) as Response;
      expect(unknown.status).toBe(400);
      const customer = await db.customer.findUniqueOrThrow({ where: { id: ids.never } });
      expect(customer.optedOut).toBe(false);
      expect(await db.optOutEvent.count({ where: { customerId: ids.never } })).toBe(0);
    });
  });
});
