import { describe, expect, it } from "vitest";
import type { CsvMapping } from "./csv-fields";
import { createCsvOrderAssembler, previewCsvRecords, splitFullName, type CsvAssembled, type CsvRecord } from "./csv-orders";

const HEADERS = [
  "Order ID", "Order No", "Date", "Customer No", "E-Mail", "First Name", "Last Name", "Name", "Currency", "Total", "Status", "Shipping",
  "Cancelled", "Coupon", "Product", "SKU", "Qty", "Price", "Line Total", "Discount", "Street", "House No", "Zip", "City", "Country", "Language",
];
const column = (header: string) => HEADERS.indexOf(header);
const MAPPING: CsvMapping = {
  columns: {
    orderId: column("Order ID"),
    orderNumber: column("Order No"),
    orderDate: column("Date"),
    customerId: column("Customer No"),
    email: column("E-Mail"),
    firstName: column("First Name"),
    lastName: column("Last Name"),
    fullName: column("Name"),
    currency: column("Currency"),
    orderTotal: column("Total"),
    financialStatus: column("Status"),
    fulfillmentStatus: column("Shipping"),
    cancelledAt: column("Cancelled"),
    discountCode: column("Coupon"),
    itemTitle: column("Product"),
    itemSku: column("SKU"),
    itemQuantity: column("Qty"),
    itemUnitPrice: column("Price"),
    itemTotal: column("Line Total"),
    itemDiscount: column("Discount"),
    addressLine1: column("Street"),
    addressHouseNumber: column("House No"),
    postalCode: column("Zip"),
    city: column("City"),
    countryCode: column("Country"),
    language: column("Language"),
  },
  dateOrder: "DMY",
  decimalSeparator: ",",
  defaultCurrency: null,
};

type Row = Partial<Record<(typeof HEADERS)[number], string>>;

/** Records as the reader yields them, on lines 2, 3, …; `{ error }` is a malformed record. */
function recordsOf(rows: (Row | { error: string })[]): CsvRecord[] {
  return rows.map((entry, index) => {
    const line = index + 2;
    if (typeof entry.error === "string") return { line, error: entry.error, endByte: line * 100 };
    return { line, values: HEADERS.map((header) => (entry as Row)[header] ?? ""), endByte: line * 100 };
  });
}

function assemble(rows: Parameters<typeof recordsOf>[0], mapping: CsvMapping = MAPPING, shopCurrency = "EUR"): CsvAssembled {
  const assembler = createCsvOrderAssembler({ mapping, headers: HEADERS, shopCurrency });
  const out: CsvAssembled = { orders: [], problems: [] };
  for (const record of recordsOf(rows)) {
    const step = assembler.push(record);
    out.orders.push(...step.orders);
    out.problems.push(...step.problems);
  }
  const last = assembler.flush();
  out.orders.push(...last.orders);
  out.problems.push(...last.problems);
  return out;
}

const ANNA: Row = { "Order ID": "9001", "Order No": "#1001", Date: "05.03.2024 14:22", "E-Mail": " Anna.Becker@Example.DE ", "First Name": "Anna", "Last Name": "Becker", Currency: "EUR" };

