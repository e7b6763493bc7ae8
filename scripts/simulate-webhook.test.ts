import { describe, expect, it } from "vitest";
import { DEMO_SHOP_DOMAIN } from "../app/env.server";
import { SHOPIFY_FIXTURE, fixtureBody } from "../tests/support/shopify-fixtures";
import { abandonedCheckoutPayload, applySets, buildBody, parseSetValue, recoveringOrderPayload, scenarioCustomer, SimulatorError } from "./simulate-webhook";

describe("--set values", () => {
  it.each([
    ["42", undefined, 42],
    ["true", null, true],
    ["null", "text", null],
    ['{"a":1}', undefined, { a: 1 }],
    ['"42"', 1, "42"],
    ["ada@example.com", "x", "ada@example.com"],
    // Shopify sends money as text: a number replacing text stays text.
    ["12.50", "403.00", "12.50"],
    ["false", "yes", "false"],
  ])("%s over %j becomes %j", (raw, current, expected) => {
    expect(parseSetValue(raw, current)).toEqual(expected);
  });

  it("follows dot paths into objects and lists, creating what is missing", () => {
    const payload = applySets({ customer: { email: "a@b.c" }, line_items: [{ quantity: 1 }] }, [
      "customer.email=ada@example.com",
      "line_items.0.quantity=3",
      "note_attributes.0.name=gift",
      "customer.default_address=null",
    ]);
    expect(payload).toEqual({
      customer: { email: "ada@example.com", default_address: null },
      line_items: [{ quantity: 3 }],
      note_attributes: [{ name: "gift" }],
    });
  });

  it("names the mistake in a malformed --set", () => {
    expect(() => applySets({}, ["email"])).toThrow(SimulatorError);
    expect(() => applySets({ line_items: [] }, ["line_items.price=1"])).toThrow(/is a list; use an index/);
  });
});

describe("bodies", () => {
  it("sends an unchanged fixture byte for byte", () => {
    expect(buildBody("orders/create", [], SHOPIFY_FIXTURE.shopDomain)).toBe(fixtureBody("orders-create"));
  });

  it("points the payload's own shop fields at the target shop", () => {
    expect(JSON.parse(buildBody("customers/redact", [], DEMO_SHOP_DOMAIN))).toMatchObject({ shop_domain: DEMO_SHOP_DOMAIN });
  });

  it("refuses a topic without a fixture, listing the ones there are", () => {
    expect(() => buildBody("orders/paid", [], DEMO_SHOP_DOMAIN)).toThrow(/No fixture for "orders\/paid".*orders\/create/);
  });
});

describe("abandon-recover payloads", () => {
  it("uses the demo customer's Shopify id and address, and joins the order to the checkout by token", () => {
    const customer = scenarioCustomer();
    expect(customer.demoCustomerId).not.toBeNull();
    const now = new Date("2026-11-25T12:00:00Z");
    const { token, payload: checkout } = abandonedCheckoutPayload(customer, { now });
    expect(checkout).toMatchObject({
      token,
      email: customer.email,
      updated_at: "2026-11-25T09:00:00+00:00",
      completed_at: null,
      customer: { id: customer.shopifyCustomerId, first_name: customer.firstName },
      shipping_address: { address1: customer.address!.address1 },
    });
    const order = recoveringOrderPayload(customer, token, { now });
    expect(order).toMatchObject({ checkout_token: token, email: customer.email, customer: { id: customer.shopifyCustomerId }, created_at: "2026-11-25T12:00:00+00:00" });
  });

  it("finds a demo customer by e-mail in any case, and makes a new shopper of any other address", () => {
    const featured = scenarioCustomer();
    expect(scenarioCustomer(featured.email.toUpperCase()).demoCustomerId).toBe(featured.demoCustomerId);
    expect(scenarioCustomer("Someone@Example.com")).toMatchObject({ email: "someone@example.com", demoCustomerId: null, address: null });
  });
});
