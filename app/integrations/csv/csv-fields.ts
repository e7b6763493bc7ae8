import { z } from "zod";
import type { CsvDateOrder, CsvDecimalSeparator } from "./csv-values";

/**
 * What a column of an orders CSV can mean, how a file's headers are matched to those meanings
 * (English and German, case-, accent- and punctuation-insensitive, Shopify's orders export
 * recognised as such), and whether a mapping is complete enough to import. Pure.
 *
 * Fields beyond the first list of the issue: `itemDiscount` (Shopify's "Lineitem discount",
 * taken off the line total), `addressName` (the recipient: Shopify's "Shipping Name") and
 * `addressHouseNumber` (German files keep "Hausnummer" apart from "Straße").
 */

export const CSV_FIELDS = [
  "orderId",
  "orderNumber",
  "orderDate",
  "customerId",
  "email",
  "firstName",
  "lastName",
  "fullName",
  "company",
  "phone",
  "language",
  "currency",
  "orderTotal",
  "subtotal",
  "refundedAmount",
  "financialStatus",
  "fulfillmentStatus",
  "cancelledAt",
  "discountCode",
  "itemTitle",
  "itemVariant",
  "itemSku",
  "itemQuantity",
  "itemUnitPrice",
  "itemTotal",
  "itemDiscount",
  "addressName",
  "addressLine1",
  "addressHouseNumber",
  "addressLine2",
  "postalCode",
  "city",
  "region",
  "countryCode",
] as const;

export type CsvField = (typeof CSV_FIELDS)[number];

export type CsvMapping = {
  /** Field → index of the column in the header row. */
  columns: Partial<Record<CsvField, number>>;
  dateOrder: CsvDateOrder;
  decimalSeparator: CsvDecimalSeparator;
  /** For files without a currency column; null means the shop's currency. */
  defaultCurrency: string | null;
};

export const CsvMappingSchema = z.object({
  columns: z.partialRecord(z.enum(CSV_FIELDS), z.number().int().min(0)),
  dateOrder: z.enum(["DMY", "MDY", "YMD"]),
  decimalSeparator: z.enum([",", "."]),
  defaultCurrency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "a three-letter currency code such as EUR")
    .nullable(),
}) satisfies z.ZodType<CsvMapping>;

// ---------------------------------------------------------------------------------------------
// Header matching
// ---------------------------------------------------------------------------------------------

/**
 * "E-Mail-Adresse" → "emailadresse", "Währung" → "waehrung", "Straße" → "strasse",
 * "Bestell-Nr." → "bestellnr": German umlauts as their two-letter spelling (so "Waehrung"
 * matches too), other accents dropped, case and everything but letters and digits ignored.
 */
export function normalizeCsvHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

// Shopify's orders export, column by column (Settings → Orders → Export). "Name" is the order
// number ("#1001") and "Id" the order id; the postal address is the shipping one, billing only
// when a file has no shipping columns. Later rows of an order repeat Name and Email only.
const SHOPIFY_SYNONYMS: Partial<Record<CsvField, string[]>> = {
  orderId: ["Id"],
  orderNumber: ["Name"],
  orderDate: ["Created at"],
  email: ["Email"],
  fullName: ["Billing Name", "Shipping Name"],
  company: ["Shipping Company", "Billing Company"],
  phone: ["Phone", "Shipping Phone", "Billing Phone"],
  currency: ["Currency"],
  orderTotal: ["Total"],
  subtotal: ["Subtotal"],
  refundedAmount: ["Refunded Amount"],
  financialStatus: ["Financial Status"],
  fulfillmentStatus: ["Fulfillment Status"],
  cancelledAt: ["Cancelled at"],
  discountCode: ["Discount Code"],
  itemTitle: ["Lineitem name"],
  itemSku: ["Lineitem sku"],
  itemQuantity: ["Lineitem quantity"],
  itemUnitPrice: ["Lineitem price"],
  itemDiscount: ["Lineitem discount"],
  addressName: ["Shipping Name", "Billing Name"],
  addressLine1: ["Shipping Address1", "Shipping Street", "Billing Address1", "Billing Street"],
  addressLine2: ["Shipping Address2", "Billing Address2"],
  postalCode: ["Shipping Zip", "Billing Zip"],
  city: ["Shipping City", "Billing City"],
  // The province name, as the Shopify back-fill stores it; the code when the export has no name.
  region: ["Shipping Province Name", "Shipping Province", "Billing Province Name", "Billing Province"],
  countryCode: ["Shipping Country", "Billing Country"],
};

