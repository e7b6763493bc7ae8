import { describe, expect, it } from "vitest";
import type { CanonicalAddress, CanonicalCheckout, CanonicalCustomer, CanonicalOrder } from "../../core/canonical-records";
import {
  checkoutPayload,
  compliancePayload,
  customerPayload,
  fixtureBody,
  fixtureNameForTopic,
  orderPayload,
  SHOPIFY_FIXTURE,
  SHOPIFY_FIXTURE_NAMES,
} from "../../../tests/support/shopify-fixtures";
import { parseShopifyWebhook, type ParsedShopifyWebhook } from "./webhook-payloads";

// The fixtures' order was processed at 2026-11-20T10:05:11+01:00; received an hour later.
const PROCESSED_AT = new Date("2026-11-20T09:05:11Z");
const RECEIVED_AT = new Date("2026-11-20T10:05:11Z");
const DAY_MS = 24 * 60 * 60 * 1000;

function parse(topic: string, payload: unknown, receivedAt = RECEIVED_AT) {
  return parseShopifyWebhook({ topic, payload, receivedAt });
}

function parsed(topic: string, payload: unknown, receivedAt = RECEIVED_AT): ParsedShopifyWebhook {
  const result = parse(topic, payload, receivedAt);
  if (!result?.ok) throw new Error(`expected ${topic} to parse: ${result ? result.reason : "unknown topic"}`);
  return result.value;
}

function parsedOrder(payload: unknown, receivedAt = RECEIVED_AT, topic = "ORDERS_CREATE"): CanonicalOrder {
  const value = parsed(topic, payload, receivedAt);
  if (value.kind !== "order") throw new Error(`expected an order, got ${value.kind}`);
  return value.order;
}

function parsedCheckout(payload: unknown, topic = "CHECKOUTS_CREATE"): CanonicalCheckout {
  const value = parsed(topic, payload);
  if (value.kind !== "checkout") throw new Error(`expected a checkout, got ${value.kind}`);
  return value.checkout;
}

function parsedCustomer(payload: unknown, topic = "CUSTOMERS_CREATE"): CanonicalCustomer {
  const value = parsed(topic, payload);
  if (value.kind !== "customer") throw new Error(`expected a customer, got ${value.kind}`);
  return value.customer;
}

function failureReason(topic: string, payload: unknown): string {
  const result = parse(topic, payload);
  if (result === null) throw new Error(`${topic} is not a parsed topic`);
  if (result.ok) throw new Error(`expected ${topic} to fail`);
  return result.reason;
}

function fixture(name: Parameters<typeof fixtureBody>[0]): unknown {
  return JSON.parse(fixtureBody(name));
}

const LENA_ADDRESS: CanonicalAddress = {
  name: "Lena Hoffmann",
  company: null,
  line1: "Lindenstraße 12",
  line2: "Hinterhaus, 2. OG",
  postalCode: "10969",
  city: "Berlin",
  region: null,
  countryCode: "DE",
};

describe("topics", () => {
  it.each([
    ["ORDERS_CREATE", "order"],
    ["orders/create", "order"],
    ["ORDERS_UPDATED", "order"],
    ["orders/cancelled", "order"],
    ["CHECKOUTS_CREATE", "checkout"],
    ["checkouts/update", "checkout"],
    ["CUSTOMERS_CREATE", "customer"],
    ["customers/update", "customer"],
    ["APP_UNINSTALLED", "app-uninstalled"],
    ["app/uninstalled", "app-uninstalled"],
  ])("%s parses its fixture as %s", (topic, kind) => {
    const payload = fixture(fixtureNameForTopic(topic)!);
    expect(parsed(topic, payload).kind).toBe(kind);
  });

  it.each(["CUSTOMERS_DATA_REQUEST", "customers/redact", "SHOP_REDACT", "PRODUCTS_UPDATE", "checkouts/delete", ""])(
    "%s is not parsed here (null)",
    (topic) => {
      expect(parse(topic, { id: 1 })).toBeNull();
    },
  );

  it("accepts any app/uninstalled body: nothing in it is used", () => {
    expect(parse("APP_UNINSTALLED", fixture("app-uninstalled"))).toEqual({ ok: true, value: { kind: "app-uninstalled" } });
    expect(parse("APP_UNINSTALLED", {})).toEqual({ ok: true, value: { kind: "app-uninstalled" } });
  });
});

