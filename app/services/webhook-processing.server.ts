import { db as appDb, type Db } from "../db.server";
import type { CanonicalBatch } from "../core/canonical-records";
import { retryDelayMs } from "../core/retry-backoff";
import { parseComplianceWebhook, type ParsedComplianceWebhook } from "../integrations/shopify/compliance-payloads";
import { parseShopifyWebhook, type ParsedShopifyWebhook } from "../integrations/shopify/webhook-payloads";
import { ensureShopForWebhook } from "../repositories/shop-repository.server";
import {
  claimWebhookEvent,
  findPendingWebhookEventIds,
  finishWebhookEvent,
  retryWebhookEventLater,
} from "../repositories/webhook-event-repository.server";
import { applyComplianceRequest, stopShopActivity } from "./compliance.server";
import { ingestBatch } from "./ingestion.server";

/**
 * Processing of recorded webhook deliveries (STYLE.md: verify, record, acknowledge, process).
 * The intake answers Shopify as soon as the event is stored; this runs right after, in the same
 * process, one event at a time (SQLite has one writer; serial processing keeps the intake's
 * inserts from queueing behind long transactions). Events a crash left behind are picked up by
 * the periodic sweep job. Processing is idempotent, so an event processed twice changes nothing.
 */

export type ParsedWebhook = ParsedShopifyWebhook | ParsedComplianceWebhook;

/** Parses a delivery's payload: null for a topic the app does not act on. */
export function parseWebhook({ topic, payload, receivedAt }: { topic: string; payload: unknown; receivedAt: Date }) {
  return parseShopifyWebhook({ topic, payload, receivedAt }) ?? parseComplianceWebhook({ topic, payload });
}

const HOLD_MS = 2 * 60 * 1000;
const MAX_ATTEMPTS = 8;
// Retries back off from 30 s to an hour; eight attempts span about three hours.
const BACKOFF = { baseMs: 30_000, maxMs: 60 * 60 * 1000 };

export type ProcessOutcome = "PROCESSED" | "FAILED" | "IGNORED" | "RETRYING" | "NOT_CLAIMED";

export async function processWebhookEvent(db: Db, { id, now }: { id: string; now: Date }): Promise<ProcessOutcome> {
  const event = await claimWebhookEvent(db, { id, now, holdUntil: new Date(now.getTime() + HOLD_MS) });
  if (!event) return "NOT_CLAIMED";
  try {
    let payload: unknown;
    try {
      payload = JSON.parse(event.payload);
    } catch {
      await finishWebhookEvent(db, { id, status: "FAILED", error: "Stored payload is not JSON", now });
      return "FAILED";
    }
    // A retried delivery carries the payload from trigger time: liveness counts from then.
    const receivedAt = event.triggeredAt ?? event.receivedAt;
    const parsed = parseWebhook({ topic: event.topic, payload, receivedAt });
    if (!parsed) {
      await finishWebhookEvent(db, { id, status: "IGNORED", error: `No handler for topic ${event.topic}`, now });
      return "IGNORED";
    }
    if (!parsed.ok) {
      await finishWebhookEvent(db, { id, status: "FAILED", error: parsed.reason, now });
      return "FAILED";
    }
    const ignoredBecause = await applyWebhook(db, { shopDomain: event.shopDomain, webhook: parsed.value, now });
    await finishWebhookEvent(db, {
      id,
      status: ignoredBecause ? "IGNORED" : "PROCESSED",
      error: ignoredBecause,
      now,
      // A compliance request names a person; once honoured, only the ids stay on record.
      ...(isPersonalComplianceRequest(parsed.value) ? { payload: JSON.stringify(complianceRecordOf(parsed.value)) } : {}),
    });
    return ignoredBecause ? "IGNORED" : "PROCESSED";
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (event.attempts >= MAX_ATTEMPTS) {
      await finishWebhookEvent(db, { id, status: "FAILED", error: `Gave up after ${event.attempts} attempts: ${message}`, now });
      return "FAILED";
    }
    await retryWebhookEventLater(db, { id, error: message, retryAt: new Date(now.getTime() + retryDelayMs(event.attempts, BACKOFF)) });
    return "RETRYING";
  }
}

