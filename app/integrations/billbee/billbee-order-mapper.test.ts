import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { billbeeOrderStatus, mapBillbeeOrder, toMinor, type BillbeeOrderStatus } from "./billbee-order-mapper";
import { pageBillbeeOrders, parseBillbeeOrderQuery } from "./billbee-paging";
import { parseBillbeeDate } from "./billbee-schemas";

type Json = Record<string, unknown>;

const page = JSON.parse(readFileSync(path.join(process.cwd(), "tests/fixtures/billbee/orders-page.json"), "utf8")) as { Data: Json[] };
const [paidShipped, cancelled, swissB2b] = page.Data as [Json, Json, Json];
const clone = (order: Json): Json => structuredClone(order);

function mapOk(raw: unknown) {
  const result = mapBillbeeOrder(raw);
  if (!result.ok) throw new Error(`expected a mapped order, got ${JSON.stringify(result.errors)}`);
  return result.order;
}

describe("mapBillbeeOrder", () => {
  it("maps a paid, shipped order with its buyer, items, coupon and addresses", () => {
    const order = mapOk(paidShipped);
    expect(order).toMatchObject({
      source: "BILLBEE",
      sourceId: "300000190000101",
      number: "BB-2026-0412",
      placedAt: new Date("2026-03-03T09:41:27Z"),
      sourceUpdatedAt: new Date("2026-03-04T15:02:11.873Z"),
      currency: "EUR",
      totalMinor: 5280n,
      subtotalMinor: 4790n,
      refundedMinor: 0n,
      financialState: "PAID",
      fulfilmentState: "FULFILLED",
      cancelledAt: null,
      cancelReason: null,
      checkoutToken: null,
      email: "anna.schmidt@example.de",
      customerLocale: "de",
      discountCodes: ["Gutschein WILLKOMMEN5"],
      live: false,
    });
    expect(order.lineItems).toEqual([
      {
        sourceId: "300000306210001",
        productId: "300000065900017",
        variantId: null,
        sku: "ESP-MR-1000",
        title: "Espresso Morgenrot, 1 kg",
        variantTitle: "Mahlgrad: ganze Bohne",
        quantity: 2,
        unitPriceMinor: 1990n,
        totalMinor: 3980n,
      },
      {
        sourceId: "300000306210002",
        productId: "300000065900102",
        variantId: null,
        sku: "ACC-MK-350",
        title: "Milchkännchen Edelstahl 350 ml",
        variantTitle: null,
        quantity: 1,
        unitPriceMinor: 1305n,
        totalMinor: 1305n,
      },
    ]);
    // The buyer lives at the invoice address; the parcel went to a Packstation.
    expect(order.customer).toEqual({
      source: "BILLBEE",
      sourceId: "300000147900233",
      sourceUpdatedAt: new Date("2026-03-04T15:02:11.873Z"),
      email: "anna.schmidt@example.de",
      firstName: "Anna",
      lastName: "Schmidt",
      company: null,
      phone: "+49 89 1234567",
      language: "de",
      address: {
        name: "Anna Schmidt",
        company: null,
        line1: "Gartenstraße 12a",
        line2: "3. OG",
        postalCode: "80331",
        city: "München",
        region: "Bayern",
        countryCode: "DE",
      },
    });
    expect(order.shippingAddress).toMatchObject({ line1: "Postnummer 123456789", line2: "Packstation 117", postalCode: "80335" });
  });

  it("marks a cancelled (Storniert) order cancelled at its last change, so it never counts", () => {
    const order = mapOk(cancelled);
    expect(order).toMatchObject({
      sourceId: "300000190000102",
      financialState: "VOIDED",
      fulfilmentState: "UNFULFILLED",
      cancelledAt: new Date("2026-03-06T08:00:41.090Z"),
      cancelReason: "cancelled",
      customerLocale: "de-AT",
      live: false,
    });
    expect(order.customer?.address).toMatchObject({ line1: "Mariahilfer Straße 88", line2: "Top 14", postalCode: "1070", countryCode: "AT" });
  });

  it("keeps a Swiss company order in CHF, reads .NET's empty date as none, and takes the e-mail from the customer", () => {
    const order = mapOk(swissB2b);
    expect(order).toMatchObject({
      number: "300000190000103",
      currency: "CHF",
      totalMinor: 26950n,
      financialState: "PAID",
      fulfilmentState: "FULFILLED",
      email: "einkauf@zytglogge-cafe.ch",
      customerLocale: "de-CH",
      shippingAddress: { company: "Café Zytglogge GmbH", line1: "Kramgasse 49", line2: "z. Hd. Einkauf", city: "Bern", region: "BE", countryCode: "CH" },
    });
    expect(order.customer).toMatchObject({ firstName: null, lastName: null, company: "Café Zytglogge GmbH" });
    expect(order.lineItems).toEqual([expect.objectContaining({ quantity: 7, unitPriceMinor: 3850n, totalMinor: 26950n })]);
  });

  const stateCases: [string, Json, { cancelReason: string | null; financialState?: string; fulfilmentState?: string }][] = [
    ["Gelöscht (6)", { State: 6 }, { cancelReason: "deleted" }],
    ["a cancellation document", { State: 1, IsCancelationFor: "300000190000101" }, { cancelReason: "cancellation document" }],
    ["Bestellt (1), unpaid", { State: 1, PayedAt: null, PaidAmount: 0 }, { cancelReason: null, financialState: "PENDING", fulfilmentState: "UNFULFILLED" }],
  ];
  it.each(stateCases)("maps %s", (_label, patch, expected) => {
    const order = mapOk({ ...clone(cancelled), ...patch });
    expect(order.cancelledAt !== null).toBe(expected.cancelReason !== null);
    expect(order).toMatchObject(expected);
  });

  it("counts a fractional quantity as one piece at the line total and shows the real quantity", () => {
    const raw = clone(cancelled);
    (raw.OrderItems as Json[])[0] = { ...(raw.OrderItems as Json[])[0]!, Quantity: 1.5, TotalPrice: 134.85 };
    expect(mapOk(raw).lineItems[0]).toMatchObject({ quantity: 1, unitPriceMinor: 13485n, totalMinor: 13485n, variantTitle: "1.5 ×" });
  });

  it("treats discount lines (negative totals, IsDiscount) as discounts, not products", () => {
    const raw = clone(cancelled);
    const product = (raw.OrderItems as Json[])[0]!;
    raw.OrderItems = [
      product,
      { ...product, BillbeeId: 1, Product: { Title: "Rabatt Stammkunde", SKU: "DISCOUNT" }, TotalPrice: -5, IsDiscount: true },
      { ...product, BillbeeId: 2, Product: { Title: null, SKU: "SOMMER10" }, TotalPrice: -8.99 },
    ];
    const order = mapOk(raw);
    expect(order.lineItems).toHaveLength(1);
    expect(order.discountCodes).toEqual(["Rabatt Stammkunde", "SOMMER10"]);
  });

  it("falls back to the address e-mail and leaves the buyer out when Billbee names no customer", () => {
    const raw = { ...clone(cancelled), Customer: null };
    const order = mapOk(raw);
    expect(order.customer).toBeNull();
    expect(order.email).toBe("lukas.gruber@example.at");
  });

  it.each([
    ["a missing creation date", { CreatedAt: null }, "CreatedAt", /is missing/],
    ["an unreadable date", { CreatedAt: "03.03.2026 09:41" }, "CreatedAt", /not a date/],
    ["a missing total", { TotalCost: undefined }, "TotalCost", /is missing/],
    ["a currency that is no code", { Currency: "Euro" }, "Currency", /ISO 4217/],
    ["an item without quantity", { OrderItems: [{ TotalPrice: 1 }] }, "OrderItems.0.Quantity", /is missing/],
    ["a state that is text", { State: "Versendet" }, "State", /expected number/],
  ])("reports %s with the field and the order", (_label, patch, column, reason) => {
    const result = mapBillbeeOrder({ ...clone(paidShipped), ...patch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ column, reason: expect.stringMatching(reason) }]);
    expect(result.errors[0]!.reason).toContain("300000190000101 / BB-2026-0412");
  });

  it("reports an order that is no object at all", () => {
    const result = mapBillbeeOrder("not an order");
    expect(result).toEqual({ ok: false, errors: [{ column: null, reason: expect.stringContaining("Billbee order") }] });
  });
});

