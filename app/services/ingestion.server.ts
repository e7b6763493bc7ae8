import { createHash } from "node:crypto";
import type { Db } from "../db.server";
import type { CanonicalAddress, CanonicalBatch, CanonicalCheckout, CanonicalCustomer, CanonicalOrder } from "../core/canonical-records";
import { evaluateCheckoutRecovery, type CheckoutRecoveryState } from "../core/checkout-recovery";
import { EMPTY_CUSTOMER_DETAILS, isNewerVersion, mergeCustomerDetails, type CustomerDetails } from "../core/customer-merge";
import { normalizeEmail } from "../core/customer-identity";
import { computeCustomerStats, type CustomerStats } from "../core/customer-stats";
import { convertMinorAmount } from "../core/money";
import { withBulkChannel } from "../db/bulk-channel.server";
import { newRecordId } from "../db/record-id";
import { FALLBACK_CHECKOUT_TOKEN_PREFIX } from "../integrations/shopify/bulk-records";
import {
  adoptStandInCheckouts,
  completeCheckoutReferences,
  createCheckouts,
  createCustomers,
  createIdentities,
  createOrders,
  findCheckoutsToEvaluate,
  findCustomersByEmails,
  findIdentities,
  findRecoveryOrders,
  findStoredCheckouts,
  findStoredOrders,
  loadExchangeRates,
  loadIngestShop,
  loadStatsInputs,
  lockShopForIngestion,
  lockCustomers,
  markOrdersLive,
  replaceCheckout,
  replaceOrder,
  updateCustomerDetails,
  updateIdentityVersions,
  writeCheckoutRecovery,
  writeCustomerStatsMany,
  type CheckoutWrite,
  type DbTx,
  type IngestShop,
  type OrderWrite,
} from "../repositories/ingestion-repository.server";

/**
 * The one ingestion path (PRODUCT.md A1–A5): Shopify webhooks, the bulk back-fill, Billbee, CSV
 * and the import API all hand canonical records to `ingestBatch`. In one transaction it
 * upserts customers, orders and checkouts by (shop, source, source id), never lets an older
 * version overwrite a newer one, re-decides the checkouts the batch touches (abandoned,
 * recovered) and rewrites the statistics of every customer it touched. Re-ingesting the same
 * records changes nothing, so every caller may retry freely.
 */

export type IngestCounts = { created: number; updated: number; skipped: number };
export type IngestResult = {
  customers: IngestCounts;
  orders: IngestCounts;
  checkouts: IngestCounts;
  /** Orders that became live with this batch (after-purchase candidates). */
  newlyLiveOrderIds: string[];
  /** Customers whose statistics were rewritten. */
  customerIds: string[];
  /** The earliest time a touched checkout must be looked at again (its threshold passes). */
  nextReviewAt: Date | null;
  /** Per record of `batch.customers`, in order: the customer it landed on and what happened. */
  customerOutcomes: { customerId: string; outcome: Outcome }[];
  /** Per record of `batch.orders`, in order: the stored order, its customer, what happened, whether it is live now. */
  orderOutcomes: { orderId: string; customerId: string | null; outcome: Outcome; live: boolean }[];
};

