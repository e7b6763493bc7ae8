import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { action as checkoutsCreate } from "../../app/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "../../app/routes/webhooks.checkouts.update";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { action as ordersCancelled } from "../../app/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as ordersUpdated } from "../../app/routes/webhooks.orders.updated";
import { parseShopifyCheckout } from "../../app/integrations/shopify/webhook-payloads";
import { reviewDueCheckouts } from "../../app/services/checkout-review.server";
import { ingestBatch } from "../../app/services/ingestion.server";
import { rebuildCustomerStats } from "../../app/services/customer-stats-rebuild.server";
import { startWebhookPoller, webhookProcessor } from "../../app/services/webhook-processing.server";
import { waitFor } from "../support/jobs";
import { describeEachDatabase } from "../support/databases";
import { checkoutPayload, customerPayload, orderPayload } from "../support/shopify-fixtures";
import { webhookRequest } from "../support/shopify-webhooks";

const APP = "http://127.0.0.1:3000";
const ROUTES = {
  "orders/create": ordersCreate,
  "orders/updated": ordersUpdated,
  "orders/cancelled": ordersCancelled,
  "checkouts/create": checkoutsCreate,
  "checkouts/update": checkoutsUpdate,
  "customers/create": customersCreate,
  "customers/redact": customersRedact,
} as const;
type Topic = keyof typeof ROUTES;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
let sequence = 0;
const nextId = () => 4_100_000_000_000 + ++sequence * 1_000 + Math.floor(Math.random() * 1_000);

/** Delivers a signed payload through the topic's real route, then waits for its processing. */
async function deliver(
  shop: string,
  topic: Topic,
  payload: unknown,
  { webhookId = randomUUID(), eventId = randomUUID(), body }: { webhookId?: string; eventId?: string; body?: string } = {},
) {
  const request = webhookRequest(APP, { topic, shop, body: body ?? JSON.stringify(payload), webhookId, eventId });
  const response = await (ROUTES[topic] as (args: ActionFunctionArgs) => Promise<Response>)({ request, params: {}, context: {} });
  await webhookProcessor().idle();
  return response;
}