describe("billbeeOrderStatus", () => {
  const base = { PayedAt: null, ShippedAt: null, PaidAmount: null, TotalCost: 50, IsCancelationFor: null };
  const paidAt = new Date("2026-01-02T10:00:00Z");
  const shippedAt = new Date("2026-01-03T10:00:00Z");
  const cases: [string, Partial<Parameters<typeof billbeeOrderStatus>[0]> & { State: number }, Partial<BillbeeOrderStatus>][] = [
    ["1 Bestellt", { State: 1 }, { financialState: "PENDING", fulfilmentState: "UNFULFILLED", cancelled: false }],
    ["2 Bestätigt, paid", { State: 2, PayedAt: paidAt }, { financialState: "PAID", fulfilmentState: "UNFULFILLED" }],
    ["3 Zahlung erhalten", { State: 3 }, { financialState: "PAID", fulfilmentState: "UNFULFILLED" }],
    ["4 Versendet, unpaid (invoice)", { State: 4, ShippedAt: shippedAt }, { financialState: "PENDING", fulfilmentState: "FULFILLED" }],
    ["4 Versendet, partly paid", { State: 4, PaidAmount: 20 }, { financialState: "PARTIALLY_PAID", fulfilmentState: "FULFILLED" }],
    ["5 Reklamation", { State: 5, PayedAt: paidAt }, { financialState: "PAID", fulfilmentState: "FULFILLED" }],
    ["6 Gelöscht", { State: 6 }, { financialState: "VOIDED", cancelled: true, cancelReason: "deleted" }],
    ["7 Abgeschlossen", { State: 7 }, { financialState: "PAID", fulfilmentState: "FULFILLED", cancelled: false }],
    ["8 Storniert, unpaid", { State: 8 }, { financialState: "VOIDED", cancelled: true, cancelReason: "cancelled" }],
    ["8 Storniert, paid", { State: 8, PayedAt: paidAt }, { financialState: "REFUNDED", cancelled: true }],
    ["9 Archiviert, shipped", { State: 9, PayedAt: paidAt, ShippedAt: shippedAt }, { financialState: "PAID", fulfilmentState: "FULFILLED" }],
    ["9 Archiviert, never shipped", { State: 9 }, { fulfilmentState: "UNFULFILLED" }],
    ["10 Bewertet", { State: 10, PaidAmount: 50 }, { financialState: "PAID", fulfilmentState: "FULFILLED" }],
    ["11 Mahnung", { State: 11, ShippedAt: shippedAt }, { financialState: "PENDING", fulfilmentState: "FULFILLED", cancelled: false }],
    ["13 Gepackt", { State: 13, PayedAt: paidAt, ShippedAt: shippedAt }, { financialState: "PAID", fulfilmentState: "UNFULFILLED" }],
    ["14 Angeboten", { State: 14 }, { financialState: "PENDING", fulfilmentState: "UNFULFILLED", cancelled: false }],
    ["15 Zahlungserinnerung", { State: 15 }, { financialState: "PENDING", cancelled: false }],
    ["16 Im Fulfillment", { State: 16, PayedAt: paidAt }, { financialState: "PAID", fulfilmentState: "UNFULFILLED" }],
    ["an unknown state", { State: 42 }, { financialState: "PENDING", fulfilmentState: "UNKNOWN", cancelled: false }],
    ["a cancellation document", { State: 7, IsCancelationFor: "123" }, { cancelled: true, cancelReason: "cancellation document" }],
  ];
  it.each(cases)("%s", (_label, input, expected) => {
    expect(billbeeOrderStatus({ ...base, ...input })).toMatchObject(expected);
  });
});

