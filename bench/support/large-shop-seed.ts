import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { buildSearchText, ERASED_PERSONAL_DETAILS, normalizeEmail } from "../../app/core/customer-identity";
import { computeCustomerStats, type StatsLetterStatus } from "../../app/core/customer-stats";
import { createDb, type Db } from "../../app/db/client.server";
import { postgresConnectionString, postgresSchemaOf, providerOf, sqliteFilePath, type DatabaseProvider } from "../../app/db/database-url";
import { migrateDatabase } from "../../app/db/migrate.server";
import { newRecordId } from "../../app/db/record-id";
import { insertRows } from "../../app/repositories/bulk-insert.server";
import { emailHashOf } from "../../app/services/ingestion.server";
import { CAMPAIGN_NAMES, NAME_POOLS, pickNamePool, PRODUCT_PICKER, Random, transliterate, type NamePool } from "./large-shop-data";

/**
 * One shop at the scale the customer screens must handle: by default 200,000 customers and
 * 1,000,000 orders, one of them a reseller with 2,000 orders, plus identities, line items,
 * abandoned and completed checkouts and letters, with the stored statistics on Customer computed
 * by the app's own computeCustomerStats. Rows go in as multi-row INSERTs (the ingestion's
 * insertRows), one transaction per chunk of customers, then the planner statistics are refreshed.
 *
 * Seeding takes minutes, so the database is kept (a SQLite file under .tmp/bench/, or a
 * PostgreSQL schema) and reused while its Shop row carries the marker for the same size and
 * the row counts agree; the marker is written last, so an interrupted seed is never reused.
 */

export const LARGE_SHOP_DOMAIN = "bench-large.myshopify.com";
/** The clock the data is generated against; the benchmark passes the same `now` to the services. */
export const SEED_NOW = new Date("2026-11-25T12:00:00.000Z");
export const HEAVY_CUSTOMER_EMAIL = "einkauf@feinkost-mueller.de";
const SEED_VERSION = 1;
const CUSTOMERS_PER_CHUNK = 2_000;
const DAY_MS = 86_400_000;
const SALT = "bench-large-salt-5f0c2d7e9a";

export type LineItemCoverage = "all" | "sample";

export type LargeShopSize = {
  customers: number;
  orders: number;
  /** Orders of the one heavy customer (a reseller). */
  heavyOrders: number;
  /** "all": 1–3 line items on every order; "sample": only on the orders of every tenth customer and the heavy one. */
  lineItems: LineItemCoverage;
};

export const FULL_SIZE: LargeShopSize = { customers: 200_000, orders: 1_000_000, heavyOrders: 2_000, lineItems: "all" };

export type TableCounts = Record<
  "customers" | "identities" | "orders" | "orderLineItems" | "checkouts" | "checkoutLineItems" | "letters" | "optOutEvents",
  number
>;

export type SeedReport = {
  seededAt: string;
  totalMs: number;
  migrateMs: number;
  generateMs: number;
  insertMs: number;
  analyzeMs: number;
  counts: TableCounts;
};

export type LargeShop = {
  url: string;
  provider: DatabaseProvider;
  shopId: string;
  heavyCustomerId: string;
  size: LargeShopSize;
  /** True when this call seeded the database; false when an earlier seed was reused. */
  seededNow: boolean;
  /** The seed that built the database (read back from the report kept beside it when reused). */
  seed: SeedReport | null;
};

type Log = (line: string) => void;

// ------------------------------------------------------------------------------- entry point

/** Where the large shop lives for a provider and size: a file per size, or a schema per size. */
export function largeShopUrl(provider: DatabaseProvider, size: LargeShopSize, postgresBaseUrl: string): string {
  const key = sizeKey(size);
  if (provider === "sqlite") return `file:${path.join(".tmp", "bench", `large-shop-${key}.db`)}`;
  const schema = isFullSize(size) ? "bench_customers" : `bench_customers_${key.replace(/[^a-z0-9]/g, "_")}`;
  return `${postgresBaseUrl}${postgresBaseUrl.includes("?") ? "&" : "?"}schema=${schema}`;
}

/** The seeded shop at `url`: reused when an earlier seed of the same size is complete, else (re)built. */
export async function ensureLargeShop({
  url,
  size,
  reseed = false,
  log = console.log,
}: {
  url: string;
  size: LargeShopSize;
  /** Seed afresh even when a complete seed of the same size is there. */
  reseed?: boolean;
  log?: Log;
}): Promise<LargeShop> {
  const provider = providerOf(url);
  const reused = reseed ? null : await findSeededShop(url, size);
  if (reused) {
    log(`  reusing the seeded shop (${describeSize(size)}) at ${where(url)}`);
    // Migrations added since the seed (new indexes) apply to the kept data.
    await migrateDatabase(url);
    return { url, provider, ...reused, size, seededNow: false, seed: readSeedReport(url) };
  }
  log(`  seeding ${describeSize(size)} into ${where(url)}`);
  await wipe(url);
  const started = performance.now();
  await migrateDatabase(url);
  const migrateMs = performance.now() - started;
  const db = createDb(url);
  try {
    const result = await seed(db, provider, size, log);
    const seedReport: SeedReport = {
      seededAt: new Date().toISOString(),
      totalMs: performance.now() - started,
      migrateMs,
      generateMs: result.generateMs,
      insertMs: result.insertMs,
      analyzeMs: result.analyzeMs,
      counts: result.counts,
    };
    writeFileSync(seedReportPath(url), `${JSON.stringify(seedReport, null, 2)}\n`);
    log(`  seeded in ${(seedReport.totalMs / 1000).toFixed(1)} s: ${formatCounts(result.counts)}`);
    return { url, provider, shopId: result.shopId, heavyCustomerId: result.heavyCustomerId, size, seededNow: true, seed: seedReport };
  } finally {
    await db.$disconnect();
  }
}

