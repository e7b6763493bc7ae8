import { createHash } from "node:crypto";
import type { Prisma } from "../../prisma/client/sqlite/client";
import type { DataSource, LetterStatus } from "../../prisma/client/sqlite/enums";
import { buildSearchText, ERASED_PERSONAL_DETAILS } from "../core/customer-identity";
import { computeCustomerStats } from "../core/customer-stats";
import type { Db } from "../db.server";
import { DEMO_SHOP_DOMAIN, env } from "../env.server";
import { buildFileKey } from "../files/file-keys";
import type { FileStore } from "../files/file-store";
import { fileStore } from "../files/file-store.server";
import { COMPANIES, PRODUCTS, countryProfiles, type CountryProfile, type Person, type Product } from "./demo-catalogue";
import { countPdfPages, renderDemoLetterPdf, type DemoLetterContent } from "./demo-letter-document";
import { createRandom, type Random } from "./prng";

/**
 * The demo shop "Kaffeerösterei Morgenrot" (PRODUCT.md F1): a few hundred customers from
 * Shopify, Billbee and a CSV import, their orders, abandoned and recovered checkouts, an active
 * after-purchase automation, campaigns and letters in every status, each letter that was
 * rendered with its PDF in the file store.
 *
 * Deterministic: one seeded generator makes every row, ids included, so each run writes the same
 * data. Dates are relative to `now` (default: the start of the current UTC day, so the demo never
 * looks stale and two runs on the same day are identical; pass `now` for a fixed result).
 *
 * Idempotent by replacement: an existing demo shop is deleted (its rows cascade) and seeded
 * afresh in the same transaction, so a re-run never mixes old and new demo data and never
 * touches other shops. The old shop's letter PDFs leave the file store once the new shop is in.
 *
 * Some customers are there for the customer screens to be tried and measured on (`showcase` in
 * the summary): one with 2,000 orders over five years, one with exactly 25 orders, a Billbee-only
 * one, one known to Shopify and Billbee, a redacted one, and people called Жуков and Müller.
 */

const SEED = 20_261_125;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const CUSTOMER_COUNT = 340;
const MIN_ORDERS = 1_500;
const HEAVY_CUSTOMER_ORDERS = 2_000;
const HEAVY_HISTORY_DAYS = 5 * 365;
/** Draft indexes of customers with a fixed role; the other showcase customers are found by rule. */
const HEAVY_INDEX = 0;
const TWENTY_FIVE_ORDERS_INDEX = 33;
const REDACTED_INDEX = 77;
const PROVIDER = "pingen";
const POSTAGE_MINOR = 145n;
/** USD → EUR; CHF deliberately has no rate, so those orders stay out of the statistics. */
const USD_RATE = 0.92;
const CURRENCY_FACTOR = { EUR: 1, USD: 1.09, CHF: 0.97 } as const;
type Currency = keyof typeof CURRENCY_FACTOR;

export type DemoSeedSummary = {
  shopId: string;
  shopDomain: string;
  now: string;
  customers: number;
  identities: number;
  identitiesBySource: Record<string, number>;
  customersInTwoSources: number;
  orders: number;
  cancelledOrders: number;
  refundedOrders: number;
  unconvertedOrders: number;
  orderLineItems: number;
  checkouts: { total: number; abandonedOpen: number; recovered: number; completed: number; inProgress: number };
  campaigns: number;
  campaignRecipients: number;
  letters: number;
  lettersByStatus: Record<LetterStatus, number>;
  letterStatusEvents: number;
  qrScans: number;
  discountCodes: number;
  discountCodesAssigned: number;
  /** Letters stored with their PDF (every letter that was rendered). */
  letterPdfs: number;
  letterPdfRenderMs: number;
  heavyCustomerId: string;
  showcase: DemoShowcase;
  durationMs: number;
};

/** Customers the customer screens are tried and measured on (ids). */
export type DemoShowcase = {
  /** 2,000 orders over five years from Shopify and Billbee, abandoned checkouts, letters with scans. */
  heavyCustomerId: string;
  /** Exactly 25 orders, none cancelled. */
  twentyFiveOrdersCustomerId: string;
  /** Known only from Billbee: orders, no checkouts. */
  billbeeOnlyCustomerId: string;
  /** One customer with a Shopify and a Billbee identity, and orders from both. */
  twoSourceCustomerId: string;
  /** Redacted (customers/redact): personal fields erased, orders kept. */
  redactedCustomerId: string;
  /** Last name Жуков (Cyrillic search). */
  cyrillicCustomerId: string;
  /** Last name Müller (search beyond ASCII). */
  muellerCustomerId: string;
};

type Row<T> = T & { id: string };
type CustomerRow = Row<Prisma.CustomerCreateManyInput>;
type OrderRow = Row<Prisma.OrderCreateManyInput> & { placedAt: Date; customerId: string; cancelledAt: Date | null };
type LineItemRow = Row<Prisma.OrderLineItemCreateManyInput>;
type CheckoutRow = Row<Prisma.CheckoutCreateManyInput> & { sourceCreatedAt: Date };
type LetterRow = Row<Prisma.LetterCreateManyInput> & {
  createdAt: Date;
  status: LetterStatus;
  customerId: string;
  mailedAt?: Date | null;
  firstScanAt?: Date | null;
  lastScanAt?: Date | null;
};

type DraftCustomer = {
  row: CustomerRow;
  index: number;
  sources: DataSource[];
  profile: CountryProfile;
  person: Person;
  company: string | null;
  completeAddress: boolean;
  redacted: boolean;
  merchantOptOut: boolean;
  b2b: boolean;
  orderPlan: number;
  windowStart: number;
  windowEnd: number;
  recentOrderHoursAgo: number | null;
};

export type DemoData = ReturnType<typeof buildDemoData>;

/** Start of the current UTC day: the default anchor for the demo's dates. */
export function defaultDemoNow(clock = new Date()): Date {
  return new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate()));
}

