import type { Db } from "../db.server";

export type NewWebhookEvent = {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
  status?: "RECEIVED" | "FAILED";
  error?: string | null;
};

/**
 * Records a delivery once. Returns false when this (shop, webhook id) was recorded before:
 * Shopify redelivers with the same X-Shopify-Webhook-Id, and such a redelivery changes nothing.
 */
export async function recordWebhookEvent(db: Db, event: NewWebhookEvent): Promise<{ created: boolean; id: string }> {
  const existing = await db.webhookEvent.findUnique({
    where: { shopDomain_webhookId: { shopDomain: event.shopDomain, webhookId: event.webhookId } },
    select: { id: true },
  });
  if (existing) return { created: false, id: existing.id };
  try {
    const created = await db.webhookEvent.create({
      data: { ...event, status: event.status ?? "RECEIVED", error: event.error ?? null },
      select: { id: true },
    });
    return { created: true, id: created.id };
  } catch (error) {
    // Two deliveries racing: the unique key decides, the loser is a duplicate.
    if ((error as { code?: string }).code === "P2002") {
      const winner = await db.webhookEvent.findUniqueOrThrow({
        where: { shopDomain_webhookId: { shopDomain: event.shopDomain, webhookId: event.webhookId } },
        select: { id: true },
      });
      return { created: false, id: winner.id };
    }
    throw error;
  }
}

export function deleteShopSessions(db: Db, { shopDomain }: { shopDomain: string }) {
  return db.session.deleteMany({ where: { shop: shopDomain } });
}

export function markShopUninstalled(db: Db, { shopDomain, at }: { shopDomain: string; at: Date }) {
  return db.shop.updateMany({ where: { domain: shopDomain }, data: { uninstalledAt: at } });
}