export async function ingestBatch(
  db: Db,
  {
    shopId,
    batch,
    now,
    importRunId,
    withinTransaction,
  }: {
    shopId: string;
    batch: CanonicalBatch;
    now: Date;
    importRunId?: string;
    /** Runs last, inside the same transaction: an import records its progress with the data it describes. */
    withinTransaction?: (tx: DbTx, result: IngestResult) => Promise<void>;
  },
): Promise<IngestResult> {
  return ingestionTransaction(db, async (tx) => {
    await lockShopForIngestion(tx, { shopId });
    const shop = await loadIngestShop(tx, { shopId });
    // Rates are read only when an order is in another currency (most shops: never).
    const foreign = (batch.orders ?? []).some((order) => order.currency.toUpperCase() !== shop.currency.toUpperCase());
    const rates = foreign ? await loadExchangeRates(tx, { shopId }) : new Map<string, string>();
    const result: IngestResult = {
      customers: emptyCounts(),
      orders: emptyCounts(),
      checkouts: emptyCounts(),
      newlyLiveOrderIds: [],
      customerIds: [],
      nextReviewAt: null,
      customerOutcomes: [],
      orderOutcomes: [],
    };
    const touchedCustomers = new Set<string>();
    const touchedTokens = new Set<string>();

    const customers = batch.customers ?? [];
    const orders = batch.orders ?? [];
    const checkouts = batch.checkouts ?? [];
    const people = await resolveCustomers(tx, shop, [
      ...customers.map((customer) => ({ customer })),
      ...orders.map((order) => ({ customer: order.customer, email: order.email, language: order.customerLocale, address: order.shippingAddress })),
      ...checkouts.map((checkout) => ({ customer: checkout.customer, email: checkout.email, language: checkout.customerLocale, address: checkout.shippingAddress })),
    ], now);
    for (const [index, person] of people.entries()) {
      if (person) touchedCustomers.add(person.customerId);
      if (person && index < customers.length) {
        result.customers[person.outcome]++;
        result.customerOutcomes.push(person);
      }
    }
    const customerIdAt = (index: number) => people[index]?.customerId ?? null;

    const orderOutcomes = await writeOrders(
      tx,
      shop,
      rates,
      orders.map((order, index) => ({ order, customerId: customerIdAt(customers.length + index) })),
      importRunId ?? null,
      now,
    );
    for (const [index, written] of orderOutcomes.entries()) {
      result.orders[written.outcome]++;
      result.orderOutcomes.push({ orderId: written.orderId, customerId: written.customerId, outcome: written.outcome, live: written.live });
      if (written.becameLive) result.newlyLiveOrderIds.push(written.orderId);
      if (written.previousCustomerId) touchedCustomers.add(written.previousCustomerId);
      for (const token of [orders[index]!.checkoutToken, written.previousCheckoutToken]) if (token) touchedTokens.add(token);
    }

    const checkoutOutcomes = await writeCheckouts(
      tx,
      shop,
      checkouts.map((checkout, index) => ({ checkout, customerId: customerIdAt(customers.length + orders.length + index) })),
    );
    for (const [index, written] of checkoutOutcomes.entries()) {
      result.checkouts[written.outcome]++;
      touchedTokens.add(checkouts[index]!.token);
      if (written.previousCustomerId) touchedCustomers.add(written.previousCustomerId);
    }

    const recovery = await reevaluateCheckouts(tx, shop, { tokens: [...touchedTokens], customerIds: [...touchedCustomers], now });
    for (const id of recovery.changedCustomerIds) touchedCustomers.add(id);
    result.nextReviewAt = recovery.nextReviewAt;

    result.customerIds = [...touchedCustomers].sort();
    await refreshCustomerStats(tx, shop.id, result.customerIds, now);
    await withinTransaction?.(tx, result);
    return result;
  });
}

// A back-fill batch of 500 orders does a few thousand statements; Prisma's 5 s default is short for that on a busy disk.
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 30_000 };

/** One ingestion transaction, with the bulk channel for its multi-row statements (app/db/bulk-channel.server.ts). */
function ingestionTransaction<T>(db: Db, work: (tx: DbTx) => Promise<T>): Promise<T> {
  return withBulkChannel(() => db.$transaction(work, TRANSACTION_OPTIONS));
}

/**
 * Re-decides abandonment and recovery for checkouts due by `now` (the periodic sweep and the
 * timer at each checkout's threshold), then the statistics of their customers.
 */
export async function reviewCheckouts(db: Db, { shopId, checkoutIds, now }: { shopId: string; checkoutIds: string[]; now: Date }) {
  if (checkoutIds.length === 0) return { changed: 0 };
  return ingestionTransaction(db, async (tx) => {
    await lockShopForIngestion(tx, { shopId });
    const shop = await loadIngestShop(tx, { shopId });
    const checkouts = await tx.checkout.findMany({ where: { shopId, id: { in: checkoutIds } }, select: { token: true, customerId: true } });
    const recovery = await reevaluateCheckouts(tx, shop, {
      tokens: checkouts.map((checkout) => checkout.token),
      customerIds: [],
      now,
    });
    await refreshCustomerStats(tx, shopId, recovery.changedCustomerIds, now);
    return { changed: recovery.changedCount };
  });
}

