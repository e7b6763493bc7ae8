import { createHash } from "node:crypto";
import type { Db } from "../db.server";
import type { CanonicalAddress, CanonicalBatch, CanonicalCheckout, CanonicalCustomer, CanonicalOrder } from "../core/canonical-records";
import { evaluateCheckoutRecovery, type CheckoutRecoveryState } from "../core/checkout-recovery";
import { EMPTY_CUSTOMER_DETAILS, isNewerVersion, mergeCustomerDetails, type CustomerDetails } from "../core/customer-merge";
import { normalizeEmail } from "../core/customer-identity";
import { computeCustomerStats } from "../core/customer-stats";
import { convertMinorAmount } from "../core/money";
import {
  completeCheckoutReferences,
  createCheckout,
  createCustomer,
  createOrder,
  findCheckoutsToEvaluate,
  findCustomerByEmail,
  findCustomerByIdentity,
  findRecoveryOrders,
  findStoredCheckout,
  findStoredOrder,
  loadExchangeRates,
  loadIngestShop,
  loadStatsInputs,
  lockCustomers,
  markOrderLive,
  replaceCheckout,
  replaceOrder,
  updateCustomerDetails,
  upsertIdentity,
  writeCheckoutRecovery,
  writeCustomerStats,
  type DbTx,
  type IngestShop,
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
};

export async function ingestBatch(
  db: Db,
  { shopId, batch, now, importRunId }: { shopId: string; batch: CanonicalBatch; now: Date; importRunId?: string },
): Promise<IngestResult> {
  return db.$transaction(async (tx) => {
    const shop = await loadIngestShop(tx, { shopId });
    const rates = await loadExchangeRates(tx, { shopId });
    const result: IngestResult = {
      customers: emptyCounts(),
      orders: emptyCounts(),
      checkouts: emptyCounts(),
      newlyLiveOrderIds: [],
      customerIds: [],
      nextReviewAt: null,
    };
    const touchedCustomers = new Set<string>();
    const touchedTokens = new Set<string>();

    for (const customer of batch.customers ?? []) {
      const resolved = await resolveCustomer(tx, shop, { customer });
      if (!resolved) continue;
      result.customers[resolved.outcome]++;
      touchedCustomers.add(resolved.customerId);
    }

    for (const order of batch.orders ?? []) {
      const resolved = await resolveCustomer(tx, shop, {
        customer: order.customer,
        email: order.email,
        language: order.customerLocale,
        address: order.shippingAddress,
      });
      const customerId = resolved?.customerId ?? null;
      const written = await writeOrder(tx, shop, rates, order, customerId, importRunId ?? null);
      result.orders[written.outcome]++;
      if (written.becameLive) result.newlyLiveOrderIds.push(written.orderId);
      for (const id of [customerId, written.previousCustomerId]) if (id) touchedCustomers.add(id);
      for (const token of [order.checkoutToken, written.previousCheckoutToken]) if (token) touchedTokens.add(token);
    }

    for (const checkout of batch.checkouts ?? []) {
      const resolved = await resolveCustomer(tx, shop, {
        customer: checkout.customer,
        email: checkout.email,
        language: checkout.customerLocale,
        address: checkout.shippingAddress,
      });
      const written = await writeCheckout(tx, shop, checkout, resolved?.customerId ?? null);
      result.checkouts[written.outcome]++;
      touchedTokens.add(checkout.token);
      for (const id of [resolved?.customerId, written.previousCustomerId]) if (id) touchedCustomers.add(id);
    }

    const recovery = await reevaluateCheckouts(tx, shop, { tokens: [...touchedTokens], customerIds: [...touchedCustomers], now });
    for (const id of recovery.changedCustomerIds) touchedCustomers.add(id);
    result.nextReviewAt = recovery.nextReviewAt;

    result.customerIds = [...touchedCustomers].sort();
    await refreshCustomerStats(tx, shop.id, result.customerIds, now);
    return result;
  }, TRANSACTION_OPTIONS);
}

// A back-fill batch of 500 orders does a few thousand statements; Prisma's 5 s default is short for that on a busy disk.
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 30_000 };

/**
 * Re-decides abandonment and recovery for checkouts due by `now` (the periodic sweep and the
 * timer at each checkout's threshold), then the statistics of their customers.
 */