describe("createCsvOrderAssembler", () => {
  it("builds one order from consecutive rows, order values from the first, an item from each", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Total: "1.234,50", Status: "paid", Shipping: "fulfilled", Coupon: "WILLKOMMEN10, SOMMER", Product: "Notizbuch", SKU: "NB-1", Qty: "2", Price: "12,90", Street: "Hauptstraße", "House No": "5", Zip: "'01067", City: "Dresden", Country: "Deutschland", Language: "Deutsch" },
      // A later row: the order id left blank, as Shopify does; only the number is repeated.
      { "Order No": "#1001", "E-Mail": "someone.else@example.de", Total: "9,99", Product: "Tinte", SKU: "TI-1", Qty: "1", Price: "4,90" },
    ]);
    expect(problems).toEqual([]);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toEqual({
      firstLine: 2,
      lastLine: 3,
      order: {
        source: "CSV",
        sourceId: "9001",
        number: "#1001",
        placedAt: new Date("2024-03-05T14:22:00Z"),
        sourceUpdatedAt: null,
        currency: "EUR",
        totalMinor: 123450n,
        subtotalMinor: null,
        refundedMinor: 0n,
        financialState: "PAID",
        fulfilmentState: "FULFILLED",
        cancelledAt: null,
        cancelReason: null,
        checkoutToken: null,
        email: "anna.becker@example.de",
        customerLocale: "de",
        shippingAddress: { name: "Anna Becker", company: null, line1: "Hauptstraße 5", line2: null, postalCode: "01067", city: "Dresden", region: null, countryCode: "DE" },
        discountCodes: ["WILLKOMMEN10", "SOMMER"],
        customer: {
          source: "CSV",
          sourceId: "anna.becker@example.de",
          sourceUpdatedAt: null,
          email: "anna.becker@example.de",
          firstName: "Anna",
          lastName: "Becker",
          company: null,
          phone: null,
          language: "de",
          address: { name: "Anna Becker", company: null, line1: "Hauptstraße 5", line2: null, postalCode: "01067", city: "Dresden", region: null, countryCode: "DE" },
        },
        lineItems: [
          { sourceId: null, productId: null, variantId: null, sku: "NB-1", title: "Notizbuch", variantTitle: null, quantity: 2, unitPriceMinor: 1290n, totalMinor: 2580n },
          { sourceId: null, productId: null, variantId: null, sku: "TI-1", title: "Tinte", variantTitle: null, quantity: 1, unitPriceMinor: 490n, totalMinor: 490n },
        ],
        live: false,
      },
    });
  });

  it("hands an order over as soon as the next order starts, and the last one on flush", () => {
    const assembler = createCsvOrderAssembler({ mapping: MAPPING, headers: HEADERS, shopCurrency: "EUR" });
    const [first, second, third] = recordsOf([
      { ...ANNA, Total: "10" },
      { ...ANNA, "Order ID": "", Total: "" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "20" },
    ]);
    expect(assembler.push(first!).orders).toEqual([]);
    expect(assembler.push(second!).orders).toEqual([]);
    expect(assembler.push(third!).orders.map((entry) => [entry.order.sourceId, entry.firstLine, entry.lastLine])).toEqual([["9001", 2, 3]]);
    expect(assembler.flush().orders.map((entry) => [entry.order.sourceId, entry.firstLine, entry.lastLine])).toEqual([["9002", 4, 4]]);
    expect(assembler.flush()).toEqual({ orders: [], problems: [] });
  });

  it("keys by the order number when there is no id, and uses it as the number when there is no number", () => {
    const byNumber = assemble([{ ...ANNA, "Order ID": "", Total: "10" }]);
    expect(byNumber.orders[0]!.order).toMatchObject({ sourceId: "#1001", number: "#1001" });
    const byId = assemble([{ ...ANNA, "Order No": "", Total: "10" }]);
    expect(byId.orders[0]!.order).toMatchObject({ sourceId: "9001", number: "9001" });
  });

  it("starts a new order when the same key comes back after another order (rows of an order belong together)", () => {
    const { orders } = assemble([
      { ...ANNA, Total: "10" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "20" },
      { ...ANNA, Total: "30" },
    ]);
    expect(orders.map((entry) => [entry.order.sourceId, entry.firstLine])).toEqual([["9001", 2], ["9002", 3], ["9001", 4]]);
  });

  it("adds up the items when the file has no order total: unit × quantity − discount, or the line total", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Product: "Notizbuch", Qty: "3", Price: "12,90", Discount: "3,87" },
      { "Order No": "#1001", Product: "Tinte", Qty: "2", "Line Total": "9,00" },
      { "Order No": "#1001", SKU: "KV-25", Price: "4,50" },
    ]);
    expect(problems).toEqual([]);
    expect(orders[0]!.order.totalMinor).toBe(3483n + 900n + 450n);
    expect(orders[0]!.order.lineItems.map((item) => [item.title, item.quantity, item.unitPriceMinor, item.totalMinor])).toEqual([
      ["Notizbuch", 3, 1290n, 3483n],
      ["Tinte", 2, 450n, 900n],
      ["KV-25", 1, 450n, 450n],
    ]);
  });

  it("skips a whole order for one bad line: the bad line says why, the others point at it", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Total: "20", Product: "Notizbuch", Qty: "1", Price: "12,90" },
      { "Order No": "#1001", Product: "Tinte", Qty: "zwei", Price: "4,90" },
      { "Order No": "#1001", Product: "Kuverts", Qty: "1", Price: "viel" },
      { "Order No": "#1001", Product: "Siegelwachs", Qty: "1", Price: "2,20" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "5" },
    ]);
    expect(orders.map((entry) => entry.order.sourceId)).toEqual(["9002"]);
    expect(problems).toEqual([
      { line: 2, column: null, reason: "skipped: line 3 of the same order has a problem" },
      { line: 3, column: "Qty", reason: 'not a quantity: "zwei"' },
      { line: 4, column: "Price", reason: 'not an amount: "viel"' },
      { line: 5, column: null, reason: "skipped: line 3 of the same order has a problem" },
    ]);
  });

  it("reports every bad value of an order's first line with its column", () => {
    const { orders, problems } = assemble([{ ...ANNA, Date: "31.02.2024", Total: "zwölf", Currency: "Euro", "E-Mail": "anna(at)example.de", Cancelled: "gestern" }]);
    expect(orders).toEqual([]);
    expect(problems).toEqual([
      { line: 2, column: "Currency", reason: 'not a currency code: "Euro"' },
      { line: 2, column: "Date", reason: 'not a date (expected e.g. DD.MM.YYYY): "31.02.2024"' },
      { line: 2, column: "Total", reason: 'not an amount: "zwölf"' },
      { line: 2, column: "Cancelled", reason: 'not a date (expected e.g. DD.MM.YYYY): "gestern"' },
      { line: 2, column: "E-Mail", reason: 'not an e-mail address: "anna(at)example.de"' },
    ]);
  });

  it("needs an order date, a total or prices, and a customer", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Date: "", Total: "10" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Product: "Notizbuch" },
      { ...ANNA, "Order ID": "9003", "Order No": "#1003", Total: "10", "E-Mail": "" },
      { ...ANNA, "Order ID": "9004", "Order No": "#1004", Product: "Notizbuch", Price: "1,00" },
      { "Order No": "#1004", Product: "Tinte" },
    ]);
    expect(orders).toEqual([]);
    expect(problems).toEqual([
      { line: 2, column: "Date", reason: "no order date" },
      { line: 3, column: "Total", reason: "no order total and no item prices to add up" },
      { line: 4, column: "E-Mail", reason: "no customer e-mail address or customer number" },
      { line: 5, column: "Total", reason: "no order total, and not every item has a price" },
      { line: 6, column: null, reason: "skipped: line 5 of the same order has a problem" },
    ]);
  });

  it("keys the customer by customer number when there is one, else by the normalised e-mail", () => {
    const { orders } = assemble([
      { ...ANNA, "Customer No": "K-17", Total: "10" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", "E-Mail": "", "Customer No": "K-18", Total: "10" },
    ]);
    expect(orders.map((entry) => [entry.order.customer?.sourceId, entry.order.customer?.email, entry.order.email])).toEqual([
      ["K-17", "anna.becker@example.de", "anna.becker@example.de"],
      ["K-18", null, null],
    ]);
  });

  it("reports rows without an order key and malformed records, and never attaches them to a neighbour", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Total: "10" },
      { error: "the line has 3 fields, the header has 26" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "20" },
      { ...ANNA, "Order ID": "", "Order No": "", Total: "30" },
      { ...ANNA, "Order ID": "9003", "Order No": "#1003", Total: "40" },
    ]);
    expect(orders.map((entry) => entry.order.sourceId)).toEqual(["9001", "9002", "9003"]);
    expect(problems).toEqual([
      { line: 3, column: null, reason: "the line has 3 fields, the header has 26" },
      { line: 5, column: "Order No", reason: "no order number or order ID" },
    ]);
  });

  it("skips an order when a malformed record sits between two of its rows", () => {
    const { orders, problems } = assemble([
      { ...ANNA, Total: "10", Product: "Notizbuch", Price: "10,00" },
      { error: "the line has 3 fields, the header has 26" },
      { "Order No": "#1001", Product: "Tinte", Price: "4,90" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "20" },
    ]);
    expect(orders.map((entry) => entry.order.sourceId)).toEqual(["9002"]);
    expect(problems).toEqual([
      { line: 2, column: null, reason: "skipped: line 3 of the same order has a problem" },
      { line: 3, column: null, reason: "the line has 3 fields, the header has 26" },
      { line: 4, column: null, reason: "skipped: line 3 of the same order has a problem" },
    ]);
  });

  it.each([
    ["paid", "", "PAID", "UNKNOWN", false],
    ["partially_refunded", "partial", "PARTIALLY_REFUNDED", "PARTIAL", false],
    ["refunded", "restocked", "REFUNDED", "RESTOCKED", false],
    ["pending", "unfulfilled", "PENDING", "UNFULFILLED", false],
    ["authorized", "", "AUTHORIZED", "UNKNOWN", false],
    ["voided", "", "VOIDED", "UNKNOWN", false],
    ["Bezahlt", "Versendet", "PAID", "FULFILLED", false],
    ["Teilweise erstattet", "teilweise versendet", "PARTIALLY_REFUNDED", "PARTIAL", false],
    ["Rückerstattet", "", "REFUNDED", "UNKNOWN", false],
    ["offen", "offen", "PENDING", "UNFULFILLED", false],
    ["Storniert", "", "UNKNOWN", "UNKNOWN", true],
    ["paid", "cancelled", "PAID", "UNKNOWN", true],
    // One "Status" column that tells how far the order got.
    ["versendet", "", "UNKNOWN", "FULFILLED", false],
    ["something odd", "", "UNKNOWN", "UNKNOWN", false],
  ])("maps status %j / %j to %s, %s (cancelled: %s)", (financial, fulfilment, financialState, fulfilmentState, cancelled) => {
    const { orders } = assemble([{ ...ANNA, Total: "10", Status: financial, Shipping: fulfilment }]);
    expect(orders[0]!.order).toMatchObject({ financialState, fulfilmentState, cancelledAt: cancelled ? new Date("2024-03-05T14:22:00Z") : null });
  });

  it("takes the cancellation date from its column", () => {
    const { orders } = assemble([{ ...ANNA, Total: "10", Status: "storniert", Cancelled: "07.03.2024" }]);
    expect(orders[0]!.order.cancelledAt).toEqual(new Date("2024-03-07T00:00:00Z"));
  });

  it("uses the row's currency, else the mapping's default, else the shop's, with the currency's decimals", () => {
    const rows = (currency: string) => [{ ...ANNA, Currency: currency, Total: "1.200" }];
    expect(assemble(rows("jpy")).orders[0]!.order).toMatchObject({ currency: "JPY", totalMinor: 1200n });
    expect(assemble(rows("€")).orders[0]!.order).toMatchObject({ currency: "EUR", totalMinor: 120000n });
    expect(assemble(rows(""), { ...MAPPING, defaultCurrency: "CHF" }).orders[0]!.order).toMatchObject({ currency: "CHF", totalMinor: 120000n });
    expect(assemble(rows(""), MAPPING, "sek").orders[0]!.order).toMatchObject({ currency: "SEK" });
  });

  it("builds names and the address from what the file has", () => {
    const { orders } = assemble([
      { ...ANNA, "First Name": "", "Last Name": "", Name: "Müller, Jürgen", Total: "1", Street: "Am Markt 1", Zip: "8001", City: "Zürich", Country: "CH" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", "First Name": "", "Last Name": "", Name: "Ольга Петрова", Total: "1", City: "Wien", Country: "Österreich", Language: "de-AT" },
      { ...ANNA, "Order ID": "9003", "Order No": "#1003", Total: "1", Country: "Atlantis", Language: "Klingonisch" },
    ]);
    expect(orders.map(({ order }) => [order.customer?.firstName, order.customer?.lastName, order.shippingAddress, order.customerLocale])).toEqual([
      ["Jürgen", "Müller", { name: "Jürgen Müller", company: null, line1: "Am Markt 1", line2: null, postalCode: "8001", city: "Zürich", region: null, countryCode: "CH" }, null],
      ["Ольга", "Петрова", { name: "Ольга Петрова", company: null, line1: null, line2: null, postalCode: null, city: "Wien", region: null, countryCode: "AT" }, "de-AT"],
      // An unknown country or language is left empty rather than failing the order.
      ["Anna", "Becker", null, null],
    ]);
  });

  it("ignores columns the mapping points past the end of the header", () => {
    const { orders } = assemble([{ ...ANNA, Total: "10" }], { ...MAPPING, columns: { ...MAPPING.columns, region: 99 } });
    expect(orders[0]!.order.shippingAddress).toBeNull();
  });
});