describe("orders", () => {
  it("maps orders/create to the canonical order, amounts in cents", () => {
    expect(parsedOrder(fixture("orders-create"))).toEqual({
      source: "SHOPIFY",
      sourceId: String(SHOPIFY_FIXTURE.orderId),
      number: "#9999",
      placedAt: PROCESSED_AT,
      sourceUpdatedAt: new Date("2026-11-20T09:05:13Z"),
      currency: "EUR",
      totalMinor: 6097n,
      subtotalMinor: 5607n,
      refundedMinor: 0n,
      financialState: "PAID",
      fulfilmentState: "UNFULFILLED",
      cancelledAt: null,
      cancelReason: null,
      checkoutToken: SHOPIFY_FIXTURE.checkoutToken,
      email: SHOPIFY_FIXTURE.email,
      customerLocale: "de",
      shippingAddress: LENA_ADDRESS,
      discountCodes: ["LETTER10"],
      customer: {
        source: "SHOPIFY",
        sourceId: String(SHOPIFY_FIXTURE.customerId),
        sourceUpdatedAt: new Date("2026-11-20T09:05:12Z"),
        email: SHOPIFY_FIXTURE.email,
        firstName: "Lena",
        lastName: "Hoffmann",
        company: null,
        phone: "+4915112345678",
        // The order's customer carries no locale: the order's customer_locale stands in.
        language: "de",
        address: LENA_ADDRESS,
      },
      lineItems: [
        {
          sourceId: String(SHOPIFY_FIXTURE.notebookLineItemId),
          productId: "8923451234567",
          variantId: "47512345678901",
          sku: "NB-A5-DOT-SAGE",
          title: "Letterpress Notebook A5",
          variantTitle: "Dotted / Sage",
          quantity: 2,
          unitPriceMinor: 2490n,
          // 2 × 24.90 − 4.98 (LETTER10)
          totalMinor: 4482n,
        },
        {
          sourceId: String(SHOPIFY_FIXTURE.inkLineItemId),
          productId: "8923451298013",
          variantId: "47512345712345",
          sku: "INK-50-MB",
          title: "Fountain Pen Ink 50 ml",
          variantTitle: "Midnight Blue",
          quantity: 1,
          unitPriceMinor: 1250n,
          totalMinor: 1125n,
        },
      ],
      live: true,
    } satisfies CanonicalOrder);
  });

  it("maps orders/updated: the ink refunded, newer updated_at", () => {
    const order = parsedOrder(fixture("orders-updated"), RECEIVED_AT, "ORDERS_UPDATED");
    expect(order).toMatchObject({
      sourceId: String(SHOPIFY_FIXTURE.orderId),
      sourceUpdatedAt: new Date("2026-11-21T15:42:05Z"),
      totalMinor: 6097n,
      refundedMinor: 1125n,
      financialState: "PARTIALLY_REFUNDED",
      cancelledAt: null,
    });
  });

  it("maps orders/cancelled: both refunds summed, cancellation kept", () => {
    const order = parsedOrder(fixture("orders-cancelled"), RECEIVED_AT, "ORDERS_CANCELLED");
    expect(order).toMatchObject({
      refundedMinor: 6097n,
      financialState: "REFUNDED",
      cancelledAt: new Date("2026-11-22T08:15:28Z"),
      cancelReason: "customer",
      sourceUpdatedAt: new Date("2026-11-22T08:15:30Z"),
    });
  });

  it("counts only successful refund transactions", () => {
    const payload = orderPayload({
      refunds: [
        { amount: "10.00" },
        { amount: "5.00", status: "failure" },
        { amount: "2.50", status: "pending" },
        { amount: "7.25", kind: "sale" },
        { amount: "0.99" },
      ],
    });
    expect(parsedOrder(payload).refundedMinor).toBe(1099n);
  });

  it("subtracts each line's discount allocations, never below zero", () => {
    const payload = orderPayload({
      lineItems: [
        { price: "19.99", quantity: 3, discount: "6.00" },
        { price: "5.00", quantity: 1, discount: "7.50" },
        { price: "0.10", quantity: 10 },
      ],
    });
    const order = parsedOrder(payload);
    expect(order.lineItems.map((item) => [item.unitPriceMinor, item.totalMinor])).toEqual([
      [1999n, 5397n],
      [500n, 0n],
      [10n, 100n],
    ]);
    // 59.97 + 5.00 + 1.00 − 13.50 = 52.47; shipping 4.90 on top
    expect(order.subtotalMinor).toBe(5247n);
    expect(order.totalMinor).toBe(5737n);
  });

  it("sums several discount allocations on one line", () => {
    const payload = orderPayload();
    const line = payload.line_items[0]!;
    line.discount_allocations = [
      { amount: "1.00", amount_set: line.discount_allocations[0]!.amount_set, discount_application_index: 0 },
      { amount: "2.50", amount_set: line.discount_allocations[0]!.amount_set, discount_application_index: 1 },
    ];
    expect(parsedOrder(payload).lineItems[0]!.totalMinor).toBe(4980n - 350n);
  });

  describe("live: processed within 24 h of delivery", () => {
    it.each([
      ["at processing", 0, true],
      ["one hour later", 60 * 60 * 1000, true],
      ["exactly 24 h later", DAY_MS, true],
      ["24 h and 1 s later", DAY_MS + 1000, false],
      ["a month later", 30 * DAY_MS, false],
    ])("received %s → %s", (_label, delayMs, live) => {
      const receivedAt = new Date(PROCESSED_AT.getTime() + delayMs);
      expect(parsedOrder(fixture("orders-create"), receivedAt).live).toBe(live);
    });

    it("judges history pushed by a migration by its processed_at, not created_at", () => {
      const payload = orderPayload({ createdAt: "2026-11-20T10:05:11+01:00", processedAt: "2024-03-02T14:00:00+01:00" });
      const order = parsedOrder(payload);
      expect(order.placedAt).toEqual(new Date("2024-03-02T13:00:00Z"));
      expect(order.live).toBe(false);
    });

    it("falls back to created_at when processed_at is missing", () => {
      const payload = orderPayload({}, { processed_at: null, created_at: "2026-11-19T09:00:00Z" });
      const order = parsedOrder(payload);
      expect(order.placedAt).toEqual(new Date("2026-11-19T09:00:00Z"));
      expect(order.live).toBe(false);
    });

    it.each(["ORDERS_UPDATED", "ORDERS_CANCELLED"])("uses the same rule for %s", (topic) => {
      expect(parsedOrder(fixture("orders-cancelled"), RECEIVED_AT, topic).live).toBe(true);
      expect(parsedOrder(fixture("orders-cancelled"), new Date(PROCESSED_AT.getTime() + 2 * DAY_MS), topic).live).toBe(false);
    });
  });

  it.each([
    ["pending", "PENDING"],
    ["authorized", "AUTHORIZED"],
    ["paid", "PAID"],
    ["partially_paid", "PARTIALLY_PAID"],
    ["partially_refunded", "PARTIALLY_REFUNDED"],
    ["refunded", "REFUNDED"],
    ["voided", "VOIDED"],
    ["expired", "UNKNOWN"],
    ["constructor", "UNKNOWN"],
    [null, "UNKNOWN"],
  ])("financial_status %s → %s", (status, state) => {
    expect(parsedOrder(orderPayload({ financialStatus: status })).financialState).toBe(state);
  });

  it.each([
    [null, "UNFULFILLED"],
    ["partial", "PARTIAL"],
    ["fulfilled", "FULFILLED"],
    ["restocked", "RESTOCKED"],
    ["on_hold", "UNKNOWN"],
  ])("fulfillment_status %s → %s", (status, state) => {
    expect(parsedOrder(orderPayload({ fulfillmentStatus: status })).fulfilmentState).toBe(state);
  });

  it("normalises locales and prefers the customer's own locale for the customer", () => {
    const payload = orderPayload({ customerLocale: "en-us" }, { customer: { locale: "pt_BR" } });
    const order = parsedOrder(payload);
    expect(order.customerLocale).toBe("en-US");
    expect(order.customer?.language).toBe("pt-BR");
  });

  it("takes contact_email when email is empty, and keeps an order without a customer", () => {
    const payload = orderPayload({ customerId: null }, { email: "", contact_email: "guest@example.com" });
    const order = parsedOrder(payload);
    expect(order.email).toBe("guest@example.com");
    expect(order.customer).toBeNull();
  });

  it("maps a missing shipping address and discount list to null and []", () => {
    const payload = orderPayload({}, { shipping_address: null, discount_codes: null });
    const order = parsedOrder(payload);
    expect(order.shippingAddress).toBeNull();
    expect(order.discountCodes).toEqual([]);
  });

  it("accepts ids as digit strings", () => {
    const payload = orderPayload({}, { id: "5829416403213", customer: { id: "7298374651234" } });
    const order = parsedOrder(payload);
    expect(order.sourceId).toBe("5829416403213");
    expect(order.customer?.sourceId).toBe("7298374651234");
  });

  it("recovers ids beyond 2^53 from admin_graphql_api_id, which JSON.parse cannot round", () => {
    // Shopify's own sample ids: JSON.parse turns 820982911946154508 into 820982911946154500.
    const body = fixtureBody("orders-create")
      .replace(`"id": ${SHOPIFY_FIXTURE.orderId}`, `"id": 820982911946154508`)
      .replace(`gid://shopify/Order/${SHOPIFY_FIXTURE.orderId}`, "gid://shopify/Order/820982911946154508")
      .replace(`"id": ${SHOPIFY_FIXTURE.notebookLineItemId}`, `"id": 866550311766439020`)
      .replace(`gid://shopify/LineItem/${SHOPIFY_FIXTURE.notebookLineItemId}`, "gid://shopify/LineItem/866550311766439020");
    const order = parsedOrder(JSON.parse(body));
    expect(order.sourceId).toBe("820982911946154508");
    expect(order.lineItems[0]!.sourceId).toBe("866550311766439020");
  });

  it("refuses an id beyond 2^53 that nothing recovers, rather than storing a rounded one", () => {
    // Written as JSON text: the literal cannot even be written exactly in TypeScript.
    const customer = JSON.parse(`{ "id": 115310627314723954, "admin_graphql_api_id": null }`) as { id: number };
    const payload = orderPayload({}, { customer });
    expect(failureReason("ORDERS_CREATE", payload)).toMatch(/^customer\.id: 115310627314723950 is beyond exact integer range/);
  });
});