/** Recomputes the stored statistics of these customers from their rows (also the rebuild command's core). */
export async function refreshCustomerStats(tx: DbTx, shopId: string, customerIds: string[], now: Date) {
  if (customerIds.length === 0) return;
  const ids = [...new Set(customerIds)].sort();
  await lockCustomers(tx, { shopId, customerIds: ids, now });
  const inputs = await loadStatsInputs(tx, { shopId, customerIds: ids });
  const stats = computeStatsOf(ids, inputs, now);
  await writeCustomerStatsMany(tx, { shopId, rows: [...stats].map(([customerId, computed]) => ({ customerId, stats: computed })) });
}

/** Each customer's statistics from the rows loadStatsInputs read for them (grouped once, not filtered per customer). */
export function computeStatsOf(customerIds: string[], inputs: Awaited<ReturnType<typeof loadStatsInputs>>, now: Date): Map<string, CustomerStats> {
  type Rows = { orders: typeof inputs.orders; letters: typeof inputs.letters; checkouts: typeof inputs.checkouts };
  const byCustomer = new Map<string, Rows>(customerIds.map((id) => [id, { orders: [], letters: [], checkouts: [] }]));
  for (const order of inputs.orders) if (order.customerId) byCustomer.get(order.customerId)?.orders.push(order);
  for (const letter of inputs.letters) byCustomer.get(letter.customerId)?.letters.push(letter);
  for (const checkout of inputs.checkouts) if (checkout.customerId) byCustomer.get(checkout.customerId)?.checkouts.push(checkout);
  return new Map([...byCustomer].map(([customerId, rows]) => [customerId, computeCustomerStats({ ...rows, now })]));
}

function emptyCounts(): IngestCounts {
  return { created: 0, updated: 0, skipped: 0 };
}

type Outcome = keyof IngestCounts;

type Mention = { customer: CanonicalCustomer | null; email?: string | null; language?: string | null; address?: CanonicalAddress | null };

type PersonState = { details: CustomerDetails; redactedAt: Date | null; isNew: boolean; dirty: boolean };
type IdentityState = { id: string | null; customerId: string; sourceUpdatedAt: Date | null; dirty: boolean };

/**
 * Finds or creates the customer behind every mention in the batch, in order, with two reads for
 * the whole batch (identities, then e-mails) and one insert per kind of row; a person mentioned
 * several times in one batch is resolved once and merged in order.
 */