const SHOPIFY_MARKERS = ["Lineitem name", "Lineitem quantity", "Financial Status"].map(normalizeCsvHeader);

// Everything else: plain English and German exports (shop systems, Billbee/JTL/Excel lists).
// Earlier synonyms win; shipping before billing. A key appears under one field only (tested).
export const CSV_HEADER_SYNONYMS: Readonly<Record<CsvField, readonly string[]>> = {
  orderId: ["Order ID", "Order Id", "OrderID", "Order Key", "Bestell-ID", "Auftrags-ID", "Transaction ID", "Transaktions-ID"],
  orderNumber: [
    "Order Number", "Order No", "Order Nr", "Order #", "Order", "Order Name", "Bestellnummer", "Bestell-Nr.", "Bestellung",
    "Auftragsnummer", "Auftrags-Nr.", "Auftrag", "Belegnummer", "Beleg-Nr.", "Invoice Number", "Rechnungsnummer", "Rechnungs-Nr.", "Number", "Nummer", "Nr.",
  ],
  orderDate: [
    "Order Date", "Date", "Created at", "Created", "Order Created", "Placed at", "Purchase Date", "Bestelldatum", "Datum",
    "Auftragsdatum", "Kaufdatum", "Bestellt am", "Erstellt am", "Rechnungsdatum", "Belegdatum",
  ],
  customerId: ["Customer ID", "Customer Id", "Customer Number", "Customer No", "Kundennummer", "Kunden-Nr.", "Kunden-ID", "Debitorennummer", "Debitor"],
  email: ["Email", "E-Mail", "Email Address", "E-Mail-Adresse", "Customer Email", "Kunden-E-Mail", "Mail", "Mailadresse"],
  firstName: ["First Name", "Firstname", "Given Name", "Forename", "Vorname", "Shipping First Name", "Billing First Name", "Lieferadresse Vorname"],
  lastName: ["Last Name", "Lastname", "Surname", "Family Name", "Nachname", "Familienname", "Zuname", "Shipping Last Name", "Billing Last Name", "Lieferadresse Nachname"],
  fullName: ["Name", "Full Name", "Customer Name", "Customer", "Kunde", "Kundenname", "Vollständiger Name", "Käufer", "Billing Name", "Rechnungsname"],
  company: ["Company", "Company Name", "Shipping Company", "Billing Company", "Firma", "Firmenname", "Unternehmen"],
  phone: ["Phone", "Phone Number", "Telephone", "Tel", "Tel.", "Telefon", "Telefonnummer", "Mobile", "Mobil", "Handy", "Shipping Phone", "Billing Phone"],
  language: ["Language", "Locale", "Customer Locale", "Sprache", "Kundensprache"],
  currency: ["Currency", "Currency Code", "Währung", "Währungscode"],
  orderTotal: [
    "Total", "Order Total", "Total Price", "Grand Total", "Amount", "Order Amount", "Order Value", "Gesamtbetrag", "Gesamtsumme", "Summe",
    "Bestellwert", "Betrag", "Gesamt", "Rechnungsbetrag", "Endbetrag", "Brutto", "Bruttobetrag",
  ],
  subtotal: ["Subtotal", "Sub Total", "Zwischensumme", "Warenwert"],
  refundedAmount: ["Refunded Amount", "Refunded", "Refund", "Refund Amount", "Erstattet", "Erstatteter Betrag", "Erstattungsbetrag", "Rückerstattung"],
  financialStatus: ["Financial Status", "Payment Status", "Status", "Order Status", "Zahlungsstatus", "Bezahlstatus", "Bestellstatus", "Auftragsstatus"],
  fulfillmentStatus: ["Fulfillment Status", "Fulfilment Status", "Shipping Status", "Shipment Status", "Versandstatus", "Lieferstatus"],
  cancelledAt: ["Cancelled at", "Canceled at", "Cancelled", "Canceled", "Cancellation Date", "Storniert am", "Stornodatum", "Storniert"],
  discountCode: ["Discount Code", "Discount Codes", "Coupon", "Coupon Code", "Voucher", "Voucher Code", "Promo Code", "Gutscheincode", "Gutschein", "Rabattcode", "Aktionscode"],
  itemTitle: [
    "Lineitem name", "Item", "Item Name", "Item Title", "Product", "Product Name", "Product Title", "Title", "Artikel", "Artikelname",
    "Artikelbezeichnung", "Bezeichnung", "Produkt", "Produktname", "Position",
  ],
  itemVariant: ["Variant", "Variant Title", "Variant Name", "Variante", "Ausführung", "Option"],
  itemSku: ["SKU", "Lineitem sku", "Item SKU", "Product SKU", "Article Number", "Item Number", "Artikelnummer", "Artikel-Nr.", "Art.-Nr.", "ArtNr"],
  itemQuantity: ["Quantity", "Qty", "Lineitem quantity", "Item Quantity", "Menge", "Anzahl", "Stückzahl", "Stück"],
  itemUnitPrice: ["Lineitem price", "Unit Price", "Price", "Item Price", "Einzelpreis", "Preis", "Stückpreis", "Einzelpreis brutto", "VK-Preis"],
  itemTotal: ["Line Total", "Item Total", "Line Amount", "Line Price", "Gesamtpreis", "Positionssumme", "Positionsbetrag", "Positionswert", "Zeilensumme"],
  itemDiscount: ["Lineitem discount", "Line Discount", "Item Discount", "Rabatt", "Positionsrabatt"],
  addressName: ["Shipping Name", "Recipient", "Recipient Name", "Ship To Name", "Empfänger", "Empfängername", "Lieferadresse Name", "Liefername"],
  addressLine1: [
    "Shipping Address1", "Shipping Address 1", "Shipping Street", "Address1", "Address 1", "Address Line 1", "Street", "Street Address",
    "Address", "Billing Address1", "Billing Street", "Straße", "Straße und Hausnummer", "Straße Hausnummer", "Straße/Hausnummer",
    "Lieferadresse Straße", "Adresse", "Anschrift",
  ],
  addressHouseNumber: ["House Number", "Street Number", "Hausnummer", "Hausnr.", "Haus-Nr.", "Lieferadresse Hausnummer"],
  addressLine2: ["Shipping Address2", "Shipping Address 2", "Address2", "Address 2", "Address Line 2", "Billing Address2", "Adresszusatz", "Zusatz", "Adresse 2", "Lieferadresse Zusatz"],
  postalCode: ["Shipping Zip", "Zip", "Zip Code", "Postal Code", "Postcode", "Post Code", "Billing Zip", "PLZ", "Postleitzahl", "Lieferadresse PLZ"],
  city: ["Shipping City", "City", "Town", "Billing City", "Ort", "Stadt", "Wohnort", "Lieferadresse Ort"],
  region: ["Shipping Province Name", "Shipping Province", "Province", "State", "Region", "County", "Billing Province", "Bundesland", "Kanton"],
  countryCode: ["Shipping Country", "Country", "Country Code", "Billing Country", "Land", "Ländercode", "Länderkürzel", "Lieferland", "Lieferadresse Land"],
};

