import { describe, expect, it } from "vitest";
import { SHOPIFY_ORDERS_EXPORT_HEADERS } from "../../../tests/support/shopify-orders-export";
import {
  checkCsvMapping,
  CSV_FIELDS,
  CSV_HEADER_SYNONYMS,
  CsvMappingSchema,
  detectDateOrder,
  detectDecimalSeparator,
  normalizeCsvHeader,
  suggestCsvMapping,
  type CsvField,
  type CsvMapping,
} from "./csv-fields";

/** The mapping as field → header text, which reads better than indexes. */
function mappedHeaders(headers: string[], mapping: CsvMapping): Partial<Record<CsvField, string>> {
  return Object.fromEntries(Object.entries(mapping.columns).map(([field, index]) => [field, headers[index!]]));
}

describe("normalizeCsvHeader", () => {
  it.each([
    ["E-Mail-Adresse", "emailadresse"],
    ["  Währung ", "waehrung"],
    ["Waehrung", "waehrung"],
    ["Straße", "strasse"],
    ["Bestell-Nr.", "bestellnr"],
    ["Lineitem quantity", "lineitemquantity"],
    ["Order #", "order"],
    ["Téléphone", "telephone"],
    ["ИМЯ", "имя"],
  ])("%j → %j", (header, key) => {
    expect(normalizeCsvHeader(header)).toBe(key);
  });
});

