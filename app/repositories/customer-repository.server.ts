import type { Db } from "../db.server";

export const CUSTOMER_PAGE_SIZE = 50;

/** One page of a shop's customers, highest lifetime value first, optionally filtered by search text. */
export function listCustomersPage(
  db: Db,
  { shopId, search, page }: { shopId: string; search: string | null; page: number },
) {
  const where = {
    shopId,
    ...(search ? { searchText: { contains: search } } : {}),
  };
  return db.$transaction([
    db.customer.findMany({
      where,
      orderBy: [{ lifetimeValueMinor: "desc" }, { id: "asc" }],
      skip: page * CUSTOMER_PAGE_SIZE,
      take: CUSTOMER_PAGE_SIZE,
      select: {
        id: true,
        firstName: true,
        lastName: true,
        email: true,
        redactedAt: true,
        lifetimeValueMinor: true,
        orderCount: true,
        lastOrderAt: true,
        lastLetterAt: true,
        lastScanAt: true,
        identities: { select: { source: true } },
      },
    }),
    db.customer.count({ where }),
  ]);
}

export function findCustomerForProfile(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.customer.findFirst({
    where: { id: customerId, shopId },
    include: {
      identities: { select: { source: true, sourceId: true }, orderBy: { createdAt: "asc" } },
      orders: {
        orderBy: { placedAt: "desc" },
        take: 10,
        include: { lineItems: { orderBy: { position: "asc" } } },
      },
      checkouts: {
        where: { abandonedAt: { not: null } },
        orderBy: { sourceCreatedAt: "desc" },
        include: { lineItems: { orderBy: { position: "asc" } } },
      },
      letters: {
        orderBy: { createdAt: "desc" },
        include: { campaign: { select: { name: true } } },
      },
    },
  });
}
