import type { Db } from "../db.server";

/**
 * What the admin block on Shopify's customer page needs of one customer, found by its Shopify
 * id: the customer's stored statistics, the shop currency and the newest letter, in one read.
 * Every level is scoped by shop: the identity, the customer and its letters.
 */
export function findCustomerBlockRow(db: Db, { shopId, shopifyCustomerId }: { shopId: string; shopifyCustomerId: string }) {
  return db.customer.findFirst({
    where: {
      shopId,
      identities: { some: { shopId, source: "SHOPIFY", sourceId: shopifyCustomerId } },
    },
    select: {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      redactedAt: true,
      optedOut: true,
      lifetimeValueMinor: true,
      orderCount: true,
      openAbandonedCheckouts: true,
      shop: { select: { currency: true } },
      letters: {
        where: { shopId },
        // Newest first; the id breaks a tie between letters created in the same millisecond.
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 1,
        select: {
          status: true,
          automationId: true,
          createdAt: true,
          mailedAt: true,
          firstScanAt: true,
          scanCount: true,
          campaign: { select: { name: true } },
        },
      },
    },
  });
}

export type CustomerBlockRow = NonNullable<Awaited<ReturnType<typeof findCustomerBlockRow>>>;
