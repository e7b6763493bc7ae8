import { db } from "../db.server";
import { describeBackfillProgress } from "./shopify-backfill.server";

export async function listImportRuns({ shopId }: { shopId: string }) {
  const runs = await db().importRun.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return runs.map((run) => ({
    id: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: (run.startedAt ?? run.createdAt).toISOString(),
    createdCount: run.createdCount,
    updatedCount: run.updatedCount,
    skippedCount: run.skippedCount,
    errorCount: run.errorCount,
  }));
}

/** The shop's latest Shopify back-fill for the imports page: state, rows so far, phase and percent. */
export async function findShopifyBackfillStatus({ shopId }: { shopId: string }) {
  const run = await db().importRun.findFirst({
    where: { shopId, kind: "SHOPIFY_BACKFILL" },
    orderBy: { createdAt: "desc" },
  });
  if (!run) return null;
  const progress = describeBackfillProgress(run);
  return {
    status: run.status,
    processedRows: run.processedRows,
    phase: progress?.phase ?? null,
    percent: run.status === "SUCCEEDED" ? 100 : (progress?.percent ?? 0),
    failureReason: run.failureReason,
  };
}