function parsedCheckout(payload: unknown) {
  const parsed = parseShopifyCheckout(payload);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

function newShop() {
  return `processing-${randomUUID().slice(0, 8)}.myshopify.com`;
}

describeEachDatabase("Shopify webhook processing", (current) => {
  const db = () => current().db;
  const shopOf = (domain: string) => db().shop.findUniqueOrThrow({ where: { domain } });
  const customerOf = async (domain: string, shopifyCustomerId: number) => {
    const shop = await shopOf(domain);
    const identity = await db().customerIdentity.findUniqueOrThrow({
      where: { shopId_source_sourceId: { shopId: shop.id, source: "SHOPIFY", sourceId: String(shopifyCustomerId) } },
      include: { customer: true },
    });
    return identity.customer;
  };
  const checkoutOf = async (domain: string, token: string) => {
    const shop = await shopOf(domain);
    return db().checkout.findUniqueOrThrow({ where: { shopId_token: { shopId: shop.id, token } } });
  };

  it("changes nothing on a redelivery or on a second copy of the same order", async () => {
    const shop = newShop();
    const customerId = nextId();
    const order = orderPayload({ id: nextId(), customerId, processedAt: ago(5 * MINUTE), updatedAt: ago(4 * MINUTE), totalPrice: "80.00" });
    const webhookId = randomUUID();
    for (let i = 0; i < 3; i++) expect((await deliver(shop, "orders/create", order, { webhookId })).status).toBe(200);
    // A second subscription's copy has its own webhook id: the order's updated_at makes it a no-op.
    await deliver(shop, "orders/create", order);

    const shopRow = await shopOf(shop);
    expect(await db().order.count({ where: { shopId: shopRow.id } })).toBe(1);
    expect(await db().webhookEvent.count({ where: { shopDomain: shop } })).toBe(2);
    const customer = await customerOf(shop, customerId);
    expect(customer.orderCount).toBe(1);
    expect(customer.lifetimeValueMinor).toBe(8_000n);
  });

  it("handles one event once when a second subscription delivers it again (same event id, own webhook id)", async () => {
    const shop = newShop();
    const eventId = randomUUID();
    const order = orderPayload({ id: nextId(), customerId: nextId(), processedAt: ago(MINUTE), updatedAt: ago(MINUTE) });
    await deliver(shop, "orders/create", order, { eventId });
    await deliver(shop, "orders/create", order, { eventId });
    const events = await db().webhookEvent.findMany({ where: { shopDomain: shop }, orderBy: { receivedAt: "asc" } });
    expect(events.map((event) => event.status)).toEqual(["PROCESSED", "IGNORED"]);
    expect(events[1]!.error).toBe(`Duplicate of event ${events[0]!.id} (same X-Shopify-Event-Id)`);
  });

  it("ends in the newest state when an update overtakes its create", async () => {
    const shop = newShop();
    const id = nextId();
    const customerId = nextId();
    const placed = ago(3 * HOUR);
    const created = orderPayload({ id, customerId, processedAt: placed, createdAt: placed, updatedAt: placed, totalPrice: "100.00" });
    const updated = orderPayload(
      { topic: "orders/updated", id, customerId, processedAt: placed, createdAt: placed, updatedAt: ago(1 * HOUR), totalPrice: "100.00", refunds: [{ amount: "30.00" }] },
    );
    await deliver(shop, "orders/updated", updated);
    await deliver(shop, "orders/create", created);

    const shopRow = await shopOf(shop);
    const stored = await db().order.findUniqueOrThrow({ where: { shopId_source_sourceId: { shopId: shopRow.id, source: "SHOPIFY", sourceId: String(id) } } });
    expect(stored.refundedMinor).toBe(3_000n);
    expect(stored.sourceUpdatedAt?.toISOString()).toBe(new Date(updated.updated_at as string).toISOString());
    expect((await customerOf(shop, customerId)).lifetimeValueMinor).toBe(7_000n);
  });

  it("marks an order processed more than a day before its delivery as not live", async () => {
    const shop = newShop();
    const old = orderPayload({ id: nextId(), customerId: nextId(), processedAt: ago(3 * DAY), updatedAt: ago(1 * MINUTE) });
    const fresh = orderPayload({ id: nextId(), customerId: nextId(), processedAt: ago(10 * MINUTE), updatedAt: ago(9 * MINUTE) });
    await deliver(shop, "orders/create", old);
    await deliver(shop, "orders/create", fresh);
    const orders = await db().order.findMany({ where: { shop: { domain: shop } }, orderBy: { placedAt: "asc" } });
    expect(orders.map((order) => [order.sourceId, order.live])).toEqual([
      [String(old.id), false],
      [String(fresh.id), true],
    ]);
  });

  it("takes the customer's language from customer_locale and the customer's own locale", async () => {
    const shop = newShop();
    const buyer = nextId();
    await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId: buyer, email: `b${buyer}@example.com`, customerLocale: "fr", processedAt: ago(MINUTE), updatedAt: ago(MINUTE) }));
    expect((await customerOf(shop, buyer)).language).toBe("fr");

    const other = nextId();
    await deliver(shop, "customers/create", customerPayload({ id: other, email: `c${other}@example.com`, locale: "de-de", updatedAt: ago(MINUTE) }));
    expect((await customerOf(shop, other)).language).toBe("de-DE");
  });

  it("records a signed but malformed payload as failed with its reason and answers 200", async () => {
    const shop = newShop();
    const webhookId = randomUUID();
    const broken = orderPayload({ id: nextId() }, { total_price: "twelve" } as never);
    expect((await deliver(shop, "orders/create", broken, { webhookId })).status).toBe(200);
    const event = await db().webhookEvent.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: shop, webhookId } } });
    expect(event.status).toBe("FAILED");
    expect(event.error).toMatch(/total_price/);
    expect(await db().order.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  describe("checkouts", () => {
    it("an order before its checkout, completed within the threshold: just an order, no badge", async () => {
      const shop = newShop();
      const token = randomUUID().replace(/-/g, "");
      const customerId = nextId();
      await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId, checkoutToken: token, processedAt: ago(2 * HOUR + 40 * MINUTE), updatedAt: ago(2 * HOUR) }));
      await deliver(shop, "checkouts/create", checkoutPayload({ token, customerId, createdAt: ago(3 * HOUR), updatedAt: ago(3 * HOUR) }));

      const checkout = await checkoutOf(shop, token);
      expect([checkout.abandonedAt, checkout.recoveredAt, checkout.recoveryKind]).toEqual([null, null, null]);
      expect(checkout.completedAt).not.toBeNull();
      await reviewDueCheckouts(db(), { now: new Date(Date.now() + DAY) });
      expect((await checkoutOf(shop, token)).abandonedAt).toBeNull();
      expect((await customerOf(shop, customerId)).openAbandonedCheckouts).toBe(0);
    });

    it("a checkout already past its threshold is abandoned on arrival, then recovered by its own order", async () => {
      const shop = newShop();
      const token = randomUUID().replace(/-/g, "");
      const customerId = nextId();
      const lastActivity = ago(2 * HOUR);
      await deliver(shop, "checkouts/create", checkoutPayload({ token, customerId, createdAt: lastActivity, updatedAt: lastActivity }));
      const abandoned = await checkoutOf(shop, token);
      expect(abandoned.abandonedAt?.toISOString()).toBe(new Date(Date.parse(lastActivity) + HOUR).toISOString());
      expect(abandoned.recoveredAt).toBeNull();
      expect((await customerOf(shop, customerId)).openAbandonedCheckouts).toBe(1);

      const order = orderPayload({ id: nextId(), customerId, checkoutToken: token, processedAt: ago(5 * MINUTE), updatedAt: ago(5 * MINUTE) });
      await deliver(shop, "orders/create", order);
      const recovered = await checkoutOf(shop, token);
      const orderRow = await db().order.findFirstOrThrow({ where: { shopId: recovered.shopId, sourceId: String(order.id) } });
      expect(recovered.recoveryKind).toBe("CHECKOUT_COMPLETED");
      expect(recovered.recoveredByOrderId).toBe(orderRow.id);
      const customer = await customerOf(shop, customerId);
      expect([customer.openAbandonedCheckouts, customer.orderCount]).toEqual([0, 1]);
    });

    it("stays open until its threshold passes, counted from the last update, then the job marks it abandoned", async () => {
      const shop = newShop();
      const token = randomUUID().replace(/-/g, "");
      const customerId = nextId();
      const [createdAt, updatedAt] = [ago(20 * MINUTE), ago(10 * MINUTE)];
      await deliver(shop, "checkouts/create", checkoutPayload({ token, customerId, createdAt, updatedAt: createdAt }));
      await deliver(shop, "checkouts/update", checkoutPayload({ topic: "checkouts/update", token, customerId, createdAt, updatedAt }));
      expect((await checkoutOf(shop, token)).abandonedAt).toBeNull();

      // Before the threshold (measured from the update) nothing happens; after it the job marks it.
      await reviewDueCheckouts(db(), { now: new Date(Date.now() + 45 * MINUTE) });
      expect((await checkoutOf(shop, token)).abandonedAt).toBeNull();
      await reviewDueCheckouts(db(), { now: new Date(Date.now() + 55 * MINUTE) });
      const abandoned = await checkoutOf(shop, token);
      expect(abandoned.abandonedAt?.getTime()).toBe(Date.parse(updatedAt) + HOUR);
      expect((await customerOf(shop, customerId)).openAbandonedCheckouts).toBe(1);
      expect(abandoned.recoveryKind).toBeNull();
    });

    it("is recovered by the same customer's order within the window, not by one after it", async () => {
      const shop = newShop();
      const inside = randomUUID().replace(/-/g, "");
      const outside = randomUUID().replace(/-/g, "");
      const customerId = nextId();
      await deliver(shop, "checkouts/create", checkoutPayload({ token: outside, customerId, createdAt: ago(10 * DAY), updatedAt: ago(10 * DAY) }));
      await deliver(shop, "checkouts/create", checkoutPayload({ token: inside, customerId, createdAt: ago(3 * DAY), updatedAt: ago(3 * DAY) }));
      const order = orderPayload({ id: nextId(), customerId, checkoutToken: null, processedAt: ago(HOUR), updatedAt: ago(HOUR) });
      await deliver(shop, "orders/create", order);

      const recovered = await checkoutOf(shop, inside);
      expect(recovered.recoveryKind).toBe("SAME_CUSTOMER_ORDER");
      expect(recovered.recoveredAt?.toISOString()).toBe(new Date(order.processed_at as string).toISOString());
      const stillAbandoned = await checkoutOf(shop, outside);
      expect([stillAbandoned.abandonedAt === null, stillAbandoned.recoveryKind]).toEqual([false, null]);
      expect((await customerOf(shop, customerId)).openAbandonedCheckouts).toBe(1);
    });

    it("a back-filled checkout known only by its cart becomes the webhook's checkout, not a second one", async () => {
      const shop = newShop();
      const customerId = nextId();
      const token = randomUUID().replace(/-/g, "");
      const cartToken = randomUUID().replace(/-/g, "");
      await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId, processedAt: ago(30 * DAY), updatedAt: ago(30 * DAY) }));
      const shopRow = await shopOf(shop);
      await ingestBatch(db(), {
        shopId: shopRow.id,
        now: new Date(),
        batch: {
          checkouts: [
            {
              ...parsedCheckout(checkoutPayload({ token, cartToken, customerId, createdAt: ago(2 * DAY), updatedAt: ago(2 * DAY) })),
              token: "abandoned-checkout:77001",
              graphqlId: "gid://shopify/AbandonedCheckout/77001",
            },
          ],
        },
      });
      await deliver(shop, "checkouts/update", checkoutPayload({ topic: "checkouts/update", token, cartToken, customerId, createdAt: ago(2 * DAY), updatedAt: ago(2 * DAY - MINUTE) }));
      const checkouts = await db().checkout.findMany({ where: { shopId: shopRow.id } });
      expect(checkouts.map((checkout) => [checkout.token, checkout.graphqlId])).toEqual([[token, "gid://shopify/AbandonedCheckout/77001"]]);
    });

    it("keeps every abandonment of one customer visible", async () => {
      const shop = newShop();
      const customerId = nextId();
      const tokens = [randomUUID(), randomUUID(), randomUUID()].map((token) => token.replace(/-/g, ""));
      for (const [index, token] of tokens.entries()) {
        const at = ago((index + 2) * DAY);
        await deliver(shop, "checkouts/create", checkoutPayload({ token, customerId, createdAt: at, updatedAt: at }));
      }
      const customer = await customerOf(shop, customerId);
      const checkouts = await db().checkout.findMany({ where: { customerId: customer.id } });
      expect(checkouts).toHaveLength(3);
      expect(checkouts.every((checkout) => checkout.abandonedAt !== null)).toBe(true);
      expect(customer.openAbandonedCheckouts).toBe(3);
      expect(customer.orderCount).toBe(0);
      expect(customer.lifetimeValueMinor).toBe(0n);
    });
  });

  it("counts cancelled orders nowhere and refunds against the lifetime value; the rebuild agrees", async () => {
    const shop = newShop();
    const customerId = nextId();
    const [a, b, c] = [nextId(), nextId(), nextId()];
    const firstPlaced = ago(30 * DAY);
    await deliver(shop, "orders/create", orderPayload({ id: a, customerId, processedAt: firstPlaced, updatedAt: firstPlaced, totalPrice: "100.00" }));
    await deliver(shop, "orders/create", orderPayload({ id: b, customerId, processedAt: ago(20 * DAY), updatedAt: ago(20 * DAY), totalPrice: "50.00" }));
    await deliver(shop, "orders/create", orderPayload({ id: c, customerId, processedAt: ago(10 * DAY), updatedAt: ago(10 * DAY), totalPrice: "70.00" }));
    await deliver(shop, "orders/updated", orderPayload({ topic: "orders/updated", id: b, customerId, processedAt: ago(20 * DAY), updatedAt: ago(19 * DAY), totalPrice: "50.00", refunds: [{ amount: "20.00" }] }));
    await deliver(shop, "orders/cancelled", orderPayload({ topic: "orders/cancelled", id: c, customerId, processedAt: ago(10 * DAY), updatedAt: ago(9 * DAY), totalPrice: "70.00", cancelledAt: ago(9 * DAY) }));

    const customer = await customerOf(shop, customerId);
    expect(customer.lifetimeValueMinor).toBe(13_000n);
    expect(customer.orderCount).toBe(2);
    expect(customer.averageOrderValueMinor).toBe(6_500n);
    expect(customer.firstOrderAt?.toISOString()).toBe(new Date(firstPlaced).toISOString());
    expect(customer.typicalDaysBetweenOrders).toBe(10);

    const shopRow = await shopOf(shop);
    const check = await rebuildCustomerStats(db(), { shopId: shopRow.id, now: new Date(), write: false });
    expect(check).toMatchObject({ customers: 1, differing: 0 });
    // A stored figure gone wrong is found, then repaired by the rebuild.
    await db().customer.update({ where: { id: customer.id }, data: { lifetimeValueMinor: 1n } });
    expect(await rebuildCustomerStats(db(), { shopId: shopRow.id, now: new Date(), write: false })).toMatchObject({ differing: 1 });
    await rebuildCustomerStats(db(), { shopId: shopRow.id, now: new Date(), write: true });
    expect((await customerOf(shop, customerId)).lifetimeValueMinor).toBe(13_000n);
  });

  it("a worker's poller processes what a recording-only web process left, a group at a time", async () => {
    const shop = newShop();
    const customerId = nextId();
    const ids = [nextId(), nextId(), nextId()];
    // What the intake stores with LETTERLOOP_BACKGROUND=worker: RECEIVED, nobody woken.
    for (const id of ids) {
      const payload = orderPayload({ id, customerId, processedAt: ago(HOUR), updatedAt: ago(HOUR), totalPrice: "10.00" });
      await db().webhookEvent.create({ data: { shopDomain: shop, topic: "ORDERS_CREATE", webhookId: randomUUID(), payload: JSON.stringify(payload) } });
    }
    const poller = startWebhookPoller({ getDb: db, intervalMs: 20 });
    try {
      await waitFor(async () => ((await db().webhookEvent.count({ where: { shopDomain: shop, status: "PROCESSED" } })) === 3 ? true : undefined));
    } finally {
      await poller.stop();
    }
    const customer = await customerOf(shop, customerId);
    expect([customer.orderCount, customer.lifetimeValueMinor]).toEqual([3, 3_000n]);
  });

  it("counts an order in another currency through the shop's rate, and leaves it out without one", async () => {
    const shop = newShop();
    const [withRate, withoutRate] = [nextId(), nextId()];
    // The first delivery creates the shop in EUR (Shopify's order currency is the shop's).
    await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId: nextId(), processedAt: ago(DAY), updatedAt: ago(DAY), totalPrice: "10.00" }));
    const shopRow = await shopOf(shop);
    expect(shopRow.currency).toBe("EUR");
    await db().exchangeRate.create({ data: { shopId: shopRow.id, currency: "USD", rateToShop: "0.9" } });
    await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId: withRate, email: `r${withRate}@example.com`, currency: "USD", processedAt: ago(DAY), updatedAt: ago(DAY), totalPrice: "100.00" }));
    await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId: withoutRate, email: `n${withoutRate}@example.com`, currency: "CHF", processedAt: ago(DAY), updatedAt: ago(DAY), totalPrice: "100.00" }));

    const converted = await customerOf(shop, withRate);
    expect([converted.lifetimeValueMinor, converted.orderCount, converted.unconvertedOrderCount]).toEqual([9_000n, 1, 0]);
    const unconverted = await customerOf(shop, withoutRate);
    expect([unconverted.lifetimeValueMinor, unconverted.orderCount, unconverted.unconvertedOrderCount]).toEqual([0n, 0, 1]);
  });

  it("customers/redact through its route removes that customer's personal data and nobody else's", async () => {
    const shop = newShop();
    const [kept, redacted] = [nextId(), nextId()];
    for (const customerId of [kept, redacted]) {
      await deliver(shop, "orders/create", orderPayload({ id: nextId(), customerId, email: `p${customerId}@example.com`, processedAt: ago(DAY), updatedAt: ago(DAY) }));
    }
    const payload = { shop_id: 1, shop_domain: shop, customer: { id: redacted, email: `p${redacted}@example.com`, phone: null }, orders_to_redact: [] };
    expect((await deliver(shop, "customers/redact", payload)).status).toBe(200);

    const shopRow = await shopOf(shop);
    const customers = await db().customer.findMany({ where: { shopId: shopRow.id }, orderBy: { email: "asc" } });
    expect(customers).toHaveLength(2);
    const gone = customers.find((customer) => customer.redactedAt !== null)!;
    expect([gone.email, gone.firstName, gone.addressLine1]).toEqual([null, null, null]);
    const other = customers.find((customer) => customer.redactedAt === null)!;
    expect(other.email).toBe(`p${kept}@example.com`);
    // The request itself keeps only ids once honoured.
    const event = await db().webhookEvent.findFirstOrThrow({ where: { shopDomain: shop, topic: "CUSTOMERS_REDACT" } });
    expect(event.status).toBe("PROCESSED");
    expect(event.payload).not.toContain("@example.com");
    expect(JSON.parse(event.payload)).toMatchObject({ customer: { id: String(redacted) }, personal_data_removed: true });
  });
});
