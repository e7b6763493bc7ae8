import type { ImportKind } from "../../prisma/client/sqlite/enums";
import type { Db } from "../db.server";

/**
 * An import run's life, whatever the source (Shopify back-fill, Billbee, CSV, import API):
 * created, started, one committed batch at a time with its counts, row errors and resume cursor,
 * then finished. Every call is scoped by shop.
 */

export function findRecentImportRuns(db: Db, { shopId, kind, take }: { shopId: string; kind: ImportKind; take: number }) {
  return db.importRun.findMany({ where: { shopId, kind }, orderBy: { createdAt: "desc" }, take });
}

export function createImportRun(
  db: Db,
  { shopId, kind, status, cursor, startedAt }: { shopId: string; kind: ImportKind; status: "QUEUED" | "RUNNING"; cursor: string; startedAt: Date | null },
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

export type ImportBatchRecord = {
  shopId: string;
  runId: string;
  cursor: string;
  processedRows: number;
  created: number;
  updated: number;
  skipped: number;
  rowErrors: { line: number; column?: string | null; reason: string }[];
  /** CSV progress: bytes of the file read up to this batch. */
  processedBytes?: number;
};

/**
 * One committed batch: counts, row errors and the cursor in one transaction, so a run killed
 * after this resumes behind the batch and never records its errors twice.
 */
export async function recordImportBatch(db: Db, record: ImportBatchRecord) {
  await db.$transaction((tx) => writeImportBatch(tx, record));
}

/**
 * The same inside the caller's transaction: an import passes this to ingestBatch, so the batch's
 * data and its record commit together and a resumed run counts every order exactly once.
 */
export async function writeImportBatch(
  tx: Pick<Db, "importRun" | "importRowError">,
  { shopId, runId, cursor, processedRows, created, updated, skipped, rowErrors, processedBytes }: ImportBatchRecord,
) {
  await tx.importRun.update({
    where: { id: runId, shopId },
    data: {
      cursor,
      processedRows,
      createdCount: { increment: created },
      updatedCount: { increment: updated },
      skippedCount: { increment: skipped },
      errorCount: { increment: rowErrors.length },
      ...(processedBytes !== undefined ? { processedBytes } : {}),
    },
  });
  if (rowErrors.length > 0) {
    await tx.importRowError.createMany({
      data: rowErrors.map((error) => ({ shopId, importRunId: runId, line: error.line, column: error.column ?? null, reason: error.reason.slice(0, 1000) })),
    });
  }
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
    kind: ImportKind;
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

