import type { Db } from "../db.server";

/** Shop-wide counts for the overview, in one round trip. */
export async function loadShopTotals(db: Db, { shopId }: { shopId: string }) {
  const [customers, orders, revenue, lettersSent, openAbandoned, recovered, scans] = await db.$transaction([
    db.customer.count({ where: { shopId } }),
    db.order.count({ where: { shopId, cancelledAt: null } }),
    db.customer.aggregate({ where: { shopId }, _sum: { lifetimeValueMinor: true } }),
    db.letter.count({ where: { shopId, status: { in: ["SUBMITTED", "PRINTED", "MAILED", "DELIVERED"] } } }),
    db.checkout.count({ where: { shopId, abandonedAt: { not: null }, recoveredAt: null } }),
    db.checkout.count({ where: { shopId, recoveredAt: { not: null } } }),
    db.qrScan.count({ where: { shopId } }),
  ]);
  return {
    customers,
    orders,
    revenueMinor: Number(revenue._sum.lifetimeValueMinor ?? 0n),
    lettersSent,
    openAbandoned,
    recovered,
    scans,
  };
}

export function listRecentLetters(db: Db, { shopId, take }: { shopId: string; take: number }) {
  return db.letter.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      status: true,
      createdAt: true,
      customer: { select: { id: true, firstName: true, lastName: true, redactedAt: true } },
      campaign: { select: { name: true } },
      automationId: true,
    },
  });
}
