import { Prisma } from "../../prisma/client/sqlite/client";
import { newRecordId } from "../db/record-id";
import { insertRows } from "./bulk-insert.server";
import type { CanonicalCheckout, CanonicalLineItem, CanonicalOrder, RecordSource } from "../core/canonical-records";
import type { CustomerDetails } from "../core/customer-merge";
import type { CustomerStats } from "../core/customer-stats";
import type { CheckoutRecoveryState } from "../core/checkout-recovery";

/**
 * Prisma access for the one ingestion path (app/services/ingestion.server.ts). Every function
 * runs inside the caller's transaction and is scoped by shop.
 */
export type DbTx = Prisma.TransactionClient;

export type IngestShop = {
  id: string;
  currency: string;
  emailHashSalt: string;
  abandonmentThresholdMinutes: number;
  recoveryWindowDays: number;
};

/**
 * The first statement of every ingestion transaction: a write that changes nothing. On SQLite it
 * takes the write lock up front, so a second process's writes make this one wait (busy timeout)
 * instead of failing later with a stale read snapshot; on PostgreSQL it locks the shop's row, so
 * a shop's ingestions run one after another and can never deadlock on its customers' rows.
 */
export async function lockShopForIngestion(tx: DbTx, { shopId }: { shopId: string }) {
  await tx.$executeRaw`UPDATE "Shop" SET "id" = "id" WHERE "id" = ${shopId}`;
}

export function loadIngestShop(tx: DbTx, { shopId }: { shopId: string }): Promise<IngestShop> {
  return tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { id: true, currency: true, emailHashSalt: true, abandonmentThresholdMinutes: true, recoveryWindowDays: true },
  });
}

export async function loadExchangeRates(tx: DbTx, { shopId }: { shopId: string }): Promise<Map<string, string>> {
  const rows = await tx.exchangeRate.findMany({ where: { shopId }, select: { currency: true, rateToShop: true } });
  return new Map(rows.map((row) => [row.currency.toUpperCase(), row.rateToShop]));
}

const DETAIL_FIELDS = {
  id: true,
  redactedAt: true,
  email: true,
  emailNormalized: true,
  firstName: true,
  lastName: true,
  company: true,
  phone: true,
  language: true,
  addressName: true,
  addressLine1: true,
  addressLine2: true,
  postalCode: true,
  city: true,
  region: true,
  countryCode: true,
  searchText: true,
} as const;

export type StoredCustomer = CustomerDetails & { id: string; redactedAt: Date | null };




export async function updateCustomerDetails(
  tx: DbTx,
  { shopId, customerId, details, emailHash }: { shopId: string; customerId: string; details: CustomerDetails; emailHash: string | null },
) {
  // Plain SQL: a customer's details change with most of their orders (Shopify bumps the customer).
  await tx.$executeRaw`UPDATE "Customer" SET
    "email" = ${details.email}, "emailNormalized" = ${details.emailNormalized}, "emailHash" = ${emailHash},
    "firstName" = ${details.firstName}, "lastName" = ${details.lastName}, "company" = ${details.company},
    "phone" = ${details.phone}, "language" = ${details.language}, "addressName" = ${details.addressName},
    "addressLine1" = ${details.addressLine1}, "addressLine2" = ${details.addressLine2}, "postalCode" = ${details.postalCode},
    "city" = ${details.city}, "region" = ${details.region}, "countryCode" = ${details.countryCode},
    "searchText" = ${details.searchText}, "updatedAt" = ${new Date()}
    WHERE "id" = ${customerId} AND "shopId" = ${shopId}`;
}



export type OrderWrite = {
  order: CanonicalOrder;
  customerId: string | null;
  totalShopMinor: bigint | null;
  refundedShopMinor: bigint | null;
  live: boolean;
  importRunId: string | null;
};

