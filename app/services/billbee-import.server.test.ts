import { afterEach, describe, expect, it, vi } from "vitest";
import sample from "../demo/samples/billbee-orders.json";
import { createBillbeeClient } from "../integrations/billbee/billbee-client.server";
import { mapBillbeeOrder } from "../integrations/billbee/billbee-order-mapper";

/**
 * The demo's stand-in for Billbee (GET /demo/billbee/api/v1/orders) through its real route
 * module and the real client, and the sample it serves: what `npm run demo` imports.
 */

const savedDemo = process.env.LETTERLOOP_DEMO;
afterEach(() => {
  process.env.LETTERLOOP_DEMO = savedDemo;
  vi.resetModules();
});

/** The route module as the app loads it, with the environment parsed afresh. */
async function demoRoute(demo: boolean) {
  process.env.LETTERLOOP_DEMO = demo ? "1" : "0";
  vi.resetModules();
  return import("../routes/demo.billbee.api.v1.orders");
}

const call = (route: Awaited<ReturnType<typeof demoRoute>>, request: Request) => route.loader({ request, params: {}, context: {} }) as Response;

describe("the demo's Billbee", () => {
  it("does not exist outside demo mode", async () => {
    const route = await demoRoute(false);
    const response = call(route, new Request("http://127.0.0.1:3000/demo/billbee/api/v1/orders", { headers: { "x-billbee-api-key": "k", authorization: "Basic dTpw" } }));
    expect(response.status).toBe(404);
  });

  it("wants credentials like Billbee, accepts any, and pages the sample", async () => {
    const route = await demoRoute(true);
    expect(call(route, new Request("http://127.0.0.1:3000/demo/billbee/api/v1/orders?page=1")).status).toBe(401);

    let clock = 0;
    const client = createBillbeeClient({
      baseUrl: "http://127.0.0.1:3000/demo/billbee/api/v1",
      credentials: { apiKey: "any-key", username: "demo@example.de", apiPassword: "any-password" },
      fetch: async (input, init) => call(route, new Request(input, init)),
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const orders: unknown[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const result = await client.listOrders({ page, pageSize: 250 });
      pages = result.totalPages;
      orders.push(...result.orders);
      if (page >= result.totalPages) break;
    }
    expect(pages).toBe(3);
    expect(orders).toHaveLength(sample.length);
    const changedLately = await client.listOrders({ page: 1, pageSize: 250, modifiedAtMin: new Date("2026-11-01T00:00:00Z") });
    expect(changedLately.totalRows).toBeGreaterThan(0);
    expect(changedLately.totalRows).toBeLessThan(sample.length);
  });
});

describe("the demo's Billbee sample", () => {
  const mapped = sample.map((order) => mapBillbeeOrder(order));
  const orders = mapped.flatMap((result) => (result.ok ? [result.order] : []));

  it("is about 60 orders that all map", () => {
    expect(mapped.filter((result) => !result.ok)).toEqual([]);
    expect(orders.length).toBeGreaterThanOrEqual(55);
    expect(orders.every((order) => !order.live && order.customer !== null && order.lineItems.length > 0)).toBe(true);
  });

  it("has German, Austrian and Swiss buyers, one order in CHF, a few cancelled, and one-time buyers", () => {
    expect(new Set(orders.map((order) => order.customer?.address?.countryCode))).toEqual(new Set(["DE", "AT", "CH"]));
    expect(orders.filter((order) => order.currency === "CHF")).toHaveLength(1);
    expect(orders.filter((order) => order.cancelledAt !== null).length).toBeGreaterThanOrEqual(3);
    const ordersPerEmail = new Map<string, number>();
    for (const order of orders) ordersPerEmail.set(order.email!, (ordersPerEmail.get(order.email!) ?? 0) + 1);
    expect([...ordersPerEmail.values()].filter((count) => count === 1).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...ordersPerEmail.values())).toBeGreaterThanOrEqual(4);
    expect(orders.some((order) => order.discountCodes.length > 0)).toBe(true);
  });
});
