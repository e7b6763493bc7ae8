import type { Db } from "../db.server";

export type NewWebhookEvent = {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
  status?: "RECEIVED" | "FAILED" | "IGNORED";
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
      data: {
        ...event,
        status: event.status ?? "RECEIVED",
        error: event.error ?? null,
        ...(event.status && event.status !== "RECEIVED" ? { processedAt: new Date() } : {}),
      },
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

/**
 * Takes a received event for processing: one conditional update that names the attempt count
 * it expects, so of two processors racing for an event exactly one gets it. The event stays
 * RECEIVED but unavailable until `holdUntil`; a processor that dies leaves it to be taken again.
 */
export async function claimWebhookEvent(db: Db, { id, now, holdUntil }: { id: string; now: Date; holdUntil: Date }) {
  const event = await db.webhookEvent.findUnique({
    where: { id },
    select: { id: true, shopDomain: true, topic: true, payload: true, status: true, attempts: true, availableAt: true, receivedAt: true, triggeredAt: true },
  });
  if (!event || event.status !== "RECEIVED") return null;
  if (event.availableAt && event.availableAt.getTime() > now.getTime()) return null;
  const taken = await db.webhookEvent.updateMany({
    where: { id, status: "RECEIVED", attempts: event.attempts },
    data: { attempts: event.attempts + 1, availableAt: holdUntil },
  });
  return taken.count === 1 ? { ...event, attempts: event.attempts + 1 } : null;
}

export function finishWebhookEvent(
  db: Db,
  { id, status, error, now, payload }: { id: string; status: "PROCESSED" | "FAILED" | "IGNORED"; error?: string | null; now: Date; payload?: string },
) {
  return db.webhookEvent.update({
    where: { id },
    data: { status, error: error ?? null, processedAt: now, availableAt: null, ...(payload !== undefined ? { payload } : {}) },
  });
}

export function retryWebhookEventLater(db: Db, { id, error, retryAt }: { id: string; error: string; retryAt: Date }) {
  return db.webhookEvent.update({ where: { id }, data: { error, availableAt: retryAt } });
}

/** Received events nobody is holding: never taken, or whose holder died or whose retry is due. */
export async function findPendingWebhookEventIds(db: Db, { now, olderThan, limit }: { now: Date; olderThan: Date; limit: number }) {
  const rows = await db.webhookEvent.findMany({
    where: {
      status: "RECEIVED",
      OR: [{ availableAt: null, receivedAt: { lte: olderThan } }, { availableAt: { lte: now } }],
    },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