describe("currencies with 0 and 3 minor digits", () => {
  it("maps JPY amounts as whole yen", () => {
    const payload = orderPayload({ currency: "JPY", shippingPrice: "800", lineItems: [{ price: "1200", quantity: 3, discount: "300" }] });
    const order = parsedOrder(payload);
    expect(order.currency).toBe("JPY");
    expect(order.lineItems[0]).toMatchObject({ unitPriceMinor: 1200n, totalMinor: 3300n });
    expect(order.subtotalMinor).toBe(3300n);
    expect(order.totalMinor).toBe(4100n);
  });

  it.each([
    ["KWD", "12.345", 2, "1.000", 12345n, 23690n],
    ["BHD", "0.500", 3, "0.250", 500n, 1250n],
  ])("maps %s amounts in thousandths", (currency, price, quantity, discount, unitMinor, lineMinor) => {
    const payload = orderPayload({ currency, shippingPrice: null, lineItems: [{ price, quantity, discount }], refunds: [{ amount: "0.125" }] });
    const order = parsedOrder(payload);
    expect(order.lineItems[0]).toMatchObject({ unitPriceMinor: unitMinor, totalMinor: lineMinor });
    expect(order.totalMinor).toBe(lineMinor);
    expect(order.refundedMinor).toBe(125n);
  });

  it("maps a JPY checkout", () => {
    const checkout = parsedCheckout(checkoutPayload({ currency: "JPY", lineItems: [{ price: "4500", quantity: 2 }] }));
    expect(checkout).toMatchObject({ currency: "JPY", valueMinor: 9000n });
    expect(checkout.lineItems[0]).toMatchObject({ unitPriceMinor: 4500n, totalMinor: 9000n });
  });
});

