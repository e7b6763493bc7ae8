import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases";
import { webhookRequest } from "../support/shopify-webhooks";
import { action as ordersCreate } from "../../app/routes/webhooks.orders.create";
import { action as appUninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as customersRedact } from "../../app/routes/webhooks.customers.redact";
import { webhookProcessor } from "../../app/services/webhook-processing.server";

const APP = "http://127.0.0.1:3000";
const SHOP = "webhook-test.myshopify.com";
const orderBody = readFileSync("tests/fixtures/shopify/orders-create.json", "utf8");

function call(route: typeof ordersCreate, request: Request) {
  return route({ request, params: {}, context: {} });
}

describeEachDatabase("webhook intake", (current) => {
  it("answers 401 to a delivery with a wrong HMAC and records nothing", async () => {
    const request = webhookRequest(APP, { topic: "orders/create", shop: SHOP, body: orderBody, secret: "wrong-secret" });
    const response = await call(ordersCreate, request);
    expect(response.status).toBe(401);
    expect(await current().db.webhookEvent.count({ where: { shopDomain: SHOP } })).toBe(0);
  });

  it("answers 200 to a signed delivery and records it once, however often it is redelivered", async () => {
    const webhookId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await call(ordersCreate, webhookRequest(APP, { topic: "orders/create", shop: SHOP, body: orderBody, webhookId }));
      expect(response.status).toBe(200);
    }
    await webhookProcessor().idle();
    const events = await current().db.webhookEvent.findMany({ where: { shopDomain: SHOP, webhookId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.topic).toBe("ORDERS_CREATE");
    expect(events[0]!.status).toBe("PROCESSED");
    expect(events[0]!.attempts).toBe(1);
    expect(await current().db.order.count({ where: { shop: { domain: SHOP }, sourceId: String(JSON.parse(orderBody).id) } })).toBe(1);
    expect(JSON.parse(events[0]!.payload).name).toBe("#9999");
  });

  it("records a signed body that is not JSON as a failed event and still answers 200", async () => {
    const body = "<xml>not json</xml>";
    const response = await call(ordersCreate, webhookRequest(APP, { topic: "orders/create", shop: SHOP, body, webhookId: "not-json-1" }));
    expect(response.status).toBe(200);
    const event = await current().db.webhookEvent.findUniqueOrThrow({
      where: { shopDomain_webhookId: { shopDomain: SHOP, webhookId: "not-json-1" } },
    });
    expect(event.status).toBe("FAILED");
    expect(event.error).toMatch(/not JSON/);
  });

  it("answers 401 on the compliance topics when the HMAC is wrong, 200 when right", async () => {
    const body = JSON.stringify({ shop_id: 954889, shop_domain: SHOP, customer: { id: 191167, email: "john@example.com", phone: null }, orders_to_redact: [] });
    const bad = await call(customersRedact, webhookRequest(APP, { topic: "customers/redact", shop: SHOP, body, hmac: "AAAA" }));
    expect(bad.status).toBe(401);
    const good = await call(customersRedact, webhookRequest(APP, { topic: "customers/redact", shop: SHOP, body }));
    expect(good.status).toBe(200);
  });

  describe("app/uninstalled", () => {
    const UNINSTALLING = "uninstalling.myshopify.com";
    beforeAll(async () => {
      const { db } = current();
      await db.shop.create({ data: { domain: UNINSTALLING, name: "Webhook test", emailHashSalt: "salt" } });
      await db.session.create({ data: { id: `offline_${UNINSTALLING}`, shop: UNINSTALLING, state: "", accessToken: "shpat_x" } });
    });

    it("removes the shop's sessions and marks it uninstalled", async () => {
      const body = JSON.stringify({ id: 548380009, name: "Webhook test", myshopify_domain: UNINSTALLING, domain: UNINSTALLING });
      const response = await call(appUninstalled, webhookRequest(APP, { topic: "app/uninstalled", shop: UNINSTALLING, body }));
      expect(response.status).toBe(200);
      const { db } = current();
      // The tokens go before the answer; the rest of the stop follows right after it.
      expect(await db.session.count({ where: { shop: UNINSTALLING } })).toBe(0);
      await webhookProcessor().idle();
      expect((await db.shop.findUniqueOrThrow({ where: { domain: UNINSTALLING } })).uninstalledAt).toBeInstanceOf(Date);
    });
  });
});