export async function reviewCheckouts(db: Db, { shopId, checkoutIds, now }: { shopId: string; checkoutIds: string[]; now: Date }) {
  if (checkoutIds.length === 0) return { changed: 0 };
  return db.$transaction(async (tx) => {
    const shop = await loadIngestShop(tx, { shopId });
    const checkouts = await tx.checkout.findMany({ where: { shopId, id: { in: checkoutIds } }, select: { token: true, customerId: true } });
    const recovery = await reevaluateCheckouts(tx, shop, {
      tokens: checkouts.map((checkout) => checkout.token),
      customerIds: [],
      now,
    });
    await refreshCustomerStats(tx, shopId, recovery.changedCustomerIds, now);
    return { changed: recovery.changedCount };
  }, TRANSACTION_OPTIONS);
}

/** Recomputes the stored statistics of these customers from their rows (also the rebuild command's core). */
export async function refreshCustomerStats(tx: DbTx, shopId: string, customerIds: string[], now: Date) {
  if (customerIds.length === 0) return;
  const ids = [...new Set(customerIds)].sort();
  await lockCustomers(tx, { shopId, customerIds: ids, now });
  const inputs = await loadStatsInputs(tx, { shopId, customerIds: ids });
  for (const customerId of ids) {
    const stats = computeCustomerStats({
      orders: inputs.orders.filter((order) => order.customerId === customerId),
      letters: inputs.letters.filter((letter) => letter.customerId === customerId),
      checkouts: inputs.checkouts.filter((checkout) => checkout.customerId === customerId),
      now,
    });
    await writeCustomerStats(tx, { shopId, customerId, stats });
  }
}

function emptyCounts(): IngestCounts {
  return { created: 0, updated: 0, skipped: 0 };
}

type Outcome = keyof IngestCounts;

async function resolveCustomer(
  tx: DbTx,
  shop: IngestShop,
  incoming: { customer: CanonicalCustomer | null; email?: string | null; language?: string | null; address?: CanonicalAddress | null },
): Promise<{ customerId: string; outcome: Outcome } | null> {
  const record = incoming.customer;
  if (record) {
    const known = await findCustomerByIdentity(tx, { shopId: shop.id, source: record.source, sourceId: record.sourceId });
    if (known) {
      const newer = isNewerVersion(record.sourceUpdatedAt, known.sourceUpdatedAt);
      const changed = await saveDetails(tx, shop, known.customer, incoming, newer);
      if (newer && record.sourceUpdatedAt) {
        await upsertIdentity(tx, { shopId: shop.id, customerId: known.customer.id, source: record.source, sourceId: record.sourceId, sourceUpdatedAt: record.sourceUpdatedAt });
      }
      return { customerId: known.customer.id, outcome: changed || newer ? "updated" : "skipped" };
    }
  }

  // A person already known from another source (same e-mail) gets a second identity, not a second profile.
  const emailNormalized = normalizeEmail(record?.email ?? incoming.email);
  const sameEmail = emailNormalized ? await findCustomerByEmail(tx, { shopId: shop.id, emailNormalized }) : null;
  if (sameEmail) {
    await saveDetails(tx, shop, sameEmail, incoming, false);
    if (record) {
      await upsertIdentity(tx, { shopId: shop.id, customerId: sameEmail.id, source: record.source, sourceId: record.sourceId, sourceUpdatedAt: record.sourceUpdatedAt });
    }
    return { customerId: sameEmail.id, outcome: "updated" };
  }
  // An order or checkout without a customer record and an unknown e-mail stays without a customer.
  if (!record) return null;

  const details = mergeCustomerDetails(EMPTY_CUSTOMER_DETAILS, incoming, { incomingIsNewer: true });
  const customerId = await createCustomer(tx, { shopId: shop.id, details, emailHash: emailHashOf(shop, details.emailNormalized) });
  await upsertIdentity(tx, { shopId: shop.id, customerId, source: record.source, sourceId: record.sourceId, sourceUpdatedAt: record.sourceUpdatedAt });
  return { customerId, outcome: "created" };
}

/** Writes merged details when they differ; a redacted customer's personal data is never written back. */
async function saveDetails(
  tx: DbTx,
  shop: IngestShop,
  stored: CustomerDetails & { id: string; redactedAt: Date | null },
  incoming: Parameters<typeof mergeCustomerDetails>[1],
  incomingIsNewer: boolean,
): Promise<boolean> {
  if (stored.redactedAt) return false;
  const { id, redactedAt: _redactedAt, ...current } = stored;
  const merged = mergeCustomerDetails(current, incoming, { incomingIsNewer });
  const changed = (Object.keys(merged) as (keyof CustomerDetails)[]).some((key) => merged[key] !== current[key]);
  if (changed) {
    await updateCustomerDetails(tx, { shopId: shop.id, customerId: id, details: merged, emailHash: emailHashOf(shop, merged.emailNormalized) });
  }
  return changed;
}