describe("suggestCsvMapping", () => {
  it("maps Shopify's orders export: Id as the order id, Name as the number, shipping before billing", () => {
    const headers = [...SHOPIFY_ORDERS_EXPORT_HEADERS];
    const mapping = suggestCsvMapping(headers, [
      headers.map((header) =>
        header === "Created at" ? "2024-03-05 14:22:10 +0100" : header === "Total" ? "165.10" : header === "Lineitem price" ? "49.00" : "",
      ),
    ]);
    expect(mappedHeaders(headers, mapping)).toEqual({
      orderId: "Id",
      orderNumber: "Name",
      orderDate: "Created at",
      email: "Email",
      fullName: "Billing Name",
      company: "Shipping Company",
      phone: "Phone",
      currency: "Currency",
      orderTotal: "Total",
      subtotal: "Subtotal",
      refundedAmount: "Refunded Amount",
      financialStatus: "Financial Status",
      fulfillmentStatus: "Fulfillment Status",
      cancelledAt: "Cancelled at",
      discountCode: "Discount Code",
      itemTitle: "Lineitem name",
      itemSku: "Lineitem sku",
      itemQuantity: "Lineitem quantity",
      itemUnitPrice: "Lineitem price",
      itemDiscount: "Lineitem discount",
      addressName: "Shipping Name",
      addressLine1: "Shipping Address1",
      addressLine2: "Shipping Address2",
      postalCode: "Shipping Zip",
      city: "Shipping City",
      region: "Shipping Province Name",
      countryCode: "Shipping Country",
    });
    // "Paid at" and "Fulfilled at" are dates too, but not the order date.
    expect(Object.values(mappedHeaders(headers, mapping))).not.toContain("Paid at");
    expect(mapping).toMatchObject({ dateOrder: "YMD", decimalSeparator: ".", defaultCurrency: null });
    expect(checkCsvMapping(mapping, headers.length)).toEqual([]);
  });

  it("falls back to Shopify's billing columns when an export has no shipping ones", () => {
    const headers = ["Name", "Email", "Financial Status", "Created at", "Total", "Lineitem name", "Billing Name", "Billing Address1", "Billing Zip", "Billing City", "Billing Country"];
    expect(mappedHeaders(headers, suggestCsvMapping(headers, []))).toMatchObject({
      addressName: "Billing Name",
      addressLine1: "Billing Address1",
      postalCode: "Billing Zip",
      city: "Billing City",
      countryCode: "Billing Country",
    });
  });

  it("maps common German headers, whatever their case and punctuation", () => {
    const headers = [
      "Bestell-Nr.", "BESTELLDATUM", "Kundennummer", "e-mail", "Vorname", "Nachname", "Firma", "Telefon", "Sprache", "Währung",
      "Gesamtbetrag", "Zwischensumme", "Artikelname", "Artikelnummer", "Menge", "Einzelpreis", "Gutscheincode", "Storniert am",
      "Straße", "Hausnummer", "PLZ", "Ort", "Land",
    ];
    const mapping = suggestCsvMapping(headers, [
      ["1", "05.03.2024", "K1", "a@example.de", "Anna", "Becker", "", "", "de", "EUR", "12,50", "12,50", "Heft", "H1", "1", "12,50", "", "", "Hauptstraße", "5", "10115", "Berlin", "DE"],
    ]);
    expect(mappedHeaders(headers, mapping)).toEqual({
      orderNumber: "Bestell-Nr.",
      orderDate: "BESTELLDATUM",
      customerId: "Kundennummer",
      email: "e-mail",
      firstName: "Vorname",
      lastName: "Nachname",
      company: "Firma",
      phone: "Telefon",
      language: "Sprache",
      currency: "Währung",
      orderTotal: "Gesamtbetrag",
      subtotal: "Zwischensumme",
      cancelledAt: "Storniert am",
      discountCode: "Gutscheincode",
      itemTitle: "Artikelname",
      itemSku: "Artikelnummer",
      itemQuantity: "Menge",
      itemUnitPrice: "Einzelpreis",
      addressLine1: "Straße",
      addressHouseNumber: "Hausnummer",
      postalCode: "PLZ",
      city: "Ort",
      countryCode: "Land",
    });
    expect(mapping).toMatchObject({ dateOrder: "DMY", decimalSeparator: "," });
  });

  it.each([
    [["Bestellnummer", "Datum", "E-Mail", "Summe", "Artikel", "Anzahl", "Preis", "Stadt"], { orderNumber: "Bestellnummer", orderDate: "Datum", email: "E-Mail", orderTotal: "Summe", itemTitle: "Artikel", itemQuantity: "Anzahl", itemUnitPrice: "Preis", city: "Stadt" }],
    [["Order ID", "Order Date", "Customer Email", "First Name", "Last Name", "Product", "SKU", "Qty", "Unit Price", "Order Total", "Zip Code"], { orderId: "Order ID", orderDate: "Order Date", email: "Customer Email", firstName: "First Name", lastName: "Last Name", itemTitle: "Product", itemSku: "SKU", itemQuantity: "Qty", itemUnitPrice: "Unit Price", orderTotal: "Order Total", postalCode: "Zip Code" }],
    [["order_number", "date", "email_address", "name", "total", "street_address", "postal_code", "country_code"], { orderNumber: "order_number", orderDate: "date", email: "email_address", fullName: "name", orderTotal: "total", addressLine1: "street_address", postalCode: "postal_code", countryCode: "country_code" }],
    // Headers that only end in a known word; the delivery address wins over the invoice address.
    [["Auftrag", "Datum", "Rechnungsadresse E-Mail", "Rechnungsadresse PLZ", "Lieferanschrift PLZ", "Betrag"], { orderNumber: "Auftrag", orderDate: "Datum", email: "Rechnungsadresse E-Mail", postalCode: "Lieferanschrift PLZ", orderTotal: "Betrag" }],
    [["Order", "Date", "Email", "Total", "Billing Zip", "Delivery Zip", "Billing City"], { orderNumber: "Order", orderDate: "Date", email: "Email", orderTotal: "Total", postalCode: "Delivery Zip", city: "Billing City" }],
  ])("maps %j", (headers, expected) => {
    expect(mappedHeaders(headers, suggestCsvMapping(headers, []))).toEqual(expected);
  });

  it("leaves unknown headers unmapped", () => {
    expect(suggestCsvMapping(["Foo", "Bar baz", ""], []).columns).toEqual({});
  });

  it("detects date order and decimal separator from the sample values", () => {
    const headers = ["Order", "Date", "Total"];
    expect(suggestCsvMapping(headers, [["1", "03/05/2024", "12.50"], ["2", "03/25/2024", "1,234.00"]])).toMatchObject({ dateOrder: "MDY", decimalSeparator: "." });
    expect(suggestCsvMapping(headers, [["1", "25/03/2024", "12,50"], ["2", "03/05/2024", "7,00"]])).toMatchObject({ dateOrder: "DMY", decimalSeparator: "," });
    expect(suggestCsvMapping(headers, [["1", "2024-03-25", "12.5"]])).toMatchObject({ dateOrder: "YMD", decimalSeparator: "." });
  });

  it("takes the currency from the amounts when the file has no currency column", () => {
    expect(suggestCsvMapping(["Order", "Date", "Total"], [["1", "05.03.2024", "12,50 €"]]).defaultCurrency).toBe("EUR");
    expect(suggestCsvMapping(["Order", "Date", "Total"], [["1", "05.03.2024", "CHF 12.50"]]).defaultCurrency).toBe("CHF");
    expect(suggestCsvMapping(["Order", "Date", "Total"], [["1", "05.03.2024", "12.50"]]).defaultCurrency).toBeNull();
    expect(suggestCsvMapping(["Order", "Date", "Total", "Currency"], [["1", "05.03.2024", "12,50 €", "EUR"]]).defaultCurrency).toBeNull();
  });
});