// A header that only ends in one of these ("Rechnungsadresse E-Mail", "Kunde Vorname") still
// means the field; words short or general enough to end unrelated headers are not listed.
const SUFFIX_SYNONYMS: Partial<Record<CsvField, string[]>> = {
  email: ["email", "emailadresse"],
  firstName: ["vorname", "firstname"],
  lastName: ["nachname", "lastname", "surname"],
  company: ["firma", "company"],
  phone: ["telefon", "telefonnummer", "phone"],
  addressLine1: ["strasse", "street", "address1"],
  addressHouseNumber: ["hausnummer"],
  addressLine2: ["address2", "adresszusatz"],
  postalCode: ["plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode"],
  city: ["city", "stadt"],
  countryCode: ["country"],
};

const SHIPPING_WORDS = /shipping|delivery|liefer|versand|empfaeng/;
const BILLING_WORDS = /billing|invoice|rechnung/;
const ADDRESS_FIELDS = new Set<CsvField>(["addressName", "addressLine1", "addressHouseNumber", "addressLine2", "postalCode", "city", "region", "countryCode"]);

/** Headers written in German count towards DD.MM.YYYY and decimal commas when the values do not tell. */
const GERMAN_KEYS = new Set(
  [
    "Bestellnummer", "Bestell-Nr.", "Bestellung", "Auftragsnummer", "Auftrag", "Belegnummer", "Rechnungsnummer", "Bestelldatum", "Datum",
    "Auftragsdatum", "Kaufdatum", "Rechnungsdatum", "Kundennummer", "Kunden-Nr.", "E-Mail", "E-Mail-Adresse", "Vorname", "Nachname", "Firma",
    "Telefon", "Sprache", "Währung", "Gesamtbetrag", "Gesamtsumme", "Summe", "Betrag", "Zwischensumme", "Artikel", "Artikelname",
    "Artikelnummer", "Menge", "Anzahl", "Einzelpreis", "Preis", "Gesamtpreis", "Straße", "Hausnummer", "PLZ", "Ort", "Stadt", "Land",
    "Gutscheincode", "Storniert am", "Zahlungsstatus", "Versandstatus",
  ].map(normalizeCsvHeader),
);

