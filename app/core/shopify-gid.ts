/**
 * Shopify global ids ("gid://shopify/Customer/7012345678901"), as admin extensions receive them
 * in `shopify.data.selected`. We store the numeric REST id (CustomerIdentity.sourceId), so the
 * GID is reduced to that number at the edge; anything else is refused rather than guessed at.
 */

// Shopify ids are unsigned 64-bit integers: at most 20 digits, no leading zero.
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/([1-9][0-9]{0,19})$/;

/** "gid://shopify/Customer/123" → "123"; null for another resource, a non-numeric id or stray whitespace. */
export function parseShopifyCustomerGid(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const match = CUSTOMER_GID.exec(value);
  return match?.[1] ?? null;
}
