import type { Prisma } from "../../prisma/client/sqlite/client";
import { newRecordId } from "../db/record-id";
import { bulkStatement } from "../db/bulk-channel.server";
import { databaseProvider } from "../db/client.server";
import { chunksOf, insertRows, selectRows, sqlParameters, updateRows, type ColumnType } from "./bulk-insert.server";
import type { CanonicalCheckout, CanonicalLineItem, CanonicalOrder, RecordSource } from "../core/canonical-records";
import type { CustomerDetails } from "../core/customer-merge";
import type { CustomerStats, StatsLetterStatus } from "../core/customer-stats";
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




const DETAIL_COLUMNS = [
  "email", "emailNormalized", "emailHash", "firstName", "lastName", "company", "phone", "language", "addressName",
  "addressLine1", "addressLine2", "postalCode", "city", "region", "countryCode", "searchText", "updatedAt",
] as const;

/** Writes the merged details of many customers in one statement per chunk. */
export async function updateCustomerDetails(
  tx: DbTx,
  { shopId, rows, now }: { shopId: string; rows: { customerId: string; details: CustomerDetails; emailHash: string | null }[]; now: Date },
) {
  await updateRows(tx, {
    provider: databaseProvider(tx),
    table: "Customer",
    shopId,
    columns: DETAIL_COLUMNS.map((name) => ({ name, type: name === "updatedAt" ? "timestamp" : "text" })),
    rows: rows.map(({ customerId, details, emailHash }) => ({ id: customerId, ...details, emailHash, updatedAt: now })),
  });
}

export type OrderWrite = {
  order: CanonicalOrder;
  customerId: string | null;
  totalShopMinor: bigint | null;
  refundedShopMinor: bigint | null;
  live: boolean;
  importRunId: string | null;
  contentDigest: string;
};