function orderData({ order, customerId, totalShopMinor, refundedShopMinor, live, importRunId }: OrderWrite) {
  return {
    customerId,
    number: order.number,
    placedAt: order.placedAt,
    currency: order.currency.toUpperCase(),
    totalMinor: order.totalMinor,
    subtotalMinor: order.subtotalMinor,
    refundedMinor: order.refundedMinor,
    totalShopMinor,
    refundedShopMinor,
    financialState: order.financialState,
    fulfilmentState: order.fulfilmentState,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    checkoutToken: order.checkoutToken,
    email: order.email,
    customerLocale: order.customerLocale,
    shippingCountry: order.shippingAddress?.countryCode?.toUpperCase() ?? null,
    discountCodes: order.discountCodes.length > 0 ? order.discountCodes.join(", ") : null,
    sourceUpdatedAt: order.sourceUpdatedAt,
    live,
    ...(importRunId ? { importRunId } : {}),
  };
}


export async function replaceOrder(tx: DbTx, shopId: string, orderId: string, write: OrderWrite) {
  await tx.order.update({ where: { id: orderId, shopId }, data: orderData(write) });
  await tx.orderLineItem.deleteMany({ where: { shopId, orderId } });
  await tx.orderLineItem.createMany({ data: lineItemRows(shopId, write.order.lineItems).map((row) => ({ ...row, orderId })) });
}


function lineItemRows(shopId: string, items: CanonicalLineItem[]) {
  return items.map((item, position) => ({
    shopId,
    sourceId: item.sourceId,
    productId: item.productId,
    variantId: item.variantId,
    sku: item.sku,
    title: item.title,
    variantTitle: item.variantTitle,
    quantity: item.quantity,
    unitPriceMinor: item.unitPriceMinor,
    totalMinor: item.totalMinor,
    position,
  }));
}


export type CheckoutWrite = {
  checkout: CanonicalCheckout;
  customerId: string | null;
  lastActivityAt: Date;
  completedAt: Date | null;
};

function checkoutData({ checkout, customerId, lastActivityAt, completedAt }: CheckoutWrite) {
  return {
    customerId,
    cartToken: checkout.cartToken,
    email: checkout.email,
    customerLocale: checkout.customerLocale,
    currency: checkout.currency.toUpperCase(),
    valueMinor: checkout.valueMinor,
    sourceCreatedAt: checkout.createdAt,
    sourceUpdatedAt: checkout.updatedAt,
    lastActivityAt,
    completedAt,
    ...(checkout.graphqlId ? { graphqlId: checkout.graphqlId } : {}),
    ...(checkout.abandonedCheckoutUrl ? { abandonedCheckoutUrl: checkout.abandonedCheckoutUrl } : {}),
  };
}

function checkoutLineRows(shopId: string, checkoutId: string, items: CanonicalLineItem[]) {
  return items.map((item, position) => ({
    shopId,
    checkoutId,
    productId: item.productId,
    variantId: item.variantId,
    sku: item.sku,
    title: item.title,
    variantTitle: item.variantTitle,
    quantity: item.quantity,
    unitPriceMinor: item.unitPriceMinor,
    position,
  }));
}


export async function replaceCheckout(tx: DbTx, shopId: string, checkoutId: string, write: CheckoutWrite) {
  await tx.checkout.update({ where: { id: checkoutId, shopId }, data: checkoutData(write) });
  await tx.checkoutLineItem.deleteMany({ where: { shopId, checkoutId } });
  await tx.checkoutLineItem.createMany({ data: checkoutLineRows(shopId, checkoutId, write.checkout.lineItems) });
}

/** Fills in what an older record knows and the stored one lacks (a back-fill's GraphQL id and recovery URL). */
export async function completeCheckoutReferences(
  tx: DbTx,
  { shopId, checkoutId, graphqlId, abandonedCheckoutUrl }: { shopId: string; checkoutId: string; graphqlId: string | null; abandonedCheckoutUrl: string | null },
) {
  await tx.checkout.update({
    where: { id: checkoutId, shopId },
    data: { ...(graphqlId ? { graphqlId } : {}), ...(abandonedCheckoutUrl ? { abandonedCheckoutUrl } : {}) },
  });
}

