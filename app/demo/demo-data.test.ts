import { describe, expect, it } from "vitest";
import { computeCustomerStats } from "../core/customer-stats";
import { buildDemoData } from "./seed-demo.server";

const NOW = new Date("2026-11-25T00:00:00Z");
const data = buildDemoData(NOW);

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
    const ordersPerCustomer = new Map<string, number>();
    for (const order of data.orders) ordersPerCustomer.set(order.customerId, (ordersPerCustomer.get(order.customerId) ?? 0) + 1);
    expect(Math.max(...ordersPerCustomer.values())).toBeGreaterThanOrEqual(60);
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
