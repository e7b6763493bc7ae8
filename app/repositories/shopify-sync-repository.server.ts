import type { Db } from "../db.server";

/**
 * Reads and writes of the Shopify back-fill and order reconciliation: the shop's sync state,
 * the import run with its resume cursor, and the stored versions the sync compares against.
 * Every call is scoped by shop.
 */

export type ImportKindForSync = "SHOPIFY_BACKFILL" | "SHOPIFY_RECONCILE";

export function findShopForSync(db: Db, { shopId }: { shopId: string }) {
  return db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, domain: true, uninstalledAt: true, ordersReconciledAt: true },
  });
}

export function findRecentImportRuns(db: Db, { shopId, kind, take }: { shopId: string; kind: ImportKindForSync; take: number }) {
  return db.importRun.findMany({ where: { shopId, kind }, orderBy: { createdAt: "desc" }, take });
}

export function createImportRun(
  db: Db,
  { shopId, kind, status, cursor, startedAt }: { shopId: string; kind: ImportKindForSync; status: "QUEUED" | "RUNNING"; cursor: string; startedAt: Date | null },
) {
  return db.importRun.create({ data: { shopId, kind, status, cursor, startedAt } });
}

export function markImportRunStarted(db: Db, { shopId, runId, at }: { shopId: string; runId: string; at: Date }) {
  return db.importRun.update({
    where: { id: runId, shopId },
    data: { status: "RUNNING", startedAt: at, finishedAt: null },
  });
}

/** Moves the cursor without counting anything (a new bulk operation, a finished phase). */
export function saveImportCursor(db: Db, { shopId, runId, cursor, totalRows }: { shopId: string; runId: string; cursor: string; totalRows?: number | null }) {
  return db.importRun.update({
    where: { id: runId, shopId },
    data: { cursor, ...(totalRows !== undefined ? { totalRows } : {}) },
  });
}

/**
 * One committed batch: counts, row errors and the cursor in one transaction, so a run killed
 * after this resumes behind the batch and never records its errors twice.
 */
export async function recordImportBatch(
  db: Db,
  {
    shopId,
    runId,
    cursor,
    processedRows,
    created,
    updated,
    skipped,
    rowErrors,
  }: {
    shopId: string;
    runId: string;
    cursor: string;
    processedRows: number;
    created: number;
    updated: number;
    skipped: number;
    rowErrors: { line: number; reason: string }[];
  },
) {
  await db.$transaction([
    db.importRun.update({
      where: { id: runId, shopId },
      data: {
        cursor,
        processedRows,
        createdCount: { increment: created },
        updatedCount: { increment: updated },
        skippedCount: { increment: skipped },
        errorCount: { increment: rowErrors.length },
      },
    }),
    db.importRowError.createMany({
      data: rowErrors.map((error) => ({ shopId, importRunId: runId, line: error.line, reason: error.reason.slice(0, 1000) })),
    }),
  ]);
}

export function finishImportRun(
  db: Db,
  { shopId, runId, status, at, failureReason, cursor }: { shopId: string; runId: string; status: "SUCCEEDED" | "FAILED"; at: Date; failureReason?: string | null; cursor?: string },
) {
  return db.importRun.update({
    where: { id: runId, shopId },
    data: { status, finishedAt: at, failureReason: failureReason ?? null, ...(cursor !== undefined ? { cursor } : {}) },
  });
}

/** Notes a failed attempt that will be retried; the run stays RUNNING. */
export function noteImportRunFailure(db: Db, { shopId, runId, reason }: { shopId: string; runId: string; reason: string }) {
  return db.importRun.update({ where: { id: runId, shopId }, data: { failureReason: reason.slice(0, 1000) } });
}

/** A finished run in one write (reconciliations that repaired something). */
export function recordFinishedImportRun(
  db: Db,
  data: {
    shopId: string;
    kind: ImportKindForSync;
    startedAt: Date;
    finishedAt: Date;
    processedRows: number;
    createdCount: number;
    updatedCount: number;
    skippedCount: number;
    errorCount: number;
  },
) {
  return db.importRun.create({ data: { ...data, status: "SUCCEEDED", totalRows: data.processedRows } });
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
