import { Prisma } from "../../prisma/client/sqlite/client";
import { AppError } from "../core/app-error";
import { convertMinorAmount } from "../core/money";
import { db, type Db } from "../db.server";
import { lockShopForIngestion, type DbTx } from "../repositories/ingestion-repository.server";
import { refreshCustomerStats } from "./ingestion.server";

/**
 * The merchant's exchange rates (PRODUCT.md A, issue 5): orders in a currency other than the
 * shop's keep their own amounts and count in the statistics through these rates; without a
 * rate they stay out (Customer.unconvertedOrderCount says how many). A rate is "shop-currency
 * units per one unit of the currency", stored as an exact decimal string.
 *
 * After a change every stored order in that currency is converted again (totalShopMinor,
 * refundedShopMinor) and its customer's statistics are recomputed, page by page, each page in
 * its own transaction, so a shop with a million such orders never holds one huge transaction.
 * The rate itself is written under the shop's ingestion lock: an import running at the same
 * time either finished before (and is converted here) or starts after and reads the new rate.
 */

const PAGE_SIZE = 500;
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 30_000 };
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
// Up to 12 whole and 10 fractional digits: any real rate, and nothing that overflows the conversion.
const RATE_PATTERN = /^\d{1,12}(\.\d{1,10})?$/;

export type ExchangeRateRow = { currency: string; rateToShop: string; updatedAt: string };

export async function listExchangeRates({ shopId }: { shopId: string }): Promise<ExchangeRateRow[]> {
  const rows = await db().exchangeRate.findMany({ where: { shopId }, orderBy: { currency: "asc" }, select: { currency: true, rateToShop: true, updatedAt: true } });
  return rows.map((row) => ({ currency: row.currency, rateToShop: row.rateToShop, updatedAt: row.updatedAt.toISOString() }));
}

/** The currency as stored (upper case), or VALIDATION naming the field. */
function validCurrency(currency: string, shopCurrency: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !KNOWN_CURRENCIES.has(code)) {
    throw new AppError("VALIDATION", "Not a currency code", { currency: ["Enter an ISO 4217 code such as USD or CHF."] });
  }
  if (code === shopCurrency.toUpperCase()) {
    throw new AppError("VALIDATION", "The shop currency needs no rate", { currency: [`${code} is the shop currency.`] });
  }
  return code;
}

/** "1,0835" and "1.0835" alike; leading zeros and trailing fractional zeros dropped ("01.50" → "1.5"). */
function validRate(rate: string): string {
  const text = rate.trim().replace(",", ".");
  if (!RATE_PATTERN.test(text)) {
    throw new AppError("VALIDATION", "Not a rate", { rateToShop: ["Enter a positive decimal number such as 0.92."] });
  }
  const [whole = "0", fraction = ""] = text.split(".");
  const normalized = `${whole.replace(/^0+(?=\d)/, "")}${fraction.replace(/0+$/, "") ? `.${fraction.replace(/0+$/, "")}` : ""}`;
  if (/^0(\.0*)?$/.test(normalized)) throw new AppError("VALIDATION", "The rate must be positive", { rateToShop: ["Enter a number greater than 0."] });
  return normalized;
}

async function shopCurrencyOf(shopId: string): Promise<string> {
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { currency: true } });
  if (!shop) throw new AppError("NOT_FOUND", "Shop not found");
  return shop.currency;
}

/** Sets (adds or changes) the rate of a currency and brings stored orders and statistics in line. */
export async function setExchangeRate({ shopId, currency, rateToShop, now }: { shopId: string; currency: string; rateToShop: string; now: Date }) {
  const shopCurrency = await shopCurrencyOf(shopId);
  const code = validCurrency(currency, shopCurrency);
  const rate = validRate(rateToShop);
  await db().$transaction(async (tx) => {
    await lockShopForIngestion(tx, { shopId });
    await tx.exchangeRate.upsert({
      where: { shopId_currency: { shopId, currency: code } },
      create: { shopId, currency: code, rateToShop: rate },
      update: { rateToShop: rate },
    });
  }, TRANSACTION_OPTIONS);
  const converted = await reconvertOrders(db(), { shopId, currency: code, shopCurrency, rate, now });
  return { currency: code, rateToShop: rate, ordersConverted: converted.orders, customersRefreshed: converted.customers };
}