export function buildDemoData(now: Date) {
  const random = createRandom(SEED);
  const idRandom = createRandom(SEED + 1);
  // cuid-shaped ids ("c" + 24 chars), reproducible from the generator.
  const newId = () => `c${idRandom.alphanumeric(24)}`;
  const nowMs = now.getTime();
  const at = (ms: number) => new Date(Math.round(ms));

  const installedAt = nowMs - 130 * DAY;
  const activatedAt = nowMs - 120 * DAY;
  const csvImportAt = nowMs - 125 * DAY;
  const billbeeInitialAt = installedAt + 1 * DAY;
  const billbeeLastSyncAt = nowMs - 1 * DAY;
  const shopOpenedAt = nowMs - 1080 * DAY;

  const shopId = newId();
  const emailHashSalt = random.hex(32);
  const shop: Prisma.ShopCreateManyInput = {
    id: shopId,
    domain: DEMO_SHOP_DOMAIN,
    name: "Kaffeerösterei Morgenrot",
    currency: "EUR",
    locale: "de",
    timezone: "Europe/Berlin",
    isDemo: true,
    installedAt: at(installedAt),
    emailHashSalt,
    createdAt: at(installedAt),
  };

  // ---------------------------------------------------------------- customers
  const profiles = countryProfiles(random);
  const usedEmails = new Set<string>();
  const sourceMix: Array<readonly [DataSource[], number]> = [
    [["SHOPIFY"], 66],
    [["BILLBEE"], 12],
    [["CSV"], 12],
    [["SHOPIFY", "BILLBEE"], 4],
    [["SHOPIFY", "CSV"], 4],
    [["BILLBEE", "CSV"], 2],
  ];
  const orderCountTable: Array<readonly [number, number]> = [
    [1, 20], [2, 15], [3, 13], [4, 11], [5, 9], [6, 8], [7, 6], [8, 5], [10, 5], [12, 4], [15, 4],
  ];
  const RECENT_HOURS = [5, 20, 40, 60, 74, 79, 84, 95, 110, 130, 150, 200];

  const drafts: DraftCustomer[] = [];
  for (let index = 0; index < CUSTOMER_COUNT; index++) {
    const heavy = index === HEAVY_INDEX;
    const twentyFive = index === TWENTY_FIVE_ORDERS_INDEX;
    const b2b = index >= 1 && index <= COMPANIES.length;
    const recentIndex = index >= 20 && index < 20 + RECENT_HOURS.length ? index - 20 : -1;
    const redacted = index === REDACTED_INDEX;
    const fixedRole = heavy || twentyFive || b2b || recentIndex >= 0;
    const profile = fixedRole ? profiles[0]! : random.weighted(profiles.map((p) => [p, p.weight] as const));
    const person: Person = heavy ? { first: "Jürgen", last: "Weißmüller", gender: "m" } : profile.people();
    const sources: DataSource[] = heavy
      ? ["SHOPIFY", "BILLBEE"]
      : fixedRole || redacted
        ? ["SHOPIFY"]
        : random.weighted(sourceMix);
    const zeroOrders = !fixedRole && sources.includes("SHOPIFY") && index % 23 === 5;
    const orderPlan = heavy ? HEAVY_CUSTOMER_ORDERS : twentyFive ? 25 : zeroOrders ? 0 : random.weighted(orderCountTable) + (b2b ? 6 : 0);

    const domain = random.pick(profile.emailDomains);
    let local = person.emailName ?? emailLocalPart(person, random);
    if (usedEmails.has(`${local}@${domain}`)) local = `${local}${random.int(2, 99)}`;
    while (usedEmails.has(`${local}@${domain}`)) local = `${local}${random.int(0, 9)}`;
    const email = `${local}@${domain}`;
    usedEmails.add(email);

    const company = b2b ? COMPANIES[index - 1]! : null;
    const city = heavy ? profile.cities.find((c) => c.city === "Leipzig")! : random.pick(profile.cities);
    const line1 = `${random.pick(profile.streets)} ${random.int(1, 140)}${random.chance(0.1) ? random.pick(["a", "b"]) : ""}`;
    const line2 = random.chance(0.12) ? random.pick(["2. OG links", "Hinterhaus", "c/o Praxis", "Apt 4B", "Aufgang C"]) : null;
    // A few addresses are incomplete (the audience must exclude and count them), one is missing.
    const incompleteKind = index === 100 ? "none" : index % 41 === 7 ? (index % 2 === 0 ? "postal" : "street") : null;
    const address = {
      addressName: company ?? `${person.first} ${person.last}`,
      addressLine1: incompleteKind === "street" || incompleteKind === "none" ? null : line1,
      addressLine2: incompleteKind === "none" ? null : line2,
      postalCode: incompleteKind === "postal" || incompleteKind === "none" ? null : city.postal(),
      city: incompleteKind === "none" ? null : city.city,
      region: incompleteKind === "none" ? null : (city.region ?? null),
      countryCode: incompleteKind === "none" ? null : profile.code,
    };
    const language =
      sources.includes("SHOPIFY") || random.chance(0.7) ? (profile.code === "DE" && random.chance(0.05) ? "en" : profile.language) : null;
    const salutation = ["de", "de-AT", "de-CH"].includes(profile.language)
      ? person.gender === "f" ? "Frau" : "Herr"
      : ["fr", "fr-CH"].includes(profile.language) ? (person.gender === "f" ? "Madame" : "Monsieur") : null;
    const emailNormalized = email.trim().toLowerCase();
    const merchantOptOut = !fixedRole && !redacted && index % 97 === 13;

    // The heavy customer's last order is a day old, so an abandoned checkout after it stays open.
    const windowEnd = heavy
      ? nowMs - 30 * HOUR
      : recentIndex >= 0
        ? nowMs - 100 * DAY
        : sources.length === 1 && sources[0] === "BILLBEE"
          ? billbeeLastSyncAt
          : sources.length === 1 && sources[0] === "CSV"
            ? csvImportAt - DAY
            : sources.every((s) => s !== "SHOPIFY") ? billbeeLastSyncAt : nowMs - 2 * HOUR;

    drafts.push({
      index,
      sources,
      profile,
      person,
      company,
      completeAddress: incompleteKind === null,
      redacted,
      merchantOptOut,
      b2b,
      orderPlan,
      windowStart: heavy ? nowMs - HEAVY_HISTORY_DAYS * DAY : shopOpenedAt,
      windowEnd,
      recentOrderHoursAgo: recentIndex >= 0 ? RECENT_HOURS[recentIndex]! : null,
      row: {
        id: newId(),
        shopId,
        email,
        emailNormalized,
        emailHash: sha256(`${emailHashSalt}:${emailNormalized}`),
        firstName: person.first,
        lastName: person.last,
        company,
        salutation,
        phone: random.chance(0.4) ? phoneFor(profile.code, random) : null,
        language,
        ...address,
        searchText: buildSearchText(person.first, person.last, email),
      },
    });
  }

  // ---------------------------------------------------------------- orders
  const orders: OrderRow[] = [];
  const lineItems: LineItemRow[] = [];
  const ordersByCustomer = new Map<string, OrderRow[]>();
  type OrderDraft = { customer: DraftCustomer; placedAt: number; source: DataSource; forced?: "machine" | "grinder" | "b2b" | "cancel" | "plain" };
  const orderDrafts: OrderDraft[] = [];

  const pickSource = (customer: DraftCustomer, placedAt: number): DataSource => {
    // The heavy customer ordered through Billbee (the old shop) until 500 days ago, then in Shopify.
    if (customer.index === HEAVY_INDEX) return placedAt < nowMs - 500 * DAY ? "BILLBEE" : "SHOPIFY";
    const valid = customer.sources.filter((source) =>
      source === "SHOPIFY" ? true : source === "BILLBEE" ? placedAt <= billbeeLastSyncAt : placedAt <= csvImportAt - DAY,
    );
    return valid.length > 0 ? random.pick(valid) : customer.sources[0]!;
  };

  for (const customer of drafts) {
    const count = customer.orderPlan;
    if (count === 0) continue;
    const available = customer.windowEnd - customer.windowStart;
    const heavy = customer.index === HEAVY_INDEX;
    const meanGap = customer.b2b ? 25 * DAY : heavy ? available / count : random.between(20, 110) * DAY;
    const offsets = [0];
    for (let k = 1; k < count; k++) offsets.push(offsets[k - 1]! + meanGap * random.between(0.35, 1.65));
    const span = offsets.at(-1)!;
    const scale = span > available * 0.95 ? (available * 0.95) / span : 1;
    const start = customer.windowEnd - span * scale - random.between(0, Math.max(0, available - span * scale)) * (heavy ? 0 : 1);
    // Exactly 25 orders means 25 that count: none cancelled, refunded or in a foreign currency.
    const forced = customer.index === TWENTY_FIVE_ORDERS_INDEX ? ("plain" as const) : undefined;
    for (const offset of offsets) {
      const placedAt = Math.min(customer.windowEnd, start + offset * scale + random.between(0, 10 * HOUR));
      orderDrafts.push({ customer, placedAt, source: pickSource(customer, placedAt), forced });
    }
  }
  // Guarantee the order volume the demo promises, spreading the extra orders over Shopify customers.
  const shopifyRegulars = drafts.filter(
    (d) => d.sources.includes("SHOPIFY") && d.orderPlan > 0 && d.recentOrderHoursAgo === null && d.index !== HEAVY_INDEX && d.index !== TWENTY_FIVE_ORDERS_INDEX,
  );
  while (orderDrafts.length + RECENT_HOURS.length < MIN_ORDERS + 40) {
    const customer = random.pick(shopifyRegulars);
    const placedAt = random.between(nowMs - 700 * DAY, nowMs - 3 * HOUR);
    orderDrafts.push({ customer, placedAt, source: "SHOPIFY" });
  }
  // Recent live orders at fixed ages, so the after-purchase letters cover every stage and tier.
  const recentKinds: Array<OrderDraft["forced"]> = ["plain", "plain", "plain", "cancel", "plain", "grinder", "plain", "b2b", "plain", "grinder", "b2b", "machine"];
  for (const customer of drafts.filter((d) => d.recentOrderHoursAgo !== null)) {
    orderDrafts.push({
      customer,
      placedAt: nowMs - customer.recentOrderHoursAgo! * HOUR,
      source: "SHOPIFY",
      forced: recentKinds[customer.index - 20],
    });
  }
  orderDrafts.sort((a, b) => a.placedAt - b.placedAt);

  const seqBySource: Record<DataSource, number> = { SHOPIFY: 0, BILLBEE: 0, CSV: 0, API: 0 };
  const firstOrderSeen = new Set<string>();
  const importRunIds = { backfill: newId(), billbeeInitial: newId(), billbeeIncremental: newId(), csv: newId() };

  for (const draft of orderDrafts) {
    const { customer, source } = draft;
    const placedAt = Math.round(draft.placedAt);
    const seq = ++seqBySource[source];
    const currency: Currency =
      source !== "SHOPIFY" || draft.forced
        ? "EUR"
        : customer.profile.currency === "USD"
          ? "USD"
          : customer.profile.currency === "CHF" && random.chance(0.1)
            ? "CHF"
            : "EUR";
    const factor = CURRENCY_FACTOR[currency];
    const orderId = newId();
    const lines = orderLines(random, { b2b: customer.b2b, forced: draft.forced });
    let subtotal = 0;
    lines.forEach(({ product, variant, quantity }, position) => {
      const unit = Math.round(variant.priceMinor * factor);
      subtotal += unit * quantity;
      lineItems.push({
        id: newId(),
        shopId,
        orderId,
        sourceId: source === "SHOPIFY" ? String(14_200_000_000_000 + lineItems.length * 17) : null,
        ...productLine({ product, variant, quantity }, unit),
        totalMinor: BigInt(unit * quantity),
        position,
      });
    });
    const isFirst = !firstOrderSeen.has(customer.row.id);
    firstOrderSeen.add(customer.row.id);
    const welcome = isFirst && source === "SHOPIFY" && random.chance(0.25);
    const discount = welcome ? Math.round(subtotal * 0.1) : 0;
    const domestic = customer.profile.code === "DE";
    const shipping = subtotal - discount < 3900 * factor ? Math.round((domestic ? 490 : 990) * factor) : 0;
    const total = subtotal - discount + shipping;

    const roll = random.next();
    const cancelled = draft.forced === "cancel" || (!draft.forced && roll < 0.025);
    const fullyRefunded = !cancelled && !draft.forced && roll < 0.035;
    const partlyRefunded = !cancelled && !fullyRefunded && !draft.forced && roll < 0.065;
    const cancelledAt = cancelled ? placedAt + (draft.forced ? 3 * HOUR : random.between(1 * HOUR, 40 * HOUR)) : null;
    const refunded = fullyRefunded || cancelled ? total : partlyRefunded ? Math.round(total * random.between(0.2, 0.5)) : 0;
    const refundedAt = fullyRefunded || partlyRefunded ? placedAt + random.between(3 * DAY, 20 * DAY) : null;
    const toShop = (amount: number) => (currency === "EUR" ? BigInt(amount) : currency === "USD" ? BigInt(Math.round(amount * USD_RATE)) : null);
    const live = source === "SHOPIFY" && placedAt >= installedAt;
    const updatedAt = Math.min(nowMs, Math.max(placedAt, cancelledAt ?? 0, refundedAt ?? 0));

    const order: OrderRow = {
      id: orderId,
      shopId,
      customerId: customer.row.id,
      source,
      sourceId:
        source === "SHOPIFY" ? String(6_100_000_000_000 + seq * 7919) : source === "BILLBEE" ? String(480_000_000 + seq * 13) : `A-${20_000 + seq}`,
      number:
        source === "SHOPIFY" ? `#${1000 + seq}` : source === "BILLBEE" ? `BB-${new Date(placedAt).getUTCFullYear()}-${String(seq).padStart(4, "0")}` : `A-${20_000 + seq}`,
      placedAt: at(placedAt),
      currency,
      totalMinor: BigInt(total),
      subtotalMinor: BigInt(subtotal),
      refundedMinor: BigInt(refunded),
      totalShopMinor: toShop(total),
      refundedShopMinor: toShop(refunded),
      financialState: cancelled ? (random.chance(0.5) ? "VOIDED" : "REFUNDED") : fullyRefunded ? "REFUNDED" : partlyRefunded ? "PARTIALLY_REFUNDED" : "PAID",
      fulfilmentState: cancelled ? "UNFULFILLED" : nowMs - placedAt < 2 * DAY ? "UNFULFILLED" : fullyRefunded ? "RESTOCKED" : "FULFILLED",
      cancelledAt: cancelledAt === null ? null : at(cancelledAt),
      cancelReason: cancelled ? (draft.forced ? "customer" : random.pick(["customer", "inventory", "declined", "other"])) : null,
      checkoutToken: source === "SHOPIFY" ? random.hex(32) : null,
      email: customer.redacted ? null : customer.row.email,
      customerLocale: source === "SHOPIFY" ? (customer.row.language ?? null) : null,
      shippingCountry: customer.row.countryCode ?? customer.profile.code,
      discountCodes: welcome ? "WILLKOMMEN10" : null,
      sourceUpdatedAt: at(updatedAt),
      live,
      importRunId:
        source === "SHOPIFY"
          ? live ? null : importRunIds.backfill
          : source === "BILLBEE"
            ? placedAt < billbeeInitialAt ? importRunIds.billbeeInitial : importRunIds.billbeeIncremental
            : importRunIds.csv,
      createdAt: at(live ? placedAt + 5_000 : source === "SHOPIFY" ? installedAt + 10 * MINUTE : source === "BILLBEE" ? Math.max(billbeeInitialAt, Math.min(placedAt + HOUR, billbeeLastSyncAt)) : csvImportAt),
    };
    orders.push(order);
    const list = ordersByCustomer.get(customer.row.id) ?? [];
    list.push(order);
    ordersByCustomer.set(customer.row.id, list);
  }
  const linesByOrder = new Map<string, LineItemRow[]>();
  for (const item of lineItems) {
    const list = linesByOrder.get(item.orderId) ?? [];
    list.push(item);
    linesByOrder.set(item.orderId, list);
  }

  // ---------------------------------------------------------------- identities
  const identities: Array<Row<Prisma.CustomerIdentityCreateManyInput>> = [];
  const sourceSeq: Record<DataSource, number> = { SHOPIFY: 0, BILLBEE: 0, CSV: 0, API: 0 };
  for (const customer of drafts) {
    const own = ordersByCustomer.get(customer.row.id) ?? [];
    const firstOrder = own[0]?.placedAt.getTime() ?? nowMs - random.between(5, 400) * DAY;
    const lastActivity = own.at(-1)?.placedAt.getTime() ?? firstOrder;
    customer.row.createdAt = at(Math.min(firstOrder - random.between(0, 20) * DAY, nowMs));
    for (const source of customer.sources) {
      const seq = ++sourceSeq[source];
      const seen = source === "SHOPIFY" ? installedAt + 5 * MINUTE : source === "BILLBEE" ? billbeeInitialAt : csvImportAt;
      identities.push({
        id: newId(),
        shopId,
        customerId: customer.row.id,
        source,
        sourceId: source === "SHOPIFY" ? String(7_300_000_000_000 + seq * 4099) : source === "BILLBEE" ? String(91_000_000 + seq * 7) : `K-${10_000 + seq}`,
        sourceUpdatedAt: at(Math.min(nowMs, Math.max(lastActivity, seen))),
        createdAt: at(Math.max(seen, customer.row.createdAt.getTime())),
      });
    }
  }

  // ---------------------------------------------------------------- checkouts (Shopify only, A5)
  const checkouts: CheckoutRow[] = [];
  const checkoutLines: Array<Row<Prisma.CheckoutLineItemCreateManyInput>> = [];
  const checkoutWindowStart = nowMs - 120 * DAY;
  const draftById = new Map(drafts.map((draft) => [draft.row.id, draft]));
  const shopifyCustomer = (customerId: string) => {
    const draft = draftById.get(customerId);
    return draft !== undefined && draft.sources.includes("SHOPIFY") && !draft.redacted;
  };
  const addCheckout = (
    customer: DraftCustomer,
    fields: Omit<Prisma.CheckoutCreateManyInput, "id" | "shopId" | "customerId" | "currency" | "email" | "customerLocale"> & { sourceCreatedAt: Date; currency?: string },
    items: Array<{ productId: string | null; variantId: string | null; sku: string | null; title: string; variantTitle: string | null; quantity: number; unitPriceMinor: bigint }>,
  ) => {
    const id = newId();
    const row: CheckoutRow = {
      id,
      shopId,
      customerId: customer.row.id,
      currency: fields.currency ?? "EUR",
      email: customer.row.email ?? null,
      customerLocale: customer.row.language ?? null,
      cartToken: random.hex(32),
      abandonedCheckoutUrl: fields.abandonedAt ? `https://${DEMO_SHOP_DOMAIN}/checkouts/c/${fields.token}/recover` : null,
      // The shopper's last activity: an hour before the abandonment, or before the completion.
      lastActivityAt: fields.abandonedAt
        ? at((fields.abandonedAt as Date).getTime() - 60 * MINUTE)
        : at(Math.min(fields.sourceCreatedAt.getTime() + 2 * MINUTE, (fields.completedAt as Date | null | undefined)?.getTime() ?? Infinity)),
      ...fields,
      createdAt: at(Math.max(installedAt, fields.sourceCreatedAt.getTime())),
    };
    checkouts.push(row);
    items.forEach((item, position) => checkoutLines.push({ id: newId(), shopId, checkoutId: id, position, ...item }));
    return row;
  };
  const itemsOfOrder = (orderId: string) =>
    (linesByOrder.get(orderId) ?? []).map((item) => ({
      productId: item.productId ?? null,
      variantId: item.variantId ?? null,
      sku: item.sku ?? null,
      title: item.title,
      variantTitle: item.variantTitle ?? null,
      quantity: item.quantity,
      unitPriceMinor: BigInt(item.unitPriceMinor),
    }));
  const randomItems = () =>
    orderLines(random, { b2b: false }).map((line) => productLine(line, line.variant.priceMinor));
  const valueOf = (items: Array<{ quantity: number; unitPriceMinor: bigint }>) =>
    items.reduce((sum, item) => sum + item.unitPriceMinor * BigInt(item.quantity), 0n);

  const recentShopifyOrders = orders.filter(
    (order) => order.source === "SHOPIFY" && order.placedAt.getTime() >= checkoutWindowStart && order.cancelledAt === null && shopifyCustomer(order.customerId),
  );
  /** The order that recovers a checkout abandoned at `abandonedAt` (B3): the customer's first valid one in the window. */
  const recoveringOrder = (customerId: string, abandonedAt: number) =>
    (ordersByCustomer.get(customerId) ?? []).find(
      (order) =>
        order.cancelledAt === null &&
        order.placedAt.getTime() >= abandonedAt &&
        order.placedAt.getTime() <= Math.min(nowMs, abandonedAt + 7 * DAY),
    ) ?? null;
  const heavyCustomer = drafts[HEAVY_INDEX]!;
  // The heavy customer orders almost daily, so any abandoned checkout of theirs would be recovered
  // at once; they get their own two below instead of a share of the random ones.
  const recoveryCandidates = random.shuffle(
    recentShopifyOrders.filter((order) => order.currency === "EUR" && order.customerId !== heavyCustomer.row.id),
  );
  const completedRecovery = recoveryCandidates.slice(0, 16);
  const sameCustomerRecovery = recoveryCandidates.slice(16, 30);
  const tokensUsedForRecovery = new Set(completedRecovery.map((order) => order.checkoutToken));

  // Recovered: the abandoned checkout itself was completed (its token is on the order).
  for (const order of completedRecovery) {
    const customer = draftById.get(order.customerId)!;
    const placed = order.placedAt.getTime();
    const created = placed - random.between(1, 6) * DAY;
    const updated = created + random.between(2, 15) * MINUTE;
    const items = itemsOfOrder(order.id);
    addCheckout(customer, {
      token: order.checkoutToken!,
      valueMinor: valueOf(items),
      sourceCreatedAt: at(created),
      sourceUpdatedAt: at(placed),
      abandonedAt: at(updated + 60 * MINUTE),
      completedAt: order.placedAt,
      recoveredAt: order.placedAt,
      recoveredByOrderId: order.id,
      recoveryKind: "CHECKOUT_COMPLETED",
    }, items);
  }
  // Recovered: the customer came back through another checkout within the recovery window.
  for (const order of sameCustomerRecovery) {
    const customer = draftById.get(order.customerId)!;
    const placed = order.placedAt.getTime();
    const created = placed - random.between(6 * HOUR, 6.5 * DAY);
    const updated = created + random.between(2, 15) * MINUTE;
    const items = randomItems();
    // `order` qualifies; an earlier order of the same customer in the window would come first.
    const recoveredBy = recoveringOrder(customer.row.id, updated + 60 * MINUTE) ?? order;
    addCheckout(customer, {
      token: random.hex(32),
      valueMinor: valueOf(items),
      sourceCreatedAt: at(created),
      sourceUpdatedAt: at(updated),
      abandonedAt: at(updated + 60 * MINUTE),
      recoveredAt: recoveredBy.placedAt,
      recoveredByOrderId: recoveredBy.id,
      recoveryKind: "SAME_CUSTOMER_ORDER",
    }, items);
  }
  // The heavy customer: one abandoned checkout recovered by the next order, one still open after
  // the last order (their orders stop 30 hours before now).
  {
    const heavyOrders = ordersByCustomer.get(heavyCustomer.row.id)!;
    const created = nowMs - 45 * DAY + random.between(0, 12) * HOUR;
    const updated = created + random.between(2, 15) * MINUTE;
    const recoveredBy = recoveringOrder(heavyCustomer.row.id, updated + 60 * MINUTE)!;
    const items = randomItems();
    addCheckout(heavyCustomer, {
      token: random.hex(32),
      valueMinor: valueOf(items),
      sourceCreatedAt: at(created),
      sourceUpdatedAt: at(updated),
      abandonedAt: at(updated + 60 * MINUTE),
      recoveredAt: recoveredBy.placedAt,
      recoveredByOrderId: recoveredBy.id,
      recoveryKind: "SAME_CUSTOMER_ORDER",
    }, items);
    const openCreated = Math.max(heavyOrders.at(-1)!.placedAt.getTime() + 2 * HOUR, nowMs - 20 * HOUR);
    const openUpdated = openCreated + random.between(2, 15) * MINUTE;
    const openItems = randomItems();
    addCheckout(heavyCustomer, {
      token: random.hex(32),
      valueMinor: valueOf(openItems),
      sourceCreatedAt: at(openCreated),
      sourceUpdatedAt: at(openUpdated),
      abandonedAt: at(openUpdated + 60 * MINUTE),
    }, openItems);
  }
  // Completed checkouts behind the other recent Shopify orders.
  for (const order of recentShopifyOrders) {
    if (tokensUsedForRecovery.has(order.checkoutToken)) continue;
    const customer = draftById.get(order.customerId)!;
    const placed = order.placedAt.getTime();
    const items = itemsOfOrder(order.id);
    addCheckout(customer, {
      token: order.checkoutToken!,
      currency: order.currency,
      valueMinor: valueOf(items),
      sourceCreatedAt: at(placed - random.between(3, 25) * MINUTE),
      sourceUpdatedAt: order.placedAt,
      completedAt: order.placedAt,
    }, items);
  }
  // Abandoned and not recovered: no order by the same customer within the recovery window after it.
  const zeroOrderShopify = drafts.filter((d) => d.orderPlan === 0);
  const abandonCandidates = [
    ...zeroOrderShopify,
    ...random
      .shuffle(
        drafts.filter(
          (d) => d.sources.includes("SHOPIFY") && !d.redacted && d.orderPlan > 0 && d.recentOrderHoursAgo === null && d.index !== HEAVY_INDEX,
        ),
      )
      .slice(0, 36),
  ];
  abandonCandidates.forEach((customer, position) => {
    const times = position % 6 === 1 ? 3 : position % 5 === 2 ? 2 : 1;
    for (let n = 0; n < times; n++) {
      for (let attempt = 0; attempt < 12; attempt++) {
        const created = nowMs - random.between(3 * HOUR, 110 * DAY);
        const updated = created + random.between(2, 20) * MINUTE;
        // Any order of the customer (Billbee ones too) in the window would recover it.
        if (recoveringOrder(customer.row.id, updated + 60 * MINUTE)) continue;
        const items = randomItems();
        addCheckout(customer, {
          token: random.hex(32),
          graphqlId: created < installedAt ? `gid://shopify/AbandonedCheckout/${30_000_000 + checkouts.length}` : null,
          valueMinor: valueOf(items),
          sourceCreatedAt: at(created),
          sourceUpdatedAt: at(updated),
          abandonedAt: at(updated + 60 * MINUTE),
        }, items);
        break;
      }
    }
  });
  // Still in progress: younger than the abandonment threshold.
  for (const customer of zeroOrderShopify.slice(0, 2)) {
    const created = nowMs - random.between(15, 40) * MINUTE;
    const items = randomItems();
    addCheckout(customer, {
      token: random.hex(32),
      valueMinor: valueOf(items),
      sourceCreatedAt: at(created),
      sourceUpdatedAt: at(created + 4 * MINUTE),
    }, items);
  }

  // ---------------------------------------------------------------- senders, designs, discount pools
  const defaultSender = {
    id: newId(),
    shopId,
    label: "Rösterei Leipzig",
    name: "Kaffeerösterei Morgenrot",
    company: "Morgenrot Kaffee GmbH",
    addressLine1: "Karl-Heine-Straße 93",
    postalCode: "04229",
    city: "Leipzig",
    countryCode: "DE",
    replyEmail: "hallo@morgenrot-kaffee.example",
    isDefault: true,
    createdAt: at(installedAt),
  } satisfies Row<Prisma.SenderCreateManyInput>;
  const senders: Array<Row<Prisma.SenderCreateManyInput>> = [
    defaultSender,
    {
      id: newId(),
      shopId,
      label: "Café Hamburg",
      name: "Morgenrot Café Hamburg",
      addressLine1: "Große Elbstraße 145",
      addressLine2: "Halle 3",
      postalCode: "22767",
      city: "Hamburg",
      countryCode: "DE",
      replyEmail: "hamburg@morgenrot-kaffee.example",
      createdAt: at(installedAt + 2 * DAY),
    },
  ];
  const senderSnapshot = JSON.stringify({
    name: defaultSender.name,
    company: defaultSender.company,
    line1: defaultSender.addressLine1,
    postalCode: defaultSender.postalCode,
    city: defaultSender.city,
    countryCode: defaultSender.countryCode,
  });

  const designs: Array<Row<Prisma.LetterDesignCreateManyInput>> = [];
  const designVersions: Array<Row<Prisma.LetterDesignVersionCreateManyInput> & { createdAt: Date; designId: string }> = [];
  const addDesign = (name: string, createdAt: number, versions: Array<{ at: number; content: Record<string, string[]> }>) => {
    const design = { id: newId(), shopId, name, layout: "DIN_5008_B" as const, createdAt: at(createdAt) };
    designs.push(design);
    versions.forEach((version, index) =>
      designVersions.push({
        id: newId(),
        shopId,
        designId: design.id,
        version: index + 1,
        fallbackLanguage: "en",
        content: JSON.stringify({
          languages: Object.fromEntries(
            Object.entries(version.content).map(([language, paragraphs]) => [language, paragraphs.map((text) => ({ type: "text", text }))]),
          ),
        }),
        createdAt: at(version.at),
      }),
    );
    return design;
  };
  const thanks = addDesign("Danke für deine Bestellung", activatedAt - 5 * DAY, [
    {
      at: activatedAt - 5 * DAY,
      content: {
        de: ["Hallo {{firstName}},", "danke für deine Bestellung {{orderNumber}}! Wir rösten jede Woche frisch in Leipzig.", "Herzliche Grüße aus der Rösterei"],
        en: ["Hello {{firstName}},", "thank you for your order {{orderNumber}}! We roast fresh every week in Leipzig.", "Warm regards from the roastery"],
      },
    },
    {
      at: nowMs - 40 * DAY,
      content: {
        de: ["Hallo {{firstName}},", "danke für deine Bestellung {{orderNumber}}! Mit dem Code {{discountCode}} sparst du beim nächsten Mal 10 %.", "Herzliche Grüße aus der Rösterei"],
        en: ["Hello {{firstName}},", "thank you for your order {{orderNumber}}! Use {{discountCode}} for 10 % off next time.", "Warm regards from the roastery"],
      },
    },
  ]);
  const premium = addDesign("Danke – Stammkundschaft", activatedAt - 4 * DAY, [
    {
      at: activatedAt - 4 * DAY,
      content: {
        de: ["Liebe/r {{salutation}} {{lastName}},", "Ihre Bestellung hat uns besonders gefreut. Als Dankeschön: {{discountCode}}.", "Ihr Team von {{shopName}}"],
        en: ["Dear {{firstName}},", "your order made our day. As a thank-you: {{discountCode}}.", "The {{shopName}} team"],
      },
    },
  ]);
  const winback = addDesign("Wir vermissen dich", nowMs - 60 * DAY, [
    {
      at: nowMs - 60 * DAY,
      content: {
        de: ["Hallo {{firstName}},", "lange nichts gehört! Unsere Herbsternte ist da – mit {{discountCode}} gibt es 15 % auf deine nächste Bestellung."],
        en: ["Hello {{firstName}},", "it has been a while! Our autumn harvest is in – {{discountCode}} gives you 15 % off your next order."],
        fr: ["Bonjour {{firstName}},", "cela fait longtemps ! Notre récolte d'automne est arrivée – {{discountCode}} vous offre 15 % de réduction."],
      },
    },
  ]);
  const advent = addDesign("Adventsgruß", nowMs - 3 * DAY, [
    { at: nowMs - 3 * DAY, content: { de: ["Frohe Adventszeit, {{firstName}}!", "Mit ADVENT15 bekommst du 15 % auf unsere Weihnachtsröstung."], en: ["Happy holidays, {{firstName}}!", "ADVENT15 gives you 15 % off our Christmas roast."] } },
  ]);
  const versionAt = (designId: string, time: number) =>
    designVersions.filter((v) => v.designId === designId && v.createdAt.getTime() <= time).at(-1) ??
    designVersions.find((v) => v.designId === designId)!;

  const pools: Array<Row<Prisma.DiscountCodePoolCreateManyInput>> = [];
  const codes: Array<Row<Prisma.DiscountCodeCreateManyInput> & { letterId: string | null; assignedAt?: Date }> = [];
  const addPool = (name: string, prefix: string, count: number, createdAt: number) => {
    const pool = { id: newId(), shopId, name, lowWarningAt: 50, createdAt: at(createdAt) };
    pools.push(pool);
    const seen = new Set<string>();
    while (seen.size < count) seen.add(`${prefix}-${random.alphanumeric(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")}`);
    const poolCodes: typeof codes = [...seen].map((code) => ({ id: newId(), shopId, poolId: pool.id, code, letterId: null, createdAt: at(createdAt) }));
    codes.push(...poolCodes);
    return { pool, free: poolCodes };
  };
  const thanksPool = addPool("Danke-Codes 10 %", "DANKE10", 300, activatedAt - 2 * DAY);
  const comebackPool = addPool("Comeback 15 %", "COMEBACK", 120, nowMs - 50 * DAY);
  const takeCode = (pool: typeof thanksPool, letterId: string, assignedAt: number) => {
    const code = pool.free.shift();
    if (!code) return null;
    code.letterId = letterId;
    code.assignedAt = at(assignedAt);
    return code.code;
  };

  // ---------------------------------------------------------------- automation
  const automation: Row<Prisma.AutomationCreateManyInput> = {
    id: newId(),
    shopId,
    status: "ACTIVE",
    delayMinutes: 72 * 60,
    frequencyCapDays: 90,
    languageMode: "PER_LANGUAGE",
    fallbackLanguage: "en",
    senderId: defaultSender.id,
    discountMode: "POOL",
    activatedAt: at(activatedAt),
    createdAt: at(activatedAt - 6 * DAY),
  };
  const tierBounds: Array<[bigint, bigint | null]> = [[0n, 20_000n], [20_000n, 50_000n], [50_000n, 100_000n], [100_000n, null]];
  const tiers = tierBounds.map(([minMinor, maxMinor], position) => ({
    id: newId(),
    shopId,
    automationId: automation.id,
    position,
    minMinor,
    maxMinor,
    discountPoolId: position === 0 ? null : thanksPool.pool.id,
  }));
  const variants = tiers.flatMap((tier) =>
    ["de", "en"].map((language) => ({ id: newId(), shopId, tierId: tier.id, language, designId: tier.position >= 2 ? premium.id : thanks.id })),
  );
  const tierFor = (amount: bigint) => tiers.find((tier) => amount >= tier.minMinor && (tier.maxMinor === null || amount < tier.maxMinor));

  // ---------------------------------------------------------------- letters
  const letters: LetterRow[] = [];
  const letterEvents: Array<Row<Prisma.LetterStatusEventCreateManyInput>> = [];
  const qrScans: Array<Row<Prisma.QrScanCreateManyInput>> = [];
  const lettersByCustomer = new Map<string, LetterRow[]>();
  const usedTokens = new Set<string>();
  const qrToken = () => {
    // 16 bytes = 128 bits, base64url: the same shape as real tokens.
    let token = Buffer.from(random.bytes(16)).toString("base64url");
    while (usedTokens.has(token)) token = Buffer.from(random.bytes(16)).toString("base64url");
    usedTokens.add(token);
    return token;
  };
  const eligible = (customer: DraftCustomer) => customer.completeAddress && !customer.redacted && !customer.merchantOptOut;
  const recipientSnapshot = (customer: DraftCustomer) =>
    JSON.stringify({
      name: customer.row.addressName,
      line1: customer.row.addressLine1,
      line2: customer.row.addressLine2 ?? null,
      postalCode: customer.row.postalCode,
      city: customer.row.city,
      region: customer.row.region ?? null,
      countryCode: customer.row.countryCode,
    });
  const letterLanguage = (customer: DraftCustomer, available: string[]) => {
    const base = (customer.row.language ?? "").split("-")[0] ?? "";
    return available.includes(base) ? base : "en";
  };

  const event = (letterId: string, status: LetterStatus, time: number, actor: string, reason: string | null = null) =>
    letterEvents.push({ id: newId(), shopId, letterId, status, at: at(time), actor, reason });

  /**
   * Moves a letter along scheduled → rendered → submitted → printed → mailed → delivered as far
   * as `now` allows, or into failed / returned; every step leaves a status event.
   */
  const advance = (
    letter: LetterRow,
    customer: DraftCustomer,
    scheduledFor: number,
    options: { fail: boolean; returned: boolean; pool: typeof thanksPool | null; staticCode?: string },
  ) => {
    const jitter = random.between(0.85, 1.15);
    const steps: Array<{ status: LetterStatus; time: number }> = [
      { status: "RENDERED", time: scheduledFor + 10 * MINUTE },
      { status: "SUBMITTED", time: scheduledFor + 6 * HOUR * jitter },
      { status: "PRINTED", time: scheduledFor + 20 * HOUR * jitter },
      { status: "MAILED", time: scheduledFor + 36 * HOUR * jitter },
    ];
    const mailed = steps[3]!.time;
    if (options.returned) steps.push({ status: "RETURNED", time: mailed + random.between(6, 16) * DAY });
    else steps.push({ status: "DELIVERED", time: mailed + random.between(1, 3) * DAY });
    if (options.fail) steps.splice(1, steps.length - 1, { status: "FAILED", time: scheduledFor + 6 * HOUR * jitter });

    for (const step of steps) {
      if (step.time > nowMs) break;
      letter.status = step.status;
      const actor = step.status === "RENDERED" ? "system" : `provider:${PROVIDER}`;
      switch (step.status) {
        case "RENDERED":
          letter.renderedAt = at(step.time);
          letter.pageCount = 1;
          letter.recipientSnapshot = recipientSnapshot(customer);
          letter.senderSnapshot = senderSnapshot;
          letter.discountCode = options.pool ? takeCode(options.pool, letter.id, step.time) : (options.staticCode ?? null);
          event(letter.id, "RENDERED", step.time, actor);
          break;
        case "SUBMITTED":
          letter.submittedAt = at(step.time);
          letter.provider = PROVIDER;
          letter.providerRef = `pgn_${random.hex(20)}`;
          letter.costMinor = POSTAGE_MINOR;
          letter.costCurrency = "EUR";
          event(letter.id, "SUBMITTED", step.time, actor);
          break;
        case "MAILED":
          letter.mailedAt = at(step.time);
          event(letter.id, "MAILED", step.time, actor);
          break;
        case "DELIVERED":
          letter.deliveredAt = at(step.time);
          event(letter.id, "DELIVERED", step.time, actor);
          break;
        case "RETURNED":
          event(letter.id, "RETURNED", step.time, actor, "Empfänger unter der angegebenen Anschrift nicht zu ermitteln");
          break;
        case "FAILED":
          letter.provider = PROVIDER;
          letter.failureReason = "Provider rejected the address: postal code does not match the city";
          event(letter.id, "FAILED", step.time, actor, letter.failureReason);
          break;
        default:
          event(letter.id, step.status, step.time, actor);
      }
    }
  };

  const newLetter = (customer: DraftCustomer, fields: Partial<LetterRow> & { dedupeKey: string; scheduledFor: Date; createdAt: Date; language: string }) => {
    const letter: LetterRow = {
      id: newId(),
      shopId,
      customerId: customer.row.id,
      status: "SCHEDULED",
      qrToken: qrToken(),
      ...fields,
    };
    letters.push(letter);
    event(letter.id, "SCHEDULED", fields.createdAt.getTime(), "system");
    const list = lettersByCustomer.get(customer.row.id) ?? [];
    list.push(letter);
    lettersByCustomer.set(customer.row.id, list);
    return letter;
  };

  // After-purchase letters: live orders since activation, capped per customer (D1–D4).
  const lastAutomationLetter = new Map<string, number>();
  let automationSerial = 0;
  for (const order of orders) {
    const placed = order.placedAt.getTime();
    if (!order.live || placed < activatedAt || order.totalShopMinor == null) continue;
    const customer = draftById.get(order.customerId)!;
    if (!eligible(customer)) continue;
    const previous = lastAutomationLetter.get(customer.row.id);
    if (previous !== undefined && placed - previous < 90 * DAY) continue;
    const tier = tierFor(BigInt(order.totalShopMinor));
    if (!tier) continue;
    lastAutomationLetter.set(customer.row.id, placed);
    const scheduledFor = placed + 72 * HOUR;
    const created = placed + MINUTE;
    const language = letterLanguage(customer, ["de", "en"]);
    const design = tier.position >= 2 ? premium : thanks;
    const letter = newLetter(customer, {
      automationId: automation.id,
      tierId: tier.id,
      triggerOrderId: order.id,
      designVersionId: versionAt(design.id, scheduledFor).id,
      dedupeKey: `order:${order.id}`,
      language,
      scheduledFor: at(scheduledFor),
      createdAt: at(created),
    });
    if (order.cancelledAt && order.cancelledAt.getTime() < scheduledFor) {
      letter.status = "CANCELLED";
      event(letter.id, "CANCELLED", order.cancelledAt.getTime() + MINUTE, "system", "Order cancelled before sending");
      continue;
    }
    automationSerial++;
    advance(letter, customer, scheduledFor, {
      fail: automationSerial % 53 === 17,
      returned: automationSerial % 29 === 11,
      pool: tier.discountPoolId ? thanksPool : null,
    });
  }

  // Campaign 1, sent 45 days ago: customers who ordered at least twice but not for 120 days.
  const sentAt = nowMs - 45 * DAY;
  const campaigns: Array<Row<Prisma.CampaignCreateManyInput>> = [];
  const recipients: Array<Row<Prisma.CampaignRecipientCreateManyInput>> = [];
  const winbackCampaign = {
    id: newId(),
    shopId,
    name: "Wir vermissen dich – Herbsternte",
    status: "SENT" as const,
    audienceFilter: JSON.stringify({ orderCount: { min: 2 }, lastOrderDaysAgo: { min: 120 }, notWrittenToDays: 30 }),
    designId: winback.id,
    senderId: defaultSender.id,
    discountMode: "POOL" as const,
    discountPoolId: comebackPool.pool.id,
    sendAt: at(sentAt),
    holdoutPercent: 10,
    createdAt: at(sentAt - 5 * DAY),
  };
  campaigns.push(winbackCampaign);
  const winbackAudience = random.shuffle(
    drafts.filter((customer) => {
      if (!eligible(customer)) return false;
      const before = (ordersByCustomer.get(customer.row.id) ?? []).filter((o) => o.cancelledAt === null && o.placedAt.getTime() < sentAt);
      const recentLetter = (lettersByCustomer.get(customer.row.id) ?? []).some((l) => Math.abs(l.createdAt.getTime() - sentAt) < 30 * DAY);
      return before.length >= 2 && before.at(-1)!.placedAt.getTime() < sentAt - 120 * DAY && !recentLetter;
    }),
  ).slice(0, 100);
  const winbackHoldout = Math.round(winbackAudience.length * 0.1);
  winbackAudience.forEach((customer, position) => {
    const group = position < winbackHoldout ? "HOLDOUT" : "LETTER";
    recipients.push({ id: newId(), shopId, campaignId: winbackCampaign.id, customerId: customer.row.id, group, createdAt: at(sentAt - 2 * DAY) });
    if (group === "HOLDOUT") return;
    const letter = newLetter(customer, {
      campaignId: winbackCampaign.id,
      designVersionId: versionAt(winback.id, sentAt).id,
      dedupeKey: `campaign:${winbackCampaign.id}:${customer.row.id}`,
      language: letterLanguage(customer, ["de", "en", "fr"]),
      scheduledFor: at(sentAt),
      createdAt: at(sentAt - 2 * DAY),
    });
    advance(letter, customer, sentAt, { fail: position % 37 === 5, returned: position % 19 === 7, pool: comebackPool });
  });

  // QR scans: likelier when the customer ordered soon after the letter (B6), never after now. The
  // heavy customer's first letter always has them, so the profile shows a scanned, attributed letter.
  const heavyFirstLetter = letters.find((letter) => letter.customerId === heavyCustomer.row.id && letter.mailedAt && letter.status !== "RETURNED");
  for (const letter of letters) {
    if (!letter.mailedAt || letter.status === "RETURNED") continue;
    const mailed = letter.mailedAt.getTime();
    const next = (ordersByCustomer.get(letter.customerId) ?? []).find(
      (order) => order.cancelledAt === null && order.placedAt.getTime() > mailed + DAY,
    );
    const nextAt = next?.placedAt.getTime();
    let first: number | null = null;
    if (nextAt !== undefined && nextAt - mailed < 30 * DAY && (letter === heavyFirstLetter || random.chance(0.65))) {
      first = Math.max(mailed + 18 * HOUR, nextAt - random.between(0.5 * HOUR, 48 * HOUR));
    } else if (random.chance(0.15)) {
      first = mailed + random.between(1, 14) * DAY;
    }
    if (first === null || first > nowMs) continue;
    const times = [first];
    const count = random.weighted([[1, 70], [2, 20], [3, 7], [4, 3]] as const);
    for (let n = 1; n < count; n++) {
      const later = times.at(-1)! + random.between(5 * MINUTE, 5 * DAY);
      if (later <= nowMs) times.push(later);
    }
    for (const time of times) {
      qrScans.push({ id: newId(), shopId, letterId: letter.id, scannedAt: at(time), deviceClass: random.weighted([["mobile", 75], ["tablet", 10], ["desktop", 10], ["unknown", 5]] as const) });
    }
    letter.firstScanAt = at(times[0]!);
    letter.lastScanAt = at(times.at(-1)!);
    letter.scanCount = times.length;
    if (next && letter.discountCode && next.discountCodes == null && nextAt! > first && random.chance(0.6)) {
      next.discountCodes = letter.discountCode;
    }
  }

  // Opt-outs: some set by the merchant, two from the QR landing page after scanning their last letter.
  const optOutEvents: Array<Row<Prisma.OptOutEventCreateManyInput>> = [];
  for (const customer of drafts.filter((d) => d.merchantOptOut)) {
    const time = nowMs - random.between(60, 300) * DAY;
    Object.assign(customer.row, { optedOut: true, optedOutAt: at(time), optedOutReason: "Wunsch per E-Mail an den Kundenservice" });
    optOutEvents.push({ id: newId(), shopId, customerId: customer.row.id, optedOut: true, reason: customer.row.optedOutReason, actor: "merchant", createdAt: at(time) });
  }
  const qrOptOuts = letters
    .filter((letter) => letter.lastScanAt && letter.customerId !== heavyCustomer.row.id && lettersByCustomer.get(letter.customerId)!.at(-1) === letter)
    .slice(0, 2);
  for (const letter of qrOptOuts) {
    const customer = draftById.get(letter.customerId)!;
    const time = letter.lastScanAt!.getTime() + 2 * MINUTE;
    Object.assign(customer.row, { optedOut: true, optedOutAt: at(time), optedOutReason: "Über den QR-Code abgemeldet" });
    optOutEvents.push({ id: newId(), shopId, customerId: customer.row.id, optedOut: true, reason: customer.row.optedOutReason, actor: "qr-landing", createdAt: at(time) });
  }

  // Campaign 2, scheduled: regulars with three or more orders; the audience is frozen now.
  const adventAt = nowMs + 12 * DAY;
  const adventCampaign = {
    id: newId(),
    shopId,
    name: "Adventsgruß 2026",
    status: "SCHEDULED" as const,
    audienceFilter: JSON.stringify({ orderCount: { min: 3 }, countries: ["DE", "AT", "CH"] }),
    designId: advent.id,
    senderId: defaultSender.id,
    discountMode: "STATIC" as const,
    staticDiscountCode: "ADVENT15",
    sendAt: at(adventAt),
    holdoutPercent: 10,
    createdAt: at(nowMs - 3 * DAY),
  };
  campaigns.push(adventCampaign);
  const adventQualified = random.shuffle(
    drafts.filter(
      (customer) =>
        eligible(customer) &&
        !customer.row.optedOut &&
        ["DE", "AT", "CH"].includes(customer.row.countryCode ?? "") &&
        (ordersByCustomer.get(customer.row.id) ?? []).filter((o) => o.cancelledAt === null).length >= 3,
    ),
  );
  // The heavy customer qualifies and is always among those written to (last: never in the holdout).
  const adventAudience = adventQualified.includes(heavyCustomer)
    ? [...adventQualified.filter((customer) => customer !== heavyCustomer).slice(0, 59), heavyCustomer]
    : adventQualified.slice(0, 60);
  const adventHoldout = Math.round(adventAudience.length * 0.1);
  adventAudience.forEach((customer, position) => {
    const group = position < adventHoldout ? "HOLDOUT" : "LETTER";
    recipients.push({ id: newId(), shopId, campaignId: adventCampaign.id, customerId: customer.row.id, group, createdAt: at(nowMs - DAY) });
    if (group === "HOLDOUT") return;
    newLetter(customer, {
      campaignId: adventCampaign.id,
      designVersionId: versionAt(advent.id, adventAt).id,
      dedupeKey: `campaign:${adventCampaign.id}:${customer.row.id}`,
      language: letterLanguage(customer, ["de", "en"]),
      scheduledFor: at(adventAt),
      createdAt: at(nowMs - DAY),
    });
  });

  // Campaign 3, a draft: no audience frozen, no letters.
  campaigns.push({
    id: newId(),
    shopId,
    name: "Frühlingsröstung – Neukunden",
    status: "DRAFT",
    audienceFilter: JSON.stringify({ orderCount: { max: 1 }, firstOrderDaysAgo: { max: 90 }, languages: ["de", "en"] }),
    designId: thanks.id,
    senderId: senders[1]!.id,
    discountMode: "NONE",
    holdoutPercent: 0,
    createdAt: at(nowMs - 6 * DAY),
  });

  // ---------------------------------------------------------------- redaction and stored statistics
  const redacted = drafts.find((d) => d.redacted)!;
  Object.assign(redacted.row, { redactedAt: at(nowMs - 20 * DAY), ...ERASED_PERSONAL_DETAILS });
  for (const order of ordersByCustomer.get(redacted.row.id) ?? []) order.email = null;

  const checkoutsByCustomer = new Map<string, CheckoutRow[]>();
  for (const checkout of checkouts) {
    const list = checkoutsByCustomer.get(checkout.customerId!) ?? [];
    list.push(checkout);
    checkoutsByCustomer.set(checkout.customerId!, list);
  }
  const customers: CustomerRow[] = drafts.map((draft) => {
    const stats = computeCustomerStats({
      orders: (ordersByCustomer.get(draft.row.id) ?? []).map((order) => ({
        placedAt: order.placedAt,
        totalShopMinor: order.totalShopMinor == null ? null : BigInt(order.totalShopMinor),
        refundedShopMinor: order.refundedShopMinor == null ? null : BigInt(order.refundedShopMinor),
        cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
      })),
      letters: (lettersByCustomer.get(draft.row.id) ?? []).map((letter) => ({
        status: letter.status,
        createdAt: letter.createdAt,
        submittedAt: letter.submittedAt ? new Date(letter.submittedAt) : null,
        lastScanAt: letter.lastScanAt ? new Date(letter.lastScanAt) : null,
      })),
      checkouts: (checkoutsByCustomer.get(draft.row.id) ?? []).map((checkout) => ({
        abandonedAt: checkout.abandonedAt ? new Date(checkout.abandonedAt) : null,
        recoveredAt: checkout.recoveredAt ? new Date(checkout.recoveredAt) : null,
        completedAt: checkout.completedAt ? new Date(checkout.completedAt) : null,
      })),
      now,
    });
    return { ...draft.row, ...stats };
  });

  // ---------------------------------------------------------------- imports, webhooks, rates
  const countBy = (source: DataSource, runId?: string) => ({
    customers: identities.filter((identity) => identity.source === source).length,
    orders: orders.filter((order) => order.source === source && (runId === undefined || order.importRunId === runId)).length,
  });
  const shopifyBackfill = { customers: countBy("SHOPIFY").customers, orders: orders.filter((o) => o.importRunId === importRunIds.backfill).length };
  const billbeeInitial = countBy("BILLBEE", importRunIds.billbeeInitial);
  const billbeeIncremental = countBy("BILLBEE", importRunIds.billbeeIncremental);
  const csv = countBy("CSV", importRunIds.csv);
  const importRuns: Array<Row<Prisma.ImportRunCreateManyInput>> = [
    {
      id: importRunIds.backfill,
      shopId,
      kind: "SHOPIFY_BACKFILL",
      status: "SUCCEEDED",
      totalRows: shopifyBackfill.customers + shopifyBackfill.orders,
      processedRows: shopifyBackfill.customers + shopifyBackfill.orders,
      createdCount: shopifyBackfill.customers + shopifyBackfill.orders,
      startedAt: at(installedAt + MINUTE),
      finishedAt: at(installedAt + 9 * MINUTE),
      createdAt: at(installedAt + MINUTE),
    },
    {
      id: importRunIds.billbeeInitial,
      shopId,
      kind: "BILLBEE",
      status: "SUCCEEDED",
      totalRows: billbeeInitial.orders,
      processedRows: billbeeInitial.orders,
      createdCount: billbeeInitial.orders,
      cursor: JSON.stringify({ page: Math.ceil(billbeeInitial.orders / 250), modifiedAtMin: at(billbeeInitialAt).toISOString() }),
      startedAt: at(billbeeInitialAt),
      finishedAt: at(billbeeInitialAt + 6 * MINUTE),
      createdAt: at(billbeeInitialAt),
    },
    {
      id: importRunIds.billbeeIncremental,
      shopId,
      kind: "BILLBEE",
      status: "SUCCEEDED",
      totalRows: billbeeIncremental.orders,
      processedRows: billbeeIncremental.orders,
      createdCount: billbeeIncremental.orders,
      updatedCount: 3,
      cursor: JSON.stringify({ page: 1, modifiedAtMin: at(billbeeLastSyncAt).toISOString() }),
      startedAt: at(billbeeLastSyncAt),
      finishedAt: at(billbeeLastSyncAt + 2 * MINUTE),
      createdAt: at(billbeeLastSyncAt),
    },
    {
      id: importRunIds.csv,
      shopId,
      kind: "CSV",
      status: "SUCCEEDED",
      originalFilename: "kundenexport-altshop-2024.csv",
      mapping: JSON.stringify({ email: "E-Mail", firstName: "Vorname", lastName: "Nachname", orderNumber: "Bestellnummer", placedAt: "Datum", total: "Summe" }),
      totalRows: csv.orders + 2,
      processedRows: csv.orders + 2,
      createdCount: csv.orders,
      skippedCount: 0,
      errorCount: 2,
      startedAt: at(csvImportAt),
      finishedAt: at(csvImportAt + 40_000),
      createdAt: at(csvImportAt),
    },
  ];
  const importRowErrors: Array<Row<Prisma.ImportRowErrorCreateManyInput>> = [
    { id: newId(), shopId, importRunId: importRunIds.csv, line: 57, column: "E-Mail", reason: 'Not an e-mail address: "mueller@@web.de"', createdAt: at(csvImportAt + 5_000) },
    { id: newId(), shopId, importRunId: importRunIds.csv, line: 203, column: "Summe", reason: 'Not an amount: "12,5o"', createdAt: at(csvImportAt + 21_000) },
  ];

  const lastLive = orders.filter((order) => order.live).at(-1)!;
  const uuid = () => `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-a${random.hex(3)}-${random.hex(12)}`;
  const webhook = (topic: string, received: number, payload: unknown, status: "PROCESSED" | "IGNORED" | "FAILED", error: string | null = null) => ({
    id: newId(),
    shopDomain: DEMO_SHOP_DOMAIN,
    topic,
    webhookId: uuid(),
    eventId: uuid(),
    apiVersion: "2026-07",
    triggeredAt: at(received - 800),
    payload: payload === null ? "" : JSON.stringify(payload),
    status,
    error,
    receivedAt: at(received),
    processedAt: status === "FAILED" ? null : at(received + 350),
  });
  const webhookEvents: Array<Row<Prisma.WebhookEventCreateManyInput>> = [
    webhook("ORDERS_CREATE", lastLive.placedAt.getTime() + 4_000, { id: Number(lastLive.sourceId), name: lastLive.number, currency: lastLive.currency }, "PROCESSED"),
    webhook("CHECKOUTS_UPDATE", nowMs - 3 * HOUR, { token: checkouts.at(-1)!.token }, "PROCESSED"),
    webhook("CUSTOMERS_UPDATE", nowMs - 9 * HOUR, { id: 7_300_000_000_000 + 4099 }, "PROCESSED"),
    webhook("ORDERS_UPDATED", nowMs - 30 * HOUR, { id: Number(lastLive.sourceId), updated_at: at(nowMs - 40 * HOUR).toISOString() }, "IGNORED", "Older than the stored order (updated_at)"),
    webhook("CUSTOMERS_REDACT", nowMs - 20 * DAY, { shop_domain: DEMO_SHOP_DOMAIN, customer: { id: 7_300_000_000_000 }, orders_to_redact: [] }, "PROCESSED"),
    webhook("ORDERS_CREATE", nowMs - 50 * HOUR, null, "FAILED", "Body is not JSON: Unexpected token '<', \"<xml>\" is not valid JSON"),
  ];
  const exchangeRates: Array<Prisma.ExchangeRateCreateManyInput> = [{ id: newId(), shopId, currency: "USD", rateToShop: String(USD_RATE) }];

  // ---------------------------------------------------------------- showcase customers
  const ordersOf = (draft: DraftCustomer) => ordersByCustomer.get(draft.row.id) ?? [];
  /** The first customer that fits, preferring one with letters (more to see on the profile). */
  const findShowcase = (role: string, fits: (draft: DraftCustomer) => boolean) => {
    const candidates = drafts.filter((draft) => draft.index !== HEAVY_INDEX && !draft.redacted && ordersOf(draft).length > 0 && fits(draft));
    const found = candidates.find((draft) => lettersByCustomer.has(draft.row.id)) ?? candidates[0];
    if (!found) throw new Error(`The demo data has no ${role} customer`);
    return found.row.id;
  };
  const showcase: DemoShowcase = {
    heavyCustomerId: heavyCustomer.row.id,
    twentyFiveOrdersCustomerId: drafts[TWENTY_FIVE_ORDERS_INDEX]!.row.id,
    billbeeOnlyCustomerId: findShowcase("Billbee-only", (draft) => draft.sources.length === 1 && draft.sources[0] === "BILLBEE"),
    twoSourceCustomerId: findShowcase("Shopify-and-Billbee", (draft) => {
      const sources = new Set(ordersOf(draft).map((order) => order.source));
      return draft.sources.length === 2 && sources.has("SHOPIFY") && sources.has("BILLBEE");
    }),
    redactedCustomerId: redacted.row.id,
    cyrillicCustomerId: findShowcase("Жуков", (draft) => draft.person.last === "Жуков"),
    muellerCustomerId: findShowcase("Müller", (draft) => draft.person.last === "Müller"),
  };

  // ---------------------------------------------------------------- letter PDFs
  // What each rendered letter printed, from its frozen snapshots and its design version; the PDF
  // bytes are made by seedDemoShop (rendering is asynchronous), under these file ids.
  const designContent = new Map(designVersions.map((version) => [version.id, JSON.parse(version.content as string) as DesignContent]));
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  const letterDocuments: LetterDocument[] = letters
    .filter((letter) => letter.renderedAt)
    .map((letter) => {
      const customer = draftById.get(letter.customerId)!;
      const content = designContent.get(letter.designVersionId!)!;
      const recipient = JSON.parse(letter.recipientSnapshot!) as DemoLetterContent["recipient"];
      const renderedAt = new Date(letter.renderedAt!);
      return {
        fileId: newId(),
        letterId: letter.id,
        filename: `Brief ${renderedAt.toISOString().slice(0, 10)} ${recipient.name}.pdf`,
        createdAt: renderedAt,
        qrPath: `/q/${letter.qrToken}`,
        content: {
          language: letter.language,
          timeZone: shop.timezone!,
          title: `Brief an ${recipient.name}`,
          sender: JSON.parse(letter.senderSnapshot!) as DemoLetterContent["sender"],
          recipient,
          date: renderedAt,
          paragraphs: fillMergeFields(content.languages[letter.language] ?? content.languages.en ?? [], {
            firstName: customer.row.firstName,
            lastName: customer.row.lastName,
            salutation: customer.row.salutation,
            orderNumber: letter.triggerOrderId ? ordersById.get(letter.triggerOrderId)?.number : null,
            discountCode: letter.discountCode,
            shopName: shop.name,
          }),
          discountCode: letter.discountCode ?? null,
        },
      };
    });

  return {
    now,
    shop,
    exchangeRates,
    customers,
    identities,
    optOutEvents,
    importRuns,
    importRowErrors,
    orders,
    lineItems,
    checkouts,
    checkoutLines,
    senders,
    designs,
    designVersions,
    pools: pools,
    codes,
    campaigns,
    recipients,
    automation,
    tiers,
    variants,
    letters,
    letterEvents,
    qrScans,
    webhookEvents,
    letterDocuments,
    heavyCustomerId: heavyCustomer.row.id,
    showcase,
  };
}

