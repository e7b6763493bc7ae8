import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * A deterministic Shopify orders export (Admin → Orders → Export → CSV for Excel, numbers and
 * other programs): Shopify's header set in its order, one row per order line, later rows of an
 * order with only Name, Email and the line item columns filled, as Shopify writes them. Names
 * with umlauts and Cyrillic, some Notes quoted with commas, quotes and line breaks, postal codes
 * with Shopify's leading apostrophe, repeat customers, refunds and cancelled orders.
 *
 * - shopifyOrdersExportText({ orders, seed }): a small file as a string, for tests.
 * - writeShopifyOrdersExport(path, { lines, seed }): exactly `lines` data rows (the header not
 *   counted; a quoted Note may span two physical lines), streamed to disk in 1 MB pieces, so a
 *   1,000,000-line benchmark file never sits in memory.
 * The same seed gives the same bytes.
 */

export const SHOPIFY_ORDERS_EXPORT_HEADERS = [
  "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency", "Subtotal",
  "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
  "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
  "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
  "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street", "Shipping Address1",
  "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone",
  "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance",
  "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name",
  "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties",
  "Billing Province Name", "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
] as const;

type Header = (typeof SHOPIFY_ORDERS_EXPORT_HEADERS)[number];
const COLUMN = Object.fromEntries(SHOPIFY_ORDERS_EXPORT_HEADERS.map((header, index) => [header, index])) as Record<Header, number>;

/** What the generator put into an order, for tests that check the import against it. */
export type GeneratedShopifyOrder = {
  id: string;
  name: string;
  email: string;
  currency: string;
  totalMinor: bigint;
  lines: number;
  financialStatus: string;
  cancelled: boolean;
};

const FIRST_NAMES: [string, string][] = [
  ["Anna", "anna"], ["Jürgen", "juergen"], ["Sören", "soeren"], ["Zoë", "zoe"], ["Ольга", "olga"], ["Дмитрий", "dmitrij"], ["Łukasz", "lukasz"],
  ["Mia", "mia"], ["Lukas", "lukas"], ["Hannah", "hannah"], ["Björn", "bjoern"], ["Éloïse", "eloise"], ["Noah", "noah"], ["Emma", "emma"],
  ["Jörg", "joerg"], ["Małgorzata", "malgorzata"], ["Иван", "ivan"], ["Ayşe", "ayse"], ["Renée", "renee"], ["Max", "max"],
];
const LAST_NAMES: [string, string][] = [
  ["Müller", "mueller"], ["Schröder", "schroeder"], ["Weiß", "weiss"], ["Groß", "gross"], ["Öztürk", "oeztuerk"], ["Иванова", "ivanova"],
  ["Петров", "petrov"], ["Nowak", "nowak"], ["Becker", "becker"], ["Fischer", "fischer"], ["Wagner", "wagner"], ["Krüger", "krueger"],
  ["Hoffmann", "hoffmann"], ["Schäfer", "schaefer"], ["Dvořák", "dvorak"], ["Jäger", "jaeger"], ["Kovačević", "kovacevic"],
  ["Lehmann", "lehmann"], ["Zimmermann", "zimmermann"], ["Bäcker", "baecker"],
];
// city, zip, province code, province name, country
const PLACES: [string, string, string, string, string][] = [
  ["Berlin", "10115", "BE", "Berlin", "DE"], ["München", "80331", "BY", "Bayern", "DE"], ["Köln", "50667", "NW", "Nordrhein-Westfalen", "DE"],
  ["Hamburg", "20095", "HH", "Hamburg", "DE"], ["Dresden", "01067", "SN", "Sachsen", "DE"], ["Leipzig", "04109", "SN", "Sachsen", "DE"],
  ["Düsseldorf", "40213", "NW", "Nordrhein-Westfalen", "DE"], ["Frankfurt am Main", "60311", "HE", "Hessen", "DE"],
  ["Stuttgart", "70173", "BW", "Baden-Württemberg", "DE"], ["Görlitz", "02826", "SN", "Sachsen", "DE"], ["Wien", "1010", "", "", "AT"],
  ["Graz", "8010", "", "", "AT"], ["Zürich", "8001", "ZH", "Zürich", "CH"], ["Basel", "4051", "BS", "Basel-Stadt", "CH"],
];
const STREETS = ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenallee", "Am Markt", "Kirchgasse", "Gartenweg", "Schloßstraße", "Mühlenweg"];
const COMPANIES = ["", "", "", "", "", "", "Papier & Co. KG", "Müller, Schmidt & Partner", "Büro Süd GmbH"];
// title, sku, price in cents
const PRODUCTS: [string, string, number][] = [
  ["Notizbuch A5 - Liniert", "NB-A5-L", 1290], ["Notizbuch A5 - Dotted", "NB-A5-D", 1290], ["Füllfederhalter - Schwarz", "FH-SW", 4900],
  ["Briefpapier-Set (50 Blatt)", "BP-50", 1850], ["Siegelwachs - Rot", "SW-RT", 690], ["Postkarten-Set „Herbst“", "PK-HB", 990],
  ['Grußkarte "Danke"', "GK-DK", 350], ["Tinte, blau (30 ml)", "TI-BL-30", 790], ["Kalender 2025 - Wand", "KA-25-W", 2490],
  ["Lesezeichen aus Messing", "LZ-MS", 1200], ["Kuverts C6, 25 Stück", "KV-C6-25", 450], ["Открытка «Спасибо»", "OK-SP", 390],
];
const NOTES = [
  "Bitte klingeln, Hinterhaus.\nBei Abwesenheit beim Nachbarn abgeben.",
  "Geschenk – bitte ohne Rechnung, danke!",
  'Sie schrieb: "Bitte in Geschenkpapier", gern in Grün.',
  "Gift wrap, please",
  "Доставка после 18:00, пожалуйста",
];

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Person = {
  name: string;
  email: string;
  phone: string;
  company: string;
  street: string;
  address2: string;
  place: [string, string, string, string, string];
};

