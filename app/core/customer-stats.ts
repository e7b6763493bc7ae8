/**
 * A customer's stored statistics (PRODUCT.md B4, B7), computed from their orders, letters and
 * checkouts. Pure: the caller loads the rows and passes `now`; the result is written to the
 * Customer row in the same transaction as the data it summarises.
 *
 * Rules:
 * - Cancelled orders never count.
 * - Refunds reduce the lifetime value (an order never counts below zero).
 * - Orders without an amount in the shop currency (no exchange rate) are left out of every
 *   figure, dates included, so count, value and dates always describe the same orders; they are
 *   counted in `unconvertedOrderCount` so the profile can say so.
 * - Typical days between orders is the median gap between consecutive counted orders.
 * - Records dated after `now` are not facts yet (clock skew, a letter scheduled for later) and
 *   are ignored.
 * - Abandoned checkouts never count towards the order figures (a recovered one counts only
 *   through its real order); open abandoned checkouts are counted separately.
 */

export type StatsOrder = {
  placedAt: Date;
  /** Order total in the shop currency (minor units); null when no exchange rate existed. */
  totalShopMinor: bigint | null;
  refundedShopMinor: bigint | null;
  cancelledAt: Date | null;
};

export type StatsLetterStatus =
  | "SCHEDULED"
  | "RENDERED"
  | "SUBMITTED"
  | "PRINTED"
  | "MAILED"
  | "DELIVERED"
  | "RETURNED"
  | "FAILED"
  | "CANCELLED";

export type StatsLetter = {
  status: StatsLetterStatus;
  createdAt: Date;
  submittedAt: Date | null;
  lastScanAt: Date | null;
};

export type StatsCheckout = {
  abandonedAt: Date | null;
  recoveredAt: Date | null;
  completedAt: Date | null;
};

export type CustomerStats = {
  lifetimeValueMinor: bigint;
  orderCount: number;
  averageOrderValueMinor: bigint;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  typicalDaysBetweenOrders: number | null;
  unconvertedOrderCount: number;
  lastLetterAt: Date | null;
  letterCount: number;
  lastScanAt: Date | null;
  openAbandonedCheckouts: number;
};

/** Letters that left the shop: the customer was written to (contact guard, B7). */
export const CONTACT_STATUSES: ReadonlySet<StatsLetterStatus> = new Set(["SUBMITTED", "PRINTED", "MAILED", "DELIVERED", "RETURNED"]);

/** When a letter left the shop (handed to the provider or printed), or null if it never did. */
export function letterSentAt(letter: Pick<StatsLetter, "status" | "createdAt" | "submittedAt">): Date | null {
  return CONTACT_STATUSES.has(letter.status) ? (letter.submittedAt ?? letter.createdAt) : null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function computeCustomerStats({
  orders,
  letters = [],
  checkouts = [],
  now,
}: {
  orders: readonly StatsOrder[];
  letters?: readonly StatsLetter[];
  checkouts?: readonly StatsCheckout[];
  now: Date;
}): CustomerStats {
  const nowMs = now.getTime();
  const valid = orders.filter((order) => order.cancelledAt === null && order.placedAt.getTime() <= nowMs);
  const counted = valid
    .filter((order): order is StatsOrder & { totalShopMinor: bigint } => order.totalShopMinor !== null)
    .sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());

  let lifetimeValueMinor = 0n;
  for (const order of counted) {
    const net = order.totalShopMinor - (order.refundedShopMinor ?? 0n);
    lifetimeValueMinor += net > 0n ? net : 0n;
  }
  const orderCount = counted.length;

  const sentAt = letters
    .map((letter) => letterSentAt(letter)?.getTime())
    .filter((at): at is number => at !== undefined && at <= nowMs);
  const scans = letters.map((letter) => letter.lastScanAt?.getTime()).filter((at): at is number => at !== undefined && at <= nowMs);

  return {
    lifetimeValueMinor,
    orderCount,
    averageOrderValueMinor: orderCount === 0 ? 0n : divideRoundHalfUp(lifetimeValueMinor, BigInt(orderCount)),
    firstOrderAt: counted[0]?.placedAt ?? null,
    lastOrderAt: counted.at(-1)?.placedAt ?? null,
    typicalDaysBetweenOrders: medianGapDays(counted.map((order) => order.placedAt.getTime())),
    unconvertedOrderCount: valid.length - counted.length,
    lastLetterAt: sentAt.length === 0 ? null : new Date(Math.max(...sentAt)),
    letterCount: sentAt.length,
    lastScanAt: scans.length === 0 ? null : new Date(Math.max(...scans)),
    openAbandonedCheckouts: checkouts.filter(
      (checkout) =>
        checkout.abandonedAt !== null &&
        checkout.abandonedAt.getTime() <= nowMs &&
        checkout.recoveredAt === null &&
        checkout.completedAt === null,
    ).length,
  };
}

/** Non-negative numerator and positive divisor: round half up. */
function divideRoundHalfUp(numerator: bigint, divisor: bigint): bigint {
  return (numerator * 2n + divisor) / (divisor * 2n);
}

/** Median of the gaps between sorted timestamps, in days to one decimal; null below two orders. */
function medianGapDays(sortedMs: number[]): number | null {
  if (sortedMs.length < 2) return null;
  const gaps = sortedMs
    .slice(1)
    .map((at, index) => (at - sortedMs[index]!) / DAY_MS)
    .sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
  return Math.round(median * 10) / 10;
}