describe("splitFullName", () => {
  it.each([
    ["Anna Becker", ["Anna", "Becker"]],
    ["Anna Maria  Becker", ["Anna Maria", "Becker"]],
    ["Becker, Anna", ["Anna", "Becker"]],
    ["Cher", [null, "Cher"]],
  ] as const)("%j → %j", (name, parts) => {
    expect(splitFullName(name)).toEqual(parts);
  });
});

describe("previewCsvRecords", () => {
  it("shows each record with the problems the import would report for it", () => {
    const records = recordsOf([
      { ...ANNA, Total: "10", Product: "Notizbuch", Price: "10,00" },
      { "Order No": "#1001", Product: "Tinte", Price: "vier" },
      { error: "the line has 3 fields, the header has 26" },
      { ...ANNA, "Order ID": "9002", "Order No": "#1002", Total: "20" },
    ]);
    const preview = previewCsvRecords(records, { mapping: MAPPING, headers: HEADERS, shopCurrency: "EUR" });
    expect(preview.map((row) => [row.line, row.values.length, row.problems])).toEqual([
      [2, HEADERS.length, [{ line: 2, column: null, reason: "skipped: line 3 of the same order has a problem" }]],
      [3, HEADERS.length, [{ line: 3, column: "Price", reason: 'not an amount: "vier"' }]],
      [4, 0, [{ line: 4, column: null, reason: "the line has 3 fields, the header has 26" }]],
      [5, HEADERS.length, []],
    ]);
    expect(preview[0]!.values[column("Order No")]).toBe("#1001");
  });
});