export function describeSize(size: LargeShopSize): string {
  return `${size.customers.toLocaleString("en")} customers, ${size.orders.toLocaleString("en")} orders (one customer with ${size.heavyOrders.toLocaleString("en")}), line items on ${size.lineItems === "all" ? "every order" : "a sample"}`;
}

export function formatCounts(counts: TableCounts): string {
  return Object.entries(counts)
    .map(([table, count]) => `${count.toLocaleString("en")} ${table}`)
    .join(", ");
}

function sizeKey(size: LargeShopSize): string {
  return `${size.customers}c-${size.orders}o-${size.heavyOrders}h-${size.lineItems}`;
}

function isFullSize(size: LargeShopSize): boolean {
  return sizeKey(size) === sizeKey(FULL_SIZE);
}

function marker(size: LargeShopSize): string {
  return `Large bench shop v${SEED_VERSION} ${sizeKey(size)}`;
}

function where(url: string): string {
  return providerOf(url) === "sqlite" ? sqliteFilePath(url) : `PostgreSQL schema ${postgresSchemaOf(url)}`;
}

function seedReportPath(url: string): string {
  mkdirSync(path.join(".tmp", "bench"), { recursive: true });
  return providerOf(url) === "sqlite" ? `${sqliteFilePath(url)}.seed.json` : path.join(".tmp", "bench", `${postgresSchemaOf(url)}.seed.json`);
}

function readSeedReport(url: string): SeedReport | null {
  try {
    return JSON.parse(readFileSync(seedReportPath(url), "utf8")) as SeedReport;
  } catch {
    return null;
  }
}

async function findSeededShop(url: string, size: LargeShopSize): Promise<{ shopId: string; heavyCustomerId: string } | null> {
  if (providerOf(url) === "sqlite" && !existsSync(sqliteFilePath(url))) return null;
  if (providerOf(url) === "postgresql" && !(await postgresSchemaExists(url))) return null;
  const db = createDb(url);
  try {
    const shop = await db.shop.findUnique({ where: { domain: LARGE_SHOP_DOMAIN }, select: { id: true, name: true } });
    if (!shop || shop.name !== marker(size)) return null;
    const [customers, orders, heavy] = await Promise.all([
      db.customer.count({ where: { shopId: shop.id } }),
      db.order.count({ where: { shopId: shop.id } }),
      db.customer.findFirst({ where: { shopId: shop.id, emailNormalized: HEAVY_CUSTOMER_EMAIL }, select: { id: true, orderCount: true } }),
    ]);
    if (customers !== size.customers || orders !== size.orders || !heavy) return null;
    return { shopId: shop.id, heavyCustomerId: heavy.id };
  } catch {
    return null;
  } finally {
    await db.$disconnect();
  }
}

async function postgresSchemaExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresConnectionString(url) });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [postgresSchemaOf(url)]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

async function wipe(url: string): Promise<void> {
  rmSync(seedReportPath(url), { force: true });
  if (providerOf(url) === "sqlite") {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: postgresConnectionString(url) });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${postgresSchemaOf(url)}" CASCADE`);
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------ seeding

type SeedResult = { shopId: string; heavyCustomerId: string; counts: TableCounts; generateMs: number; insertMs: number; analyzeMs: number };