/** The checkouts whose recovery state may change: named by token, or belonging to the customers. */
export function findCheckoutsToEvaluate(tx: DbTx, { shopId, tokens, customerIds }: { shopId: string; tokens: string[]; customerIds: string[] }) {
  return tx.checkout.findMany({
    where: { shopId, OR: [{ token: { in: tokens } }, { customerId: { in: customerIds } }] },
    select: {
      id: true,
      token: true,
      customerId: true,
      sourceUpdatedAt: true,
      lastActivityAt: true,
      completedAt: true,
      abandonedAt: true,
      recoveredAt: true,
      recoveredByOrderId: true,
      recoveryKind: true,
    },
  });
}

/** Shopify orders (A5: only Shopify data has checkouts) that carry one of the tokens or belong to the customers. */
export function findRecoveryOrders(tx: DbTx, { shopId, tokens, customerIds, placedFrom }: { shopId: string; tokens: string[]; customerIds: string[]; placedFrom: Date }) {
  return tx.order.findMany({
    where: {
      shopId,
      source: "SHOPIFY",
      OR: [{ checkoutToken: { in: tokens } }, { customerId: { in: customerIds }, placedAt: { gte: placedFrom } }],
    },
    select: { id: true, placedAt: true, cancelledAt: true, customerId: true, checkoutToken: true },
  });
}

export async function writeCheckoutRecovery(
  tx: DbTx,
  {
    shopId,
    checkoutId,
    state,
    customerId,
    completedAt,
  }: { shopId: string; checkoutId: string; state: Omit<CheckoutRecoveryState, "reviewAt">; customerId?: string; completedAt?: Date },
) {
  await tx.checkout.update({
    where: { id: checkoutId, shopId },
    data: {
      abandonedAt: state.abandonedAt,
      recoveredAt: state.recoveredAt,
      recoveredByOrderId: state.recoveredByOrderId,
      recoveryKind: state.recoveryKind,
      ...(customerId ? { customerId } : {}),
      ...(completedAt ? { completedAt } : {}),
    },
  });
}

/**
 * Takes the row locks of these customers before their statistics are read (PostgreSQL), so two
 * transactions adding orders to one customer cannot both compute from a view missing the
 * other's order: the second waits, then reads what the first committed.
 */
export async function lockCustomers(tx: DbTx, { shopId, customerIds, now }: { shopId: string; customerIds: string[]; now: Date }) {
  if (customerIds.length === 0) return;
  // Plain SQL: this runs in every ingestion, and the ORM's per-call cost is several times the statement's.
  await tx.$executeRaw`UPDATE "Customer" SET "updatedAt" = ${now} WHERE "shopId" = ${shopId} AND "id" IN (${Prisma.join(customerIds)})`;
}

export async function loadStatsInputs(tx: DbTx, { shopId, customerIds }: { shopId: string; customerIds: string[] }) {
  const [orders, letters, checkouts] = await Promise.all([
    tx.order.findMany({
      where: { shopId, customerId: { in: customerIds } },
      select: { customerId: true, placedAt: true, totalShopMinor: true, refundedShopMinor: true, cancelledAt: true },
    }),
    tx.letter.findMany({
      where: { shopId, customerId: { in: customerIds } },
      select: { customerId: true, status: true, createdAt: true, submittedAt: true, lastScanAt: true },
    }),
    tx.checkout.findMany({
      where: { shopId, customerId: { in: customerIds } },
      select: { customerId: true, abandonedAt: true, recoveredAt: true, completedAt: true },
    }),
  ]);
  return { orders, letters, checkouts };
}

export async function writeCustomerStats(tx: DbTx, { shopId, customerId, stats }: { shopId: string; customerId: string; stats: CustomerStats }) {
  // Plain SQL for the same reason as lockCustomers: one statement per customer of every batch.
  await tx.$executeRaw`UPDATE "Customer" SET
    "lifetimeValueMinor" = ${stats.lifetimeValueMinor},
    "orderCount" = ${stats.orderCount},
    "averageOrderValueMinor" = ${stats.averageOrderValueMinor},
    "firstOrderAt" = ${stats.firstOrderAt},
    "lastOrderAt" = ${stats.lastOrderAt},
    "typicalDaysBetweenOrders" = ${stats.typicalDaysBetweenOrders},
    "unconvertedOrderCount" = ${stats.unconvertedOrderCount},
    "lastLetterAt" = ${stats.lastLetterAt},
    "letterCount" = ${stats.letterCount},
    "lastScanAt" = ${stats.lastScanAt},
    "openAbandonedCheckouts" = ${stats.openAbandonedCheckouts}
    WHERE "id" = ${customerId} AND "shopId" = ${shopId}`;
}

