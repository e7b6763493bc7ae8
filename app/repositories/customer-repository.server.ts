import { Prisma } from "../../prisma/client/sqlite/client";
import type { CustomerListQuery, CustomerSortKey } from "../core/customer-list-query";
import { CUSTOMER_PAGE_SIZE } from "../core/customer-list-query";
import type { Db } from "../db.server";
import { databaseProvider } from "../db/client.server";

const DAY_MS = 24 * 60 * 60 * 1000;
// Up to this many search matches, SQLite reads them by id and sorts them (see listCustomersPage).
const FEW_MATCHES = 5_000;

// Columns behind the sortable list headings. Nulls ("never ordered", "never written to") sort
// last in both directions, so an ascending sort does not open with customers who have no value.
// Only nullable columns say NULLS LAST: on PostgreSQL it keeps a descending sort from walking
// the index backwards, which for a non-null column it can do.
const SORT_COLUMNS: Record<CustomerSortKey, { column: Prisma.Sql; nullable: boolean }> = {
  ltv: { column: Prisma.sql`c."lifetimeValueMinor"`, nullable: false },
  orders: { column: Prisma.sql`c."orderCount"`, nullable: false },
  lastOrder: { column: Prisma.sql`c."lastOrderAt"`, nullable: true },
  lastLetter: { column: Prisma.sql`c."lastLetterAt"`, nullable: true },
};

/** LIKE pattern for a literal substring: the user's % and _ match themselves. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The list filters as one SQL condition on "Customer" c, always scoped by shop. `searchVia`
 * "ids" resolves the search in a subquery of matching ids (see listCustomersPage).
 */
function customerListCondition(shopId: string, query: CustomerListQuery, now: Date, searchVia: "rows" | "ids" = "rows"): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`c."shopId" = ${shopId}`];
  // searchText is stored lower-cased beyond ASCII and the search is normalised the same way,
  // so a plain LIKE is case-insensitive for "Жуков" and "Müller" on SQLite and PostgreSQL alike.
  if (query.search) {
    const pattern = containsPattern(query.search);
    conditions.push(
      searchVia === "rows"
        ? Prisma.sql`c."searchText" LIKE ${pattern} ESCAPE '\\'`
        : Prisma.sql`c."id" IN (SELECT s."id" FROM "Customer" s INDEXED BY "Customer_shopId_searchText_idx" WHERE s."shopId" = ${shopId} AND s."searchText" LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  if (query.source) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "CustomerIdentity" i WHERE i."customerId" = c."id" AND i."shopId" = c."shopId" AND i."source" = ${query.source})`,
    );
  }
  if (query.abandoned) conditions.push(Prisma.sql`c."openAbandonedCheckouts" > 0`);
  if (query.optedOut) conditions.push(Prisma.sql`c."optedOut" = ${true}`);
  if (query.writtenWithinDays !== null) {
    conditions.push(Prisma.sql`c."lastLetterAt" >= ${new Date(now.getTime() - query.writtenWithinDays * DAY_MS)}`);
  }
  return Prisma.join(conditions, " AND ");
}

export type CustomerListRow = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  redactedAt: Date | null;
  optedOut: boolean;
  lifetimeValueMinor: bigint;
  orderCount: number;
  lastOrderAt: Date | null;
  lastLetterAt: Date | null;
  lastScanAt: Date | null;
  openAbandonedCheckouts: number;
};

export type CustomerListTotals = {
  customers: number;
  customersWithOrders: number;
  revenueMinor: bigint;
  lettersSent: number;
};

/**
 * One page of a shop's customers for the list (B1) and the totals of everything the filters
 * match (the KPI cards): two statements plus one for the page's sources, whatever the shop's size.
 */
