import { Prisma } from "../../prisma/client/sqlite/client";
import type { Db } from "../db.server";
import { newRecordId } from "../db/record-id";

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
  if ((event.status ?? "RECEIVED") === "RECEIVED") {
    // The common case in one statement, in plain SQL: this runs on every delivery, inside
    // Shopify's 5 s, and the ORM's per-call cost is several times the statement's.
    const inserted = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO "WebhookEvent" ("id", "shopDomain", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "payload", "receivedAt")
      VALUES (${newRecordId()}, ${event.shopDomain}, ${event.topic}, ${event.webhookId}, ${event.eventId}, ${event.apiVersion}, ${event.triggeredAt}, ${event.payload}, ${new Date()})
      ON CONFLICT ("shopDomain", "webhookId") DO NOTHING
      RETURNING "id"`;
    if (inserted[0]) return { created: true, id: inserted[0].id };
  }
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

/**
 * Takes several received events at once. The hold time doubles as the claim's mark: it carries
 * a random millisecond offset, and only rows that got exactly this mark were taken by this call.
 */
export async function claimWebhookEvents(db: Db, { ids, now, holdUntil }: { ids: string[]; now: Date; holdUntil: Date }) {
  if (ids.length === 0) return [];
  await db.$executeRaw`UPDATE "WebhookEvent" SET "availableAt" = ${holdUntil}, "attempts" = "attempts" + 1
    WHERE "id" IN (${Prisma.join(ids)}) AND "status" = 'RECEIVED' AND ("availableAt" IS NULL OR "availableAt" <= ${now})`;
  return db.webhookEvent.findMany({
    where: { id: { in: ids }, status: "RECEIVED", availableAt: holdUntil },
    orderBy: { receivedAt: "asc" },
    select: { id: true, shopDomain: true, topic: true, eventId: true, payload: true, attempts: true, receivedAt: true, triggeredAt: true },
  });
}

export async function finishWebhookEvents(db: Db, { ids, status, now }: { ids: string[]; status: "PROCESSED"; now: Date }) {
  if (ids.length === 0) return;
  if (status !== "PROCESSED") throw new RangeError(status);
  await db.$executeRaw`UPDATE "WebhookEvent" SET "status" = 'PROCESSED', "error" = NULL, "processedAt" = ${now}, "availableAt" = NULL
    WHERE "id" IN (${Prisma.join(ids)})`;
}

/**
 * Events already handled that share (shop, topic, X-Shopify-Event-Id) with these: each of an
 * app's subscriptions to a topic gets its own delivery (its own webhook id) of the same event.
 */
export async function findHandledEventIds(db: Db, { events }: { events: { id: string; shopDomain: string; topic: string; eventId: string | null }[] }) {
  const keyed = events.filter((event): event is typeof event & { eventId: string } => event.eventId !== null);
  if (keyed.length === 0) return new Map<string, string>();
  const rows = await db.webhookEvent.findMany({
    where: {
      OR: keyed.map((event) => ({ shopDomain: event.shopDomain, topic: event.topic, eventId: event.eventId })),
      status: { in: ["PROCESSED", "IGNORED"] },
      id: { notIn: keyed.map((event) => event.id) },
    },
    select: { id: true, shopDomain: true, topic: true, eventId: true },
  });
  return new Map(rows.map((row) => [`${row.shopDomain}|${row.topic}|${row.eventId}`, row.id]));
}