describe("detectDateOrder", () => {
  it.each([
    [["13.03.2024", "01.02.2024"], null, "DMY"],
    [["03/13/2024", "01/02/2024"], null, "MDY"],
    [["01/02/2024"], null, "MDY"],
    [["01/02/2024"], "DMY", "DMY"],
    [["01.02.2024"], null, "DMY"],
    [["2024-01-02", "2024-05-06 10:00"], "DMY", "YMD"],
    [["2024-01-02", "13.01.2024"], null, "DMY"],
    [[], null, "DMY"],
  ] as const)("%j with fallback %s → %s", (values, fallback, expected) => {
    expect(detectDateOrder([...values], fallback)).toBe(expected);
  });
});

describe("detectDecimalSeparator", () => {
  it.each([
    [["12,50", "3,00"], ","],
    [["1.234,56"], ","],
    [["12.50", "7.5"], "."],
    [["1,234.56"], "."],
    [["€ 12,50"], ","],
    [["1,234", "1.234"], null],
    [["12", "7"], null],
  ] as const)("%j → %s", (values, expected) => {
    expect(detectDecimalSeparator([...values])).toBe(expected);
  });
});

describe("checkCsvMapping", () => {
  const usable: CsvMapping = {
    columns: { orderNumber: 0, orderDate: 1, email: 2, orderTotal: 3 },
    dateOrder: "DMY",
    decimalSeparator: ",",
    defaultCurrency: null,
  };

  it("accepts a mapping with an order key, a date, a total and a customer", () => {
    expect(checkCsvMapping(usable, 4)).toEqual([]);
    expect(checkCsvMapping({ ...usable, columns: { orderId: 0, orderDate: 1, customerId: 2, itemUnitPrice: 3 } }, 4)).toEqual([]);
  });

  it("names every missing requirement", () => {
    expect(checkCsvMapping({ ...usable, columns: {} }, 4)).toEqual([
      { field: "orderNumber", reason: "choose the column with the order number or order ID" },
      { field: "orderDate", reason: "choose the column with the order date" },
      { field: "orderTotal", reason: "choose the column with the order total, or the item prices to add up" },
      { field: "email", reason: "choose the column with the customer's e-mail address or customer number" },
    ]);
  });

  it("rejects columns the file does not have", () => {
    expect(checkCsvMapping({ ...usable, columns: { ...usable.columns, city: 9 } }, 4)).toEqual([{ field: "city", reason: "column 10 does not exist; the file has 4 columns" }]);
  });
});

describe("CsvMappingSchema", () => {
  it("parses a stored mapping and normalises the currency", () => {
    expect(CsvMappingSchema.parse({ columns: { orderNumber: 0, orderDate: 3 }, dateOrder: "DMY", decimalSeparator: ",", defaultCurrency: " chf " })).toEqual({
      columns: { orderNumber: 0, orderDate: 3 },
      dateOrder: "DMY",
      decimalSeparator: ",",
      defaultCurrency: "CHF",
    });
  });

  it("rejects unknown fields, negative columns and bad currencies", () => {
    expect(CsvMappingSchema.safeParse({ columns: { shoeSize: 1 }, dateOrder: "DMY", decimalSeparator: ",", defaultCurrency: null }).success).toBe(false);
    expect(CsvMappingSchema.safeParse({ columns: { city: -1 }, dateOrder: "DMY", decimalSeparator: ",", defaultCurrency: null }).success).toBe(false);
    expect(CsvMappingSchema.safeParse({ columns: {}, dateOrder: "DMY", decimalSeparator: ",", defaultCurrency: "Euro" }).success).toBe(false);
    expect(CsvMappingSchema.safeParse({ columns: {}, dateOrder: "YDM", decimalSeparator: ",", defaultCurrency: null }).success).toBe(false);
  });
});

describe("field list", () => {
  it("covers the fields the issue names, once each", () => {
    expect(new Set(CSV_FIELDS).size).toBe(CSV_FIELDS.length);
    for (const field of ["orderId", "orderNumber", "orderDate", "customerId", "email", "firstName", "lastName", "fullName", "company", "phone", "language", "currency", "orderTotal", "subtotal", "refundedAmount", "financialStatus", "fulfillmentStatus", "cancelledAt", "discountCode", "itemTitle", "itemVariant", "itemSku", "itemQuantity", "itemUnitPrice", "itemTotal", "addressLine1", "addressLine2", "postalCode", "city", "region", "countryCode"]) {
      expect(CSV_FIELDS).toContain(field);
    }
  });

  it("gives every known header to one field only", () => {
    for (const [field, synonyms] of Object.entries(CSV_HEADER_SYNONYMS)) {
      for (const synonym of synonyms) {
        // Alone in a file, a synonym maps exactly its own field: no two fields claim one header.
        expect({ synonym, columns: suggestCsvMapping([synonym], []).columns }).toEqual({ synonym, columns: { [field]: 0 } });
      }
    }
  });
});
