import { readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../app/db/client.server";
import { DEMO_API_SECRET } from "../../app/env.server";
import { webhookHeaders } from "../support/shopify-webhooks";

const BASE_URL = inject("baseUrl");
const db = createDb(inject("databaseUrl"));
const orderBody = readFileSync("tests/fixtures/shopify/orders-create.json", "utf8");
// Deliveries are processed for real: a shop of their own keeps the demo shop's figures as seeded
// for the browser tests.
const SHOP = "e2e-http.myshopify.com";
const redactBody = JSON.stringify({
  shop_id: 954889,
  shop_domain: SHOP,
  customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
  orders_to_redact: [299938, 280263],
});

afterAll(() => db.$disconnect());

function deliver(topic: string, body: string, options: { secret?: string; webhookId?: string } = {}) {
  return fetch(`${BASE_URL}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: webhookHeaders({ topic, shop: SHOP, body, secret: options.secret ?? DEMO_API_SECRET, webhookId: options.webhookId }),
  });
}

describe("webhooks on the running demo server", () => {
  for (const [topic, body] of [
    ["orders/create", orderBody],
    ["customers/redact", redactBody],
  ] as const) {
    it(`${topic}: a wrong HMAC gets 401 and is not recorded`, async () => {
      const webhookId = `e2e-wrong-${topic}`;
      const response = await deliver(topic, body, { secret: "not-the-secret", webhookId });
      expect(response.status).toBe(401);
      expect(await db.webhookEvent.count({ where: { shopDomain: SHOP, webhookId } })).toBe(0);
    });

    it(`${topic}: signed with the demo secret gets 200 and is recorded once`, async () => {
      const webhookId = `e2e-right-${topic}`;
      expect((await deliver(topic, body, { webhookId })).status).toBe(200);
      expect((await deliver(topic, body, { webhookId })).status).toBe(200);
      expect(await db.webhookEvent.count({ where: { shopDomain: SHOP, webhookId } })).toBe(1);
      // Processed right after the answer, in the server process.
      await expect.poll(async () => (await db.webhookEvent.findFirstOrThrow({ where: { shopDomain: SHOP, webhookId } })).status).toBe("PROCESSED");
    });
  }
});

describe("admin pages on the running demo server", () => {
  it("answers 404 for a customer that does not exist", async () => {
    const response = await fetch(`${BASE_URL}/app/customers/cdoesnotexist000000000000`);
    expect(response.status).toBe(404);
  });

  it("sends / to the admin in demo mode", async () => {
    const response = await fetch(`${BASE_URL}/`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/app/);
  });
});
