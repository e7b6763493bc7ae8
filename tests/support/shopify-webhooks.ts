import { createHmac, randomUUID } from "node:crypto";

export const TEST_API_SECRET = "test-api-secret";

/** base64(HMAC-SHA256(raw body, app secret)): Shopify's X-Shopify-Hmac-Sha256. */
export function signBody(body: string, secret = TEST_API_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** The headers Shopify sends with every HTTPS delivery. */
export function webhookHeaders({
  topic,
  shop,
  body,
  secret = TEST_API_SECRET,
  webhookId = randomUUID(),
  eventId = randomUUID(),
  triggeredAt = new Date().toISOString(),
  hmac,
}: {
  topic: string;
  shop: string;
  body: string;
  secret?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  hmac?: string;
}): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-07",
    "x-shopify-webhook-id": webhookId,
    "x-shopify-event-id": eventId,
    "x-shopify-triggered-at": triggeredAt,
    "x-shopify-hmac-sha256": hmac ?? signBody(body, secret),
  };
}

export function webhookRequest(
  baseUrl: string,
  options: Parameters<typeof webhookHeaders>[0],
): Request {
  return new Request(`${baseUrl}/webhooks/${options.topic}`, {
    method: "POST",
    body: options.body,
    headers: webhookHeaders(options),
  });
}
