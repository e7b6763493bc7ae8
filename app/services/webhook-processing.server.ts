import { db as appDb, type Db } from "../db.server";
import type { CanonicalBatch } from "../core/canonical-records";
import { retryDelayMs } from "../core/retry-backoff";
import { parseComplianceWebhook, type ParsedComplianceWebhook } from "../integrations/shopify/compliance-payloads";
import { parseShopifyWebhook, type ParsedShopifyWebhook } from "../integrations/shopify/webhook-payloads";
import { ensureShopForWebhook } from "../repositories/shop-repository.server";
import {
  claimWebhookEvents,
  findHandledEventIds,
  findPendingWebhookEventIds,
  finishWebhookEvent,
  finishWebhookEvents,
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
// Events taken together: enough to keep up with a burst, few enough that the transaction stays
// short (on SQLite every other write waits for it).
const PROCESS_BATCH = 25;
const GATHER_MS = 10;
const MAX_ATTEMPTS = 8;
// Retries back off from 30 s to an hour; eight attempts span about three hours.
const BACKOFF = { baseMs: 30_000, maxMs: 60 * 60 * 1000 };

export type ProcessOutcome = "PROCESSED" | "FAILED" | "IGNORED" | "RETRYING" | "NOT_CLAIMED";

export async function processWebhookEvent(db: Db, { id, now }: { id: string; now: Date }): Promise<ProcessOutcome> {
  const outcomes = await processWebhookEvents(db, { ids: [id], now });
  return outcomes.get(id) ?? "NOT_CLAIMED";
}

type ClaimedEvent = Awaited<ReturnType<typeof claimWebhookEvents>>[number];
type ParsedEvent = ClaimedEvent & { webhook: ParsedWebhook };
type DataEvent = ClaimedEvent & { webhook: Extract<ParsedWebhook, { kind: "order" | "checkout" | "customer" }> };

/**
 * Processes a group of received events. The order, checkout and customer events of one shop go
 * through one ingestion transaction together: under a burst of deliveries that is what keeps the
 * processing ahead of the intake. If that transaction fails, each event is retried on its own,
 * so one bad event holds back nobody else.
 */
export async function processWebhookEvents(db: Db, { ids, now }: { ids: string[]; now: Date }): Promise<Map<string, ProcessOutcome>> {
  // A random offset makes this claim's hold time its own mark (claimWebhookEvents).
  const holdUntil = new Date(now.getTime() + HOLD_MS + Math.floor(Math.random() * 60_000));
  const claimed = await claimWebhookEvents(db, { ids, now, holdUntil });
  const outcomes = new Map<string, ProcessOutcome>();
  const parsedEvents: ParsedEvent[] = [];
  // The same event through a second subscription (same X-Shopify-Event-Id, its own webhook id):
  // handled once. The data rules would make a second pass a no-op; this skips the work.
  const handled = await findHandledEventIds(db, { events: claimed });
  for (const event of claimed) {
    const key = `${event.shopDomain}|${event.topic}|${event.eventId}`;
    const original = event.eventId ? handled.get(key) : undefined;
    if (original) {
      await finishWebhookEvent(db, { id: event.id, status: "IGNORED", error: `Duplicate of event ${original} (same X-Shopify-Event-Id)`, now });
      outcomes.set(event.id, "IGNORED");
      continue;
    }
    if (event.eventId) handled.set(key, event.id);
    const parsed = parseStoredEvent(event);
    if (parsed.ok) {
      parsedEvents.push({ ...event, webhook: parsed.webhook });
    } else {
      await finishWebhookEvent(db, { id: event.id, status: parsed.status, error: parsed.error, now });
      outcomes.set(event.id, parsed.status);
    }
  }

  const byShop = new Map<string, DataEvent[]>();
  for (const event of parsedEvents) {
    if (isDataEvent(event)) byShop.set(event.shopDomain, [...(byShop.get(event.shopDomain) ?? []), event]);
    else outcomes.set(event.id, await applyOne(db, event, now));
  }
  for (const [shopDomain, events] of byShop) {
    if (events.length > 1) {
      try {
        const ignoredBecause = await ingestDataEvents(db, { shopDomain, events, now });
        if (ignoredBecause) {
          for (const event of events) {
            await finishWebhookEvent(db, { id: event.id, status: "IGNORED", error: ignoredBecause, now });
            outcomes.set(event.id, "IGNORED");
          }
        } else {
          await finishWebhookEvents(db, { ids: events.map((event) => event.id), status: "PROCESSED", now });
          for (const event of events) outcomes.set(event.id, "PROCESSED");
        }
        continue;
      } catch {
        // Fall through: one by one, each with its own outcome.
      }
    }
    for (const event of events) outcomes.set(event.id, await applyOne(db, event, now));
  }
  return outcomes;
}

function parseStoredEvent(event: ClaimedEvent): { ok: true; webhook: ParsedWebhook } | { ok: false; status: "FAILED" | "IGNORED"; error: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(event.payload);
  } catch {
    return { ok: false, status: "FAILED", error: "Stored payload is not JSON" };
  }
  // A retried delivery carries the payload from trigger time: liveness counts from then.
  const parsed = parseWebhook({ topic: event.topic, payload, receivedAt: event.triggeredAt ?? event.receivedAt });
  if (!parsed) return { ok: false, status: "IGNORED", error: `No handler for topic ${event.topic}` };
  if (!parsed.ok) return { ok: false, status: "FAILED", error: parsed.reason };
  return { ok: true, webhook: parsed.value };
}