export async function listCustomersPage(
  db: Db,
  { shopId, query, now }: { shopId: string; query: CustomerListQuery; now: Date },
): Promise<{ rows: CustomerListRow[]; totals: CustomerListTotals; sources: Map<string, string[]> }> {
  const condition = customerListCondition(shopId, query, now);
  const sort = SORT_COLUMNS[query.sort];
  const direction = query.direction === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const order = sort.nullable ? Prisma.sql`${sort.column} ${direction} NULLS LAST` : Prisma.sql`${sort.column} ${direction}`;
  const selectPage = (where: Prisma.Sql) => db.$queryRaw<CustomerListRow[]>`
      SELECT c."id", c."firstName", c."lastName", c."email", c."redactedAt", c."optedOut", c."lifetimeValueMinor",
             c."orderCount", c."lastOrderAt", c."lastLetterAt", c."lastScanAt", c."openAbandonedCheckouts"
      FROM "Customer" c
      WHERE ${where}
      ORDER BY ${order}, c."id" ASC
      LIMIT ${CUSTOMER_PAGE_SIZE} OFFSET ${query.page * CUSTOMER_PAGE_SIZE}`;
  const sqlite = databaseProvider(db) === "sqlite";
  const filtered = Boolean(query.search || query.source || query.abandoned || query.optedOut || query.writtenWithinDays !== null);
  // SQLite weighs every (shopId, …) index alike when one shop holds most rows, and for filtered
  // totals it picked the totals' covering index and then read each customer by rowid: 0.3 s
  // instead of one pass. So it is told: the search index for a search, one plain pass for other
  // filters. PostgreSQL chooses well on its own.
  const totalsFrom =
    sqlite && filtered
      ? query.search
        ? Prisma.sql`"Customer" c INDEXED BY "Customer_shopId_searchText_idx"`
        : Prisma.sql`"Customer" c NOT INDEXED`
      : Prisma.sql`"Customer" c`;
  const selectTotals = () => db.$queryRaw<Array<Record<keyof CustomerListTotals, unknown>>>`
      SELECT COUNT(*) AS "customers",
             SUM(CASE WHEN c."orderCount" > 0 THEN 1 ELSE 0 END) AS "customersWithOrders",
             SUM(c."lifetimeValueMinor") AS "revenueMinor",
             SUM(c."letterCount") AS "lettersSent"
      FROM ${totalsFrom}
      WHERE ${condition}`;

  let rawRows: CustomerListRow[];
  let rawTotals: Record<keyof CustomerListTotals, unknown> | undefined;
  if (query.search && sqlite) {
    // SQLite walks the sort column's index and reads every row until the page is full: instant
    // for a common name, but a search matching a handful of 200,000 customers read them all
    // (0.4 s). The totals (one pass, needed anyway) say how many match; few matches are then
    // found through the (shopId, searchText) index first and sorted afterwards.
    [rawTotals] = await selectTotals();
    const matches = Number(rawTotals?.customers ?? 0);
    rawRows = matches === 0 ? [] : await selectPage(matches <= FEW_MATCHES ? customerListCondition(shopId, query, now, "ids") : condition);
  } else {
    [rawRows, [rawTotals]] = await Promise.all([selectPage(condition), selectTotals()]);
  }
  const rows = rawRows.map((row) => ({
    ...row,
    redactedAt: toDate(row.redactedAt),
    lastOrderAt: toDate(row.lastOrderAt),
    lastLetterAt: toDate(row.lastLetterAt),
    lastScanAt: toDate(row.lastScanAt),
    optedOut: Boolean(row.optedOut),
    lifetimeValueMinor: toBigInt(row.lifetimeValueMinor),
    orderCount: Number(row.orderCount),
    openAbandonedCheckouts: Number(row.openAbandonedCheckouts),
  }));
  const identities =
    rows.length === 0
      ? []
      : await db.customerIdentity.findMany({
          where: { shopId, customerId: { in: rows.map((row) => row.id) } },
          select: { customerId: true, source: true },
          orderBy: { createdAt: "asc" },
        });
  const sources = new Map<string, string[]>();
  for (const identity of identities) {
    const list = sources.get(identity.customerId) ?? [];
    if (!list.includes(identity.source)) list.push(identity.source);
    sources.set(identity.customerId, list);
  }
  return {
    rows,
    sources,
    totals: {
      customers: Number(rawTotals?.customers ?? 0),
      customersWithOrders: Number(rawTotals?.customersWithOrders ?? 0),
      revenueMinor: toBigInt(rawTotals?.revenueMinor),
      lettersSent: Number(rawTotals?.lettersSent ?? 0),
    },
  };
}

// Aggregates and raw rows come back as number, bigint, string or Decimal depending on the database.
function toBigInt(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === "bigint") return value;
  return BigInt(String(value).split(".")[0]!);
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string | number);
}

/** The customer, their identities and the shop's rules the profile applies. */
export function findCustomerForProfile(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.customer.findFirst({
    where: { id: customerId, shopId },
    include: {
      identities: { select: { source: true, sourceId: true }, orderBy: { createdAt: "asc" } },
    },
  });
}

/**
 * How many orders the customer has. A count of its own: Prisma's relation `_count` joins a
 * GROUP BY over the whole Order table (every shop's), which took 0.3–0.6 s at a million orders.
 */
export function countCustomerOrders(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.order.count({ where: { shopId, customerId } });
}

/** The customer's orders, newest first: the latest `take`, or all of them. */
export function findCustomerOrders(
  db: Db,
  { shopId, customerId, take, withItems }: { shopId: string; customerId: string; take: number | null; withItems: boolean },
) {
  return db.order.findMany({
    where: { shopId, customerId },
    orderBy: [{ placedAt: "desc" }, { id: "asc" }],
    ...(take === null ? {} : { take }),
    select: {
      id: true,
      source: true,
      number: true,
      placedAt: true,
      currency: true,
      totalMinor: true,
      totalShopMinor: true,
      refundedMinor: true,
      financialState: true,
      fulfilmentState: true,
      cancelledAt: true,
      ...(withItems ? { lineItems: { orderBy: { position: "asc" as const }, select: lineItemSelect } } : {}),
    },
  });
}