const AMOUNT_FIELDS: CsvField[] = ["orderTotal", "subtotal", "refundedAmount", "itemUnitPrice", "itemTotal", "itemDiscount"];
const DATE_FIELDS: CsvField[] = ["orderDate", "cancelledAt"];

/**
 * The mapping a merchant starts from: each field gets the column whose header is its best
 * synonym; date order and decimal separator come from the sample values (a first number above
 * 12 means DMY, "12,50" means a decimal comma), else from the headers' language.
 */
export function suggestCsvMapping(headers: string[], sampleRows: string[][]): CsvMapping {
  const keys = headers.map(normalizeCsvHeader);
  const indexByKey = new Map<string, number>();
  keys.forEach((key, index) => {
    if (key && !indexByKey.has(key)) indexByKey.set(key, index);
  });
  const isShopify = SHOPIFY_MARKERS.some((marker) => indexByKey.has(marker));
  const columns: Partial<Record<CsvField, number>> = {};
  const used = new Set<number>();

  for (const field of CSV_FIELDS) {
    const synonyms = isShopify ? (SHOPIFY_SYNONYMS[field] ?? []) : CSV_HEADER_SYNONYMS[field];
    for (const synonym of synonyms) {
      const index = indexByKey.get(normalizeCsvHeader(synonym));
      if (index !== undefined) {
        columns[field] = index;
        used.add(index);
        break;
      }
    }
  }
  if (!isShopify) {
    for (const field of CSV_FIELDS) {
      const exact = columns[field];
      // A billing column found by name gives way to a delivery column that only ends in the word.
      if (exact !== undefined && ADDRESS_FIELDS.has(field) && BILLING_WORDS.test(keys[exact]!)) {
        const shipping = findBySuffix(keys, used, SUFFIX_SYNONYMS[field] ?? []);
        if (shipping !== null && SHIPPING_WORDS.test(keys[shipping]!)) {
          used.delete(exact);
          columns[field] = shipping;
          used.add(shipping);
        }
      }
      if (columns[field] !== undefined) continue;
      const index = findBySuffix(keys, used, SUFFIX_SYNONYMS[field] ?? []);
      if (index !== null) {
        columns[field] = index;
        used.add(index);
      }
    }
  }

  const germanHeaders = keys.filter((key) => GERMAN_KEYS.has(key)).length;
  const englishLeaning = germanHeaders * 2 < [...used].length;
  const valuesOf = (fields: CsvField[]) =>
    fields.flatMap((field) => {
      const index = columns[field];
      return index === undefined ? [] : sampleRows.map((row) => row[index] ?? "");
    });
  return {
    columns,
    dateOrder: detectDateOrder(valuesOf(DATE_FIELDS), isShopify || englishLeaning ? null : "DMY"),
    decimalSeparator: detectDecimalSeparator(valuesOf(AMOUNT_FIELDS)) ?? (germanHeaders > 0 && !englishLeaning ? "," : "."),
    defaultCurrency: columns.currency === undefined ? detectCurrencySign(valuesOf(AMOUNT_FIELDS)) : null,
  };
}