function personOf(seed: number, index: number): Person {
  const random = mulberry32(seed * 7919 + index * 104_729 + 1);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const [first, firstAscii] = pick(FIRST_NAMES);
  const [last, lastAscii] = pick(LAST_NAMES);
  const domain = pick(["example.com", "example.de", "example.org"]);
  let email = `${firstAscii}.${lastAscii}${index}@${domain}`;
  // Some shops' customers typed their address with capitals; the import normalises it.
  if (index % 10 === 3) email = email.replace(/^./, (char) => char.toUpperCase()).replace(domain, domain.toUpperCase());
  return {
    name: `${first} ${last}`,
    email,
    phone: index % 4 === 0 ? "" : `+49 ${150 + (index % 30)} ${String(1_000_000 + ((index * 7_654_321) % 9_000_000))}`,
    company: pick(COMPANIES),
    street: `${pick(STREETS)} ${1 + Math.floor(random() * 120)}`,
    address2: random() < 0.15 ? `${1 + Math.floor(random() * 4)}. OG` : "",
    place: pick(PLACES),
  };
}

const money = (cents: number) => (cents / 100).toFixed(2);

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(cells: string[]): string {
  return `${cells.map(csvField).join(",")}\n`;
}

function shopifyTime(ms: number): string {
  const date = new Date(ms);
  // The shop's zone (Europe/Berlin), as Shopify writes it: summer time from April to October, roughly.
  const month = date.getUTCMonth();
  const offsetHours = month >= 3 && month <= 9 ? 2 : 1;
  const local = new Date(ms + offsetHours * 3_600_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} +0${offsetHours}00`;
}

/** Rows of one order each time; `maxLines` caps the order's line count (to end a file exactly). */
function createOrderWriter(seed: number, expectedOrders: number) {
  const random = mulberry32(seed);
  const pool = Math.max(5, Math.floor(expectedOrders / 3));
  const startMs = Date.UTC(2023, 0, 2, 8, 0, 0);
  let orderIndex = 0;
  let clock = startMs;

  return (maxLines: number): { text: string; lines: number; order: GeneratedShopifyOrder } => {
    orderIndex += 1;
    const person = personOf(seed, Math.floor(random() * pool));
    const recipient = random() < 0.1 ? personOf(seed, pool + orderIndex) : person;
    const roll = random();
    const lineCount = Math.min(maxLines, roll < 0.5 ? 1 : roll < 0.8 ? 2 : roll < 0.95 ? 3 : 4);
    clock += 60_000 + Math.floor(random() * 45 * 60_000);
    const created = clock;
    const currency = random() < 0.08 ? "CHF" : "EUR";
    const statusRoll = random();
    const financialStatus = statusRoll < 0.8 ? "paid" : statusRoll < 0.85 ? "partially_refunded" : statusRoll < 0.9 ? "refunded" : statusRoll < 0.95 ? "pending" : "voided";
    const cancelled = financialStatus === "voided";
    const discounted = random() < 0.15;

    const items = Array.from({ length: lineCount }, () => {
      const [title, sku, price] = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
      const quantity = 1 + Math.floor(random() * 3);
      const discount = discounted ? Math.round((price * quantity) / 10) : 0;
      return { title, sku, price, quantity, discount };
    });
    const gross = items.reduce((sum, item) => sum + item.price * item.quantity, 0);
    const discount = items.reduce((sum, item) => sum + item.discount, 0);
    const subtotal = gross - discount;
    const shipping = subtotal >= 5000 ? 0 : 490;
    const total = subtotal + shipping;
    const taxes = Math.round((total * 19) / 119);
    const refunded = financialStatus === "refunded" ? total : financialStatus === "partially_refunded" ? Math.round(total / 3) : 0;
    const fulfilmentRoll = random();
    const fulfillment = cancelled ? "unfulfilled" : fulfilmentRoll < 0.7 ? "fulfilled" : fulfilmentRoll < 0.95 ? "unfulfilled" : "partial";
    const paid = financialStatus !== "pending" && financialStatus !== "voided";
    const name = `#${1000 + orderIndex}`;
    const id = String(5_550_000_000_000 + orderIndex * 17);
    const [city, zip, province, provinceName, country] = recipient.place;
    const [billingCity, billingZip, billingProvince, billingProvinceName, billingCountry] = person.place;
    // Shopify protects leading zeros from Excel with an apostrophe.
    const shopifyZip = (value: string) => (value.startsWith("0") ? `'${value}` : value);
    const note = random() < 0.2 ? NOTES[Math.floor(random() * NOTES.length)]! : "";

    let text = "";
    items.forEach((item, index) => {
      const cells = new Array<string>(SHOPIFY_ORDERS_EXPORT_HEADERS.length).fill("");
      const set = (header: Header, value: string) => {
        cells[COLUMN[header]] = value;
      };
      set("Name", name);
      set("Email", person.email);
      set("Lineitem quantity", String(item.quantity));
      set("Lineitem name", item.title);
      set("Lineitem price", money(item.price));
      set("Lineitem sku", item.sku);
      set("Lineitem requires shipping", "true");
      set("Lineitem taxable", "true");
      set("Lineitem fulfillment status", fulfillment === "fulfilled" || (fulfillment === "partial" && index === 0) ? "fulfilled" : "pending");
      set("Vendor", "Papeterie Lindenblatt");
      set("Lineitem discount", money(item.discount));
      if (index === 0) {
        set("Financial Status", financialStatus);
        set("Paid at", paid ? shopifyTime(created + 30_000) : "");
        set("Fulfillment Status", fulfillment);
        set("Fulfilled at", fulfillment === "fulfilled" ? shopifyTime(created + 86_400_000) : "");
        set("Accepts Marketing", random() < 0.4 ? "yes" : "no");
        set("Currency", currency);
        set("Subtotal", money(subtotal));
        set("Shipping", money(shipping));
        set("Taxes", money(taxes));
        set("Total", money(total));
        set("Discount Code", discounted ? "WILLKOMMEN10" : "");
        set("Discount Amount", money(discount));
        set("Shipping Method", shipping === 0 ? "DHL Paket (kostenlos)" : "DHL Paket");
        set("Created at", shopifyTime(created));
        set("Billing Name", person.name);
        set("Billing Street", person.street);
        set("Billing Address1", person.street);
        set("Billing Address2", person.address2);
        set("Billing Company", person.company);
        set("Billing City", billingCity);
        set("Billing Zip", shopifyZip(billingZip));
        set("Billing Province", billingProvince);
        set("Billing Country", billingCountry);
        set("Billing Phone", person.phone);
        set("Shipping Name", recipient.name);
        set("Shipping Street", recipient.street);
        set("Shipping Address1", recipient.street);
        set("Shipping Address2", recipient.address2);
        set("Shipping Company", recipient.company);
        set("Shipping City", city);
        set("Shipping Zip", shopifyZip(zip));
        set("Shipping Province", province);
        set("Shipping Country", country);
        set("Shipping Phone", recipient.phone);
        set("Notes", note);
        set("Cancelled at", cancelled ? shopifyTime(created + 3_600_000) : "");
        set("Payment Method", ["Shopify Payments", "PayPal Express Checkout", "Vorkasse"][orderIndex % 3]!);
        set("Payment Reference", `c${(orderIndex * 2_654_435_761) % 99_999_999_999}.1`);
        set("Refunded Amount", money(refunded));
        set("Outstanding Balance", "0.00");
        set("Id", id);
        set("Risk Level", "Low");
        set("Source", "web");
        set("Tax 1 Name", currency === "CHF" ? "CH MWST 8.1%" : "DE MwSt 19%");
        set("Tax 1 Value", money(taxes));
        set("Phone", person.phone);
        set("Billing Province Name", billingProvinceName);
        set("Shipping Province Name", provinceName);
        set("Payment ID", `r${(orderIndex * 40_503) % 9_999_999}`);
        set("Payment References", `r${(orderIndex * 40_503) % 9_999_999}`);
      }
      text += row(cells);
    });
    return {
      text,
      lines: lineCount,
      order: { id, name, email: person.email, currency, totalMinor: BigInt(total), lines: lineCount, financialStatus, cancelled },
    };
  };
}

