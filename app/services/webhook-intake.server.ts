import { db } from "../db.server";
import { env } from "../env.server";
import {
  deleteShopSessions,
  markShopUninstalled,
  recordWebhookEvent,
} from "../repositories/webhook-event-repository.server";
import { authenticate } from "../shopify.server";
import { parseWebhook, webhookProcessor } from "./webhook-processing.server";

/**
 * Verify, record, acknowledge. `authenticate.webhook` answers 401 itself on a bad HMAC.
 * A verified delivery is stored under (shop, webhook id) before anything else happens, so a
 * redelivery is recognised and changes nothing; processing runs from the stored event.
 * Shopify allows 5 s per delivery, so nothing slow happens here.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  const headers = request.headers;
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof SyntaxError) {
      // The HMAC matched but the body is not JSON: record it as failed and answer 200,
      // because a retry would carry the same body and fail the same way.
      await recordWebhookEvent(db(), {
        shopDomain: headers.get("x-shopify-shop-domain") ?? "unknown",
        topic: headers.get("x-shopify-topic") ?? "unknown",
        webhookId: headers.get("x-shopify-webhook-id") ?? `invalid-${Date.now()}`,
        eventId: headers.get("x-shopify-event-id"),
        apiVersion: headers.get("x-shopify-api-version"),
        triggeredAt: parseDate(headers.get("x-shopify-triggered-at")),
        payload: "",
        status: "FAILED",
        error: `Body is not JSON: ${error.message}`,
      });
      return new Response(null, { status: 200 });
    }
    throw error;
  }

  const { shop, topic, webhookId, eventId, apiVersion, triggeredAt, payload } = context;
  const triggered = parseDate(triggeredAt ?? null);
  // Parsing is cheap and pure: a malformed payload is recorded as failed with its reason right
  // here, answered 200 all the same (a retry would carry the same payload).
  const parsed = parseWebhook({ topic: String(topic), payload, receivedAt: triggered ?? new Date() });
  const verdict = parsed === null
    ? { status: "IGNORED" as const, error: `No handler for topic ${String(topic)}` }
    : parsed.ok
      ? { status: "RECEIVED" as const, error: null }
      : { status: "FAILED" as const, error: parsed.reason };
  const recorded = await recordWebhookEvent(db(), {
    shopDomain: shop,
    topic: String(topic),
    webhookId,
    eventId: eventId ?? null,
    apiVersion: apiVersion ?? null,
    triggeredAt: triggered,
    payload: JSON.stringify(payload),
    ...verdict,
  });
  // With a separate worker the web process only records; the worker's poller takes it from here.
  if (recorded.created && verdict.status === "RECEIVED" && env().background === "in-process") webhookProcessor().wake(recorded.id);

  if (recorded.created && String(topic) === "APP_UNINSTALLED") {
    // E3: the shop's tokens go at once; its data stays until shop/redact (48 h later).
    await deleteShopSessions(db(), { shopDomain: shop });
    await markShopUninstalled(db(), { shopDomain: shop, at: new Date() });
  }
  return new Response(null, { status: 200 });
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
