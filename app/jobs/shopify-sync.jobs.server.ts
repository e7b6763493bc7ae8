import { z } from "zod";
import { defineJob, type JobContext, type JobDefinition } from "./job-definitions";

/**
 * The Shopify sync jobs: the back-fill once per install, and the hourly order reconciliation.
 * Their handlers live in app/services/shopify-backfill.server.ts (jobs never import services),
 * which binds them here and exports the definitions to register.
 */

export const SHOPIFY_BACKFILL_JOB = "shopify.backfill";
export const SHOPIFY_RECONCILE_ORDERS_JOB = "shopify.reconcile-orders";

export const ShopifySyncPayloadSchema = z.object({ shopId: z.string().min(1) });
export type ShopifySyncPayload = z.infer<typeof ShopifySyncPayloadSchema>;

export type ShopifySyncHandlers = {
  backfill(payload: ShopifySyncPayload, context: JobContext): Promise<void>;
  reconcileOrders(payload: ShopifySyncPayload, context: JobContext): Promise<void>;
};

export function defineShopifySyncJobs(handlers: ShopifySyncHandlers): {
  backfill: JobDefinition<typeof ShopifySyncPayloadSchema>;
  reconcileOrders: JobDefinition<typeof ShopifySyncPayloadSchema>;
} {
  return {
    backfill: defineJob({ name: SHOPIFY_BACKFILL_JOB, payload: ShopifySyncPayloadSchema, handler: handlers.backfill }),
    reconcileOrders: defineJob({
      name: SHOPIFY_RECONCILE_ORDERS_JOB,
      payload: ShopifySyncPayloadSchema,
      handler: handlers.reconcileOrders,
    }),
  };
}

/** One back-fill per shop, ever (a reinstall keeps the shop's data and its reconciliation). */
export function backfillDedupeKey(shopId: string): string {
  return `shopify-backfill:${shopId}`;
}

/** One reconciliation per shop and clock hour (UTC) of its due time. */
export function reconcileOrdersDedupeKey(shopId: string, runAt: Date): string {
  return `shopify-reconcile-orders:${shopId}:${runAt.toISOString().slice(0, 13)}`;
}