/** Salted hash of the normalised e-mail: survives a redaction, so an opted-out person stays opted out. */
export function emailHashOf(shop: Pick<IngestShop, "emailHashSalt">, emailNormalized: string | null): string | null {
  return emailNormalized ? createHash("sha256").update(`${shop.emailHashSalt}:${emailNormalized}`).digest("hex") : null;
}

async function writeOrder(tx: DbTx, shop: IngestShop, rates: Map<string, string>, order: CanonicalOrder, customerId: string | null, importRunId: string | null) {
  const stored = await findStoredOrder(tx, { shopId: shop.id, source: order.source, sourceId: order.sourceId });
  const toShop = (amount: bigint) => {
    if (order.currency.toUpperCase() === shop.currency.toUpperCase()) return amount;
    const rate = rates.get(order.currency.toUpperCase());
    return rate ? convertMinorAmount(amount, order.currency, shop.currency, rate) : null;
  };
  const totalShopMinor = toShop(order.totalMinor);
  const refundedShopMinor = totalShopMinor === null ? null : toShop(order.refundedMinor);

  if (!stored) {
    const orderId = await createOrder(tx, shop.id, { order, customerId, totalShopMinor, refundedShopMinor, live: order.live, importRunId });
    return { orderId, outcome: "created" as Outcome, becameLive: order.live, previousCustomerId: null, previousCheckoutToken: null };
  }
  // Live is decided by the first live sighting and never taken back: a back-fill that saw the
  // order first must not stop its after-purchase letter, a late history record must not start one.
  const becameLive = order.live && !stored.live;
  if (!isNewerVersion(order.sourceUpdatedAt, stored.sourceUpdatedAt)) {
    if (becameLive) await markOrderLive(tx, { shopId: shop.id, orderId: stored.id });
    return { orderId: stored.id, outcome: "skipped" as Outcome, becameLive, previousCustomerId: null, previousCheckoutToken: null };
  }
  // An update that names no customer keeps the one already linked.
  const linkedCustomerId = customerId ?? stored.customerId;
  await replaceOrder(tx, shop.id, stored.id, {
    order,
    customerId: linkedCustomerId,
    totalShopMinor,
    refundedShopMinor,
    live: stored.live || order.live,
    importRunId,
  });
  return {
    orderId: stored.id,
    outcome: "updated" as Outcome,
    becameLive,
    previousCustomerId: stored.customerId !== linkedCustomerId ? stored.customerId : null,
    previousCheckoutToken: stored.checkoutToken !== order.checkoutToken ? stored.checkoutToken : null,
  };
}

async function writeCheckout(tx: DbTx, shop: IngestShop, checkout: CanonicalCheckout, customerId: string | null) {
  const stored = await findStoredCheckout(tx, { shopId: shop.id, token: checkout.token });
  // Completing a checkout bumps updated_at; the shopper's last activity is the last version
  // seen before completion (or its creation when only the completed version ever arrived).
  const completedAt = checkout.completedAt ?? stored?.completedAt ?? null;
  const lastActivityAt = checkout.completedAt
    ? (stored?.lastActivityAt ?? earliestOf(checkout.createdAt, checkout.completedAt))
    : checkout.updatedAt;

  if (!stored) {
    await createCheckout(tx, shop.id, { checkout, customerId, lastActivityAt, completedAt });
    return { outcome: "created" as Outcome, previousCustomerId: null };
  }
  if (!isNewerVersion(checkout.updatedAt, stored.sourceUpdatedAt)) {
    const fillsGap = (checkout.graphqlId && !stored.graphqlId) || (checkout.abandonedCheckoutUrl && !stored.abandonedCheckoutUrl);
    if (fillsGap) {
      await completeCheckoutReferences(tx, { shopId: shop.id, checkoutId: stored.id, graphqlId: checkout.graphqlId, abandonedCheckoutUrl: checkout.abandonedCheckoutUrl });
    }
    return { outcome: (fillsGap ? "updated" : "skipped") as Outcome, previousCustomerId: null };
  }
  const linkedCustomerId = customerId ?? stored.customerId;
  await replaceCheckout(tx, shop.id, stored.id, { checkout, customerId: linkedCustomerId, lastActivityAt, completedAt });
  return { outcome: "updated" as Outcome, previousCustomerId: stored.customerId !== linkedCustomerId ? stored.customerId : null };
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