function isDataEvent(event: ParsedEvent): event is DataEvent {
  return event.webhook.kind === "order" || event.webhook.kind === "checkout" || event.webhook.kind === "customer";
}

/** One event on its own: applied, or put back for a later attempt when it failed. */
async function applyOne(db: Db, event: ParsedEvent, now: Date): Promise<ProcessOutcome> {
  try {
    const ignoredBecause = isDataEvent(event)
      ? await ingestDataEvents(db, { shopDomain: event.shopDomain, events: [event], now })
      : await applyWebhook(db, { shopDomain: event.shopDomain, webhook: event.webhook as Exclude<ParsedWebhook, DataEvent["webhook"]>, now });
    await finishWebhookEvent(db, {
      id: event.id,
      status: ignoredBecause ? "IGNORED" : "PROCESSED",
      error: ignoredBecause,
      now,
      // A compliance request names a person; once honoured, only the ids stay on record.
      ...(isPersonalComplianceRequest(event.webhook) ? { payload: JSON.stringify(complianceRecordOf(event.webhook)) } : {}),
    });
    return ignoredBecause ? "IGNORED" : "PROCESSED";
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (event.attempts >= MAX_ATTEMPTS) {
      await finishWebhookEvent(db, { id: event.id, status: "FAILED", error: `Gave up after ${event.attempts} attempts: ${message}`, now });
      return "FAILED";
    }
    await retryWebhookEventLater(db, { id: event.id, error: message, retryAt: new Date(now.getTime() + retryDelayMs(event.attempts, BACKOFF)) });
    return "RETRYING";
  }
}

/** The data events of one shop in one ingestion; returns why they were ignored, or null. */
async function ingestDataEvents(db: Db, { shopDomain, events, now }: { shopDomain: string; events: DataEvent[]; now: Date }): Promise<string | null> {
  const batch: Required<CanonicalBatch> = { customers: [], orders: [], checkouts: [] };
  for (const { webhook } of events) {
    if (webhook.kind === "order") batch.orders.push(webhook.order);
    else if (webhook.kind === "checkout") batch.checkouts.push(webhook.checkout);
    else batch.customers.push(webhook.customer);
  }
  // Shopify's REST order `currency` is the shop currency: the best guess for a shop first seen through a webhook.
  const currency = batch.orders[0]?.currency ?? batch.checkouts[0]?.currency ?? null;
  const shop = await ensureShopForWebhook(db, { domain: shopDomain, currency });
  if (shop.uninstalledAt) return "Shop is uninstalled";
  await ingestBatch(db, { shopId: shop.id, batch, now });
  return null;
}

/** Applies an uninstall or a compliance request; returns why it was ignored, or null when it was applied. */
async function applyWebhook(
  db: Db,
  { shopDomain, webhook, now }: { shopDomain: string; webhook: Exclude<ParsedWebhook, DataEvent["webhook"]>; now: Date },
): Promise<string | null> {
  switch (webhook.kind) {
    case "app-uninstalled":
      await stopShopActivity(db, { shopDomain, now });
      return null;
    case "customers-data-request":
    case "customers-redact":
    case "shop-redact":
      // "no-shop" and "no-customer" are answers too (nothing is held): the request is honoured.
      await applyComplianceRequest(db, { shopDomain, request: webhook, now });
      return null;
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
  for (let start = 0; start < ids.length; start += PROCESS_BATCH) {
    const chunk = ids.slice(start, start + PROCESS_BATCH);
    const results = await processWebhookEvents(db, { ids: chunk, now: new Date() });
    for (const id of chunk) outcomes[results.get(id) ?? "NOT_CLAIMED"]++;
  }
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
    while (queue.size > 0) {
      const ids = [...queue].slice(0, PROCESS_BATCH);
      for (const id of ids) queue.delete(id);
      try {
        await processWebhookEvents(getDb(), { ids, now: new Date() });
      } catch (error) {
        // The events stay RECEIVED; the sweep retries them once their hold lapses.
        console.warn(`Webhook events could not be processed now: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  return {
    wake(eventId) {
      queue.add(eventId);
      // A few milliseconds' wait gathers the deliveries of a burst into one transaction.
      running ??= new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))
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


export type WebhookPoller = { stop(): Promise<void> };

/**
 * For `npm run jobs:work` beside a web process that only records (LETTERLOOP_BACKGROUND=worker):
 * takes received events from the table as they arrive, a group at a time.
 */
export function startWebhookPoller({ getDb, intervalMs = 100 }: { getDb: () => Db; intervalMs?: number }): WebhookPoller {
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      let handled = 0;
      try {
        const now = new Date();
        const ids = await findPendingWebhookEventIds(getDb(), { now, olderThan: now, limit: PROCESS_BATCH });
        if (ids.length > 0) handled = (await processWebhookEvents(getDb(), { ids, now })).size;
      } catch (error) {
        console.warn(`Webhook poller: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (handled === 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
