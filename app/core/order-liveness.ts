/**
 * Whether an order arrived as it happened (PRODUCT.md A1, D1). Migration apps import history
 * through the Admin API, and Shopify fires orders/create for every imported order; those carry
 * their original processed_at. Only an order processed within a day of its delivery is live,
 * so pushing history never mails anyone.
 */
export const LIVE_ORDER_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function isLiveOrder({ processedAt, receivedAt }: { processedAt: Date; receivedAt: Date }): boolean {
  return receivedAt.getTime() - processedAt.getTime() <= LIVE_ORDER_MAX_AGE_MS;
}