function orderData({ order, customerId, totalShopMinor, refundedShopMinor, live, importRunId, contentDigest }: OrderWrite) {
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
    contentDigest,
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
export async function findCheckoutsToEvaluate(tx: DbTx, { shopId, tokens, customerIds }: { shopId: string; tokens: string[]; customerIds: string[] }) {
  type Row = {
    id: string;
    token: string;
    customerId: string | null;
    sourceUpdatedAt: Date;
    lastActivityAt: Date | null;
    completedAt: Date | null;
    abandonedAt: Date | null;
    recoveredAt: Date | null;
    recoveredByOrderId: string | null;
    recoveryKind: Prisma.CheckoutGetPayload<{ select: { recoveryKind: true } }>["recoveryKind"];
  };
  const columns = `"id", "token", "customerId", "sourceUpdatedAt", "lastActivityAt", "completedAt", "abandonedAt", "recoveredAt", "recoveredByOrderId", "recoveryKind"`;
  const found = new Map<string, Row>();
  for (const [column, values] of [["token", tokens], ["customerId", customerIds]] as const) {
    for (const part of chunksOf(values, READ_CHUNK)) {
      const parameters = sqlParameters(tx);
      const sql = `SELECT ${columns} FROM "Checkout" WHERE "shopId" = ${parameters.next(shopId)} AND "${column}" IN (${parameters.list(part)})`;
      for (const row of await selectRows<Row>(tx, sql, parameters.args)) found.set(row.id, row);
    }
  }
  return [...found.values()];
}

/** Shopify orders (A5: only Shopify data has checkouts) that carry one of the tokens or belong to the customers. */
export async function findRecoveryOrders(tx: DbTx, { shopId, tokens, customerIds, placedFrom }: { shopId: string; tokens: string[]; customerIds: string[]; placedFrom: Date }) {
  const select = { id: true, placedAt: true, cancelledAt: true, customerId: true, checkoutToken: true } as const;
  const found = new Map<string, Prisma.OrderGetPayload<{ select: typeof select }>>();
  for (const part of chunksOf(tokens)) {
    for (const row of await tx.order.findMany({ where: { shopId, source: "SHOPIFY", checkoutToken: { in: part } }, select })) found.set(row.id, row);
  }
  for (const part of chunksOf(customerIds)) {
    const rows = await tx.order.findMany({ where: { shopId, source: "SHOPIFY", customerId: { in: part }, placedAt: { gte: placedFrom } }, select });
    for (const row of rows) found.set(row.id, row);
  }
  return [...found.values()];
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
  // SQLite has one writer, and lockShopForIngestion already holds it: nothing to lock row by row.
  if (customerIds.length === 0 || databaseProvider(tx) === "sqlite") return;
  for (const ids of chunksOf(customerIds, READ_CHUNK)) {
    const parameters = sqlParameters(tx);
    const sql = `UPDATE "Customer" SET "updatedAt" = ${parameters.next(now)} WHERE "shopId" = ${parameters.next(shopId)} AND "id" IN (${parameters.list(ids)})`;
    if (!(await bulkStatement(sql, parameters.args))) await tx.$executeRawUnsafe(sql, ...parameters.args);
  }
}

export async function loadStatsInputs(tx: DbTx, { shopId, customerIds }: { shopId: string; customerIds: string[] }) {
  const inputs = {
    orders: [] as { customerId: string | null; placedAt: Date; totalShopMinor: bigint | null; refundedShopMinor: bigint | null; cancelledAt: Date | null }[],
    letters: [] as { customerId: string; status: StatsLetterStatus; createdAt: Date; submittedAt: Date | null; lastScanAt: Date | null }[],
    checkouts: [] as { customerId: string | null; abandonedAt: Date | null; recoveredAt: Date | null; completedAt: Date | null }[],
  };
  const read = async <Row>(columns: string, table: string, ids: string[]) => {
    const parameters = sqlParameters(tx);
    const sql = `SELECT ${columns} FROM "${table}" WHERE "shopId" = ${parameters.next(shopId)} AND "customerId" IN (${parameters.list(ids)})`;
    return selectRows<Row>(tx, sql, parameters.args);
  };
  for (const ids of chunksOf(customerIds, READ_CHUNK)) {
    inputs.orders.push(...(await read<(typeof inputs.orders)[number]>(`"customerId", "placedAt", "totalShopMinor", "refundedShopMinor", "cancelledAt"`, "Order", ids)));
    inputs.letters.push(...(await read<(typeof inputs.letters)[number]>(`"customerId", "status", "createdAt", "submittedAt", "lastScanAt"`, "Letter", ids)));
    inputs.checkouts.push(...(await read<(typeof inputs.checkouts)[number]>(`"customerId", "abandonedAt", "recoveredAt", "completedAt"`, "Checkout", ids)));
  }
  return inputs;
}

const STATS_COLUMNS: { name: keyof CustomerStats; type: ColumnType }[] = [
  { name: "lifetimeValueMinor", type: "bigint" },
  { name: "orderCount", type: "integer" },
  { name: "averageOrderValueMinor", type: "bigint" },
  { name: "firstOrderAt", type: "timestamp" },
  { name: "lastOrderAt", type: "timestamp" },
  { name: "typicalDaysBetweenOrders", type: "double" },
  { name: "unconvertedOrderCount", type: "integer" },
  { name: "lastLetterAt", type: "timestamp" },
  { name: "letterCount", type: "integer" },
  { name: "lastScanAt", type: "timestamp" },
  { name: "openAbandonedCheckouts", type: "integer" },
];

/** The stored statistics of many customers, one statement per chunk: every batch rewrites all of its customers'. */
export async function writeCustomerStatsMany(tx: DbTx, { shopId, rows }: { shopId: string; rows: { customerId: string; stats: CustomerStats }[] }) {
  await updateRows(tx, {
    provider: databaseProvider(tx),
    table: "Customer",
    shopId,
    columns: STATS_COLUMNS,
    rows: rows.map(({ customerId, stats }) => ({ id: customerId, ...stats })),
  });
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


const DETAIL_SQL_COLUMNS = Object.keys(DETAIL_FIELDS) as (keyof typeof DETAIL_FIELDS)[];
// Large IN lists go through plain SQL in chunks this size (the ORM refuses more than 999 values on SQLite).
const READ_CHUNK = 2_000;

/** "(source = ? AND sourceId IN (…)) OR …" for a chunk of (source, source id) keys. */
function sourceKeyFilter(alias: string, keys: { source: RecordSource; sourceId: string }[], parameters: ReturnType<typeof sqlParameters>) {
  const groups = new Map<RecordSource, Set<string>>();
  for (const key of keys) (groups.get(key.source) ?? groups.set(key.source, new Set()).get(key.source)!).add(key.sourceId);
  return [...groups]
    .map(([source, ids]) => `(${alias}."source" = ${parameters.next(source)} AND ${alias}."sourceId" IN (${parameters.list([...ids])}))`)
    .join(" OR ");
}

export async function findIdentities(tx: DbTx, { shopId, keys }: { shopId: string; keys: { source: RecordSource; sourceId: string }[] }) {
  type Row = { id: string; source: RecordSource; sourceId: string; sourceUpdatedAt: Date | null } & { [K in `c_${keyof StoredCustomer}`]: unknown };
  const found: { id: string; source: RecordSource; sourceId: string; sourceUpdatedAt: Date | null; customer: StoredCustomer }[] = [];
  for (const part of chunksOf(keys, READ_CHUNK)) {
    const parameters = sqlParameters(tx);
    const sql = `SELECT i."id", i."source", i."sourceId", i."sourceUpdatedAt", ${DETAIL_SQL_COLUMNS.map((column) => `c."${column}" AS "c_${column}"`).join(", ")}
      FROM "CustomerIdentity" i JOIN "Customer" c ON c."id" = i."customerId"
      WHERE i."shopId" = ${parameters.next(shopId)} AND (${sourceKeyFilter("i", part, parameters)})`;
    for (const row of await selectRows<Row>(tx, sql, parameters.args)) {
      const customer = Object.fromEntries(DETAIL_SQL_COLUMNS.map((column) => [column, row[`c_${column}`]])) as StoredCustomer;
      found.push({ id: row.id, source: row.source, sourceId: row.sourceId, sourceUpdatedAt: row.sourceUpdatedAt, customer });
    }
  }
  return found;
}

/** Live customers with these e-mails, oldest first (the one every source merges into comes first). */
export async function findCustomersByEmails(tx: DbTx, { shopId, emails }: { shopId: string; emails: string[] }): Promise<StoredCustomer[]> {
  const rows: (StoredCustomer & { createdAt: Date })[] = [];
  for (const part of chunksOf([...new Set(emails)], READ_CHUNK)) {
    const parameters = sqlParameters(tx);
    const sql = `SELECT ${DETAIL_SQL_COLUMNS.map((column) => `"${column}"`).join(", ")}, "createdAt" FROM "Customer"
      WHERE "shopId" = ${parameters.next(shopId)} AND "emailNormalized" IN (${parameters.list(part)}) AND "redactedAt" IS NULL`;
    rows.push(...(await selectRows<StoredCustomer & { createdAt: Date }>(tx, sql, parameters.args)));
  }
  // Oldest first across chunks too, then without the sort key.
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)).map(({ createdAt: _createdAt, ...row }) => row);
}

