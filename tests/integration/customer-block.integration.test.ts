import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "../../app/routes/api.customer-block";
import { createOfflineSession } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createCustomer, createLetter } from "../support/factories";
import { sessionToken } from "../support/shopify-session-token";

/**
 * GET /api/customer-block behind Shopify's real `authenticate.admin`, with session tokens signed
 * like the admin signs them for a UI extension's fetch (PRODUCT.md B8).
 */

const SHOP_A = "block-a.myshopify.com";
const SHOP_B = "block-b.myshopify.com";
const APP_URL = "http://127.0.0.1:3000";
// Where admin UI extensions run: another origin than the app.
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
// Both shops have a Shopify customer with this id (Shopify ids are only unique per shop for us).
const SHARED_SHOPIFY_ID = "7100000000001";

const tokenFor = (shop: string) => sessionToken({ shop, apiKey: "test-api-key", secret: "test-api-secret" });

function blockRequest(
  customerId: string | null,
  { token = tokenFor(SHOP_A), origin = EXTENSION_ORIGIN, method = "GET" }: { token?: string | null; origin?: string | null; method?: string } = {},
) {
  const url = new URL("/api/customer-block", APP_URL);
  if (customerId !== null) url.searchParams.set("customerId", customerId);
  const headers = new Headers({ "user-agent": BROWSER });
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (origin !== null) headers.set("origin", origin);
  if (method === "OPTIONS") {
    headers.set("access-control-request-method", "GET");
    headers.set("access-control-request-headers", "authorization");
  }
  return new Request(url, { method, headers });
}