async function resolveCustomers(tx: DbTx, shop: IngestShop, mentions: Mention[], now: Date): Promise<({ customerId: string; outcome: Outcome } | null)[]> {
  const identityKey = (record: { source: string; sourceId: string }) => `${record.source}:${record.sourceId}`;
  const records = mentions.map((mention) => mention.customer).filter((record): record is CanonicalCustomer => record !== null);

  const people = new Map<string, PersonState>();
  const identities = new Map<string, IdentityState>();
  const byEmail = new Map<string, string>();
  for (const row of await findIdentities(tx, { shopId: shop.id, keys: records })) {
    const { id: customerId, redactedAt, ...details } = row.customer;
    people.set(customerId, { details, redactedAt, isNew: false, dirty: false });
    identities.set(identityKey(row), { id: row.id, customerId, sourceUpdatedAt: row.sourceUpdatedAt, dirty: false });
  }
  const unknownEmails = mentions
    .filter((mention) => !mention.customer || !identities.has(identityKey(mention.customer)))
    .map((mention) => normalizeEmail(mention.customer?.email ?? mention.email))
    .filter((email): email is string => email !== null);
  for (const row of await findCustomersByEmails(tx, { shopId: shop.id, emails: unknownEmails })) {
    const { id: customerId, redactedAt, ...details } = row;
    if (row.emailNormalized && !byEmail.has(row.emailNormalized)) byEmail.set(row.emailNormalized, customerId);
    if (!people.has(customerId)) people.set(customerId, { details, redactedAt, isNew: false, dirty: false });
  }
  for (const [customerId, person] of people) {
    if (person.redactedAt === null && person.details.emailNormalized && !byEmail.has(person.details.emailNormalized)) {
      byEmail.set(person.details.emailNormalized, customerId);
    }
  }

  const merge = (customerId: string, mention: Mention, incomingIsNewer: boolean): boolean => {
    const person = people.get(customerId)!;
    // A redacted customer's personal data is never written back.
    if (person.redactedAt) return false;
    const merged = mergeCustomerDetails(person.details, mention, { incomingIsNewer });
    const changed = (Object.keys(merged) as (keyof CustomerDetails)[]).some((key) => merged[key] !== person.details[key]);
    if (changed) {
      person.details = merged;
      person.dirty = true;
      if (merged.emailNormalized && !byEmail.has(merged.emailNormalized)) byEmail.set(merged.emailNormalized, customerId);
    }
    return changed;
  };

  const resolved = mentions.map((mention): { customerId: string; outcome: Outcome } | null => {
    const record = mention.customer;
    const known = record ? identities.get(identityKey(record)) : undefined;
    if (record && known) {
      const newer = isNewerVersion(record.sourceUpdatedAt, known.sourceUpdatedAt);
      const changed = merge(known.customerId, mention, newer);
      // A source without versions (a file, an API push without updatedAt) sending the same
      // person again changes nothing and counts as skipped.
      const versionMoved = newer && record.sourceUpdatedAt !== null;
      if (versionMoved) {
        known.sourceUpdatedAt = record.sourceUpdatedAt;
        known.dirty = true;
      }
      return { customerId: known.customerId, outcome: changed || versionMoved ? "updated" : "skipped" };
    }
    // A person already known from another source (same e-mail) gets a second identity, not a second profile.
    const email = normalizeEmail(record?.email ?? mention.email);
    const sameEmail = email ? byEmail.get(email) : undefined;
    if (sameEmail) {
      merge(sameEmail, mention, false);
      if (record) identities.set(identityKey(record), { id: null, customerId: sameEmail, sourceUpdatedAt: record.sourceUpdatedAt, dirty: true });
      return { customerId: sameEmail, outcome: "updated" };
    }
    // An order or checkout without a customer record and with an unknown e-mail stays without one.
    if (!record) return null;
    const customerId = newRecordId();
    const details = mergeCustomerDetails(EMPTY_CUSTOMER_DETAILS, mention, { incomingIsNewer: true });
    people.set(customerId, { details, redactedAt: null, isNew: true, dirty: false });
    identities.set(identityKey(record), { id: null, customerId, sourceUpdatedAt: record.sourceUpdatedAt, dirty: true });
    if (details.emailNormalized) byEmail.set(details.emailNormalized, customerId);
    return { customerId, outcome: "created" };
  });

  await createCustomers(
    tx,
    [...people]
      .filter(([, person]) => person.isNew)
      .map(([id, person]) => ({ id, shopId: shop.id, ...person.details, emailHash: emailHashOf(shop, person.details.emailNormalized) })),
    now,
  );
  await updateCustomerDetails(tx, {
    shopId: shop.id,
    now,
    rows: [...people]
      .filter(([, person]) => !person.isNew && person.dirty)
      .map(([customerId, person]) => ({ customerId, details: person.details, emailHash: emailHashOf(shop, person.details.emailNormalized) })),
  });
  const newIdentities: Parameters<typeof createIdentities>[1] = [];
  const movedIdentities: { id: string; sourceUpdatedAt: Date | null }[] = [];
  for (const [key, identity] of identities) {
    if (!identity.dirty) continue;
    if (identity.id) {
      movedIdentities.push({ id: identity.id, sourceUpdatedAt: identity.sourceUpdatedAt });
      continue;
    }
    const separator = key.indexOf(":");
    newIdentities.push({
      shopId: shop.id,
      customerId: identity.customerId,
      source: key.slice(0, separator) as CanonicalCustomer["source"],
      sourceId: key.slice(separator + 1),
      sourceUpdatedAt: identity.sourceUpdatedAt,
    });
  }
  await updateIdentityVersions(tx, { shopId: shop.id, rows: movedIdentities });
  await createIdentities(tx, newIdentities, now);
  return resolved;
}

/** Salted hash of the normalised e-mail: survives a redaction, so an opted-out person stays opted out. */
export function emailHashOf(shop: Pick<IngestShop, "emailHashSalt">, emailNormalized: string | null): string | null {
  return emailNormalized ? createHash("sha256").update(`${shop.emailHashSalt}:${emailNormalized}`).digest("hex") : null;
}

type OrderOutcome = {
  orderId: string;
  customerId: string | null;
  outcome: Outcome;
  live: boolean;
  becameLive: boolean;
  previousCustomerId: string | null;
  previousCheckoutToken: string | null;
};