const NEW_CUSTOMER_COLUMNS = ["id", "shopId", ...DETAIL_COLUMNS, "createdAt"] as const;

export async function createCustomers(tx: DbTx, rows: (CustomerDetails & { id: string; shopId: string; emailHash: string | null })[], now: Date) {
  await insertRows(tx, "Customer", NEW_CUSTOMER_COLUMNS, rows.map((row) => ({ ...row, createdAt: now, updatedAt: now })));
}

export async function createIdentities(
  tx: DbTx,
  rows: { shopId: string; customerId: string; source: RecordSource; sourceId: string; sourceUpdatedAt: Date | null }[],
  now: Date,
) {
  await insertRows(
    tx,
    "CustomerIdentity",
    ["id", "shopId", "customerId", "source", "sourceId", "sourceUpdatedAt", "createdAt"],
    rows.map((row) => ({ ...row, id: newRecordId(), createdAt: now })),
  );
}

export async function updateIdentityVersions(tx: DbTx, { shopId, rows }: { shopId: string; rows: { id: string; sourceUpdatedAt: Date | null }[] }) {
  await updateRows(tx, { provider: databaseProvider(tx), table: "CustomerIdentity", shopId, columns: [{ name: "sourceUpdatedAt", type: "timestamp" }], rows });
}

export async function findStoredOrders(tx: DbTx, { shopId, keys }: { shopId: string; keys: { source: RecordSource; sourceId: string }[] }) {
  type Row = {
    id: string;
    source: RecordSource;
    sourceId: string;
    sourceUpdatedAt: Date | null;
    live: boolean;
    customerId: string | null;
    checkoutToken: string | null;
    contentDigest: string | null;
  };
  const rows: Row[] = [];
  for (const part of chunksOf(keys, READ_CHUNK)) {
    const parameters = sqlParameters(tx);
    const sql = `SELECT o."id", o."source", o."sourceId", o."sourceUpdatedAt", o."live", o."customerId", o."checkoutToken", o."contentDigest"
      FROM "Order" o WHERE o."shopId" = ${parameters.next(shopId)} AND (${sourceKeyFilter("o", part, parameters)})`;
    rows.push(...(await selectRows<Row>(tx, sql, parameters.args)));
  }
  return rows;
}

const ORDER_COLUMNS = [
  "id", "shopId", "source", "sourceId", "customerId", "number", "placedAt", "currency", "totalMinor", "subtotalMinor",
  "refundedMinor", "totalShopMinor", "refundedShopMinor", "financialState", "fulfilmentState", "cancelledAt", "cancelReason",
  "checkoutToken", "email", "customerLocale", "shippingCountry", "discountCodes", "sourceUpdatedAt", "live", "importRunId",
  "contentDigest", "createdAt", "updatedAt",
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
  for (const ids of chunksOf(orderIds)) await tx.order.updateMany({ where: { shopId, id: { in: ids } }, data: { live: true } });
}

export async function findStoredCheckouts(tx: DbTx, { shopId, tokens }: { shopId: string; tokens: string[] }) {
  const rows = [];
  for (const part of chunksOf([...new Set(tokens)])) {
    rows.push(
      ...(await tx.checkout.findMany({
        where: { shopId, token: { in: part } },
        select: { id: true, token: true, sourceUpdatedAt: true, lastActivityAt: true, completedAt: true, customerId: true, graphqlId: true, abandonedCheckoutUrl: true },
      })),
    );
  }
  return rows;
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