/** Installed shops with the settings the abandonment sweep needs. */
export function listInstalledShopsForSweep(db: DbTx) {
  return db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true, abandonmentThresholdMinutes: true } });
}

/** Open checkouts whose threshold has passed but that were never marked abandoned. */
export async function findCheckoutsDueForAbandonment(db: DbTx, { shopId, activityBefore, limit }: { shopId: string; activityBefore: Date; limit: number }) {
  const rows = await db.checkout.findMany({
    where: {
      shopId,
      completedAt: null,
      abandonedAt: null,
      OR: [{ lastActivityAt: { lte: activityBefore } }, { lastActivityAt: null, sourceUpdatedAt: { lte: activityBefore } }],
    },
    orderBy: { sourceUpdatedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export type StoredStats = CustomerStats & { id: string };

/** A page of a shop's customers with their stored statistics, in id order (for the rebuild). */
export function listCustomerStatsPage(db: DbTx, { shopId, afterId, take }: { shopId: string; afterId: string | null; take: number }): Promise<StoredStats[]> {
  return db.customer.findMany({
    where: { shopId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: {
      id: true,
      lifetimeValueMinor: true,
      orderCount: true,
      averageOrderValueMinor: true,
      firstOrderAt: true,
      lastOrderAt: true,
      typicalDaysBetweenOrders: true,
      unconvertedOrderCount: true,
      lastLetterAt: true,
      letterCount: true,
      lastScanAt: true,
      openAbandonedCheckouts: true,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Bulk reads and writes: one statement per kind of row for a whole batch.

const bySource = <T extends { source: RecordSource; sourceId: string }>(keys: T[]) => {
  const groups = new Map<RecordSource, string[]>();
  for (const key of keys) groups.set(key.source, [...(groups.get(key.source) ?? []), key.sourceId]);
  return [...groups].map(([source, sourceIds]) => ({ source, sourceId: { in: [...new Set(sourceIds)] } }));
};

export async function findIdentities(tx: DbTx, { shopId, keys }: { shopId: string; keys: { source: RecordSource; sourceId: string }[] }) {
  if (keys.length === 0) return [];
  return tx.customerIdentity.findMany({
    where: { shopId, OR: bySource(keys) },
    select: { id: true, source: true, sourceId: true, sourceUpdatedAt: true, customer: { select: DETAIL_FIELDS } },
  });
}

/** Live customers with these e-mails, oldest first (the one every source merges into comes first). */
export async function findCustomersByEmails(tx: DbTx, { shopId, emails }: { shopId: string; emails: string[] }): Promise<StoredCustomer[]> {
  if (emails.length === 0) return [];
  return tx.customer.findMany({
    where: { shopId, emailNormalized: { in: [...new Set(emails)] }, redactedAt: null },
    orderBy: { createdAt: "asc" },
    select: DETAIL_FIELDS,
  });
}

export async function createCustomers(tx: DbTx, rows: (CustomerDetails & { id: string; shopId: string; emailHash: string | null })[]) {
  if (rows.length > 0) await tx.customer.createMany({ data: rows });
}

export async function createIdentities(
  tx: DbTx,
  rows: { shopId: string; customerId: string; source: RecordSource; sourceId: string; sourceUpdatedAt: Date | null }[],
) {
  if (rows.length > 0) await tx.customerIdentity.createMany({ data: rows });
}

export async function updateIdentityVersion(tx: DbTx, { shopId, identityId, sourceUpdatedAt }: { shopId: string; identityId: string; sourceUpdatedAt: Date | null }) {
  await tx.$executeRaw`UPDATE "CustomerIdentity" SET "sourceUpdatedAt" = ${sourceUpdatedAt} WHERE "id" = ${identityId} AND "shopId" = ${shopId}`;
}

export async function findStoredOrders(tx: DbTx, { shopId, keys }: { shopId: string; keys: { source: RecordSource; sourceId: string }[] }) {
  if (keys.length === 0) return [];
  return tx.order.findMany({
    where: { shopId, OR: bySource(keys) },
    select: { id: true, source: true, sourceId: true, sourceUpdatedAt: true, live: true, customerId: true, checkoutToken: true },
  });
}

const ORDER_COLUMNS = [
  "id", "shopId", "source", "sourceId", "customerId", "number", "placedAt", "currency", "totalMinor", "subtotalMinor",
  "refundedMinor", "totalShopMinor", "refundedShopMinor", "financialState", "fulfilmentState", "cancelledAt", "cancelReason",
  "checkoutToken", "email", "customerLocale", "shippingCountry", "discountCodes", "sourceUpdatedAt", "live", "importRunId",
  "createdAt", "updatedAt",
] as const;
const LINE_ITEM_COLUMNS = [
  "id", "shopId", "orderId", "sourceId", "productId", "variantId", "sku", "title", "variantTitle", "quantity",
  "unitPriceMinor", "totalMinor", "position",
] as const;

export async function createOrders(tx: DbTx, shopId: string, writes: (OrderWrite & { id: string })[], now: Date) {
  if (writes.length === 0) return;
  await insertRows(
    tx,
    "Order",
    ORDER_COLUMNS,
    writes.map((write) => ({
      id: write.id,
      shopId,
      source: write.order.source,
      sourceId: write.order.sourceId,
      importRunId: null,
      ...orderData(write),
      createdAt: now,
      updatedAt: now,
    })),
  );
  await insertRows(
    tx,
    "OrderLineItem",
    LINE_ITEM_COLUMNS,
    writes.flatMap((write) => lineItemRows(shopId, write.order.lineItems).map((row) => ({ ...row, id: newRecordId(), orderId: write.id }))),
  );
}

export async function markOrdersLive(tx: DbTx, { shopId, orderIds }: { shopId: string; orderIds: string[] }) {
  if (orderIds.length > 0) await tx.order.updateMany({ where: { shopId, id: { in: orderIds } }, data: { live: true } });
}

export async function findStoredCheckouts(tx: DbTx, { shopId, tokens }: { shopId: string; tokens: string[] }) {
  if (tokens.length === 0) return [];
  return tx.checkout.findMany({
    where: { shopId, token: { in: [...new Set(tokens)] } },
    select: { id: true, token: true, sourceUpdatedAt: true, lastActivityAt: true, completedAt: true, customerId: true, graphqlId: true, abandonedCheckoutUrl: true },
  });
}

export async function createCheckouts(tx: DbTx, shopId: string, writes: (CheckoutWrite & { id: string })[]) {
  if (writes.length === 0) return;
  await tx.checkout.createMany({ data: writes.map((write) => ({ id: write.id, shopId, token: write.checkout.token, ...checkoutData(write) })) });
  await tx.checkoutLineItem.createMany({ data: writes.flatMap((write) => checkoutLineRows(shopId, write.id, write.checkout.lineItems)) });
}

/**
 * Back-filled checkouts stored under a stand-in token (their recovery URL named only the cart)
 * that a webhook now names by its real token: they take the real token, so the checkout stays
 * one row. Returns how many were renamed.
 */
export async function adoptStandInCheckouts(
  tx: DbTx,
  { shopId, prefix, checkouts }: { shopId: string; prefix: string; checkouts: { token: string; cartToken: string }[] },
): Promise<number> {
  if (checkouts.length === 0) return 0;
  const standIns = await tx.checkout.findMany({
    where: { shopId, token: { startsWith: prefix }, cartToken: { in: checkouts.map((checkout) => checkout.cartToken) } },
    select: { id: true, cartToken: true },
  });
  for (const standIn of standIns) {
    const real = checkouts.find((checkout) => checkout.cartToken === standIn.cartToken)!;
    await tx.checkout.update({ where: { id: standIn.id, shopId }, data: { token: real.token } });
  }
  return standIns.length;
}
