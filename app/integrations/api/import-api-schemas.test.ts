import { describe, expect, it } from "vitest";
import {
  checkoutState,
  parseCustomersBatch,
  parseFindCustomersQuery,
  parseOrdersBatch,
  toApiMoney,
  toCanonicalCustomer,
  toCanonicalOrder,
  type OrderInput,
} from "./import-api-schemas";

const order = (overrides: Record<string, unknown> = {}) => ({
  sourceId: "O-1",
  number: "2025-1042",
  placedAt: "2025-03-01T10:15:00+01:00",
  currency: "EUR",
  total: "49.90",
  customer: { sourceId: "C-1", email: "Ada@Example.com", firstName: " Ada ", lastName: "Lovelace", language: "de_ch" },
  items: [{ title: "Espresso beans", sku: "ESP-1", quantity: 2, unitPrice: "24.95" }],
  ...overrides,
});

function parsedOrder(overrides: Record<string, unknown> = {}): OrderInput {
  const parsed = parseOrdersBatch({ orders: [order(overrides)] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
  return parsed.value.orders[0]!;
}

describe("import API request validation", () => {
  it("accepts a complete order and defaults live to false", () => {
    expect(parsedOrder().live).toBe(false);
    expect(parsedOrder({ live: true }).live).toBe(true);
  });

  it("names every bad field by its path", () => {
    const parsed = parseOrdersBatch({
      orders: [
        order(),
        order({ sourceId: "O-2", total: "49,90", currency: "eur", placedAt: "yesterday", items: [{ title: "", quantity: 0, unitPrice: "1.00" }] }),
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fields).sort()).toEqual(
      ["orders.1.currency", "orders.1.items.0.quantity", "orders.1.items.0.title", "orders.1.placedAt", "orders.1.total"].sort(),
    );
    expect(parsed.fields["orders.1.total"]).toEqual(['expected a decimal string such as "49.90"']);
  });

  it("refuses more decimals than the currency has, per currency", () => {
    const eur = parseOrdersBatch({ orders: [order({ total: "49.905" })] });
    expect(eur.ok ? null : eur.fields).toEqual({ "orders.0.total": ["EUR has 2 decimals; got 3"] });
    const jpy = parseOrdersBatch({ orders: [order({ currency: "JPY", total: "1200.5", items: [{ title: "Tea", quantity: 1, unitPrice: "1200" }] })] });
    expect(jpy.ok ? null : jpy.fields).toEqual({ "orders.0.total": ["JPY has 0 decimals; got 1"] });
    expect(parseOrdersBatch({ orders: [order({ currency: "KWD", total: "10.125", items: [] })] }).ok).toBe(true);
  });

  it("reports unknown fields, missing fields and unknown currencies", () => {
    const parsed = parseOrdersBatch({ orders: [{ ...order({ currency: "XYZ" }), totl: "1.00", number: undefined }] });
    expect(parsed.ok ? null : parsed.fields).toEqual({
      "orders.0.currency": ["is not an ISO 4217 currency code"],
      "orders.0.number": ["required"],
      "orders.0.totl": ["unknown field"],
    });
  });

  it("needs a customer sourceId or e-mail, and a refund no larger than the total", () => {
    const parsed = parseOrdersBatch({ orders: [order({ customer: { firstName: "Ada" }, refunded: "50.00" })] });
    expect(parsed.ok ? null : parsed.fields).toEqual({
      "orders.0.customer.email": ["required when sourceId is missing"],
      "orders.0.refunded": ["exceeds the total"],
    });
  });

  it("takes 1 to 1,000 items per batch, each sourceId once", () => {
    expect(parseCustomersBatch({ customers: [] }).ok).toBe(false);
    const many = parseCustomersBatch({ customers: Array.from({ length: 1001 }, (_, index) => ({ sourceId: `C-${index}` })) });
    expect(many.ok ? null : many.fields).toEqual({ customers: ["at most 1000 items per request"] });
    expect(parseCustomersBatch({ customers: Array.from({ length: 1000 }, (_, index) => ({ sourceId: `C-${index}` })) }).ok).toBe(true);
    const twice = parseCustomersBatch({ customers: [{ sourceId: "C-1" }, { sourceId: "C-2" }, { sourceId: "C-1" }] });
    expect(twice.ok ? null : twice.fields).toEqual({ "customers.2.sourceId": ["repeats customers.0.sourceId"] });
  });

  it("refuses a body that is not the expected object", () => {
    expect(parseOrdersBatch([]).ok ? null : (parseOrdersBatch([]) as { fields: object }).fields).toEqual({ body: ["expected object, received array"] });
    expect((parseOrdersBatch({}) as { fields: object }).fields).toEqual({ orders: ["required"] });
  });
});

describe("mapping to canonical records", () => {
  it("maps an order with its buyer and lines, in minor units, never live unless asked", () => {
    const canonical = toCanonicalOrder(
      parsedOrder({
        subtotal: "41.93",
        refunded: "5.00",
        status: { financial: "partially_refunded", fulfilment: "fulfilled" },
        updatedAt: "2025-03-02T08:00:00Z",
        customer: {
          sourceId: "C-1",
          email: "Ada@Example.com",
          firstName: " Ada ",
          language: "de_ch",
          address: { line1: "Hauptstraße 1", postalCode: "8001", city: "Zürich", countryCode: "ch" },
        },
      }),
    );
    expect(canonical).toMatchObject({
      source: "API",
      sourceId: "O-1",
      number: "2025-1042",
      placedAt: new Date("2025-03-01T09:15:00Z"),
      sourceUpdatedAt: new Date("2025-03-02T08:00:00Z"),
      currency: "EUR",
      totalMinor: 4990n,
      subtotalMinor: 4193n,
      refundedMinor: 500n,
      financialState: "PARTIALLY_REFUNDED",
      fulfilmentState: "FULFILLED",
      cancelledAt: null,
      checkoutToken: null,
      email: "Ada@Example.com",
      customerLocale: "de-CH",
      live: false,
      lineItems: [{ sourceId: null, title: "Espresso beans", sku: "ESP-1", quantity: 2, unitPriceMinor: 2495n, totalMinor: 4990n, variantTitle: null, productId: null, variantId: null }],
    });
    expect(canonical.customer).toEqual({
      source: "API",
      sourceId: "C-1",
      sourceUpdatedAt: null,
      email: "Ada@Example.com",
      firstName: "Ada",
      lastName: null,
      company: null,
      phone: null,
      language: "de-CH",
      address: { name: null, company: null, line1: "Hauptstraße 1", line2: null, postalCode: "8001", city: "Zürich", region: null, countryCode: "CH" },
    });
    expect(canonical.shippingAddress).toEqual(canonical.customer!.address);
    expect(toCanonicalOrder(parsedOrder({ live: true })).live).toBe(true);
    expect(toCanonicalOrder(parsedOrder({ status: null })).financialState).toBe("UNKNOWN");
  });

  it("files a buyer given only by e-mail under an e-mail identity", () => {
    const canonical = toCanonicalOrder(parsedOrder({ customer: { email: "Grace@Example.com" } }));
    expect(canonical.customer).toMatchObject({ source: "API", sourceId: "email:grace@example.com", email: "Grace@Example.com" });
  });

  it("maps a customer; blanks and empty addresses become null", () => {
    const parsed = parseCustomersBatch({ customers: [{ sourceId: " C-9 ", email: "", firstName: "Grace", phone: "  ", address: { line1: " " }, updatedAt: "2025-01-01T00:00:00Z" }] });
    expect(parsed.ok ? null : parsed.fields).toEqual({ "customers.0.email": ["expected an e-mail address"] });
    const ok = parseCustomersBatch({ customers: [{ sourceId: " C-9 ", firstName: "Grace", phone: "  ", address: { line1: " " }, updatedAt: "2025-01-01T00:00:00Z" }] });
    if (!ok.ok) throw new Error("expected valid");
    expect(toCanonicalCustomer(ok.value.customers[0]!)).toEqual({
      source: "API",
      sourceId: "C-9",
      sourceUpdatedAt: new Date("2025-01-01T00:00:00Z"),
      email: null,
      firstName: "Grace",
      lastName: null,
      company: null,
      phone: null,
      language: null,
      address: null,
    });
  });
});

describe("find query", () => {
  it("takes an e-mail, or a source with its id, and nothing else", () => {
    expect(parseFindCustomersQuery(new URLSearchParams("email=ada@example.com"))).toEqual({ ok: true, value: { by: "email", email: "ada@example.com" } });
    expect(parseFindCustomersQuery(new URLSearchParams("source=Shopify&sourceId=42"))).toEqual({ ok: true, value: { by: "source", source: "shopify", sourceId: "42" } });
    expect(parseFindCustomersQuery(new URLSearchParams(""))).toEqual({ ok: false, missing: true });
    expect(parseFindCustomersQuery(new URLSearchParams("source=ebay&sourceId=1"))).toEqual({ ok: false, fields: { source: ["expected one of shopify, billbee, csv, api"] } });
    expect(parseFindCustomersQuery(new URLSearchParams("source=api"))).toEqual({ ok: false, fields: { sourceId: ["required"] } });
    expect(parseFindCustomersQuery(new URLSearchParams("email=nope"))).toEqual({ ok: false, fields: { email: ["expected an e-mail address"] } });
  });
});

describe("response pieces", () => {
  it("writes amounts with the currency's digits", () => {
    expect(toApiMoney(4990n, "EUR")).toEqual({ amount: "49.90", currency: "EUR" });
    expect(toApiMoney(1200n, "JPY")).toEqual({ amount: "1200", currency: "JPY" });
    expect(toApiMoney(5n, "KWD")).toEqual({ amount: "0.005", currency: "KWD" });
  });

  it("names a checkout's state: recovered beats abandoned beats completed", () => {
    const at = new Date("2025-01-01T00:00:00Z");
    expect(checkoutState({ abandonedAt: null, recoveredAt: null, completedAt: null })).toBe("open");
    expect(checkoutState({ abandonedAt: null, recoveredAt: null, completedAt: at })).toBe("completed");
    expect(checkoutState({ abandonedAt: at, recoveredAt: null, completedAt: null })).toBe("abandoned");
    expect(checkoutState({ abandonedAt: at, recoveredAt: at, completedAt: at })).toBe("recovered");
  });
});