async function seed(db: Db, provider: DatabaseProvider, size: LargeShopSize, log: Log): Promise<SeedResult> {
  if (size.orders < size.heavyOrders) throw new Error(`BENCH_ORDERS (${size.orders}) must be at least the heavy customer's ${size.heavyOrders} orders`);
  // SQLite's default page cache is 2 MB; the random-keyed indexes (e-mail, search text, tokens)
  // then miss it on almost every insert once the file outgrows it. For this connection only.
  if (provider === "sqlite") await db.$executeRawUnsafe("PRAGMA cache_size = -262144");
  const shop = await db.shop.create({
    data: {
      domain: LARGE_SHOP_DOMAIN,
      // Replaced by the marker once everything is in: a half-seeded shop is never reused.
      name: `${marker(size)} (incomplete)`,
      currency: "EUR",
      locale: "de",
      timezone: "Europe/Berlin",
      emailHashSalt: SALT,
      installedAt: new Date(SEED_NOW.getTime() - 4 * 365 * DAY_MS),
    },
  });
  const automation = await db.automation.create({
    data: { shopId: shop.id, status: "ACTIVE", delayMinutes: 3 * 24 * 60, activatedAt: new Date(SEED_NOW.getTime() - 400 * DAY_MS) },
  });
  const campaignDaysAgo = [340, 250, 170, 110, 45, 3];
  const campaigns = [];
  for (const [index, name] of CAMPAIGN_NAMES.entries()) {
    const sendAt = new Date(SEED_NOW.getTime() - campaignDaysAgo[index]! * DAY_MS);
    campaigns.push(await db.campaign.create({ data: { shopId: shop.id, name, status: "SENT", sendAt, holdoutPercent: 10, createdAt: sendAt } }));
  }

  const random = new Random(20_261_125);
  const heavyIndex = Math.min(137, size.customers - 1);
  const plan = planOrderCounts(random, size, heavyIndex);
  const generator = new ShopGenerator({
    random,
    shopId: shop.id,
    size,
    heavyIndex,
    orderCounts: plan,
    automationId: automation.id,
    campaigns: campaigns.map((campaign) => ({ id: campaign.id, sendAt: campaign.sendAt! })),
  });

  const counts: TableCounts = { customers: 0, identities: 0, orders: 0, orderLineItems: 0, checkouts: 0, checkoutLineItems: 0, letters: 0, optOutEvents: 0 };
  let generateMs = 0;
  let insertMs = 0;
  let heavyCustomerId = "";
  let nextReport = 0.1;
  const started = performance.now();
  for (let first = 0; first < size.customers; first += CUSTOMERS_PER_CHUNK) {
    const t0 = performance.now();
    const chunk = generator.chunk(first, Math.min(size.customers, first + CUSTOMERS_PER_CHUNK));
    heavyCustomerId ||= chunk.heavyCustomerId ?? "";
    const t1 = performance.now();
    await db.$transaction(
      async (tx) => {
        // The rows are consistent by construction: skip PostgreSQL's per-row foreign-key triggers
        // (superuser only; where refused, the checks simply run).
        if (provider === "postgresql") await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica").catch(() => undefined);
        await insertRows(tx, "Customer", CUSTOMER_COLUMNS, chunk.customers);
        await insertRows(tx, "CustomerIdentity", IDENTITY_COLUMNS, chunk.identities);
        await insertRows(tx, "Order", ORDER_COLUMNS, chunk.orders);
        await insertRows(tx, "OrderLineItem", LINE_ITEM_COLUMNS, chunk.orderLineItems);
        await insertRows(tx, "Checkout", CHECKOUT_COLUMNS, chunk.checkouts);
        await insertRows(tx, "CheckoutLineItem", CHECKOUT_LINE_COLUMNS, chunk.checkoutLineItems);
        await insertRows(tx, "Letter", LETTER_COLUMNS, chunk.letters);
        await insertRows(tx, "OptOutEvent", OPT_OUT_COLUMNS, chunk.optOutEvents);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    generateMs += t1 - t0;
    insertMs += performance.now() - t1;
    counts.customers += chunk.customers.length;
    counts.identities += chunk.identities.length;
    counts.orders += chunk.orders.length;
    counts.orderLineItems += chunk.orderLineItems.length;
    counts.checkouts += chunk.checkouts.length;
    counts.checkoutLineItems += chunk.checkoutLineItems.length;
    counts.letters += chunk.letters.length;
    counts.optOutEvents += chunk.optOutEvents.length;
    const done = counts.customers / size.customers;
    if (done >= nextReport) {
      const seconds = (performance.now() - started) / 1000;
      log(`    ${Math.round(done * 100)} %: ${counts.customers.toLocaleString("en")} customers, ${counts.orders.toLocaleString("en")} orders, ${counts.orderLineItems.toLocaleString("en")} line items in ${seconds.toFixed(0)} s`);
      nextReport += 0.1;
    }
  }
  if (counts.orders !== size.orders) throw new Error(`Seeded ${counts.orders} orders, expected ${size.orders}`);

  const analyzeStarted = performance.now();
  if (provider === "sqlite") {
    await db.$executeRawUnsafe("ANALYZE");
    // Fold the write-ahead log into the file, so the first reads do not walk a large WAL.
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  } else {
    // VACUUM as well: it sets the visibility map that index-only scans rely on, which a
    // long-lived production table has and a freshly bulk-loaded one lacks until autovacuum runs.
    await db.$executeRawUnsafe("VACUUM (ANALYZE)");
  }
  const analyzeMs = performance.now() - analyzeStarted;
  log(`    ANALYZE: ${(analyzeMs / 1000).toFixed(1)} s`);
  await db.shop.update({ where: { id: shop.id }, data: { name: marker(size) } });
  return { shopId: shop.id, heavyCustomerId, counts, generateMs, insertMs, analyzeMs };
}

/**
 * How many orders each customer has: many with 1–3, some with dozens, a few with none (imported
 * contacts), the heavy one with exactly `heavyOrders`; adjusted so the total is exact.
 */
function planOrderCounts(random: Random, size: LargeShopSize, heavyIndex: number): Int32Array {
  const counts = new Int32Array(size.customers);
  let total = 0;
  for (let index = 0; index < size.customers; index++) {
    if (index === heavyIndex) continue;
    const draw = random.next();
    const count =
      draw < 0.08 ? 0 : draw < 0.63 ? random.int(1, 3) : draw < 0.88 ? random.int(4, 10) : draw < 0.98 ? random.int(11, 30) : random.int(31, 90);
    counts[index] = count;
    total += count;
  }
  counts[heavyIndex] = size.heavyOrders;
  total += size.heavyOrders;
  // Scale towards the target first, then settle the remainder one order at a time.
  const others = total - size.heavyOrders;
  const wanted = size.orders - size.heavyOrders;
  if (others > 0 && Math.abs(wanted - others) > others * 0.02) {
    const factor = wanted / others;
    total = size.heavyOrders;
    for (let index = 0; index < size.customers; index++) {
      if (index === heavyIndex || counts[index] === 0) continue;
      counts[index] = Math.max(1, Math.round(counts[index]! * factor));
      total += counts[index]!;
    }
  }
  let guard = 0;
  while (total !== size.orders) {
    if (++guard > 50 * size.customers) throw new Error(`Cannot spread ${size.orders} orders over ${size.customers} customers`);
    const index = random.int(0, size.customers - 1);
    if (index === heavyIndex) continue;
    const count = counts[index]!;
    if (total < size.orders && count > 0 && count < 200) {
      counts[index] = count + 1;
      total++;
    } else if (total > size.orders && count > 1) {
      counts[index] = count - 1;
      total--;
    } else if (total > size.orders && count === 1 && guard > 10 * size.customers) {
      counts[index] = 0;
      total--;
    }
  }
  return counts;
}

// ------------------------------------------------------------------------------------ rows

const CUSTOMER_COLUMNS = [
  "id", "shopId", "email", "emailNormalized", "emailHash", "firstName", "lastName", "company", "salutation", "phone", "language",
  "addressName", "addressLine1", "addressLine2", "postalCode", "city", "region", "countryCode", "searchText", "optedOut", "optedOutAt",
  "optedOutReason", "redactedAt", "lifetimeValueMinor", "orderCount", "averageOrderValueMinor", "firstOrderAt", "lastOrderAt",
  "typicalDaysBetweenOrders", "unconvertedOrderCount", "lastLetterAt", "letterCount", "lastScanAt", "openAbandonedCheckouts",
  "createdAt", "updatedAt",
] as const;
const IDENTITY_COLUMNS = ["id", "shopId", "customerId", "source", "sourceId", "sourceUpdatedAt", "createdAt"] as const;
const ORDER_COLUMNS = [
  "id", "shopId", "customerId", "source", "sourceId", "number", "placedAt", "currency", "totalMinor", "subtotalMinor",
  "refundedMinor", "totalShopMinor", "refundedShopMinor", "financialState", "fulfilmentState", "cancelledAt", "cancelReason",
  "checkoutToken", "email", "customerLocale", "shippingCountry", "discountCodes", "sourceUpdatedAt", "live", "createdAt", "updatedAt",
] as const;
const LINE_ITEM_COLUMNS = [
  "id", "shopId", "orderId", "sourceId", "productId", "variantId", "sku", "title", "variantTitle", "quantity", "unitPriceMinor", "totalMinor", "position",
] as const;
const CHECKOUT_COLUMNS = [
  "id", "shopId", "customerId", "token", "cartToken", "email", "customerLocale", "abandonedCheckoutUrl", "currency", "valueMinor",
  "sourceCreatedAt", "sourceUpdatedAt", "completedAt", "abandonedAt", "recoveredAt", "recoveryKind", "lastActivityAt", "createdAt", "updatedAt",
] as const;
const CHECKOUT_LINE_COLUMNS = [
  "id", "shopId", "checkoutId", "productId", "variantId", "sku", "title", "variantTitle", "quantity", "unitPriceMinor", "position",
] as const;
const LETTER_COLUMNS = [
  "id", "shopId", "customerId", "campaignId", "automationId", "triggerOrderId", "dedupeKey", "language", "status", "scheduledFor",
  "qrToken", "pageCount", "provider", "providerRef", "costMinor", "costCurrency", "renderedAt", "submittedAt", "mailedAt",
  "deliveredAt", "failureReason", "firstScanAt", "lastScanAt", "scanCount", "createdAt", "updatedAt",
] as const;
const OPT_OUT_COLUMNS = ["id", "shopId", "customerId", "optedOut", "reason", "actor", "createdAt"] as const;

type Row<Columns extends readonly string[]> = Record<Columns[number], unknown>;
type Source = "SHOPIFY" | "BILLBEE" | "CSV" | "API";
type Chunk = {
  customers: Row<typeof CUSTOMER_COLUMNS>[];
  identities: Row<typeof IDENTITY_COLUMNS>[];
  orders: Row<typeof ORDER_COLUMNS>[];
  orderLineItems: Row<typeof LINE_ITEM_COLUMNS>[];
  checkouts: Row<typeof CHECKOUT_COLUMNS>[];
  checkoutLineItems: Row<typeof CHECKOUT_LINE_COLUMNS>[];
  letters: Row<typeof LETTER_COLUMNS>[];
  optOutEvents: Row<typeof OPT_OUT_COLUMNS>[];
  heavyCustomerId: string | null;
};

type GeneratedOrder = {
  id: string;
  source: Source;
  placedAt: Date;
  totalShopMinor: bigint;
  refundedShopMinor: bigint;
  cancelledAt: Date | null;
};

const OPT_OUT_REASONS = [
  { reason: "Kundenwunsch per E-Mail", actor: "merchant" },
  { reason: null, actor: "qr-landing" },
  { reason: "Werbewiderspruch laut Import", actor: "import" },
] as const;

const after = (date: Date, ms: number) => new Date(date.getTime() + ms);
const earliest = (...dates: Date[]) => new Date(Math.min(...dates.map((date) => date.getTime())));

class ShopGenerator {
  private readonly random: Random;
  private readonly shopId: string;
  private readonly size: LargeShopSize;
  private readonly heavyIndex: number;
  private readonly orderCounts: Int32Array;
  private readonly automationId: string;
  private readonly campaigns: { id: string; sendAt: Date }[];
  private readonly emails = new Set<string>();
  private orderSequence = 0;
  private shopifyOrderNumber = 1000;
  private billbeeOrderNumber = 0;

  constructor(options: {
    random: Random;
    shopId: string;
    size: LargeShopSize;
    heavyIndex: number;
    orderCounts: Int32Array;
    automationId: string;
    campaigns: { id: string; sendAt: Date }[];
  }) {
    this.random = options.random;
    this.shopId = options.shopId;
    this.size = options.size;
    this.heavyIndex = options.heavyIndex;
    this.orderCounts = options.orderCounts;
    this.automationId = options.automationId;
    this.campaigns = options.campaigns;
  }

  chunk(first: number, end: number): Chunk {
    const chunk: Chunk = { customers: [], identities: [], orders: [], orderLineItems: [], checkouts: [], checkoutLineItems: [], letters: [], optOutEvents: [], heavyCustomerId: null };
    for (let index = first; index < end; index++) this.customer(index, chunk);
    return chunk;
  }

  private customer(index: number, chunk: Chunk): void {
    const random = this.random;
    const heavy = index === this.heavyIndex;
    const id = newRecordId();
    if (heavy) chunk.heavyCustomerId = id;
    const pool = heavy ? NAME_POOLS[0]! : pickNamePool(random);
    const female = heavy ? false : random.chance(0.5);
    const firstName = heavy ? "Jürgen" : random.pick(female ? pool.female : pool.male);
    const surname = pool.surnames.pick(random);
    const lastName = heavy ? "Müller" : typeof surname === "string" ? surname : surname[female ? 1 : 0];
    const company = heavy ? "Feinkost Müller GmbH" : random.chance(0.03) ? `${lastName} ${random.pick(["GmbH", "& Co. KG", "e.K.", "Ltd", "S.A.R.L."])}` : null;
    const email = heavy ? HEAVY_CUSTOMER_EMAIL : this.uniqueEmail(pool, firstName, lastName);
    const emailNormalized = normalizeEmail(email);
    const place = random.pick(pool.places);
    const hasAddress = heavy || random.chance(0.95);
    const sources = heavy ? (["SHOPIFY", "BILLBEE"] as Source[]) : this.pickSources();
    const orderCount = this.orderCounts[index]!;
    const createdAt = heavy ? new Date(SEED_NOW.getTime() - 1_200 * DAY_MS) : new Date(SEED_NOW.getTime() - random.int(10, 4 * 365) * DAY_MS - random.int(0, DAY_MS));

    // Orders, oldest first, between the first contact and now.
    const orders: GeneratedOrder[] = [];
    const span = SEED_NOW.getTime() - createdAt.getTime();
    const times = Array.from({ length: orderCount }, () => createdAt.getTime() + Math.floor(random.next() * span)).sort((a, b) => a - b);
    const withLineItems = this.size.lineItems === "all" || heavy || index % 10 === 0;
    const completedCheckoutShare = heavy ? 1 : 0.25;
    for (const time of times) {
      const source = sources.length === 1 ? sources[0]! : random.chance(0.7) ? sources[0]! : sources[1]!;
      orders.push(this.order({ chunk, customerId: id, source, placedAt: new Date(time), email, language: pool.language, countryCode: place.countryCode, withLineItems, completedCheckoutShare }));
    }

    // Abandoned checkouts (Shopify only, A5): some recovered by a later order, some still open.
    const checkouts: { abandonedAt: Date | null; recoveredAt: Date | null; completedAt: Date | null }[] = [];
    if (sources.includes("SHOPIFY") && (heavy || random.chance(0.07))) {
      const abandoned = heavy ? 3 : random.chance(0.2) ? 2 : 1;
      for (let n = 0; n < abandoned; n++) checkouts.push(this.abandonedCheckout(chunk, id, email, pool.language, heavy ? n > 0 : random.chance(0.35)));
    }

    // Letters for about a tenth of the customers; the heavy one has had twenty.
    const letters: { status: StatsLetterStatus; createdAt: Date; submittedAt: Date | null; lastScanAt: Date | null }[] = [];
    if (heavy || random.chance(0.1)) {
      const wanted = heavy ? 20 : random.chance(0.6) ? 1 : random.chance(0.75) ? 2 : 3;
      letters.push(...this.letters(chunk, id, pool.language, orders, wanted));
    }

    const stats = computeCustomerStats({ orders, letters, checkouts, now: SEED_NOW });
    const optedOut = !heavy && random.chance(0.02);
    const optOut = optedOut
      ? { at: new Date(SEED_NOW.getTime() - random.int(1, 700) * DAY_MS), ...random.pick(OPT_OUT_REASONS) }
      : null;
    if (optOut) chunk.optOutEvents.push({ id: newRecordId(), shopId: this.shopId, customerId: id, optedOut: true, reason: optOut.reason, actor: optOut.actor, createdAt: optOut.at });
    const redacted = !heavy && random.chance(0.001);
    const details = {
      email,
      emailNormalized,
      firstName,
      lastName,
      company,
      salutation: pool.salutation ? (female ? pool.salutation.female : pool.salutation.male) : null,
      phone: random.chance(0.5) ? `${pool.phonePrefix}${random.int(10_000_000, 99_999_999)}` : null,
      addressName: hasAddress ? (company ?? `${firstName} ${lastName}`) : null,
      addressLine1: hasAddress ? `${random.pick(pool.streets)} ${random.int(1, 180)}` : null,
      addressLine2: hasAddress && random.chance(0.1) ? `${random.int(1, 5)}. OG` : null,
      postalCode: hasAddress ? place.postalCode : null,
      city: hasAddress ? place.city : null,
      region: null,
      countryCode: place.countryCode,
      searchText: buildSearchText(firstName, lastName, email),
    };
    chunk.customers.push({
      id,
      shopId: this.shopId,
      ...details,
      ...(redacted ? ERASED_PERSONAL_DETAILS : {}),
      emailHash: emailHashOf({ emailHashSalt: SALT }, emailNormalized),
      language: pool.language,
      optedOut,
      optedOutAt: optOut?.at ?? null,
      optedOutReason: optOut?.reason ?? null,
      redactedAt: redacted ? new Date(SEED_NOW.getTime() - random.int(1, 300) * DAY_MS) : null,
      ...stats,
      createdAt,
      updatedAt: SEED_NOW,
    });

    for (const source of sources) {
      chunk.identities.push({
        id: newRecordId(),
        shopId: this.shopId,
        customerId: id,
        source,
        sourceId: identitySourceId(source, index, email),
        sourceUpdatedAt: stats.lastOrderAt ?? createdAt,
        createdAt,
      });
    }
  }

  /** SHOPIFY for most; some from Billbee, a CSV or the API only; a tenth known from two sources. */
  private pickSources(): Source[] {
    const draw = this.random.next();
    if (draw < 0.77) return ["SHOPIFY"];
    if (draw < 0.85) return ["BILLBEE"];
    if (draw < 0.89) return ["CSV"];
    if (draw < 0.9) return ["API"];
    if (draw < 0.96) return ["SHOPIFY", "BILLBEE"];
    return ["SHOPIFY", "CSV"];
  }

  private uniqueEmail(pool: NamePool, firstName: string, lastName: string): string {
    const random = this.random;
    const first = transliterate(firstName);
    const last = transliterate(lastName);
    const domain = random.pick(pool.emailDomains);
    const patterns = [
      () => `${first}.${last}`,
      () => `${first[0]}.${last}`,
      () => `${first}${last}${random.int(1, 99)}`,
      () => `${last}.${first}`,
      () => `${first}_${last}${random.int(1960, 2005)}`,
      () => `${first}${random.int(100, 999)}`,
    ];
    let local = random.pick(patterns)();
    let email = `${local}@${domain}`;
    while (this.emails.has(email)) {
      local = `${local}${random.int(0, 9)}`;
      email = `${local}@${domain}`;
    }
    this.emails.add(email);
    return email;
  }

  private order({
    chunk,
    customerId,
    source,
    placedAt,
    email,
    language,
    countryCode,
    withLineItems,
    completedCheckoutShare,
  }: {
    chunk: Chunk;
    customerId: string;
    source: Source;
    placedAt: Date;
    email: string;
    language: string;
    countryCode: string;
    withLineItems: boolean;
    completedCheckoutShare: number;
  }): GeneratedOrder {
    const random = this.random;
    const id = newRecordId();
    const sequence = ++this.orderSequence;
    const lines = random.chance(0.5) ? 1 : random.chance(0.7) ? 2 : 3;
    let subtotal = 0;
    for (let position = 0; position < lines; position++) {
      const product = PRODUCT_PICKER.pick(random);
      const quantity = random.chance(0.75) ? 1 : random.int(2, 4);
      subtotal += product.priceMinor * quantity;
      if (withLineItems) {
        chunk.orderLineItems.push({
          id: newRecordId(),
          shopId: this.shopId,
          orderId: id,
          sourceId: source === "SHOPIFY" ? String(16_000_000_000_000 + sequence * 4 + position) : null,
          productId: product.productId,
          variantId: product.variantId,
          sku: product.sku,
          title: product.title,
          variantTitle: product.variantTitle,
          quantity,
          unitPriceMinor: BigInt(product.priceMinor),
          totalMinor: BigInt(product.priceMinor * quantity),
          position,
        });
      }
    }
    const total = subtotal + (subtotal < 4_900 ? 495 : 0);
    const cancelled = random.chance(0.02);
    const refundDraw = random.next();
    const refunded = cancelled || refundDraw < 0.02 ? total : refundDraw < 0.05 ? Math.round(total * 0.3) : 0;
    const financialState = cancelled ? "VOIDED" : refunded === total ? "REFUNDED" : refunded > 0 ? "PARTIALLY_REFUNDED" : placedAt.getTime() > SEED_NOW.getTime() - 2 * DAY_MS && random.chance(0.3) ? "PENDING" : "PAID";
    const fulfilmentState = cancelled ? "RESTOCKED" : placedAt.getTime() > SEED_NOW.getTime() - 4 * DAY_MS ? "UNFULFILLED" : "FULFILLED";
    const checkoutToken = source === "SHOPIFY" ? randomBytes(16).toString("hex") : null;
    const number =
      source === "SHOPIFY" ? `#${++this.shopifyOrderNumber}` : source === "BILLBEE" ? `BB-${placedAt.getUTCFullYear()}-${++this.billbeeOrderNumber}` : `${source}-${sequence}`;
    chunk.orders.push({
      id,
      shopId: this.shopId,
      customerId,
      source,
      sourceId: source === "SHOPIFY" ? String(5_900_000_000_000 + sequence) : source === "BILLBEE" ? String(90_000_000 + sequence) : `${source.toLowerCase()}-${sequence}`,
      number,
      placedAt,
      currency: "EUR",
      totalMinor: BigInt(total),
      subtotalMinor: BigInt(subtotal),
      refundedMinor: BigInt(refunded),
      totalShopMinor: BigInt(total),
      refundedShopMinor: BigInt(refunded),
      financialState,
      fulfilmentState,
      cancelledAt: cancelled ? after(placedAt, random.int(1, 48) * 3_600_000) : null,
      cancelReason: cancelled ? random.pick(["customer", "inventory", "declined"]) : null,
      checkoutToken,
      email,
      customerLocale: language,
      shippingCountry: countryCode,
      discountCodes: random.chance(0.1) ? random.pick(["WILLKOMMEN10", "DANKE15", "BRIEF-5EUR"]) : null,
      sourceUpdatedAt: after(placedAt, random.int(1, 72) * 3_600_000),
      live: source === "SHOPIFY" && placedAt.getTime() > SEED_NOW.getTime() - 200 * DAY_MS,
      createdAt: after(placedAt, 2_000),
      updatedAt: after(placedAt, 2_000),
    });
    if (checkoutToken && random.chance(completedCheckoutShare)) {
      const started = after(placedAt, -random.int(3, 40) * 60_000);
      chunk.checkouts.push({
        id: newRecordId(),
        shopId: this.shopId,
        customerId,
        token: checkoutToken,
        cartToken: randomBytes(12).toString("hex"),
        email,
        customerLocale: language,
        abandonedCheckoutUrl: null,
        currency: "EUR",
        valueMinor: BigInt(total),
        sourceCreatedAt: started,
        sourceUpdatedAt: placedAt,
        completedAt: placedAt,
        abandonedAt: null,
        recoveredAt: null,
        recoveryKind: null,
        lastActivityAt: after(placedAt, -60_000),
        createdAt: started,
        updatedAt: placedAt,
      });
    }
    return {
      id,
      source,
      placedAt,
      totalShopMinor: BigInt(total),
      refundedShopMinor: BigInt(refunded),
      cancelledAt: cancelled ? placedAt : null,
    };
  }

  private abandonedCheckout(chunk: Chunk, customerId: string, email: string, language: string, recovered: boolean) {
    const random = this.random;
    const id = newRecordId();
    const token = randomBytes(16).toString("hex");
    const started = new Date(SEED_NOW.getTime() - random.int(1, 120) * DAY_MS - random.int(0, DAY_MS));
    const lastActivityAt = after(started, random.int(1, 25) * 60_000);
    const abandonedAt = after(lastActivityAt, 60 * 60_000);
    const recoveredAt = recovered ? earliest(after(abandonedAt, random.int(2, 120) * 3_600_000), SEED_NOW) : null;
    let value = 0;
    const lines = random.int(1, 2);
    for (let position = 0; position < lines; position++) {
      const product = PRODUCT_PICKER.pick(random);
      const quantity = random.int(1, 2);
      value += product.priceMinor * quantity;
      chunk.checkoutLineItems.push({
        id: newRecordId(),
        shopId: this.shopId,
        checkoutId: id,
        productId: product.productId,
        variantId: product.variantId,
        sku: product.sku,
        title: product.title,
        variantTitle: product.variantTitle,
        quantity,
        unitPriceMinor: BigInt(product.priceMinor),
        position,
      });
    }
    chunk.checkouts.push({
      id,
      shopId: this.shopId,
      customerId,
      token,
      cartToken: randomBytes(12).toString("hex"),
      email,
      customerLocale: language,
      abandonedCheckoutUrl: `https://${LARGE_SHOP_DOMAIN}/checkouts/cn/${token}/recover`,
      currency: "EUR",
      valueMinor: BigInt(value),
      sourceCreatedAt: started,
      sourceUpdatedAt: lastActivityAt,
      completedAt: null,
      abandonedAt,
      recoveredAt,
      recoveryKind: recovered ? "SAME_CUSTOMER_ORDER" : null,
      lastActivityAt,
      createdAt: started,
      updatedAt: recoveredAt ?? abandonedAt,
    });
    return { abandonedAt, recoveredAt, completedAt: null };
  }

  /** Campaign letters (one per campaign at most) and after-purchase letters for orders of the last year. */
  private letters(chunk: Chunk, customerId: string, language: string, orders: GeneratedOrder[], wanted: number) {
    const random = this.random;
    const out: { status: StatsLetterStatus; createdAt: Date; submittedAt: Date | null; lastScanAt: Date | null }[] = [];
    const recentOrders = orders.filter((order) => order.placedAt.getTime() > SEED_NOW.getTime() - 365 * DAY_MS && order.cancelledAt === null);
    const campaigns = [...this.campaigns].sort(() => random.next() - 0.5);
    const usedOrders = new Set<string>();
    for (let n = 0; n < wanted; n++) {
      const fromAutomation = recentOrders.length > usedOrders.size && (campaigns.length === 0 || random.chance(0.4));
      let campaignId: string | null = null;
      let triggerOrderId: string | null = null;
      let scheduledFor: Date;
      let createdAt: Date;
      let dedupeKey: string;
      if (fromAutomation) {
        let order = random.pick(recentOrders);
        while (usedOrders.has(order.id)) order = random.pick(recentOrders);
        usedOrders.add(order.id);
        triggerOrderId = order.id;
        createdAt = after(order.placedAt, 60_000);
        scheduledFor = after(order.placedAt, 3 * DAY_MS);
        dedupeKey = `order:${order.id}`;
      } else if (campaigns.length > 0) {
        const campaign = campaigns.pop()!;
        campaignId = campaign.id;
        createdAt = after(campaign.sendAt, -DAY_MS);
        scheduledFor = campaign.sendAt;
        dedupeKey = `campaign:${campaign.id}:${customerId}`;
      } else {
        break;
      }
      const status = letterStatus(random, scheduledFor);
      const rendered = status !== "SCHEDULED" && status !== "CANCELLED";
      const submittedAt = ["SUBMITTED", "PRINTED", "MAILED", "DELIVERED", "RETURNED"].includes(status) ? after(scheduledFor, 3_600_000) : null;
      const mailedAt = ["MAILED", "DELIVERED", "RETURNED"].includes(status) ? after(scheduledFor, DAY_MS) : null;
      const deliveredAt = status === "DELIVERED" ? after(scheduledFor, 3 * DAY_MS) : null;
      const scanned = (status === "DELIVERED" || status === "MAILED") && random.chance(0.18);
      const firstScanAt = scanned ? earliest(after(deliveredAt ?? mailedAt!, random.int(1, 14 * 24) * 3_600_000), SEED_NOW) : null;
      const scanCount = scanned ? random.int(1, 4) : 0;
      const lastScanAt = firstScanAt && scanCount > 1 ? earliest(after(firstScanAt, random.int(1, 20) * DAY_MS), SEED_NOW) : firstScanAt;
      chunk.letters.push({
        id: newRecordId(),
        shopId: this.shopId,
        customerId,
        campaignId,
        automationId: fromAutomation ? this.automationId : null,
        triggerOrderId,
        dedupeKey,
        language,
        status,
        scheduledFor,
        qrToken: randomBytes(16).toString("base64url"),
        pageCount: rendered ? 1 : null,
        provider: submittedAt ? "pingen" : null,
        providerRef: submittedAt ? randomBytes(8).toString("hex") : null,
        costMinor: submittedAt ? 129n : null,
        costCurrency: submittedAt ? "EUR" : null,
        renderedAt: rendered ? after(scheduledFor, -3_600_000) : null,
        submittedAt,
        mailedAt,
        deliveredAt,
        failureReason: status === "FAILED" ? "Address not deliverable" : status === "RETURNED" ? "Recipient unknown" : null,
        firstScanAt,
        lastScanAt,
        scanCount,
        createdAt,
        updatedAt: lastScanAt ?? deliveredAt ?? mailedAt ?? submittedAt ?? createdAt,
      });
      out.push({ status, createdAt, submittedAt, lastScanAt });
    }
    return out;
  }
}

function letterStatus(random: Random, scheduledFor: Date): StatsLetterStatus {
  const age = SEED_NOW.getTime() - scheduledFor.getTime();
  if (age < 0) return random.chance(0.9) ? "SCHEDULED" : "CANCELLED";
  if (age < DAY_MS) return random.pick(["RENDERED", "SUBMITTED", "PRINTED"] as const);
  if (age < 3 * DAY_MS) return random.chance(0.9) ? "MAILED" : "FAILED";
  const draw = random.next();
  return draw < 0.75 ? "DELIVERED" : draw < 0.87 ? "MAILED" : draw < 0.92 ? "RETURNED" : draw < 0.96 ? "FAILED" : "CANCELLED";
}

function identitySourceId(source: Source, index: number, email: string): string {
  switch (source) {
    case "SHOPIFY":
      return String(7_100_000_000_000 + index);
    case "BILLBEE":
      return String(40_000_000 + index);
    case "CSV":
      return email;
    case "API":
      return `crm-${index}`;
  }
}
