import { db } from "../db.server";
import { customerDisplayName } from "../core/customer-identity";
import { listRecentLetters, loadShopTotals } from "../repositories/dashboard-repository.server";

export async function loadDashboard({ shopId }: { shopId: string }) {
  const [totals, recent] = await Promise.all([
    loadShopTotals(db(), { shopId }),
    listRecentLetters(db(), { shopId, take: 8 }),
  ]);
  return {
    totals,
    recentLetters: recent.map((letter) => ({
      id: letter.id,
      status: letter.status,
      createdAt: letter.createdAt.toISOString(),
      customerId: letter.customer.id,
      customerName: customerDisplayName(letter.customer) ?? "",
      campaign: letter.campaign?.name ?? null,
      automation: letter.automationId !== null,
    })),
  };
}