async function writeOrders(
  tx: DbTx,
  shop: IngestShop,
  rates: Map<string, string>,
  items: { order: CanonicalOrder; customerId: string | null }[],
  importRunId: string | null,
  now: Date,
): Promise<OrderOutcome[]> {
  const key = (order: { source: string; sourceId: string }) => `${order.source}:${order.sourceId}`;
  type Known = {
    id: string;
    sourceUpdatedAt: Date | null;
    live: boolean;
    customerId: string | null;
    checkoutToken: string | null;
    contentDigest: string | null;
    pending?: OrderWrite & { id: string };
  };
  const known = new Map<string, Known>(
    (await findStoredOrders(tx, { shopId: shop.id, keys: items.map((item) => item.order) })).map((row) => [key(row), row]),
  );
  const creates: (OrderWrite & { id: string })[] = [];
  const toLive: string[] = [];

  const outcomes: OrderOutcome[] = [];
  for (const { order, customerId } of items) {
    const toShop = (amount: bigint) => {
      if (order.currency.toUpperCase() === shop.currency.toUpperCase()) return amount;
      const rate = rates.get(order.currency.toUpperCase());
      return rate ? convertMinorAmount(amount, order.currency, shop.currency, rate) : null;
    };
    const totalShopMinor = toShop(order.totalMinor);
    const refundedShopMinor = totalShopMinor === null ? null : toShop(order.refundedMinor);
    const stored = known.get(key(order));
    const contentDigest = orderContentDigest(order, customerId);

    if (!stored) {
      const write = { id: newRecordId(), order, customerId, totalShopMinor, refundedShopMinor, live: order.live, importRunId, contentDigest };
      creates.push(write);
      known.set(key(order), {
        id: write.id,
        sourceUpdatedAt: order.sourceUpdatedAt,
        live: order.live,
        customerId,
        checkoutToken: order.checkoutToken,
        contentDigest,
        pending: write,
      });
      outcomes.push({ orderId: write.id, customerId, outcome: "created", live: order.live, becameLive: order.live, previousCustomerId: null, previousCheckoutToken: null });
      continue;
    }
    // Live is decided by the first live sighting and never taken back: a back-fill that saw the
    // order first must not stop its after-purchase letter, a late history record must not start one.
    const becameLive = order.live && !stored.live;
    // The same record again (a re-imported file, a re-posted batch) is not an update either.
    if (!isNewerVersion(order.sourceUpdatedAt, stored.sourceUpdatedAt) || stored.contentDigest === contentDigest) {
      if (becameLive) {
        stored.live = true;
        if (stored.pending) stored.pending.live = true;
        else toLive.push(stored.id);
      }
      outcomes.push({
        orderId: stored.id,
        customerId: stored.customerId,
        outcome: becameLive ? "updated" : "skipped",
        live: stored.live,
        becameLive,
        previousCustomerId: null,
        previousCheckoutToken: null,
      });
      continue;
    }
    // An update that names no customer keeps the one already linked.
    const linkedCustomerId = customerId ?? stored.customerId;
    const write = { order, customerId: linkedCustomerId, totalShopMinor, refundedShopMinor, live: stored.live || order.live, importRunId, contentDigest };
    if (stored.pending) Object.assign(stored.pending, write);
    else await replaceOrder(tx, shop.id, stored.id, write);
    outcomes.push({
      orderId: stored.id,
      customerId: linkedCustomerId,
      outcome: stored.pending ? "created" : "updated",
      live: write.live,
      becameLive,
      previousCustomerId: stored.customerId !== linkedCustomerId ? stored.customerId : null,
      previousCheckoutToken: stored.checkoutToken !== order.checkoutToken ? stored.checkoutToken : null,
    });
    Object.assign(stored, { sourceUpdatedAt: order.sourceUpdatedAt, live: write.live, customerId: linkedCustomerId, checkoutToken: order.checkoutToken, contentDigest });
  }
  await createOrders(tx, shop.id, creates, now);
  await markOrdersLive(tx, { shopId: shop.id, orderIds: toLive });
  return outcomes;
}

/**
 * What an order looks like as written, as a hash: everything the source said except whether it
 * arrived live (decided separately), plus the customer it was linked to. Amounts are bigints, so
 * they are written as strings.
 */
