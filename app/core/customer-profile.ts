import { CONTACT_STATUSES, letterSentAt, type StatsLetterStatus } from "./customer-stats";

/**
 * The rules behind the customer profile's sections (PRODUCT.md B2, B3, B6, B7): how an order's
 * status reads, how orders and abandoned checkouts share one timeline, what a letter achieved,
 * and when the customer was last written to. Pure: rows and `now` come in, plain data goes out.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Orders shown before the merchant asks for all of them (B2). */
export const LATEST_ORDERS_SHOWN = 10;

export type OrderStatusKey =
  | "CANCELLED"
  | "REFUNDED"
  | "PARTIALLY_REFUNDED"
  | "FULFILLED"
  | "PARTIALLY_FULFILLED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "AUTHORIZED"
  | "PENDING"
  | "VOIDED"
  | "OPEN";

type FinancialState = "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED" | "UNKNOWN";
type FulfilmentState = "UNFULFILLED" | "PARTIAL" | "FULFILLED" | "RESTOCKED" | "UNKNOWN";

/**
 * One status a merchant reads at a glance: what happened last and matters most. A cancellation
 * beats everything, money going back beats shipping, shipping beats payment.
 */
export function orderStatusKey(order: {
  cancelledAt: Date | null;
  financialState: FinancialState;
  fulfilmentState: FulfilmentState;
}): OrderStatusKey {
  if (order.cancelledAt) return "CANCELLED";
  if (order.financialState === "REFUNDED" || order.financialState === "PARTIALLY_REFUNDED" || order.financialState === "VOIDED") {
    return order.financialState;
  }
  if (order.fulfilmentState === "FULFILLED") return "FULFILLED";
  if (order.fulfilmentState === "PARTIAL") return "PARTIALLY_FULFILLED";
  if (order.financialState === "UNKNOWN") return "OPEN";
  return order.financialState;
}

export type TimelineOrder = { kind: "order"; id: string; at: Date };
export type TimelineCheckout = { kind: "checkout"; id: string; at: Date };

/**
 * Orders and abandoned checkouts in one timeline, newest first (B3). When only the latest orders
 * are shown (`complete` false), checkouts older than the oldest shown order wait for "show all"
 * too, so the timeline never skips a stretch of orders between two checkouts.
 */
export function buildOrderTimeline<O extends { id: string; placedAt: Date }, C extends { id: string; at: Date }>({
  orders,
  checkouts,
  complete,
}: {
  orders: readonly O[];
  checkouts: readonly C[];
  /** Whether `orders` holds every order of the customer. */
  complete: boolean;
}): Array<{ kind: "order"; at: Date; order: O } | { kind: "checkout"; at: Date; checkout: C }> {
  const oldestShown = orders.reduce<number>((oldest, order) => Math.min(oldest, order.placedAt.getTime()), Number.POSITIVE_INFINITY);
  const shownCheckouts = complete || orders.length === 0 ? checkouts : checkouts.filter((checkout) => checkout.at.getTime() >= oldestShown);
  const entries = [
    ...orders.map((order) => ({ kind: "order" as const, at: order.placedAt, order })),
    ...shownCheckouts.map((checkout) => ({ kind: "checkout" as const, at: checkout.at, checkout })),
  ];
  // Stable for equal times: a checkout and the order it became sort order first (it came after).
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.kind === b.kind ? 0 : a.kind === "order" ? -1 : 1));
}

export type LetterEffect = {
  /** When the letter left the shop; null for letters that never did (no effect to measure). */
  sentAt: Date | null;
  nextOrder: { id: string; number: string; placedAt: Date; daysAfter: number; withinAttributionWindow: boolean } | null;
};

/**
 * What a letter achieved (B6): the customer's next order after it left the shop, the days in
 * between (whole days, rounded down: an order 30 days and 2 hours later is "30 days"), and
 * whether it falls inside the attribution window. `nextOrder` is the first non-cancelled order
 * placed after the send date, as the repository found it.
 */
export function measureLetterEffect({
  letter,
  nextOrder,
  attributionWindowDays,
}: {
  letter: { status: StatsLetterStatus; createdAt: Date; submittedAt: Date | null };
  nextOrder: { id: string; number: string; placedAt: Date } | null;
  attributionWindowDays: number;
}): LetterEffect {
  const sentAt = letterSentAt(letter);
  if (!sentAt || !nextOrder || nextOrder.placedAt.getTime() <= sentAt.getTime()) return { sentAt, nextOrder: null };
  const elapsedMs = nextOrder.placedAt.getTime() - sentAt.getTime();
  return {
    sentAt,
    nextOrder: {
      ...nextOrder,
      daysAfter: Math.floor(elapsedMs / DAY_MS),
      withinAttributionWindow: elapsedMs <= attributionWindowDays * DAY_MS,
    },
  };
}

export type ContactGuard = {
  lastWrittenAt: Date | null;
  daysSinceLastLetter: number | null;
  /** Letters that left the shop within the cap period ending now. */
  lettersInCapPeriod: number;
  /** The shop's contact cap is reached: another letter now would exceed it. */
  capReached: boolean;
  /** When the next letter would be within the cap again (null when it already is). */
  nextContactAllowedAt: Date | null;
};

/**
 * The contact guard (B7): when the customer was last written to and whether the shop's cap
 * (at most `capLetters` letters per `capDays`) leaves room for another letter now.
 */
export function evaluateContactGuard({
  letters,
  capLetters,
  capDays,
  now,
}: {
  letters: ReadonlyArray<{ status: StatsLetterStatus; createdAt: Date; submittedAt: Date | null }>;
  capLetters: number;
  capDays: number;
  now: Date;
}): ContactGuard {
  const nowMs = now.getTime();
  const sent = letters
    .filter((letter) => CONTACT_STATUSES.has(letter.status))
    .map((letter) => letterSentAt(letter)!.getTime())
    .filter((at) => at <= nowMs)
    .sort((a, b) => b - a);
  const periodStart = nowMs - capDays * DAY_MS;
  const inPeriod = sent.filter((at) => at > periodStart);
  const capReached = inPeriod.length >= capLetters;
  // The cap frees up when the oldest letter that keeps it full leaves the period.
  const blocking = capReached ? inPeriod[capLetters - 1] : undefined;
  const lastWrittenAt = sent[0] ?? null;
  return {
    lastWrittenAt: lastWrittenAt === null ? null : new Date(lastWrittenAt),
    daysSinceLastLetter: lastWrittenAt === null ? null : Math.floor((nowMs - lastWrittenAt) / DAY_MS),
    lettersInCapPeriod: inPeriod.length,
    capReached,
    nextContactAllowedAt: blocking === undefined ? null : new Date(blocking + capDays * DAY_MS),
  };
}
