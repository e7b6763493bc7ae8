import { describe, expect, it } from "vitest";
import { buildSearchText, ERASED_PERSONAL_DETAILS } from "../core/customer-identity";
import { measureLetterEffect } from "../core/customer-profile";
import { computeCustomerStats } from "../core/customer-stats";
import { buildDemoData, fillMergeFields } from "./seed-demo.server";

const NOW = new Date("2026-11-25T00:00:00Z");
const data = buildDemoData(NOW);
const DAY = 24 * 60 * 60 * 1000;
const ordersOf = (customerId: string) => data.orders.filter((order) => order.customerId === customerId);
const customerOf = (customerId: string) => data.customers.find((customer) => customer.id === customerId)!;
const sourcesOf = (customerId: string) => data.identities.filter((identity) => identity.customerId === customerId).map((identity) => identity.source).sort();

describe("demo data", () => {
  it("is the same on every run", () => {
    const again = buildDemoData(NOW);
    expect(again.customers.map((c) => [c.id, c.email, c.lifetimeValueMinor])).toEqual(
      data.customers.map((c) => [c.id, c.email, c.lifetimeValueMinor]),
    );
    expect(again.letters.map((l) => [l.id, l.qrToken, l.status])).toEqual(data.letters.map((l) => [l.id, l.qrToken, l.status]));
  });

  it("has the promised size and variety", () => {
    expect(data.customers.length).toBeGreaterThanOrEqual(300);
    expect(data.orders.length).toBeGreaterThanOrEqual(1_500);
    const statuses = new Set(data.letters.map((letter) => letter.status));
    expect([...statuses].sort()).toEqual(["CANCELLED", "DELIVERED", "FAILED", "MAILED", "PRINTED", "RENDERED", "RETURNED", "SCHEDULED", "SUBMITTED"]);
    expect(new Set(data.identities.map((identity) => identity.source))).toEqual(new Set(["SHOPIFY", "BILLBEE", "CSV"]));
    expect(data.customers.some((customer) => customer.lastName === "Жуков")).toBe(true);
    expect(data.customers.filter((customer) => customer.redactedAt)).toHaveLength(1);
    expect(new Set(data.checkouts.map((checkout) => checkout.recoveryKind).filter(Boolean))).toEqual(
      new Set(["CHECKOUT_COMPLETED", "SAME_CUSTOMER_ORDER"]),
    );
  });

  it("has a customer with 2,000 orders over several years, abandoned checkouts and scanned letters", () => {
    const heavy = customerOf(data.showcase.heavyCustomerId);
    expect(data.heavyCustomerId).toBe(heavy.id);
    const orders = ordersOf(heavy.id);
    expect(orders).toHaveLength(2_000);
    expect(orders.at(-1)!.placedAt.getTime() - orders[0]!.placedAt.getTime()).toBeGreaterThan(4 * 365 * DAY);
    expect(new Set(orders.map((order) => order.source))).toEqual(new Set(["SHOPIFY", "BILLBEE"]));
    const withLines = new Set(data.lineItems.map((item) => item.orderId));
    expect(orders.every((order) => withLines.has(order.id))).toBe(true);
    expect(orders.filter((order) => order.cancelledAt).length).toBeGreaterThan(0);
    expect(orders.filter((order) => !order.cancelledAt && BigInt(order.refundedMinor ?? 0) > 0n).length).toBeGreaterThan(0);

    const abandoned = data.checkouts.filter((checkout) => checkout.customerId === heavy.id && checkout.abandonedAt);
    expect(abandoned.length).toBeGreaterThanOrEqual(2);
    expect(abandoned.filter((checkout) => checkout.recoveredAt).length).toBeGreaterThanOrEqual(1);
    expect(heavy.openAbandonedCheckouts).toBeGreaterThanOrEqual(1);

    const letters = data.letters.filter((letter) => letter.customerId === heavy.id);
    expect(letters.length).toBeGreaterThanOrEqual(3);
    const attributedAndScanned = letters.filter((letter) => {
      if (!letter.scanCount) return false;
      const sentAt = letter.submittedAt ? new Date(letter.submittedAt) : null;
      const next = orders.find((order) => order.cancelledAt === null && sentAt !== null && order.placedAt > sentAt) ?? null;
      const effect = measureLetterEffect({
        letter: { status: letter.status, createdAt: letter.createdAt, submittedAt: sentAt },
        nextOrder: next && { id: next.id, number: next.number!, placedAt: next.placedAt },
        attributionWindowDays: 30,
      });
      return effect.nextOrder?.withinAttributionWindow === true;
    });
    expect(attributedAndScanned.length).toBeGreaterThanOrEqual(1);
    expect(heavy.lastScanAt).not.toBeNull();
    expect(heavy.optedOut ?? false).toBe(false);
  });

  it("has the other customers the customer screens are tried on", () => {
    const { showcase } = data;
    expect(new Set(Object.values(showcase)).size).toBe(Object.keys(showcase).length);

    const twentyFive = customerOf(showcase.twentyFiveOrdersCustomerId);
    expect(ordersOf(twentyFive.id)).toHaveLength(25);
    expect(twentyFive.orderCount).toBe(25);

    expect(sourcesOf(showcase.billbeeOnlyCustomerId)).toEqual(["BILLBEE"]);
    expect(ordersOf(showcase.billbeeOnlyCustomerId).length).toBeGreaterThan(0);
    expect(data.checkouts.filter((checkout) => checkout.customerId === showcase.billbeeOnlyCustomerId)).toEqual([]);

    expect(sourcesOf(showcase.twoSourceCustomerId)).toEqual(["BILLBEE", "SHOPIFY"]);
    expect(new Set(ordersOf(showcase.twoSourceCustomerId).map((order) => order.source))).toEqual(new Set(["SHOPIFY", "BILLBEE"]));

    const redacted = customerOf(showcase.redactedCustomerId);
    expect(redacted.redactedAt).toBeInstanceOf(Date);
    expect(redacted).toMatchObject(ERASED_PERSONAL_DETAILS);
    expect(ordersOf(redacted.id).length).toBeGreaterThan(0);
    expect(ordersOf(redacted.id).every((order) => order.email === null)).toBe(true);

    expect(customerOf(showcase.cyrillicCustomerId)).toMatchObject({ lastName: "Жуков", searchText: expect.stringContaining("жуков") });
    expect(customerOf(showcase.muellerCustomerId)).toMatchObject({ lastName: "Müller", searchText: expect.stringContaining("müller") });
  });

  it("builds every customer's search text as the app does", () => {
    for (const customer of data.customers) {
      expect(customer.searchText).toBe(customer.redactedAt ? "" : buildSearchText(customer.firstName ?? null, customer.lastName ?? null, customer.email ?? null));
    }
  });

  it("plans one PDF for every letter that was rendered, addressed as its snapshot says", () => {
    const rendered = data.letters.filter((letter) => letter.renderedAt);
    expect(data.letterDocuments.map((document) => document.letterId)).toEqual(rendered.map((letter) => letter.id));
    expect(new Set(data.letterDocuments.map((document) => document.fileId)).size).toBe(rendered.length);
    for (const document of data.letterDocuments) {
      const letter = rendered.find((candidate) => candidate.id === document.letterId)!;
      expect(document.content.recipient).toEqual(JSON.parse(letter.recipientSnapshot!));
      expect(document.qrPath).toBe(`/q/${letter.qrToken}`);
      expect(document.content.discountCode).toBe(letter.discountCode ?? null);
      expect(document.content.paragraphs.join(" ")).not.toMatch(/\{\{/);
    }
    // Names beyond Latin-1 reach the PDFs, so the letter font must cover them.
    expect(data.letterDocuments.some((document) => /[\u0400-\u04ff]/.test(document.content.recipient.name))).toBe(true);
  });

  it("fills merge fields and leaves out a sentence whose field has no value", () => {
    const paragraphs = [{ text: "Hallo {{firstName}}," }, { text: "danke für {{orderNumber}}! Mit {{discountCode}} sparst du 10 %." }, { text: "Bis bald" }];
    expect(fillMergeFields(paragraphs, { firstName: "Jürgen", orderNumber: "#1001", discountCode: "DANKE10-ABC" })).toEqual([
      "Hallo Jürgen,",
      "danke für #1001! Mit DANKE10-ABC sparst du 10 %.",
      "Bis bald",
    ]);
    expect(fillMergeFields(paragraphs, { firstName: "Jürgen", orderNumber: "#1001", discountCode: null })).toEqual(["Hallo Jürgen,", "danke für #1001!", "Bis bald"]);
    expect(fillMergeFields([{ text: "Als Dankeschön: {{discountCode}}." }], {})).toEqual([]);
  });

  it("keeps checkouts to Shopify customers (A5)", () => {
    const shopifyCustomers = new Set(data.identities.filter((i) => i.source === "SHOPIFY").map((i) => i.customerId));
    expect(data.checkouts.every((checkout) => shopifyCustomers.has(checkout.customerId!))).toBe(true);
  });

  it("stores statistics that agree with the seeded orders", () => {
    for (const customer of data.customers) {
      const orders = data.orders.filter((order) => order.customerId === customer.id);
      const expected = computeCustomerStats({
        orders: orders.map((order) => ({
          placedAt: order.placedAt,
          totalShopMinor: order.totalShopMinor == null ? null : BigInt(order.totalShopMinor),
          refundedShopMinor: order.refundedShopMinor == null ? null : BigInt(order.refundedShopMinor),
          cancelledAt: order.cancelledAt,
        })),
        now: NOW,
      });
      expect(customer).toMatchObject({
        lifetimeValueMinor: expected.lifetimeValueMinor,
        orderCount: expected.orderCount,
        firstOrderAt: expected.firstOrderAt,
        lastOrderAt: expected.lastOrderAt,
      });
    }
  });

  it("gives every letter a unique QR token of at least 96 random bits, and scans that match the letter", () => {
    const tokens = data.letters.map((letter) => letter.qrToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.every((token) => /^[A-Za-z0-9_-]{22}$/.test(token))).toBe(true);
    for (const letter of data.letters) {
      const scans = data.qrScans.filter((scan) => scan.letterId === letter.id).map((scan) => new Date(scan.scannedAt!).getTime());
      expect(letter.scanCount ?? 0).toBe(scans.length);
      if (scans.length > 0) {
        expect(letter.firstScanAt?.getTime()).toBe(Math.min(...scans));
        expect(letter.lastScanAt?.getTime()).toBe(Math.max(...scans));
      }
    }
  });
});