const lineItemSelect = {
  title: true,
  variantTitle: true,
  sku: true,
  quantity: true,
  unitPriceMinor: true,
  totalMinor: true,
} as const;

/** One order of the customer with its items; null when it is not this shop's and customer's. */
export function findCustomerOrderItems(db: Db, { shopId, customerId, orderId }: { shopId: string; customerId: string; orderId: string }) {
  return db.order.findFirst({
    where: { id: orderId, shopId, customerId },
    select: { id: true, currency: true, lineItems: { orderBy: { position: "asc" }, select: lineItemSelect } },
  });
}

/** Checkouts that were abandoned (recovered or not), newest first, with their items. */
export function findAbandonedCheckouts(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.checkout.findMany({
    where: { shopId, customerId, abandonedAt: { not: null } },
    orderBy: [{ abandonedAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      sourceCreatedAt: true,
      abandonedAt: true,
      recoveredAt: true,
      recoveryKind: true,
      completedAt: true,
      valueMinor: true,
      currency: true,
      recoveredByOrder: { select: { id: true, number: true } },
      lineItems: { orderBy: { position: "asc" }, select: { title: true, variantTitle: true, sku: true, quantity: true, unitPriceMinor: true } },
    },
  });
}

export type LetterNextOrder = { letterId: string; orderId: string; number: string; placedAt: Date };

/** The customer's letters, newest first, with what they were sent for. */
export function findCustomerLetters(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.letter.findMany({
    where: { shopId, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      createdAt: true,
      scheduledFor: true,
      submittedAt: true,
      mailedAt: true,
      deliveredAt: true,
      failureReason: true,
      fileId: true,
      firstScanAt: true,
      scanCount: true,
      discountCode: true,
      campaign: { select: { id: true, name: true } },
      automationId: true,
      triggerOrder: { select: { id: true, number: true } },
    },
  });
}

/**
 * For each given send date, the customer's first non-cancelled order placed after it: one
 * statement for all letters (each lookup walks the (shop, customer, placedAt) index).
 */
export async function findNextOrdersAfter(
  db: Db,
  { shopId, customerId, letters }: { shopId: string; customerId: string; letters: Array<{ letterId: string; sentAt: Date }> },
): Promise<LetterNextOrder[]> {
  if (letters.length === 0) return [];
  const lookups = letters.map(
    ({ letterId, sentAt }) => Prisma.sql`
      SELECT ${letterId} AS "letterId", o."id" AS "orderId", o."number", o."placedAt"
      FROM "Order" o
      WHERE o."id" = (
        SELECT n."id" FROM "Order" n
        WHERE n."shopId" = ${shopId} AND n."customerId" = ${customerId} AND n."placedAt" > ${sentAt} AND n."cancelledAt" IS NULL
        ORDER BY n."placedAt" ASC, n."id" ASC
        LIMIT 1
      )`,
  );
  const rows = await db.$queryRaw<Array<{ letterId: string; orderId: string; number: string; placedAt: unknown }>>(Prisma.join(lookups, " UNION ALL "));
  return rows.map((row) => ({ ...row, placedAt: toDate(row.placedAt)! }));
}

/** Sets or lifts the customer's opt-out (E2) and logs who did it, in one transaction; false when not this shop's customer. */
export async function recordOptOut(
  db: Db,
  { shopId, customerId, optedOut, reason, actor, now }: { shopId: string; customerId: string; optedOut: boolean; reason: string | null; actor: string; now: Date },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    // Only a change is written and logged: a double submit neither moves the date nor logs twice.
    const updated = await tx.customer.updateMany({
      where: { id: customerId, shopId, optedOut: !optedOut },
      data: optedOut ? { optedOut: true, optedOutAt: now, optedOutReason: reason } : { optedOut: false, optedOutAt: null, optedOutReason: null },
    });
    if (updated.count === 0) return (await tx.customer.count({ where: { id: customerId, shopId } })) > 0;
    await tx.optOutEvent.create({ data: { shopId, customerId, optedOut, reason, actor, createdAt: now } });
    return true;
  });
}

/** The customer's opt-out log, newest first. */
export function findOptOutEvents(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.optOutEvent.findMany({
    where: { shopId, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    select: { id: true, optedOut: true, reason: true, actor: true, createdAt: true },
  });
}

/** A letter's stored PDF, only when the letter is this shop's. */
export function findLetterFile(db: Db, { shopId, letterId }: { shopId: string; letterId: string }) {
  return db.letter.findFirst({ where: { id: letterId, shopId }, select: { id: true, fileId: true, customerId: true } });
}
