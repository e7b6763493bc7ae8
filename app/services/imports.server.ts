import { db } from "../db.server";
import { describeBackfillProgress } from "./shopify-backfill.server";
import { createDownloadUrl } from "./stored-files.server";

export const IMPORT_HISTORY_SIZE = 50;

/**
 * The shop's import history (issue 5): every run of every source, newest first, with its counts,
 * how far a running one has got, and a fresh signed link to its error report.
 */
export async function listImportRuns({ shopId, now = new Date() }: { shopId: string; now?: Date }) {
  const runs = await db().importRun.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take: IMPORT_HISTORY_SIZE,
    select: {
      id: true,
      kind: true,
      status: true,
      originalFilename: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      processedRows: true,
      totalRows: true,
      processedBytes: true,
      totalBytes: true,
      createdCount: true,
      updatedCount: true,
      skippedCount: true,
      errorCount: true,
      errorReportFileId: true,
      failureReason: true,
    },
  });
  return runs.map((run) => ({
    id: run.id,
    kind: run.kind,
    status: run.status,
    filename: run.originalFilename,
    startedAt: (run.startedAt ?? run.createdAt).toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    processedRows: run.processedRows,
    percent: progressPercent(run),
    createdCount: run.createdCount,
    updatedCount: run.updatedCount,
    skippedCount: run.skippedCount,
    errorCount: run.errorCount,
    failureReason: run.failureReason,
    // Signed links expire after minutes, so they are made on every page load.
    errorReportUrl: run.errorReportFileId ? createDownloadUrl({ shopId, fileId: run.errorReportFileId, now }) : null,
  }));
}

/** How far a run has got: bytes of a CSV file, rows of a source that announced its total, else unknown. */
function progressPercent(run: { status: string; processedBytes: number; totalBytes: number | null; processedRows: number; totalRows: number | null }): number | null {
  if (run.status === "SUCCEEDED") return 100;
  if (run.totalBytes) return Math.min(100, Math.floor((run.processedBytes / run.totalBytes) * 100));
  if (run.totalRows) return Math.min(100, Math.floor((run.processedRows / run.totalRows) * 100));
  return null;
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