type DesignContent = { languages: Record<string, Array<{ type: "text"; text: string }>> };

/** A rendered letter's PDF to be made: its content, minus the QR URL (that needs the app's URL). */
export type LetterDocument = {
  fileId: string;
  letterId: string;
  filename: string;
  createdAt: Date;
  /** `/q/<qrToken>`, printed after the app's URL. */
  qrPath: string;
  content: Omit<DemoLetterContent, "qrUrl">;
};

/**
 * A design's paragraphs with their merge fields ({{firstName}}) filled in. A sentence whose field
 * has no value (a discount code in a tier without codes) is left out rather than printed with a gap.
 */
export function fillMergeFields(paragraphs: ReadonlyArray<{ text: string }>, values: Record<string, string | null | undefined>): string[] {
  const field = /\{\{(\w+)\}\}/g;
  return paragraphs
    .map(({ text }) =>
      text
        .split(/(?<=[.!?])\s+/)
        .filter((sentence) => [...sentence.matchAll(field)].every(([, name]) => Boolean(values[name!])))
        .map((sentence) => sentence.replace(field, (_, name: string) => values[name]!))
        .join(" "),
    )
    .filter((paragraph) => paragraph.length > 0);
}

/**
 * Writes the demo shop, replacing an existing one; returns what was written. The letter PDFs go
 * to `files` (the app's file store unless given) before the rows that point at them, as
 * storeFile does; their QR URLs start with `appUrl` (the app's URL unless given).
 */