export function orderContentDigest(order: CanonicalOrder, customerId: string | null): string {
  const hash = createHash("sha256");
  // Field by field rather than JSON.stringify with a bigint replacer: this runs for every
  // imported order, and the replacer dominated it. A separator no source text contains keeps
  // neighbouring fields from running together.
  const put = (value: unknown) => {
    hash.update(value === null || value === undefined ? "\u0000" : value instanceof Date ? value.toISOString() : String(value));
    hash.update("\u001f");
  };
  const { customer, shippingAddress: address } = order;
  for (const value of [
    order.source, order.sourceId, order.number, order.placedAt, order.sourceUpdatedAt, order.currency, order.totalMinor,
    order.subtotalMinor, order.refundedMinor, order.financialState, order.fulfilmentState, order.cancelledAt, order.cancelReason,
    order.checkoutToken, order.email, order.customerLocale, order.discountCodes.join("\u001e"), customerId,
  ]) put(value);
  for (const value of address ? [address.name, address.company, address.line1, address.line2, address.postalCode, address.city, address.region, address.countryCode] : [null]) put(value);
  for (const value of customer
    ? [customer.source, customer.sourceId, customer.sourceUpdatedAt, customer.email, customer.firstName, customer.lastName, customer.company, customer.phone, customer.language]
    : [null]) put(value);
  for (const item of order.lineItems) {
    for (const value of [item.sourceId, item.productId, item.variantId, item.sku, item.title, item.variantTitle, item.quantity, item.unitPriceMinor, item.totalMinor]) put(value);
    hash.update("\u001e");
  }
  return hash.digest("base64url");
}

type CheckoutOutcome = { outcome: Outcome; previousCustomerId: string | null };

async function writeCheckouts(tx: DbTx, shop: IngestShop, items: { checkout: CanonicalCheckout; customerId: string | null }[]): Promise<CheckoutOutcome[]> {
  type Known = Awaited<ReturnType<typeof findStoredCheckouts>>[number] & { pending?: CheckoutWrite & { id: string } };
  const tokens = items.map((item) => item.checkout.token);
  let storedRows = await findStoredCheckouts(tx, { shopId: shop.id, tokens });
  const unmatched = items
    .map((item) => item.checkout)
    .filter((checkout) => checkout.cartToken && !checkout.token.startsWith(FALLBACK_CHECKOUT_TOKEN_PREFIX) && !storedRows.some((row) => row.token === checkout.token));
  const adopted = await adoptStandInCheckouts(tx, {
    shopId: shop.id,
    prefix: FALLBACK_CHECKOUT_TOKEN_PREFIX,
    checkouts: unmatched.map((checkout) => ({ token: checkout.token, cartToken: checkout.cartToken! })),
  });
  if (adopted > 0) storedRows = await findStoredCheckouts(tx, { shopId: shop.id, tokens });
  const known = new Map<string, Known>(storedRows.map((row) => [row.token, row]));
  const creates: (CheckoutWrite & { id: string })[] = [];
  const outcomes: CheckoutOutcome[] = [];
  for (const { checkout, customerId } of items) {
    const stored = known.get(checkout.token);
    // Completing a checkout bumps updated_at; the shopper's last activity is the last version
    // seen before completion (or its creation when only the completed version ever arrived).
    const completedAt = checkout.completedAt ?? stored?.completedAt ?? null;
    const lastActivityAt = checkout.completedAt ? (stored?.lastActivityAt ?? earliestOf(checkout.createdAt, checkout.completedAt)) : checkout.updatedAt;

    if (!stored) {
      const write = { id: newRecordId(), checkout, customerId, lastActivityAt, completedAt };
      creates.push(write);
      known.set(checkout.token, {
        id: write.id,
        token: checkout.token,
        sourceUpdatedAt: checkout.updatedAt,
        lastActivityAt,
        completedAt,
        customerId,
        graphqlId: checkout.graphqlId,
        abandonedCheckoutUrl: checkout.abandonedCheckoutUrl,
        pending: write,
      });
      outcomes.push({ outcome: "created", previousCustomerId: null });
      continue;
    }
    if (!isNewerVersion(checkout.updatedAt, stored.sourceUpdatedAt)) {
      const fillsGap = Boolean((checkout.graphqlId && !stored.graphqlId) || (checkout.abandonedCheckoutUrl && !stored.abandonedCheckoutUrl));
      if (fillsGap) {
        stored.graphqlId ??= checkout.graphqlId;
        stored.abandonedCheckoutUrl ??= checkout.abandonedCheckoutUrl;
        if (stored.pending) {
          stored.pending.checkout = { ...stored.pending.checkout, graphqlId: stored.graphqlId, abandonedCheckoutUrl: stored.abandonedCheckoutUrl };
        } else {
          await completeCheckoutReferences(tx, { shopId: shop.id, checkoutId: stored.id, graphqlId: checkout.graphqlId, abandonedCheckoutUrl: checkout.abandonedCheckoutUrl });
        }
      }
      outcomes.push({ outcome: fillsGap ? "updated" : "skipped", previousCustomerId: null });
      continue;
    }
    const linkedCustomerId = customerId ?? stored.customerId;
    const write = { checkout, customerId: linkedCustomerId, lastActivityAt, completedAt };
    if (stored.pending) Object.assign(stored.pending, write);
    else await replaceCheckout(tx, shop.id, stored.id, write);
    outcomes.push({ outcome: stored.pending ? "created" : "updated", previousCustomerId: stored.customerId !== linkedCustomerId ? stored.customerId : null });
    Object.assign(stored, { sourceUpdatedAt: checkout.updatedAt, lastActivityAt, completedAt, customerId: linkedCustomerId });
  }
  await createCheckouts(tx, shop.id, creates);
  return outcomes;
}