describe("Billbee values", () => {
  it.each([
    ["2023-04-29T13:31:59.317", "2023-04-29T13:31:59.317Z"],
    ["2023-04-29T13:31:59", "2023-04-29T13:31:59.000Z"],
    ["2023-04-29T13:31:59.3", "2023-04-29T13:31:59.300Z"],
    ["2023-04-29T13:31:59.1234567", "2023-04-29T13:31:59.123Z"],
    ["2023-04-29T13:31:59+02:00", "2023-04-29T11:31:59.000Z"],
    ["2023-04-29T13:31:59.5-0100", "2023-04-29T14:31:59.500Z"],
    ["2023-04-29T13:31:59Z", "2023-04-29T13:31:59.000Z"],
  ])("reads %s as %s", (input, expected) => {
    expect(parseBillbeeDate(input)?.toISOString()).toBe(expected);
  });

  it.each([["0001-01-01T00:00:00"], ["29.04.2023"], [""], [null]])("reads %s as no date", (input) => {
    expect(parseBillbeeDate(input)).toBeNull();
  });

  it.each([
    [19.9, "EUR", 1990n],
    [3498.6, "EUR", 349860n],
    [0.1 + 0.2, "EUR", 30n],
    [-4.95, "EUR", -495n],
    [1200, "JPY", 1200n],
    [12.3456, "KWD", 12346n],
  ])("converts %s %s to %s minor units", (amount, currency, expected) => {
    expect(toMinor(amount, currency)).toBe(expected);
  });
});

describe("pageBillbeeOrders", () => {
  const orders = [3, 1, 2, 5, 4].map((n) => ({ BillBeeOrderId: n, CreatedAt: "2026-01-01T00:00:00", LastModifiedAt: `2026-01-0${n}T12:00:00` }));

  it("pages by id with Billbee's envelope and filters by modifiedAtMin", () => {
    const first = pageBillbeeOrders(orders, { page: 1, pageSize: 2, modifiedAtMin: null });
    expect(first.Paging).toEqual({ Page: 1, TotalPages: 3, TotalRows: 5, PageSize: 2 });
    expect(first.Data.map((order) => order.BillBeeOrderId)).toEqual([1, 2]);
    expect(first).toMatchObject({ ErrorCode: 0, ErrorMessage: null });
    const changed = pageBillbeeOrders(orders, { page: 1, pageSize: 50, modifiedAtMin: new Date("2026-01-04T12:00:00Z") });
    expect(changed.Data.map((order) => order.BillBeeOrderId)).toEqual([4, 5]);
    expect(pageBillbeeOrders(orders, { page: 9, pageSize: 2, modifiedAtMin: null }).Data).toEqual([]);
  });

  it("reads the query with Billbee's defaults and its 250 cap", () => {
    expect(parseBillbeeOrderQuery(new URLSearchParams(""))).toEqual({ page: 1, pageSize: 50, modifiedAtMin: null });
    expect(parseBillbeeOrderQuery(new URLSearchParams("page=3&pageSize=1000&modifiedAtMin=2026-01-04T12:00:00.000Z"))).toEqual({
      page: 3,
      pageSize: 250,
      modifiedAtMin: new Date("2026-01-04T12:00:00Z"),
    });
  });
});