/** Applies one parsed delivery; returns why it was ignored, or null when it was applied. */
async function applyWebhook(db: Db, { shopDomain, webhook, now }: { shopDomain: string; webhook: ParsedWebhook; now: Date }): Promise<string | null> {
  switch (webhook.kind) {
    case "app-uninstalled":
      await stopShopActivity(db, { shopDomain, now });
      return null;
    case "customers-data-request":
    case "customers-redact":
    case "shop-redact": {
      // "no-shop" and "no-customer" are answers too (nothing is held): the request is honoured.
      await applyComplianceRequest(db, { shopDomain, request: webhook, now });
      return null;
    }
    case "order":
    case "checkout":
    case "customer": {
      const batch: CanonicalBatch =
        webhook.kind === "order" ? { orders: [webhook.order] } : webhook.kind === "checkout" ? { checkouts: [webhook.checkout] } : { customers: [webhook.customer] };
      // Shopify's REST order `currency` is the shop currency: the best guess for a shop first seen through a webhook.
      const currency = webhook.kind === "order" ? webhook.order.currency : webhook.kind === "checkout" ? webhook.checkout.currency : null;
      const shop = await ensureShopForWebhook(db, { domain: shopDomain, currency });
      if (shop.uninstalledAt) return "Shop is uninstalled";
      await ingestBatch(db, { shopId: shop.id, batch, now });
      return null;
    }
  }
}

function isPersonalComplianceRequest(webhook: ParsedWebhook): webhook is Extract<ParsedComplianceWebhook, { shopifyCustomerId: string | null }> {
  return webhook.kind === "customers-data-request" || webhook.kind === "customers-redact";
}

function complianceRecordOf(webhook: Extract<ParsedComplianceWebhook, { shopifyCustomerId: string | null }>) {
  return {
    kind: webhook.kind,
    customer: { id: webhook.shopifyCustomerId },
    ...(webhook.kind === "customers-redact" ? { orders_to_redact: webhook.ordersToRedact } : { orders_requested: webhook.ordersRequested, data_request: { id: webhook.dataRequestId } }),
    personal_data_removed: true,
  };
}

/** Received events no processor holds (a crash, a due retry): for the periodic sweep. */
export async function processPendingWebhookEvents(db: Db, { now, limit = 500 }: { now: Date; limit?: number }) {
  const ids = await findPendingWebhookEventIds(db, { now, olderThan: new Date(now.getTime() - 30_000), limit });
  const outcomes: Record<ProcessOutcome, number> = { PROCESSED: 0, FAILED: 0, IGNORED: 0, RETRYING: 0, NOT_CLAIMED: 0 };
  for (const id of ids) outcomes[await processWebhookEvent(db, { id, now: new Date() })]++;
  return outcomes;
}

export type WebhookProcessor = {
  /** Queues a recorded event for processing right away. */
  wake(eventId: string): void;
  /** Resolves when everything queued so far has been processed (tests, shutdown). */
  idle(): Promise<void>;
};

declare global {
  var __letterloopWebhookProcessor: WebhookProcessor | undefined;
}

/** The process-wide in-process processor. */
export function webhookProcessor(): WebhookProcessor {
  globalThis.__letterloopWebhookProcessor ??= createWebhookProcessor(() => appDb());
  return globalThis.__letterloopWebhookProcessor;
}

export function createWebhookProcessor(getDb: () => Db): WebhookProcessor {
  const queue = new Set<string>();
  let running: Promise<void> | null = null;

  async function drain() {
    for (let next = first(queue); next !== undefined; next = first(queue)) {
      queue.delete(next);
      try {
        await processWebhookEvent(getDb(), { id: next, now: new Date() });
      } catch (error) {
        // The event stays RECEIVED; the sweep retries it once its hold lapses.
        console.warn(`Webhook event ${next} could not be processed now: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  return {
    wake(eventId) {
      queue.add(eventId);
      running ??= new Promise<void>((resolve) => setImmediate(resolve))
        .then(drain)
        .finally(() => {
          running = null;
        });
    },
    async idle() {
      while (running) await running;
    },
  };
}

function first(set: Set<string>): string | undefined {
  for (const value of set) return value;
  return undefined;
}