/** Removes a rate: that currency's orders leave the statistics again. NOT_FOUND when there was none. */
export async function deleteExchangeRate({ shopId, currency, now }: { shopId: string; currency: string; now: Date }) {
  const shopCurrency = await shopCurrencyOf(shopId);
  const code = currency.trim().toUpperCase();
  const deleted = await db().$transaction(async (tx) => {
    await lockShopForIngestion(tx, { shopId });
    return tx.exchangeRate.deleteMany({ where: { shopId, currency: code } });
  }, TRANSACTION_OPTIONS);
  if (deleted.count === 0) throw new AppError("NOT_FOUND", `No exchange rate for ${code}`);
  if (code === shopCurrency.toUpperCase()) return { currency: code, ordersConverted: 0, customersRefreshed: 0 };
  const converted = await reconvertOrders(db(), { shopId, currency: code, shopCurrency, rate: null, now });
  return { currency: code, ordersConverted: converted.orders, customersRefreshed: converted.customers };
}

/**
 * Converts every stored order in `currency` again at `rate` (null: no rate, out of the
 * statistics) and refreshes the statistics of their customers, one page of orders per
 * transaction. A customer with orders on several pages is refreshed on each; the last refresh
 * sees all of them converted.
 */
async function reconvertOrders(
  database: Db,
  { shopId, currency, shopCurrency, rate, now }: { shopId: string; currency: string; shopCurrency: string; rate: string | null; now: Date },
) {
  let afterId: string | null = null;
  let orders = 0;
  const customers = new Set<string>();
  for (;;) {
    const page: { count: number; lastId: string | null; customerIds: string[] } = await database.$transaction(async (tx) => {
      await lockShopForIngestion(tx, { shopId });
      const rows = await tx.order.findMany({
        where: { shopId, currency, ...(afterId ? { id: { gt: afterId } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE_SIZE,
        select: { id: true, customerId: true, totalMinor: true, refundedMinor: true },
      });
      if (rows.length === 0) return { count: 0, lastId: null, customerIds: [] };
      await writeShopAmounts(
        tx,
        shopId,
        rows.map((row) => {
          const total = rate === null ? null : convertMinorAmount(row.totalMinor, currency, shopCurrency, rate);
          return { id: row.id, totalShopMinor: total, refundedShopMinor: total === null ? null : convertMinorAmount(row.refundedMinor, currency, shopCurrency, rate!) };
        }),
      );
      const customerIds = [...new Set(rows.map((row) => row.customerId).filter((id): id is string => id !== null))];
      await refreshCustomerStats(tx, shopId, customerIds, now);
      return { count: rows.length, lastId: rows[rows.length - 1]!.id, customerIds };
    }, TRANSACTION_OPTIONS);
    orders += page.count;
    for (const id of page.customerIds) customers.add(id);
    if (page.count < PAGE_SIZE || page.lastId === null) break;
    afterId = page.lastId;
  }
  return { orders, customers: customers.size };
}

/** One UPDATE for the whole page: each order's converted amounts by id (CASE), in plain SQL. */
async function writeShopAmounts(tx: DbTx, shopId: string, rows: { id: string; totalShopMinor: bigint | null; refundedShopMinor: bigint | null }[]) {
  const ids = Prisma.join(rows.map((row) => row.id));
  if (rows.every((row) => row.totalShopMinor === null)) {
    // No rate: a CASE of bare NULLs would be typed text on PostgreSQL.
    await tx.$executeRaw`UPDATE "Order" SET "totalShopMinor" = NULL, "refundedShopMinor" = NULL WHERE "shopId" = ${shopId} AND "id" IN (${ids})`;
    return;
  }
  const amount = (value: bigint | null) => (value === null ? Prisma.sql`NULL` : Prisma.sql`CAST(${value.toString()} AS BIGINT)`);
  const totals = Prisma.join(rows.map((row) => Prisma.sql`WHEN ${row.id} THEN ${amount(row.totalShopMinor)}`), " ");
  const refunds = Prisma.join(rows.map((row) => Prisma.sql`WHEN ${row.id} THEN ${amount(row.refundedShopMinor)}`), " ");
  await tx.$executeRaw`UPDATE "Order" SET
    "totalShopMinor" = CASE "id" ${totals} END,
    "refundedShopMinor" = CASE "id" ${refunds} END
    WHERE "shopId" = ${shopId} AND "id" IN (${ids})`;
}
