import { describe, expect, it } from "vitest";
import { computeCustomerStats, type StatsCheckout, type StatsLetter, type StatsOrder } from "./customer-stats";

const NOW = new Date("2026-06-01T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

function order(placed: string, total: bigint | null, extra: Partial<StatsOrder> = {}): StatsOrder {
  return { placedAt: day(placed), totalShopMinor: total, refundedShopMinor: null, cancelledAt: null, ...extra };
}

describe("computeCustomerStats: orders", () => {
  const cases: Array<{
    name: string;
    orders: StatsOrder[];
    expected: Partial<ReturnType<typeof computeCustomerStats>>;
  }> = [
    {
      name: "no orders",
      orders: [],
      expected: {
        lifetimeValueMinor: 0n,
        orderCount: 0,
        averageOrderValueMinor: 0n,
        firstOrderAt: null,
        lastOrderAt: null,
        typicalDaysBetweenOrders: null,
        unconvertedOrderCount: 0,
      },
    },
    {
      name: "one order: no typical gap",
      orders: [order("2026-01-10", 4590n)],
      expected: {
        lifetimeValueMinor: 4590n,
        orderCount: 1,
        averageOrderValueMinor: 4590n,
        firstOrderAt: day("2026-01-10"),
        lastOrderAt: day("2026-01-10"),
        typicalDaysBetweenOrders: null,
      },
    },
    {
      name: "cancelled orders never count, not even their dates",
      orders: [order("2026-01-01", 1000n, { cancelledAt: day("2026-01-02") }), order("2026-02-01", 2000n)],
      expected: { lifetimeValueMinor: 2000n, orderCount: 1, firstOrderAt: day("2026-02-01"), unconvertedOrderCount: 0 },
    },
    {
      name: "refunds reduce the lifetime value; a full refund leaves zero, never less",
      orders: [
        order("2026-01-01", 10000n, { refundedShopMinor: 2500n }),
        order("2026-01-05", 3000n, { refundedShopMinor: 3000n }),
        order("2026-01-09", 1000n, { refundedShopMinor: 5000n }),
      ],
      expected: { lifetimeValueMinor: 7500n, orderCount: 3, averageOrderValueMinor: 2500n },
    },
    {
      name: "orders without a shop-currency amount are left out and counted as unconverted",
      orders: [order("2026-01-01", null), order("2026-03-01", 5000n), order("2026-04-01", null, { cancelledAt: day("2026-04-02") })],
      expected: {
        lifetimeValueMinor: 5000n,
        orderCount: 1,
        firstOrderAt: day("2026-03-01"),
        lastOrderAt: day("2026-03-01"),
        unconvertedOrderCount: 1,
      },
    },
    {
      name: "average rounds half up",
      orders: [order("2026-01-01", 1000n), order("2026-01-02", 1001n)],
      expected: { averageOrderValueMinor: 1001n },
    },
    {
      name: "typical gap is the median (odd number of gaps), whatever the input order",
      orders: [order("2026-03-01", 1n), order("2026-01-01", 1n), order("2026-01-11", 1n), order("2026-05-30", 1n)],
      // gaps: 10, 49, 90 days
      expected: { typicalDaysBetweenOrders: 49, firstOrderAt: day("2026-01-01"), lastOrderAt: day("2026-05-30") },
    },
    {
      name: "typical gap is the mean of the two middle gaps (even number of gaps)",
      orders: [order("2026-01-01", 1n), order("2026-01-02", 1n), order("2026-01-05", 1n)],
      // gaps: 1, 3 days
      expected: { typicalDaysBetweenOrders: 2 },
    },
    {
      name: "orders placed after now are not counted yet",
      orders: [order("2026-05-01", 1000n), order("2026-07-01", 9000n)],
      expected: { lifetimeValueMinor: 1000n, orderCount: 1, lastOrderAt: day("2026-05-01") },
    },
  ];

  it.each(cases)("$name", ({ orders, expected }) => {
    expect(computeCustomerStats({ orders, now: NOW })).toMatchObject(expected);
  });
});

describe("computeCustomerStats: letters and checkouts", () => {
  const letter = (status: StatsLetter["status"], created: string, extra: Partial<StatsLetter> = {}): StatsLetter => ({
    status,
    createdAt: day(created),
    submittedAt: null,
    lastScanAt: null,
    ...extra,
  });

  const letterCases: Array<{ name: string; letters: StatsLetter[]; expected: Partial<ReturnType<typeof computeCustomerStats>> }> = [
    { name: "no letters", letters: [], expected: { letterCount: 0, lastLetterAt: null, lastScanAt: null } },
    {
      name: "only letters that left the shop count as contact; submission date wins over creation",
      letters: [
        letter("DELIVERED", "2026-02-01", { submittedAt: day("2026-02-04") }),
        letter("RETURNED", "2026-03-01"),
        letter("SCHEDULED", "2026-05-01"),
        letter("RENDERED", "2026-05-02"),
        letter("FAILED", "2026-05-03"),
        letter("CANCELLED", "2026-05-04"),
      ],
      expected: { letterCount: 2, lastLetterAt: day("2026-03-01") },
    },
    {
      name: "last scan is the latest scan over all letters",
      letters: [
        letter("DELIVERED", "2026-01-01", { lastScanAt: day("2026-01-09") }),
        letter("MAILED", "2026-04-01", { lastScanAt: day("2026-04-20") }),
      ],
      expected: { lastScanAt: day("2026-04-20"), letterCount: 2 },
    },
  ];

  it.each(letterCases)("$name", ({ letters, expected }) => {
    expect(computeCustomerStats({ orders: [], letters, now: NOW })).toMatchObject(expected);
  });

  const checkout = (extra: Partial<StatsCheckout>): StatsCheckout => ({ abandonedAt: null, recoveredAt: null, completedAt: null, ...extra });

  const checkoutCases: Array<{ name: string; checkouts: StatsCheckout[]; open: number }> = [
    { name: "none", checkouts: [], open: 0 },
    { name: "an abandoned checkout is open", checkouts: [checkout({ abandonedAt: day("2026-05-01") })], open: 1 },
    { name: "a recovered checkout is not", checkouts: [checkout({ abandonedAt: day("2026-05-01"), recoveredAt: day("2026-05-02") })], open: 0 },
    { name: "a completed checkout is not", checkouts: [checkout({ completedAt: day("2026-05-01") })], open: 0 },
    { name: "a checkout not yet abandoned is not", checkouts: [checkout({})], open: 0 },
    {
      name: "several abandonments each count",
      checkouts: [checkout({ abandonedAt: day("2026-04-01") }), checkout({ abandonedAt: day("2026-05-01") })],
      open: 2,
    },
  ];

  it.each(checkoutCases)("open abandoned checkouts: $name", ({ checkouts, open }) => {
    expect(computeCustomerStats({ orders: [], checkouts, now: NOW }).openAbandonedCheckouts).toBe(open);
  });

  it("abandoned checkouts never change the order figures", () => {
    const stats = computeCustomerStats({
      orders: [order("2026-01-01", 5000n)],
      checkouts: [checkout({ abandonedAt: day("2026-02-01") })],
      now: NOW,
    });
    expect(stats).toMatchObject({ lifetimeValueMinor: 5000n, orderCount: 1 });
  });
});