function findBySuffix(keys: string[], used: Set<number>, suffixes: string[]): number | null {
  const candidates: number[] = [];
  keys.forEach((key, index) => {
    if (!used.has(index) && suffixes.some((suffix) => key.length > suffix.length && key.endsWith(suffix))) candidates.push(index);
  });
  if (candidates.length === 0) return null;
  return candidates.find((index) => SHIPPING_WORDS.test(keys[index]!)) ?? candidates[0]!;
}

const SEPARATED_DATE = /^\s*(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})/;

/** Votes over the sample dates; `fallback` (or the separator: dots DMY, slashes MDY) when none decides. */
export function detectDateOrder(values: string[], fallback: CsvDateOrder | null): CsvDateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  let yearFirst = 0;
  let dots = 0;
  let slashes = 0;
  let others = 0;
  for (const value of values) {
    const match = SEPARATED_DATE.exec(value);
    if (!match) continue;
    const [, first = "", separator, second = ""] = match;
    if (first.length >= 3) {
      yearFirst += 1;
      continue;
    }
    if (separator === ".") dots += 1;
    else if (separator === "/") slashes += 1;
    else others += 1;
    if (Number(first) > 12 && Number(second) <= 12) dayFirst += 1;
    if (Number(second) > 12 && Number(first) <= 12) monthFirst += 1;
  }
  if (dayFirst > 0 || monthFirst > 0) return dayFirst >= monthFirst ? "DMY" : "MDY";
  if (yearFirst > 0 && dots === 0 && slashes === 0 && others === 0) return "YMD";
  if (dots > 0) return "DMY";
  if (fallback) return fallback;
  return slashes > 0 ? "MDY" : "DMY";
}

/** "12,50" or "1.234,56" vote for a comma, "12.50" or "1,234.56" for a dot; null when nothing tells. */
export function detectDecimalSeparator(values: string[]): CsvDecimalSeparator | null {
  let comma = 0;
  let dot = 0;
  for (const value of values) {
    const match = /(\d)([.,])(\d+)\D*$/.exec(value);
    if (!match) continue;
    const [, , separator, digits = ""] = match;
    const before = value.slice(0, match.index + 1);
    // "1,234" alone could be either; a second kind of separator in front settles it.
    if (digits.length === 3 && !(separator === "," ? before.includes(".") : before.includes(","))) continue;
    if (separator === ",") comma += 1;
    else dot += 1;
  }
  if (comma === 0 && dot === 0) return null;
  return comma > dot ? "," : ".";
}

const CURRENCY_SIGNS: [RegExp, string][] = [
  [/€|\bEUR\b/i, "EUR"],
  [/£|\bGBP\b/i, "GBP"],
  [/\bCHF\b|\bS?Fr\./, "CHF"],
  [/\bUSD\b|US\$/, "USD"],
];

function detectCurrencySign(values: string[]): string | null {
  for (const [pattern, code] of CURRENCY_SIGNS) {
    if (values.some((value) => pattern.test(value))) return code;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Checking a mapping
// ---------------------------------------------------------------------------------------------

export type CsvMappingProblem = { field: CsvField | null; reason: string };

/**
 * What keeps a mapping from importing ([] = usable): an order key (ID or number), the order
 * date, a total (the order total or item prices to add up), a customer (e-mail or customer
 * number, since an order nobody can be found by is of no use for letters), and columns that
 * exist in the file.
 */
export function checkCsvMapping(mapping: CsvMapping, headerCount: number): CsvMappingProblem[] {
  const problems: CsvMappingProblem[] = [];
  const { columns } = mapping;
  for (const field of CSV_FIELDS) {
    const index = columns[field];
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= headerCount)) {
      problems.push({ field, reason: `column ${index + 1} does not exist; the file has ${headerCount} columns` });
    }
  }
  if (columns.orderId === undefined && columns.orderNumber === undefined) {
    problems.push({ field: "orderNumber", reason: "choose the column with the order number or order ID" });
  }
  if (columns.orderDate === undefined) {
    problems.push({ field: "orderDate", reason: "choose the column with the order date" });
  }
  if (columns.orderTotal === undefined && columns.itemUnitPrice === undefined && columns.itemTotal === undefined) {
    problems.push({ field: "orderTotal", reason: "choose the column with the order total, or the item prices to add up" });
  }
  if (columns.email === undefined && columns.customerId === undefined) {
    problems.push({ field: "email", reason: "choose the column with the customer's e-mail address or customer number" });
  }
  return problems;
}
