import type { Db } from "../db.server";

/**
 * Reads and writes of the Shopify back-fill and order reconciliation: the shop's sync state,
 * the import run with its resume cursor, and the stored versions the sync compares against.
 * Every call is scoped by shop.
 */

export type ImportKindForSync = "SHOPIFY_BACKFILL" | "SHOPIFY_RECONCILE";

export {
  createImportRun,
  findRecentImportRuns,
  finishImportRun,
  markImportRunStarted,
  noteImportRunFailure,
  recordFinishedImportRun,
  recordImportBatch,
  saveImportCursor,
} from "./import-run-repository.server";

export function findShopForSync(db: Db, { shopId }: { shopId: string }) {
  return db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, domain: true, uninstalledAt: true, ordersReconciledAt: true },
  });
}

/** Never moves the mark backwards: a slow back-fill must not undo a later reconciliation. */
export async function advanceOrdersReconciledAt(db: Db, { shopId, at }: { shopId: string; at: Date }) {
  await db.shop.updateMany({
    where: { id: shopId, OR: [{ ordersReconciledAt: null }, { ordersReconciledAt: { lt: at } }] },
    data: { ordersReconciledAt: at },
  });
}

/** source id → the stored order's sourceUpdatedAt, for the Shopify orders among `sourceIds`. */
export async function findShopifyOrderVersions(db: Db, { shopId, sourceIds }: { shopId: string; sourceIds: string[] }) {
  const rows = sourceIds.length
    ? await db.order.findMany({
        where: { shopId, source: "SHOPIFY", sourceId: { in: sourceIds } },
        select: { sourceId: true, sourceUpdatedAt: true },
      })
    : [];
  return new Map(rows.map((row) => [row.sourceId, row.sourceUpdatedAt]));
}

/** Stored checkouts under the given tokens or cart tokens, for matching back-filled ones. */
export function findCheckoutsByTokens(db: Db, { shopId, tokens, cartTokens }: { shopId: string; tokens: string[]; cartTokens: string[] }) {
  if (tokens.length === 0 && cartTokens.length === 0) return Promise.resolve([]);
  return db.checkout.findMany({
    where: {
      shopId,
      OR: [
        ...(tokens.length ? [{ token: { in: tokens } }] : []),
        ...(cartTokens.length ? [{ cartToken: { in: cartTokens } }] : []),
      ],
    },
    select: { token: true, cartToken: true, email: true, customerLocale: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}