function earliestOf(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

async function reevaluateCheckouts(tx: DbTx, shop: IngestShop, { tokens, customerIds, now }: { tokens: string[]; customerIds: string[]; now: Date }) {
  const outcome = { changedCustomerIds: new Set<string>(), changedCount: 0, nextReviewAt: null as Date | null };
  if (tokens.length === 0 && customerIds.length === 0) return { ...outcome, changedCustomerIds: [] };
  const checkouts = await findCheckoutsToEvaluate(tx, { shopId: shop.id, tokens, customerIds });
  if (checkouts.length === 0) return { ...outcome, changedCustomerIds: [] };

  const activityOf = (checkout: (typeof checkouts)[number]) => checkout.lastActivityAt ?? checkout.sourceUpdatedAt;
  const earliestActivity = new Date(Math.min(...checkouts.map((checkout) => activityOf(checkout).getTime())));
  const orders = await findRecoveryOrders(tx, {
    shopId: shop.id,
    tokens: checkouts.map((checkout) => checkout.token),
    customerIds: [...new Set(checkouts.map((checkout) => checkout.customerId).filter((id): id is string => id !== null))],
    placedFrom: earliestActivity,
  });

  for (const checkout of checkouts) {
    const ownOrder = orders.find((order) => order.checkoutToken === checkout.token) ?? null;
    // An order reveals who the shopper of a guest checkout was.
    const customerId = checkout.customerId ?? ownOrder?.customerId ?? null;
    const state = evaluateCheckoutRecovery({
      checkout: { lastActivityAt: activityOf(checkout), completedAt: checkout.completedAt, abandonedAt: checkout.abandonedAt },
      ownOrder,
      customerOrders: customerId ? orders.filter((order) => order.customerId === customerId) : [],
      settings: shop,
      now,
    });
    if (state.reviewAt && (!outcome.nextReviewAt || state.reviewAt < outcome.nextReviewAt)) outcome.nextReviewAt = state.reviewAt;
    const linksCustomer = customerId !== null && checkout.customerId === null;
    // Its order completed it, whether or not a checkouts/update saying so ever arrives.
    const completedByOrder = checkout.completedAt === null && ownOrder !== null && ownOrder.placedAt.getTime() <= now.getTime();
    if (!sameRecovery(checkout, state) || linksCustomer || completedByOrder) {
      await writeCheckoutRecovery(tx, {
        shopId: shop.id,
        checkoutId: checkout.id,
        state,
        ...(linksCustomer ? { customerId } : {}),
        ...(completedByOrder ? { completedAt: ownOrder.placedAt } : {}),
      });
      outcome.changedCount++;
      if (customerId) outcome.changedCustomerIds.add(customerId);
    }
  }
  return { ...outcome, changedCustomerIds: [...outcome.changedCustomerIds] };
}

function sameRecovery(
  stored: { abandonedAt: Date | null; recoveredAt: Date | null; recoveredByOrderId: string | null; recoveryKind: string | null },
  next: CheckoutRecoveryState,
): boolean {
  return (
    stored.abandonedAt?.getTime() === next.abandonedAt?.getTime() &&
    stored.recoveredAt?.getTime() === next.recoveredAt?.getTime() &&
    stored.recoveredByOrderId === next.recoveredByOrderId &&
    stored.recoveryKind === next.recoveryKind
  );
}