/** The loader's answer, whether returned or thrown (authenticate.admin throws its responses). */
async function respond(request: Request): Promise<Response> {
  try {
    return await loader({ request, params: {}, context: {} });
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

describeEachDatabase("customer block API", (current) => {
  let shopAId: string;
  let annaId: string;
  let redactedId: string;
  let quietId: string;

  beforeAll(async () => {
    const { db } = current();
    for (const shop of [SHOP_A, SHOP_B]) await createOfflineSession(db, shop);
    const shopA = await db.shop.create({ data: { domain: SHOP_A, name: "A", currency: "EUR", emailHashSalt: "a" } });
    const shopB = await db.shop.create({ data: { domain: SHOP_B, name: "B", currency: "USD", emailHashSalt: "b" } });
    shopAId = shopA.id;

    const anna = await createCustomer(db, {
      shopId: shopA.id,
      shopifyCustomerId: SHARED_SHOPIFY_ID,
      firstName: "Anna",
      lastName: "Albers",
      email: "anna@example.com",
      lifetimeValueMinor: 123_450n,
      orderCount: 4,
      openAbandonedCheckouts: 1,
    });
    annaId = anna.id;
    const spring = await db.campaign.create({ data: { shopId: shopA.id, name: "Spring letters" } });
    const autumn = await db.campaign.create({ data: { shopId: shopA.id, name: "Autumn letters" } });
    // The newest letter is created first, so neither insertion order nor id order can pick it by accident.
    await createLetter(db, {
      shopId: shopA.id,
      customerId: anna.id,
      campaignId: autumn.id,
      status: "DELIVERED",
      createdAt: new Date("2026-10-01T08:00:00Z"),
      mailedAt: new Date("2026-10-02T10:00:00Z"),
      firstScanAt: new Date("2026-10-06T18:30:00Z"),
      lastScanAt: new Date("2026-10-07T09:00:00Z"),
      scanCount: 2,
    });
    await createLetter(db, {
      shopId: shopA.id,
      customerId: anna.id,
      campaignId: spring.id,
      status: "MAILED",
      createdAt: new Date("2026-04-01T08:00:00Z"),
      mailedAt: new Date("2026-04-02T10:00:00Z"),
    });

    // Same Shopify id in shop B: a different person who must never show up in shop A's admin.
    const bert = await createCustomer(db, {
      shopId: shopB.id,
      shopifyCustomerId: SHARED_SHOPIFY_ID,
      firstName: "Bert",
      lastName: "Berger",
      email: "bert@example.com",
      lifetimeValueMinor: 999_999n,
      orderCount: 40,
    });
    await createLetter(db, { shopId: shopB.id, customerId: bert.id, status: "FAILED", createdAt: new Date("2026-11-20T08:00:00Z") });

    // Redacted on request; the row still holds a name here to prove the API never sends it.
    redactedId = (
      await createCustomer(db, {
        shopId: shopA.id,
        shopifyCustomerId: "7100000000002",
        firstName: "Rita",
        lastName: "Redacted",
        email: "rita@example.com",
        redactedAt: new Date("2026-09-01T00:00:00Z"),
        lifetimeValueMinor: 5_000n,
        orderCount: 1,
      })
    ).id;

    quietId = (await createCustomer(db, { shopId: shopA.id, shopifyCustomerId: "7100000000003", optedOut: true })).id;
  });

  describe("with a valid session token", () => {
    it("maps the GID to the shop's customer and sends the summary with the newest letter", async () => {
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`));
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      expect(await response.json()).toEqual({
        found: true,
        customerId: annaId,
        profileUrl: `/app/customers/${annaId}`,
        redacted: false,
        name: "Anna Albers",
        email: "anna@example.com",
        lifetimeValue: { amount: "1234.50", currency: "EUR" },
        orderCount: 4,
        openAbandonedCheckouts: 1,
        optedOut: false,
        lastLetter: {
          status: "DELIVERED",
          campaign: "Autumn letters",
          automation: false,
          createdAt: "2026-10-01T08:00:00.000Z",
          mailedAt: "2026-10-02T10:00:00.000Z",
          firstScanAt: "2026-10-06T18:30:00.000Z",
          scanCount: 2,
        },
      });
    });

    it("never answers with another shop's customer that has the same Shopify id", async () => {
      const forA = await (await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: tokenFor(SHOP_A) }))).json();
      const forB = await (await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: tokenFor(SHOP_B) }))).json();
      expect(forA).toMatchObject({ found: true, customerId: annaId, name: "Anna Albers" });
      expect(forB).toMatchObject({ found: true, name: "Bert Berger", lifetimeValue: { amount: "9999.99", currency: "USD" } });
      expect(forB.customerId).not.toBe(annaId);
      expect(forB.lastLetter).toMatchObject({ status: "FAILED", campaign: null });
      expect(JSON.stringify(forA)).not.toContain("Bert");
    });

    it("answers found:false for a Shopify id no customer of this shop has", async () => {
      const response = await respond(blockRequest("gid://shopify/Customer/7100000009999"));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ found: false });
    });

    it("answers found:false in shop B for a customer only shop A has", async () => {
      const response = await respond(blockRequest("gid://shopify/Customer/7100000000002", { token: tokenFor(SHOP_B) }));
      expect(await response.json()).toEqual({ found: false });
    });

    it("shows a redacted customer without name or e-mail", async () => {
      const response = await respond(blockRequest("gid://shopify/Customer/7100000000002"));
      const body = await response.json();
      expect(body).toMatchObject({ found: true, customerId: redactedId, redacted: true, name: null, email: null, orderCount: 1, lastLetter: null });
      expect(JSON.stringify(body)).not.toMatch(/Rita|Redacted|rita@/);
    });

    it("says when the customer opted out", async () => {
      const body = await (await respond(blockRequest("gid://shopify/Customer/7100000000003"))).json();
      expect(body).toMatchObject({ found: true, customerId: quietId, optedOut: true, lastLetter: null, lifetimeValue: { amount: "0.00", currency: "EUR" } });
    });

    it.each([
      [null, "customerId is missing"],
      ["", "not a Shopify customer GID"],
      ["7100000000001", "not a Shopify customer GID"],
      ["gid://shopify/Order/7100000000001", "not a Shopify customer GID"],
      ["gid://shopify/Customer/abc", "not a Shopify customer GID"],
      [" gid://shopify/Customer/7100000000001", "not a Shopify customer GID"],
    ])("refuses customerId %j with 400 and a reason", async (customerId, reason) => {
      const response = await respond(blockRequest(customerId));
      expect(response.status).toBe(400);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const body = await response.json();
      expect(body.error).toBe("VALIDATION");
      expect(body.reason).toContain(reason);
    });
  });

  describe("CORS for the admin extension", () => {
    it("adds Access-Control-Allow-Origin to a request from another origin", async () => {
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { origin: EXTENSION_ORIGIN }));
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
    });

    it("adds no CORS headers for a request from the app's own origin", async () => {
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { origin: APP_URL }));
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("answers the OPTIONS preflight (sent without a token) with 204 and CORS headers", async () => {
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { method: "OPTIONS", token: null }));
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
      expect(response.headers.get("access-control-max-age")).toBe("7200");
      expect(await response.text()).toBe("");
    });
  });

  describe("without a valid session token", () => {
    it("answers 401 when the token is missing", async () => {
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: null }));
      expect(response.status).toBe(401);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.json()).toMatchObject({ error: "UNAUTHORIZED" });
    });

    it("answers 401 to a token signed with another secret", async () => {
      const forged = sessionToken({ shop: SHOP_A, apiKey: "test-api-key", secret: "not-the-secret" });
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: forged }));
      expect(response.status).toBe(401);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.text()).not.toContain("Anna");
    });

    it("answers 401 to an expired token", async () => {
      const expired = sessionToken({ shop: SHOP_A, apiKey: "test-api-key", secret: "test-api-secret", now: Math.floor(Date.now() / 1000) - 3600 });
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: expired }));
      expect(response.status).toBe(401);
    });

    it("answers 401 to a token for another app", async () => {
      const foreign = sessionToken({ shop: SHOP_A, apiKey: "someone-elses-app", secret: "test-api-secret" });
      const response = await respond(blockRequest(`gid://shopify/Customer/${SHARED_SHOPIFY_ID}`, { token: foreign }));
      expect(response.status).toBe(401);
    });
  });

  it("keeps shop A's data in shop A", async () => {
    const { db } = current();
    expect(await db.customer.count({ where: { shopId: shopAId } })).toBe(3);
  });
});