describe("checkouts", () => {
  it("maps checkouts/create to the canonical checkout", () => {
    expect(parsedCheckout(fixture("checkouts-create"))).toEqual({
      token: SHOPIFY_FIXTURE.checkoutToken,
      graphqlId: null,
      cartToken: SHOPIFY_FIXTURE.cartToken,
      email: SHOPIFY_FIXTURE.email,
      customerLocale: "de",
      abandonedCheckoutUrl: `https://fixture-shop.myshopify.com/68917231617/checkouts/ac/${SHOPIFY_FIXTURE.checkoutToken}/recover?key=2d8f6b1e9c4a7d3f&locale=de`,
      currency: "EUR",
      valueMinor: 2490n,
      createdAt: new Date("2026-11-20T08:51:12Z"),
      updatedAt: new Date("2026-11-20T08:51:14Z"),
      completedAt: null,
      customer: {
        source: "SHOPIFY",
        sourceId: String(SHOPIFY_FIXTURE.customerId),
        sourceUpdatedAt: new Date("2026-11-20T08:51:10Z"),
        email: SHOPIFY_FIXTURE.email,
        firstName: "Lena",
        lastName: "Hoffmann",
        company: null,
        phone: "+4915112345678",
        language: "de",
        address: LENA_ADDRESS,
      },
      shippingAddress: LENA_ADDRESS,
      lineItems: [
        {
          sourceId: "6f1c0e2b9d7a48c3b5e2a1d0c9f8e7b6",
          productId: "8923451234567",
          variantId: "47512345678901",
          sku: "NB-A5-DOT-SAGE",
          title: "Letterpress Notebook A5",
          variantTitle: "Dotted / Sage",
          quantity: 1,
          unitPriceMinor: 2490n,
          totalMinor: 2490n,
        },
      ],
    } satisfies CanonicalCheckout);
  });

  it("maps checkouts/update: same token, later updated_at, the full cart with discount and shipping", () => {
    const checkout = parsedCheckout(fixture("checkouts-update"), "CHECKOUTS_UPDATE");
    expect(checkout.token).toBe(SHOPIFY_FIXTURE.checkoutToken);
    expect(checkout.updatedAt).toEqual(new Date("2026-11-20T09:02:47Z"));
    expect(checkout.valueMinor).toBe(6097n);
    // line_price is before discounts: 2 × 24.90 and 1 × 12.50
    expect(checkout.lineItems.map((item) => [item.quantity, item.totalMinor])).toEqual([
      [2, 4980n],
      [1, 1250n],
    ]);
  });

  it("never needs the checkout id (removed in 2026-04) and ignores one that is sent", () => {
    expect(parsedCheckout(checkoutPayload({}, { id: 35221232123 })).token).toBe(SHOPIFY_FIXTURE.checkoutToken);
  });

  it("computes price × quantity when line_price is missing, and keys lines by `key`", () => {
    const payload = checkoutPayload({ lineItems: [{ price: "3.30", quantity: 3, key: "k-1" }] });
    payload.line_items[0]!.line_price = null;
    const [line] = parsedCheckout(payload).lineItems;
    expect(line).toMatchObject({ sourceId: "k-1", unitPriceMinor: 330n, totalMinor: 990n });
  });

  it("falls back to presentment_currency, and fails when neither currency is set", () => {
    expect(parsedCheckout(checkoutPayload({}, { currency: null, presentment_currency: "CHF" })).currency).toBe("CHF");
    expect(failureReason("CHECKOUTS_CREATE", checkoutPayload({}, { currency: null, presentment_currency: null }))).toBe(
      "currency: required (neither currency nor presentment_currency is set)",
    );
  });

  it("keeps a completed checkout's completed_at and a guest checkout without a customer", () => {
    const checkout = parsedCheckout(checkoutPayload({ completedAt: "2026-11-20T10:05:11+01:00", customerId: null }));
    expect(checkout.completedAt).toEqual(PROCESSED_AT);
    expect(checkout.customer).toBeNull();
  });
});

