/**
 * Abandoned and recovered checkouts (PRODUCT.md B3), decided from facts alone so the same
 * answer comes out whether the data arrived live, late, out of order or from a back-fill.
 *
 * - Abandoned: not completed within the shop's threshold after the shopper's last activity.
 *   Shopify has no "abandoned" event; the threshold is ours (default 60 minutes).
 * - Completed before the threshold (by its own order or its completed_at): just an order, no badge.
 * - Recovered, once abandoned, by the first of:
 *   1. its own order (same checkout token) or its completion → CHECKOUT_COMPLETED;
 *   2. an order of the same customer placed after the abandonment and within the recovery
 *      window (default 7 days) → SAME_CUSTOMER_ORDER. One such order recovers every checkout
 *      of that customer it qualifies for: each abandonment stays visible with its own badge.
 * - An abandonment once recorded stays recorded when the merchant later changes the threshold;
 *   only a completion that happened before the threshold undoes it (a late order delivery).
 * - Facts dated after `now` are not facts yet.
 */

export type RecoverySettings = {
  abandonmentThresholdMinutes: number;
  recoveryWindowDays: number;
};

export type RecoveryCheckout = {
  /** The shopper's last activity before completion; the threshold counts from here. */
  lastActivityAt: Date;
  completedAt: Date | null;
  /** As stored so far (null when never marked). */
  abandonedAt: Date | null;
};

export type RecoveryOrder = {
  id: string;
  placedAt: Date;
  cancelledAt: Date | null;
};

export type RecoveryKind = "CHECKOUT_COMPLETED" | "SAME_CUSTOMER_ORDER";

export type CheckoutRecoveryState = {
  abandonedAt: Date | null;
  recoveredAt: Date | null;
  recoveredByOrderId: string | null;
  recoveryKind: RecoveryKind | null;
  /** When the checkout must be looked at again (its threshold passes); null when settled. */
  reviewAt: Date | null;
};

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function abandonmentDueAt(lastActivityAt: Date, settings: Pick<RecoverySettings, "abandonmentThresholdMinutes">): Date {
  return new Date(lastActivityAt.getTime() + settings.abandonmentThresholdMinutes * MINUTE_MS);
}

export function evaluateCheckoutRecovery({
  checkout,
  ownOrder,
  customerOrders,
  settings,
  now,
}: {
  checkout: RecoveryCheckout;
  /** The order carrying this checkout's token, if one arrived. */
  ownOrder: RecoveryOrder | null;
  /** Every order of the checkout's customer (may include ownOrder); empty without a customer. */
  customerOrders: readonly RecoveryOrder[];
  settings: RecoverySettings;
  now: Date;
}): CheckoutRecoveryState {
  const nowMs = now.getTime();
  const known = (at: Date | null | undefined): at is Date => at != null && at.getTime() <= nowMs;
  const dueAt = abandonmentDueAt(checkout.lastActivityAt, settings);

  const ownOrderAt = ownOrder && known(ownOrder.placedAt) ? ownOrder.placedAt : null;
  const completionAt = earliest(known(checkout.completedAt) ? checkout.completedAt : null, ownOrderAt);

  const settled: CheckoutRecoveryState = { abandonedAt: null, recoveredAt: null, recoveredByOrderId: null, recoveryKind: null, reviewAt: null };
  if (completionAt && completionAt.getTime() <= dueAt.getTime()) return settled;

  const abandonedAt = checkout.abandonedAt ?? (dueAt.getTime() <= nowMs ? dueAt : null);
  if (!abandonedAt) return { ...settled, reviewAt: completionAt ? null : dueAt };

  if (ownOrder && ownOrderAt && ownOrderAt.getTime() >= abandonedAt.getTime()) {
    return { ...settled, abandonedAt, recoveredAt: ownOrderAt, recoveredByOrderId: ownOrder.id, recoveryKind: "CHECKOUT_COMPLETED" };
  }
  if (completionAt && completionAt.getTime() >= abandonedAt.getTime()) {
    // Completed, but its order has not arrived yet: the order links up when it does.
    return { ...settled, abandonedAt, recoveredAt: completionAt, recoveryKind: "CHECKOUT_COMPLETED" };
  }

  const windowEndMs = abandonedAt.getTime() + settings.recoveryWindowDays * DAY_MS;
  const laterOrder = customerOrders
    .filter(
      (order) =>
        order.cancelledAt === null &&
        known(order.placedAt) &&
        order.placedAt.getTime() >= abandonedAt.getTime() &&
        order.placedAt.getTime() <= windowEndMs,
    )
    .sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime())[0];
  if (laterOrder) {
    return { ...settled, abandonedAt, recoveredAt: laterOrder.placedAt, recoveredByOrderId: laterOrder.id, recoveryKind: "SAME_CUSTOMER_ORDER" };
  }
  return { ...settled, abandonedAt };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
