import { AppError } from "../core/app-error";
import { customerDisplayName } from "../core/customer-identity";
import { CUSTOMER_PAGE_SIZE, type CustomerListQuery } from "../core/customer-list-query";
import {
  buildOrderTimeline,
  evaluateContactGuard,
  LATEST_ORDERS_SHOWN,
  measureLetterEffect,
  orderStatusKey,
} from "../core/customer-profile";
import { letterSentAt } from "../core/customer-stats";
import { db } from "../db.server";
import {
  countCustomerOrders,
  findAbandonedCheckouts,
  findCustomerForProfile,
  findCustomerLetters,
  findCustomerOrderItems,
  findCustomerOrders,
  findLetterFile,
  findNextOrdersAfter,
  findOptOutEvents,
  listCustomersPage,
  recordOptOut,
} from "../repositories/customer-repository.server";
import { findShopRules } from "../repositories/shop-repository.server";
import { createDownloadUrl } from "./stored-files.server";


/** The customer list (B1): one page, the filters' totals for the KPI cards, each row's sources. */
export async function listCustomers({ shopId, query, now }: { shopId: string; query: CustomerListQuery; now: Date }) {
  const { rows, totals, sources } = await listCustomersPage(db(), { shopId, query, now });
  return {
    query,
    pageSize: CUSTOMER_PAGE_SIZE,
    totals: {
      customers: totals.customers,
      revenueMinor: Number(totals.revenueMinor),
      // Average over customers who ordered: a shop's many never-ordered contacts would hide it.
      averageLifetimeValueMinor: totals.customersWithOrders === 0 ? 0 : Math.round(Number(totals.revenueMinor) / totals.customersWithOrders),
      lettersSent: totals.lettersSent,
    },
    customers: rows.map((row) => {
      const redacted = row.redactedAt !== null;
      return {
        id: row.id,
        name: customerDisplayName(row),
        email: redacted ? null : row.email,
        redacted,
        optedOut: row.optedOut,
        sources: sources.get(row.id) ?? [],
        lifetimeValueMinor: Number(row.lifetimeValueMinor),
        orderCount: row.orderCount,
        lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
        lastLetterAt: row.lastLetterAt?.toISOString() ?? null,
        scanned: row.lastScanAt !== null,
        openAbandonedCheckouts: row.openAbandonedCheckouts,
      };
    }),
  };
}

export type CustomerList = Awaited<ReturnType<typeof listCustomers>>;

/**
 * Everything the profile shows (B2–B7) in a fixed number of statements whatever the customer's
 * history: the customer, the latest orders (or all with `showAllOrders`), the abandoned
 * checkouts, the letters, the orders that followed them, and the opt-out log.
 * NOT_FOUND when the customer is not this shop's.
 */