describe("customers", () => {
  it("maps customers/create", () => {
    expect(parsedCustomer(fixture("customers-create"))).toEqual({
      source: "SHOPIFY",
      sourceId: String(SHOPIFY_FIXTURE.customerId),
      sourceUpdatedAt: new Date("2026-11-20T08:51:10Z"),
      email: SHOPIFY_FIXTURE.email,
      firstName: "Lena",
      lastName: "Hoffmann",
      company: null,
      phone: "+4915112345678",
      language: "de",
      address: LENA_ADDRESS,
    } satisfies CanonicalCustomer);
  });

  it("maps customers/update: the company comes from the default address", () => {
    const customer = parsedCustomer(fixture("customers-update"), "CUSTOMERS_UPDATE");
    expect(customer.sourceUpdatedAt).toEqual(new Date("2026-11-21T07:30:00Z"));
    expect(customer.company).toBe("Studio Hoffmann");
    expect(customer.address).toEqual({ ...LENA_ADDRESS, company: "Studio Hoffmann" });
  });

  it("maps a customer without locale, phone or address", () => {
    const payload = customerPayload({ locale: null, phone: null, address: null });
    const customer = parsedCustomer(payload);
    expect(customer).toMatchObject({ language: null, phone: null, address: null, company: null });
  });

  it.each([
    ["de-CH", "de-CH"],
    ["pt_br", "pt-BR"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["not a locale", null],
  ])("locale %s → language %s", (locale, language) => {
    expect(parsedCustomer(customerPayload({ locale })).language).toBe(language);
  });

  it("composes the address name from first and last name when `name` is missing", () => {
    const payload = customerPayload({}, { default_address: { name: null, country_code: "at" } });
    expect(parsedCustomer(payload).address).toMatchObject({ name: "Lena Hoffmann", countryCode: "AT" });
  });
});

describe("failures name the fields", () => {
  it.each([
    ["a JSON array", [], "payload: expected object, received array"],
    ["a JSON string", "orders", "payload: expected object, received string"],
    ["null", null, "payload: expected object, received null"],
  ])("a payload that is %s", (_label, payload, reason) => {
    expect(failureReason("ORDERS_CREATE", payload)).toBe(reason);
    expect(failureReason("CHECKOUTS_UPDATE", payload)).toBe(reason);
    expect(failureReason("CUSTOMERS_UPDATE", payload)).toBe(reason);
  });

  it("a checkout without token", () => {
    const payload: Record<string, unknown> = checkoutPayload();
    delete payload.token;
    expect(failureReason("CHECKOUTS_CREATE", payload)).toBe("token: required");
    expect(failureReason("CHECKOUTS_CREATE", checkoutPayload({ token: "" }))).toBe("token: required");
  });

  it("a price that is no decimal", () => {
    const payload = orderPayload();
    payload.line_items[0]!.price = "abc";
    expect(failureReason("ORDERS_CREATE", payload)).toBe("line_items.0.price: expected a decimal string");
  });

  it("amounts sent as numbers or with a comma", () => {
    expect(failureReason("ORDERS_CREATE", orderPayload({}, { total_price: 60.97 }))).toBe("total_price: expected a decimal string");
    expect(failureReason("CHECKOUTS_CREATE", checkoutPayload({ totalPrice: "24,90" }))).toBe("total_price: expected a decimal string");
  });

  it("a refund amount that is no decimal", () => {
    const payload = orderPayload({ refunds: [{ amount: "ten" }] });
    expect(failureReason("ORDERS_UPDATED", payload)).toBe("refunds.0.transactions.0.amount: expected a decimal string");
  });

  it.each([
    ["not a date", "yesterday"],
    ["no offset", "2026-11-20T10:05:11"],
    ["no time", "2026-11-20"],
    ["an impossible day", "2026-02-30T10:00:00+01:00"],
  ])("a date with %s", (_label, value) => {
    expect(failureReason("ORDERS_CREATE", orderPayload({ processedAt: value }))).toBe(
      "processed_at: expected an ISO 8601 date-time with offset",
    );
  });

  it("several problems at once, each with its path", () => {
    const payload = orderPayload({}, { id: null, currency: "euro" });
    delete (payload as Record<string, unknown>).created_at;
    payload.line_items[1]!.quantity = 1.5;
    expect(failureReason("ORDERS_CREATE", payload)).toBe(
      "id: expected a numeric id; created_at: required; currency: expected an ISO 4217 currency code; line_items.1.quantity: expected a whole quantity",
    );
  });

  it("a customer payload without id", () => {
    expect(failureReason("CUSTOMERS_CREATE", customerPayload({}, { id: null }))).toBe("id: expected a numeric id");
  });
});

describe("fixtures", () => {
  it("every fixture is JSON shaped as Shopify sends it", () => {
    for (const name of SHOPIFY_FIXTURE_NAMES) {
      const payload = fixture(name);
      expect(payload, name).toBeTypeOf("object");
      expect(Array.isArray(payload), name).toBe(false);
    }
  });

  it("chain: every order completes the fixture checkout and belongs to its customer", () => {
    const checkouts = [fixture("checkouts-create"), fixture("checkouts-update")].map((payload) => parsedCheckout(payload));
    const orders = (["orders-create", "orders-updated", "orders-cancelled"] as const).map((name) => parsedOrder(fixture(name)));
    const customers = (["customers-create", "customers-update"] as const).map((name) => parsedCustomer(fixture(name)));
    for (const order of orders) {
      expect(order.checkoutToken).toBe(checkouts[0]!.token);
      expect(order.customer?.sourceId).toBe(checkouts[0]!.customer?.sourceId);
      expect(order.sourceId).toBe(orders[0]!.sourceId);
    }
    expect(checkouts[1]!.token).toBe(checkouts[0]!.token);
    expect(checkouts[1]!.updatedAt.getTime()).toBeGreaterThan(checkouts[0]!.updatedAt.getTime());
    expect(orders.map((order) => order.sourceUpdatedAt!.getTime())).toEqual(
      [...orders.map((order) => order.sourceUpdatedAt!.getTime())].sort((a, b) => a - b),
    );
    expect(customers.every((customer) => customer.sourceId === String(SHOPIFY_FIXTURE.customerId))).toBe(true);
    expect(new Set([...orders, ...checkouts].map((record) => record.email))).toEqual(new Set([SHOPIFY_FIXTURE.email]));
  });

  it("compliance payloads name the same shop, customer and order", () => {
    const dataRequest = compliancePayload("customers/data_request");
    expect(dataRequest).toEqual({
      shop_id: SHOPIFY_FIXTURE.shopId,
      shop_domain: SHOPIFY_FIXTURE.shopDomain,
      orders_requested: [SHOPIFY_FIXTURE.orderId],
      customer: { id: SHOPIFY_FIXTURE.customerId, email: SHOPIFY_FIXTURE.email, phone: SHOPIFY_FIXTURE.phone },
      data_request: { id: SHOPIFY_FIXTURE.dataRequestId },
    });
    expect(compliancePayload("customers/redact", { customer: { email: "other@example.com" } })).toEqual({
      shop_id: SHOPIFY_FIXTURE.shopId,
      shop_domain: SHOPIFY_FIXTURE.shopDomain,
      customer: { id: SHOPIFY_FIXTURE.customerId, email: "other@example.com", phone: SHOPIFY_FIXTURE.phone },
      orders_to_redact: [SHOPIFY_FIXTURE.orderId],
    });
    expect(compliancePayload("shop/redact")).toEqual({ shop_id: SHOPIFY_FIXTURE.shopId, shop_domain: SHOPIFY_FIXTURE.shopDomain });
  });

  it("factories keep derived fields consistent with their options", () => {
    const order = orderPayload({ id: 4242, customerId: 77, totalPrice: "99.50", refunds: [{ amount: "20.00" }] });
    expect(order.admin_graphql_api_id).toBe("gid://shopify/Order/4242");
    expect(order.customer.admin_graphql_api_id).toBe("gid://shopify/Customer/77");
    expect(order.total_price_set.shop_money.amount).toBe("99.50");
    expect(order.total_price_set.presentment_money.amount).toBe("99.50");
    expect(order.current_total_price).toBe("79.50");
    expect(order.financial_status).toBe("partially_refunded");
    expect(order.refunds[0]!.order_id).toBe(4242);

    const checkout = checkoutPayload({ token: "tok-1" });
    expect(checkout.abandoned_checkout_url).toContain("/checkouts/ac/tok-1/recover");
    expect(fixtureNameForTopic("CUSTOMERS_DATA_REQUEST")).toBe("customers-data_request");
    expect(fixtureNameForTopic("orders/paid")).toBeNull();
  });
});
