import { describe, expect, it } from "vitest";
import { complianceKindOf, parseComplianceWebhook, webhookPayloadMentions } from "./compliance-payloads";

// Shapes of Shopify's sample payloads (integrations.md 1.4).
const dataRequest = {
  shop_id: 954889,
  shop_domain: "example.myshopify.com",
  orders_requested: [299938, 280263, 220458],
  customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
  data_request: { id: 9999 },
};
const customersRedact = {
  shop_id: 954889,
  shop_domain: "example.myshopify.com",
  customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
  orders_to_redact: [299938, 280263, 220458],
};
const shopRedact = { shop_id: 954889, shop_domain: "example.myshopify.com" };

function reasonOf(result: ReturnType<typeof parseComplianceWebhook>): string {
  if (result === null || result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe("complianceKindOf", () => {
  it.each([
    ["CUSTOMERS_DATA_REQUEST", "customers-data-request"],
    ["customers/data_request", "customers-data-request"],
    ["CUSTOMERS_REDACT", "customers-redact"],
    ["customers/redact", "customers-redact"],
    ["SHOP_REDACT", "shop-redact"],
    ["shop/redact", "shop-redact"],
    ["ORDERS_CREATE", null],
    ["APP_UNINSTALLED", null],
    ["customers/update", null],
    ["", null],
  ])("%s → %s", (topic, kind) => {
    expect(complianceKindOf(topic)).toBe(kind);
  });
});

describe("parseComplianceWebhook", () => {
  it("returns null for a topic that is not a compliance topic", () => {
    expect(parseComplianceWebhook({ topic: "ORDERS_CREATE", payload: dataRequest })).toBeNull();
  });

  it("parses customers/data_request with ids as strings", () => {
    expect(parseComplianceWebhook({ topic: "CUSTOMERS_DATA_REQUEST", payload: dataRequest })).toEqual({
      ok: true,
      value: {
        kind: "customers-data-request",
        shopifyCustomerId: "191167",
        email: "john@example.com",
        ordersRequested: ["299938", "280263", "220458"],
        dataRequestId: "9999",
      },
    });
  });

  it("accepts the header spelling of the topic and numeric strings as ids", () => {
    const payload = { ...dataRequest, customer: { id: "191167", email: "john@example.com" }, data_request: { id: "9999" } };
    const result = parseComplianceWebhook({ topic: "customers/data_request", payload });
    expect(result).toMatchObject({ ok: true, value: { shopifyCustomerId: "191167", dataRequestId: "9999" } });
  });

  it("keeps ids beyond 32 bits exactly", () => {
    const payload = { ...customersRedact, customer: { id: 7_301_234_567_890, email: null }, orders_to_redact: [5_912_345_678_901] };
    expect(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload })).toEqual({
      ok: true,
      value: { kind: "customers-redact", shopifyCustomerId: "7301234567890", email: null, ordersToRedact: ["5912345678901"] },
    });
  });

  it("treats missing optional parts as absent", () => {
    const payload = { shop_id: 1, shop_domain: "x.myshopify.com", customer: { email: " jane@example.com " } };
    expect(parseComplianceWebhook({ topic: "CUSTOMERS_DATA_REQUEST", payload })).toEqual({
      ok: true,
      value: { kind: "customers-data-request", shopifyCustomerId: null, email: "jane@example.com", ordersRequested: [], dataRequestId: null },
    });
    expect(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { customer: { id: 5, email: "" }, orders_to_redact: null } })).toEqual({
      ok: true,
      value: { kind: "customers-redact", shopifyCustomerId: "5", email: null, ordersToRedact: [] },
    });
  });

  it("drops repeated order ids", () => {
    const result = parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { ...customersRedact, orders_to_redact: [1, 1, "1", 2] } });
    expect(result).toMatchObject({ ok: true, value: { ordersToRedact: ["1", "2"] } });
  });

  it("parses shop/redact", () => {
    expect(parseComplianceWebhook({ topic: "SHOP_REDACT", payload: shopRedact })).toEqual({ ok: true, value: { kind: "shop-redact" } });
    expect(parseComplianceWebhook({ topic: "shop/redact", payload: {} })).toEqual({ ok: true, value: { kind: "shop-redact" } });
  });

  it("names every bad field", () => {
    const reason = reasonOf(
      parseComplianceWebhook({
        topic: "CUSTOMERS_DATA_REQUEST",
        payload: { customer: { id: -4, email: 12 }, orders_requested: [1, "x"], data_request: { id: 1.5 } },
      }),
    );
    expect(reason).toContain("customer.id: must be a numeric Shopify id");
    expect(reason).toContain("customer.email: must be a string");
    expect(reason).toContain("orders_requested.1: must be a numeric Shopify id");
    expect(reason).toContain("data_request.id: must be a numeric Shopify id");
  });

  it("refuses a missing customer, a non-array order list and a non-object payload", () => {
    expect(reasonOf(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { orders_to_redact: [1] } }))).toBe("customer: must be an object");
    expect(reasonOf(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { customer: { id: 1 }, orders_to_redact: 7 } }))).toBe(
      "orders_to_redact: must be an array of order ids",
    );
    expect(reasonOf(parseComplianceWebhook({ topic: "SHOP_REDACT", payload: "nope" }))).toBe("(payload): must be an object");
    expect(reasonOf(parseComplianceWebhook({ topic: "CUSTOMERS_DATA_REQUEST", payload: null }))).toBe("(payload): must be an object");
  });

  it("refuses a request that names nobody", () => {
    expect(reasonOf(parseComplianceWebhook({ topic: "CUSTOMERS_DATA_REQUEST", payload: { customer: { id: null, email: " " } } }))).toBe(
      "customer: has neither an id nor an email",
    );
    expect(reasonOf(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { customer: {}, orders_to_redact: [] } }))).toMatch(/^customer: has neither/);
    // Orders alone are enough for a redaction: they are anonymised even with no customer named.
    expect(parseComplianceWebhook({ topic: "CUSTOMERS_REDACT", payload: { customer: {}, orders_to_redact: [42] } })).toMatchObject({
      ok: true,
      value: { shopifyCustomerId: null, email: null, ordersToRedact: ["42"] },
    });
  });
});

