/**
 * The Admin GraphQL AbandonedCheckout has no token field, and webhooks and orders know a
 * checkout only by its tokens, so the recovery URL is the one join we have
 * (docs/decisions/0006-abandoned-checkout-matching.md). Shapes seen in Shopify's documentation
 * and in real stores:
 *
 * - `https://{shop}/{shop id}/checkouts/ac/{cart token}/recover?key={secret}&locale=de-DE`
 *   (current checkout; Shopify's own abandonedCheckouts example names the segment
 *   `cart_token_…`, and in webhook payloads it equals `cart_token`, not `token`);
 * - `https://{shop}/checkouts/cn/{cart token}` (the same cart in the one-page checkout URL);
 * - `https://{shop}/{shop id}/checkouts/{checkout token}/recover?key={secret}` (legacy checkout;
 *   the REST sample payloads use this form, the segment equals the webhook `token`).
 *
 * The `key` parameter is a secret for the recovery link, not a token: it is never used to match.
 */

export type CheckoutUrlToken =
  | { kind: "checkout"; token: string }
  | { kind: "cart"; token: string };

/** Markers in front of a cart token; anything else after `checkouts/` is a checkout token. */
const CART_TOKEN_MARKERS = new Set(["ac", "cn"]);
const RESERVED_SEGMENTS = new Set(["ac", "cn", "c", "recover", "checkouts", "thank_you", "thank-you"]);
// Hex checkout tokens, cart tokens ("hWN…", base64 "Z2Nw…"), and the documentation's placeholders.
const TOKEN_PATTERN = /^[A-Za-z0-9_=-]{3,255}$/;

/** The token carried by an abandoned-checkout URL, or null when the URL has none we recognise. */
export function tokenFromAbandonedCheckoutUrl(value: string | null | undefined): CheckoutUrlToken | null {
  const url = parseHttpUrl(value);
  if (!url) return null;
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0).map(decodeSegment);
  const at = segments.lastIndexOf("checkouts");
  if (at === -1) return null;
  const next = segments[at + 1];
  if (next === undefined) return null;
  if (CART_TOKEN_MARKERS.has(next)) {
    const token = segments[at + 2];
    return token !== undefined && isToken(token) ? { kind: "cart", token } : null;
  }
  return isToken(next) ? { kind: "checkout", token: next } : null;
}

/** The buyer's checkout language from the URL's `locale` parameter ("de-DE"), when present. */
export function localeFromAbandonedCheckoutUrl(value: string | null | undefined): string | null {
  const locale = parseHttpUrl(value)?.searchParams.get("locale")?.trim();
  return locale ? locale : null;
}

function isToken(segment: string): boolean {
  return TOKEN_PATTERN.test(segment) && !RESERVED_SEGMENTS.has(segment.toLowerCase());
}

function parseHttpUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