const HEADER_ROW = row([...SHOPIFY_ORDERS_EXPORT_HEADERS]);

/** A small export as text, with what went into each order. */
export function shopifyOrdersExportText(options: { orders: number; seed: number }): string {
  return shopifyOrdersExport(options).text;
}

export function shopifyOrdersExport(options: { orders: number; seed: number }): { text: string; orders: GeneratedShopifyOrder[] } {
  const next = createOrderWriter(options.seed, options.orders);
  let text = HEADER_ROW;
  const orders: GeneratedShopifyOrder[] = [];
  for (let index = 0; index < options.orders; index++) {
    const written = next(4);
    text += written.text;
    orders.push(written.order);
  }
  return { text, orders };
}

/** Exactly `lines` data rows to `path`, written in 1 MB pieces with back-pressure. */
export async function writeShopifyOrdersExport(path: string, options: { lines: number; seed: number }): Promise<{ lines: number; orders: number; bytes: number }> {
  const out = createWriteStream(path);
  const next = createOrderWriter(options.seed, Math.ceil(options.lines / 1.75));
  let pending = HEADER_ROW;
  let lines = 0;
  let orders = 0;
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  try {
    while (lines < options.lines) {
      const written = next(options.lines - lines);
      pending += written.text;
      lines += written.lines;
      orders += 1;
      if (pending.length >= 1024 * 1024) {
        await write(pending);
        pending = "";
      }
    }
    await write(pending);
  } finally {
    out.end();
    await once(out, "close");
  }
  return { lines, orders, bytes };
}
