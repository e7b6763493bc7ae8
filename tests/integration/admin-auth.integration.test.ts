import { beforeAll, expect, it } from "vitest";
import { loader as customerLoader } from "../../app/routes/app.customers.$customerId";
import { loader as customersLoader } from "../../app/routes/app.customers._index";
import { describeEachDatabase } from "../support/databases";
import { sessionToken } from "../support/shopify-session-token";
import { adminRequest as signedRequest, createOfflineSession, outcome } from "../support/admin-requests";

const adminRequest = (path: string, shop: string, token?: string) => signedRequest(path, shop, token ? { token } : {});

/**
 * The admin guard outside demo mode: a request with a valid session token for shop A reaches
 * shop A's data through Shopify's real `authenticate.admin`, and nothing of shop B's (E4).
 */

const SHOP_A = "guard-a.myshopify.com";
const SHOP_B = "guard-b.myshopify.com";

describeEachDatabase("admin guard with Shopify sessions", (current) => {
  let customerOfA: string;
  let customerOfB: string;

  beforeAll(async () => {
    const { db } = current();
    for (const shop of [SHOP_A, SHOP_B]) await createOfflineSession(db, shop);
    const shopA = await db.shop.create({ data: { domain: SHOP_A, name: "A", emailHashSalt: "a" } });
    const shopB = await db.shop.create({ data: { domain: SHOP_B, name: "B", emailHashSalt: "b" } });
    customerOfA = (await db.customer.create({ data: { shopId: shopA.id, firstName: "Anna", searchText: "anna" } })).id;
    customerOfB = (await db.customer.create({ data: { shopId: shopB.id, firstName: "Bert", searchText: "bert" } })).id;
  });

  it("serves a shop's own customer to its session", async () => {
    const result = (await customerLoader({
      request: adminRequest(`/app/customers/${customerOfA}`, SHOP_A),
      params: { customerId: customerOfA },
      context: {},
    })) as { profile: { name: string } };
    expect(result.profile.name).toBe("Anna");
  });

  it("answers 404 for another shop's customer", async () => {
    const result = await outcome(
      customerLoader({ request: adminRequest(`/app/customers/${customerOfB}`, SHOP_A), params: { customerId: customerOfB }, context: {} }),
    );
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(404);
  });

  it("lists only the session's shop's customers", async () => {
    const result = (await customersLoader({ request: adminRequest("/app/customers", SHOP_B), params: {}, context: {} })) as {
      customers: Array<{ id: string }>;
    };
    expect(result.customers.map((customer) => customer.id)).toEqual([customerOfB]);
  });

  it("refuses a token signed with another secret", async () => {
    const forged = sessionToken({ shop: SHOP_A, apiKey: "test-api-key", secret: "not-the-secret" });
    const result = await outcome(
      customersLoader({ request: adminRequest("/app/customers", SHOP_A, forged), params: {}, context: {} }),
    );
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(401);
  });
});