export async function seedDemoShop({
  db,
  now = defaultDemoNow(),
  files = fileStore(),
  appUrl = env().shopifyAppUrl,
}: {
  db: Db;
  now?: Date;
  files?: FileStore;
  appUrl?: string;
}): Promise<DemoSeedSummary> {
  const started = performance.now();
  const data = buildDemoData(now);
  const lettersByStatus = Object.fromEntries(
    (["SCHEDULED", "RENDERED", "SUBMITTED", "PRINTED", "MAILED", "DELIVERED", "RETURNED", "FAILED", "CANCELLED"] as const).map((status) => [
      status,
      data.letters.filter((letter) => letter.status === status).length,
    ]),
  ) as Record<LetterStatus, number>;
  const missing = Object.entries(lettersByStatus).filter(([, count]) => count === 0).map(([status]) => status);
  if (missing.length > 0) throw new Error(`Demo data has no letters in status ${missing.join(", ")}`);

  const renderStarted = performance.now();
  const pdfs = await renderLetterPdfs(data.letterDocuments, appUrl);
  const letterPdfRenderMs = Math.round(performance.now() - renderStarted);
  const lettersById = new Map(data.letters.map((letter) => [letter.id, letter]));
  const storedFiles = data.letterDocuments.map((document, index) => {
    const bytes = pdfs[index]!;
    const hash = sha256(bytes);
    // The key carries the content hash: a re-seed that renders the same letter again finds its
    // bytes in place, and one that renders it differently never overwrites bytes a row points at.
    const row = {
      id: document.fileId,
      shopId: data.shop.id!,
      kind: "LETTER_PDF",
      key: buildFileKey({ shopId: data.shop.id!, kind: "LETTER_PDF", id: document.fileId, filename: `${hash.slice(0, 16)}-${document.filename}` }),
      filename: document.filename,
      contentType: "application/pdf",
      byteSize: bytes.byteLength,
      sha256: hash,
      createdAt: document.createdAt,
    } satisfies Row<Prisma.StoredFileCreateManyInput>;
    Object.assign(lettersById.get(document.letterId)!, { fileId: row.id, contentHash: hash, pageCount: countPdfPages(bytes) });
    return { row, bytes };
  });

  const previousKeys = (
    await db.storedFile.findMany({ where: { kind: "LETTER_PDF", shop: { domain: DEMO_SHOP_DOMAIN } }, select: { key: true } })
  ).map((file) => file.key);
  const written = await putLetterPdfs(files, storedFiles);

  try {
    await db.$transaction(
      async (tx) => {
        const existing = await tx.shop.findUnique({ where: { domain: DEMO_SHOP_DOMAIN }, select: { id: true } });
        if (existing) {
          // Jobs carry the shop id without a relation; everything else goes with the shop's cascade.
          await tx.job.deleteMany({ where: { shopId: existing.id } });
          await tx.shop.delete({ where: { id: existing.id } });
        }
        // Keyed by domain, not by shop: not covered by the cascade.
        await tx.webhookEvent.deleteMany({ where: { shopDomain: DEMO_SHOP_DOMAIN } });
        await tx.session.deleteMany({ where: { shop: DEMO_SHOP_DOMAIN } });

        await tx.shop.create({ data: data.shop });
        await insertMany(data.exchangeRates, (rows) => tx.exchangeRate.createMany({ data: rows }));
        await insertMany(data.customers, (rows) => tx.customer.createMany({ data: rows }));
        await insertMany(data.identities, (rows) => tx.customerIdentity.createMany({ data: rows }));
        await insertMany(data.optOutEvents, (rows) => tx.optOutEvent.createMany({ data: rows }));
        await insertMany(data.importRuns, (rows) => tx.importRun.createMany({ data: rows }));
        await insertMany(data.importRowErrors, (rows) => tx.importRowError.createMany({ data: rows }));
        await insertMany(data.orders, (rows) => tx.order.createMany({ data: rows }));
        await insertMany(data.lineItems, (rows) => tx.orderLineItem.createMany({ data: rows }));
        await insertMany(data.checkouts, (rows) => tx.checkout.createMany({ data: rows }));
        await insertMany(data.checkoutLines, (rows) => tx.checkoutLineItem.createMany({ data: rows }));
        await insertMany(data.senders, (rows) => tx.sender.createMany({ data: rows }));
        await insertMany(data.designs, (rows) => tx.letterDesign.createMany({ data: rows }));
        await insertMany(data.designVersions, (rows) => tx.letterDesignVersion.createMany({ data: rows }));
        await insertMany(data.pools, (rows) => tx.discountCodePool.createMany({ data: rows }));
        await insertMany(data.campaigns, (rows) => tx.campaign.createMany({ data: rows }));
        await tx.automation.create({ data: data.automation });
        await insertMany(data.tiers, (rows) => tx.automationTier.createMany({ data: rows }));
        await insertMany(data.variants, (rows) => tx.automationLetterVariant.createMany({ data: rows }));
        await insertMany(storedFiles.map((file) => file.row), (rows) => tx.storedFile.createMany({ data: rows }));
        await insertMany(data.letters, (rows) => tx.letter.createMany({ data: rows }));
        await insertMany(data.letterEvents, (rows) => tx.letterStatusEvent.createMany({ data: rows }));
        await insertMany(data.qrScans, (rows) => tx.qrScan.createMany({ data: rows }));
        await insertMany(data.codes, (rows) => tx.discountCode.createMany({ data: rows }));
        await insertMany(data.recipients, (rows) => tx.campaignRecipient.createMany({ data: rows }));
        await insertMany(data.webhookEvents, (rows) => tx.webhookEvent.createMany({ data: rows }));
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (error) {
    // Nothing points at the bytes just written: take them away again, as storeFile does.
    await removeFiles(files, written);
    throw error;
  }
  // The old shop's PDFs, except those the new one still uses (same letter, same bytes, same key).
  const keptKeys = new Set(storedFiles.map((file) => file.row.key));
  await removeFiles(files, previousKeys.filter((key) => !keptKeys.has(key)));

  const identitiesBySource: Record<string, number> = {};
  for (const identity of data.identities) identitiesBySource[identity.source] = (identitiesBySource[identity.source] ?? 0) + 1;
  const sourcesPerCustomer = new Map<string, number>();
  for (const identity of data.identities) sourcesPerCustomer.set(identity.customerId, (sourcesPerCustomer.get(identity.customerId) ?? 0) + 1);

  return {
    shopId: data.shop.id!,
    shopDomain: DEMO_SHOP_DOMAIN,
    now: now.toISOString(),
    customers: data.customers.length,
    identities: data.identities.length,
    identitiesBySource,
    customersInTwoSources: [...sourcesPerCustomer.values()].filter((count) => count > 1).length,
    orders: data.orders.length,
    cancelledOrders: data.orders.filter((order) => order.cancelledAt).length,
    refundedOrders: data.orders.filter((order) => !order.cancelledAt && BigInt(order.refundedMinor ?? 0) > 0n).length,
    unconvertedOrders: data.orders.filter((order) => order.totalShopMinor == null).length,
    orderLineItems: data.lineItems.length,
    checkouts: {
      total: data.checkouts.length,
      abandonedOpen: data.checkouts.filter((c) => c.abandonedAt && !c.recoveredAt && !c.completedAt).length,
      recovered: data.checkouts.filter((c) => c.recoveredAt).length,
      completed: data.checkouts.filter((c) => c.completedAt && !c.abandonedAt).length,
      inProgress: data.checkouts.filter((c) => !c.abandonedAt && !c.completedAt).length,
    },
    campaigns: data.campaigns.length,
    campaignRecipients: data.recipients.length,
    letters: data.letters.length,
    lettersByStatus,
    letterStatusEvents: data.letterEvents.length,
    qrScans: data.qrScans.length,
    discountCodes: data.codes.length,
    discountCodesAssigned: data.codes.filter((code) => code.letterId).length,
    letterPdfs: storedFiles.length,
    letterPdfRenderMs,
    heavyCustomerId: data.heavyCustomerId,
    showcase: data.showcase,
    durationMs: Math.round(performance.now() - started),
  };
}

// Renders and file writes at a time. Rendering is mostly synchronous layout work, but a batch in
// flight overlaps the waiting (font loading, streams, fsync); the font is parsed once for all.
const IN_FLIGHT = 24;
async function renderLetterPdfs(documents: readonly LetterDocument[], appUrl: string): Promise<Buffer[]> {
  const base = appUrl.replace(/\/+$/, "");
  const pdfs: Buffer[] = [];
  for (let start = 0; start < documents.length; start += IN_FLIGHT) {
    const batch = documents.slice(start, start + IN_FLIGHT);
    pdfs.push(...(await Promise.all(batch.map((document) => renderDemoLetterPdf({ ...document.content, qrUrl: `${base}${document.qrPath}` })))));
  }
  return pdfs;
}

/** Puts the PDFs whose key is not in the store yet; returns the keys written. */
async function putLetterPdfs(files: FileStore, pdfs: ReadonlyArray<{ row: { key: string; sha256: string }; bytes: Uint8Array }>): Promise<string[]> {
  const written: string[] = [];
  try {
    for (let start = 0; start < pdfs.length; start += IN_FLIGHT) {
      await Promise.all(
        pdfs.slice(start, start + IN_FLIGHT).map(async ({ row, bytes }) => {
          if (await files.exists(row.key)) return;
          const result = await files.put({ key: row.key, bytes });
          written.push(row.key);
          if (result.sha256 !== row.sha256) throw new Error(`The file store wrote other bytes under ${row.key}`);
        }),
      );
    }
  } catch (error) {
    await removeFiles(files, written);
    throw error;
  }
  return written;
}

async function removeFiles(files: FileStore, keys: readonly string[]) {
  for (let start = 0; start < keys.length; start += IN_FLIGHT) {
    await Promise.all(keys.slice(start, start + IN_FLIGHT).map((key) => files.delete(key).catch(() => false)));
  }
}

// Bounded batches: one multi-row INSERT each, well under SQLite's and PostgreSQL's parameter limits.
const BATCH_SIZE = 250;
async function insertMany<T>(rows: readonly T[], write: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) await write(rows.slice(start, start + BATCH_SIZE));
}

function orderLines(random: Random, { b2b, forced }: { b2b: boolean; forced?: "machine" | "grinder" | "b2b" | "cancel" | "plain" }) {
  const byId = (id: string) => PRODUCTS.find((product) => product.productId === id)!;
  type Line = { product: Product; variant: Product["variants"][number]; quantity: number };
  const bulk = (): Line => {
    const product = byId("8401");
    return { product, variant: product.variants[0]!, quantity: random.int(2, 6) };
  };
  if (forced === "machine") {
    const machine = byId("8304");
    const espresso = byId("8101");
    return [{ product: machine, variant: machine.variants[0]!, quantity: 1 }, { product: espresso, variant: espresso.variants[2]!, quantity: 2 }];
  }
  if (forced === "grinder") {
    const grinder = byId("8303");
    const beans = byId("8102");
    return [{ product: grinder, variant: grinder.variants[0]!, quantity: 1 }, { product: beans, variant: beans.variants[0]!, quantity: 2 }];
  }
  if (forced === "b2b") return [{ ...bulk(), quantity: 6 }];
  if (b2b) {
    const lines: Line[] = [bulk()];
    if (random.chance(0.5)) {
      const product = random.pick(PRODUCTS.filter((p) => p.variants.length === 3));
      lines.push({ product, variant: product.variants[2]!, quantity: random.int(2, 8) });
    }
    if (random.chance(0.04)) {
      const machine = byId("8304");
      lines.push({ product: machine, variant: machine.variants[0]!, quantity: 1 });
    }
    return lines;
  }
  const count = random.weighted([[1, 50], [2, 30], [3, 15], [4, 5]] as const);
  const catalogue = PRODUCTS.filter((product) => !product.b2b);
  const chosen = new Set<Product>();
  while (chosen.size < count) chosen.add(random.weighted(catalogue.map((product) => [product, product.weight] as const)));
  return [...chosen].map((product): Line => {
    const variant = random.pick(product.variants);
    const single = product.productId.startsWith("83") || product.productId.startsWith("82");
    return { product, variant, quantity: single ? 1 : random.weighted([[1, 70], [2, 20], [3, 10]] as const) };
  });
}

/** A catalogue product as an order or checkout line at `unitMinor` per piece. */
function productLine(
  { product, variant, quantity }: ReturnType<typeof orderLines>[number],
  unitMinor: number,
) {
  return {
    productId: product.productId,
    variantId: variant.variantId,
    sku: variant.sku,
    title: product.title,
    variantTitle: variant.title,
    quantity,
    unitPriceMinor: BigInt(unitMinor),
  };
}

/** Lower-case hex SHA-256 of a string (UTF-8) or of bytes. */
function sha256(value: string | Uint8Array): string {
  return createHash("sha256").update(value).digest("hex");
}

function emailLocalPart(person: Person, random: Random): string {
  const ascii = (value: string) =>
    value
      .toLowerCase()
      .replace(/ä/g, "ae")
      .replace(/ö/g, "oe")
      .replace(/ü/g, "ue")
      .replace(/ß/g, "ss")
      .replace(/ł/g, "l")
      .replace(/ı/g, "i")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]/g, "");
  const first = ascii(person.first);
  const last = ascii(person.last);
  return random.weighted([
    [`${first}.${last}`, 50],
    [`${first}${last}`, 15],
    [`${first[0]}.${last}`, 20],
    [`${last}.${first}`, 10],
    [`${first}.${last}${random.int(60, 99)}`, 5],
  ] as const);
}

function phoneFor(country: string, random: Random): string {
  const digits = (n: number) => Array.from({ length: n }, () => random.int(0, 9)).join("");
  switch (country) {
    case "DE":
      return `+49 15${random.int(1, 9)} ${digits(7)}`;
    case "AT":
      return `+43 66${random.int(0, 9)} ${digits(6)}`;
    case "CH":
      return `+41 7${random.int(6, 9)} ${digits(3)} ${digits(2)} ${digits(2)}`;
    case "FR":
      return `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
    case "PL":
      return `+48 ${random.int(500, 799)} ${digits(3)} ${digits(3)}`;
    case "US":
      return `+1 ${random.int(201, 989)} ${digits(3)} ${digits(4)}`;
    default:
      return `+${random.int(30, 49)} ${digits(9)}`;
  }
}