export async function findCustomerProfile({
  shopId,
  customerId,
  showAllOrders = false,
  now,
}: {
  shopId: string;
  customerId: string;
  showAllOrders?: boolean;
  now: Date;
}) {
  const database = db();
  const [customer, rules] = await Promise.all([findCustomerForProfile(database, { shopId, customerId }), findShopRules(database, { shopId })]);
  if (!customer || !rules) throw new AppError("NOT_FOUND", "Customer not found");
  const sources = [...new Set(customer.identities.map((identity) => identity.source))];
  const hasCheckoutData = sources.includes("SHOPIFY");
  const [totalOrders, orders, checkouts, letters, optOutLog] = await Promise.all([
    countCustomerOrders(database, { shopId, customerId }),
    // The latest orders come with their items; with all orders, items load when one is opened.
    findCustomerOrders(database, { shopId, customerId, take: showAllOrders ? null : LATEST_ORDERS_SHOWN, withItems: !showAllOrders }),
    hasCheckoutData ? findAbandonedCheckouts(database, { shopId, customerId }) : Promise.resolve([]),
    findCustomerLetters(database, { shopId, customerId }),
    findOptOutEvents(database, { shopId, customerId }),
  ]);
  const sentLetters = letters.flatMap((letter) => {
    const sentAt = letterSentAt(letter);
    return sentAt ? [{ letterId: letter.id, sentAt }] : [];
  });
  const nextOrders = new Map(
    (await findNextOrdersAfter(database, { shopId, customerId, letters: sentLetters })).map((next) => [next.letterId, next]),
  );

  const timeline = buildOrderTimeline({
    orders,
    checkouts: checkouts.map((checkout) => ({ ...checkout, at: checkout.abandonedAt ?? checkout.sourceCreatedAt })),
    complete: showAllOrders || orders.length >= totalOrders,
  });
  const redacted = customer.redactedAt !== null;
  const guard = evaluateContactGuard({ letters, capLetters: rules.contactCapLetters, capDays: rules.contactCapDays, now });

  return {
    id: customer.id,
    redacted,
    name: customerDisplayName(customer),
    email: redacted ? null : customer.email,
    language: customer.language,
    address: redacted
      ? null
      : {
          name: customer.addressName ?? customerDisplayName(customer),
          company: customer.company,
          line1: customer.addressLine1,
          line2: customer.addressLine2,
          postalCode: customer.postalCode,
          city: customer.city,
          region: customer.region,
          countryCode: customer.countryCode,
          complete: Boolean(customer.addressLine1 && customer.postalCode && customer.city && customer.countryCode),
        },
    optOut: {
      optedOut: customer.optedOut,
      at: customer.optedOutAt?.toISOString() ?? null,
      reason: customer.optedOutReason,
      log: optOutLog.map((event) => ({
        id: event.id,
        optedOut: event.optedOut,
        reason: event.reason,
        actor: event.actor,
        at: event.createdAt.toISOString(),
      })),
    },
    sources,
    hasCheckoutData,
    // Sources whose customers come without checkouts (A5): named in a short notice.
    sourcesWithoutCheckouts: sources.filter((source) => source !== "SHOPIFY"),
    stats: {
      lifetimeValueMinor: Number(customer.lifetimeValueMinor),
      orderCount: customer.orderCount,
      averageOrderValueMinor: Number(customer.averageOrderValueMinor),
      firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
      lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
      typicalDaysBetweenOrders: customer.typicalDaysBetweenOrders,
      unconvertedOrderCount: customer.unconvertedOrderCount,
      openAbandonedCheckouts: customer.openAbandonedCheckouts,
    },
    contactGuard: {
      lastWrittenAt: guard.lastWrittenAt?.toISOString() ?? null,
      daysSinceLastLetter: guard.daysSinceLastLetter,
      lettersInCapPeriod: guard.lettersInCapPeriod,
      capReached: guard.capReached,
      nextContactAllowedAt: guard.nextContactAllowedAt?.toISOString() ?? null,
      capLetters: rules.contactCapLetters,
      capDays: rules.contactCapDays,
    },
    orders: {
      total: totalOrders,
      showingAll: showAllOrders || orders.length >= totalOrders,
      timeline: timeline.map((entry) =>
        entry.kind === "order"
          ? {
              kind: "order" as const,
              at: entry.at.toISOString(),
              order: {
                id: entry.order.id,
                source: entry.order.source,
                number: entry.order.number,
                placedAt: entry.order.placedAt.toISOString(),
                totalMinor: Number(entry.order.totalMinor),
                currency: entry.order.currency,
                refundedMinor: Number(entry.order.refundedMinor),
                status: orderStatusKey(entry.order),
                // Left out of the statistics for want of an exchange rate (A1).
                unconverted: entry.order.totalShopMinor === null && entry.order.cancelledAt === null,
                items: "lineItems" in entry.order ? entry.order.lineItems.map(serializeLineItem) : null,
              },
            }
          : {
              kind: "checkout" as const,
              at: entry.at.toISOString(),
              checkout: {
                id: entry.checkout.id,
                abandonedAt: entry.checkout.abandonedAt?.toISOString() ?? null,
                recoveredAt: entry.checkout.recoveredAt?.toISOString() ?? null,
                recoveryKind: entry.checkout.recoveryKind,
                recoveredByOrder: entry.checkout.recoveredByOrder,
                valueMinor: Number(entry.checkout.valueMinor),
                currency: entry.checkout.currency,
                items: entry.checkout.lineItems.map((item) => ({
                  title: item.title,
                  variantTitle: item.variantTitle,
                  sku: item.sku,
                  quantity: item.quantity,
                  unitPriceMinor: Number(item.unitPriceMinor),
                })),
              },
            },
      ),
    },
    attributionWindowDays: rules.attributionWindowDays,
    letters: letters.map((letter) => {
      const next = nextOrders.get(letter.id);
      const effect = measureLetterEffect({
        letter,
        nextOrder: next ? { id: next.orderId, number: next.number, placedAt: next.placedAt } : null,
        attributionWindowDays: rules.attributionWindowDays,
      });
      return {
        id: letter.id,
        campaign: letter.campaign,
        automation: letter.automationId !== null,
        triggerOrder: letter.triggerOrder,
        status: letter.status,
        createdAt: letter.createdAt.toISOString(),
        scheduledFor: letter.scheduledFor.toISOString(),
        sentAt: effect.sentAt?.toISOString() ?? null,
        mailedAt: letter.mailedAt?.toISOString() ?? null,
        deliveredAt: letter.deliveredAt?.toISOString() ?? null,
        failureReason: letter.failureReason,
        hasPdf: letter.fileId !== null,
        firstScanAt: letter.firstScanAt?.toISOString() ?? null,
        scanCount: letter.scanCount,
        discountCode: letter.discountCode,
        nextOrder: effect.nextOrder
          ? {
              id: effect.nextOrder.id,
              number: effect.nextOrder.number,
              placedAt: effect.nextOrder.placedAt.toISOString(),
              daysAfter: effect.nextOrder.daysAfter,
              withinAttributionWindow: effect.nextOrder.withinAttributionWindow,
            }
          : null,
      };
    }),
  };
}