describe("webhookPayloadMentions", () => {
  const person = { emails: ["Jane@Example.com"], shopifyCustomerIds: ["191167"], shopifyOrderIds: ["450789469"] };

  it.each([
    ["an e-mail anywhere, in any case", "ORDERS_CREATE", { id: 1, contact_email: "jane@example.COM " }, true],
    ["a nested customer object with the id", "CHECKOUTS_UPDATE", { token: "t", customer: { id: 191167 } }, true],
    ["a customer gid", "CHECKOUTS_CREATE", { customer: { id: "gid://shopify/Customer/191167" } }, true],
    ["the customer's own topic", "CUSTOMERS_UPDATE", { id: 191167, email: null }, true],
    ["the header spelling of a customer topic", "customers/update", { id: 191167 }, true],
    ["one of their orders", "ORDERS_UPDATED", { id: 450789469, email: null }, true],
    ["a compliance request about them", "CUSTOMERS_DATA_REQUEST", { customer: { id: 191167, email: null } }, true],
    ["an order whose id equals the customer id", "ORDERS_CREATE", { id: 191167, customer: { id: 5 } }, false],
    ["another customer", "CUSTOMERS_UPDATE", { id: 191168, email: "john@example.com" }, false],
    ["the id as a line item id", "ORDERS_CREATE", { id: 2, line_items: [{ id: 191167 }] }, false],
    ["a longer e-mail containing theirs", "ORDERS_CREATE", { email: "xjane@example.com" }, false],
    ["nothing at all", "SHOP_REDACT", null, false],
  ])("%s → %s", (_label, topic, payload, expected) => {
    expect(webhookPayloadMentions({ topic, payload }, person)).toBe(expected);
  });
});