export type CustomerProfile = Awaited<ReturnType<typeof findCustomerProfile>>;

function serializeLineItem(item: {
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPriceMinor: bigint;
  totalMinor: bigint;
}) {
  return {
    title: item.title,
    variantTitle: item.variantTitle,
    sku: item.sku,
    quantity: item.quantity,
    unitPriceMinor: Number(item.unitPriceMinor),
    totalMinor: Number(item.totalMinor),
  };
}

/** An order's items for the profile (B2); NOT_FOUND unless the order is this shop's customer's. */
export async function findCustomerOrder({ shopId, customerId, orderId }: { shopId: string; customerId: string; orderId: string }) {
  const order = await findCustomerOrderItems(db(), { shopId, customerId, orderId });
  if (!order) throw new AppError("NOT_FOUND", "Order not found");
  return { id: order.id, currency: order.currency, items: order.lineItems.map(serializeLineItem) };
}

const MAX_OPT_OUT_REASON = 500;

/**
 * The merchant marks a customer as not to be written to, or lifts it (E2). Logged with the
 * reason and date either way; letters not yet sent are left to the sending rules, which check
 * the flag before every send.
 */
export async function setCustomerOptOut({
  shopId,
  customerId,
  optedOut,
  reason,
  now,
}: {
  shopId: string;
  customerId: string;
  optedOut: boolean;
  reason: string | null;
  now: Date;
}) {
  const trimmed = reason?.trim() || null;
  if (trimmed && trimmed.length > MAX_OPT_OUT_REASON) {
    throw new AppError("VALIDATION", "The reason is too long", { reason: [`must be at most ${MAX_OPT_OUT_REASON} characters`] });
  }
  const changed = await recordOptOut(db(), { shopId, customerId, optedOut, reason: trimmed, actor: "merchant", now });
  if (!changed) throw new AppError("NOT_FOUND", "Customer not found");
}

/**
 * A short-lived link to the PDF of a letter exactly as it was sent (B5), made on click: a new tab
 * opened from the admin has no session, so the signed link is its credential.
 */
export async function createLetterPdfLink({ shopId, letterId, now }: { shopId: string; letterId: string; now: Date }) {
  const letter = await findLetterFile(db(), { shopId, letterId });
  if (!letter) throw new AppError("NOT_FOUND", "Letter not found");
  if (!letter.fileId) throw new AppError("NOT_FOUND", "This letter has no stored PDF (it was not rendered, or was erased)");
  return { url: createDownloadUrl({ shopId, fileId: letter.fileId, now }) };
}
