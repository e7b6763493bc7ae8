import { stringify } from "csv-stringify/sync";
import { db } from "../db.server";
import { createDownloadUrl, storeFile } from "./stored-files.server";

/**
 * The downloadable error report of an import run (A3): one CSV row per skipped row with its
 * line, column and reason, written once when the run finishes. Row errors are read page by
 * page and streamed into the file store, so a file where all of a million rows are bad still
 * never sits in memory whole.
 */

const PAGE_SIZE = 5_000;
export const ERROR_REPORT_HEADER = ["line", "column", "reason"] as const;

/** Writes the run's report and links it to the run; nothing is written for a run without row errors. Returns the file id. */
export async function writeImportErrorReport({ shopId, runId }: { shopId: string; runId: string }): Promise<string | null> {
  const run = await db().importRun.findFirst({ where: { id: runId, shopId }, select: { errorReportFileId: true, originalFilename: true, kind: true } });
  if (!run) return null;
  if (run.errorReportFileId) return run.errorReportFileId;
  const first = await db().importRowError.findFirst({ where: { shopId, importRunId: runId }, select: { id: true } });
  if (!first) return null;

  const file = await storeFile({
    shopId,
    kind: "IMPORT_REPORT",
    filename: reportFilename(run.originalFilename, run.kind),
    contentType: "text/csv; charset=utf-8",
    stream: reportChunks({ shopId, runId }),
  });
  await db().importRun.update({ where: { id: runId, shopId }, data: { errorReportFileId: file.id } });
  return file.id;
}

/** A short-lived signed link to the run's error report, or null when it has none. */
export async function errorReportDownloadUrl({ shopId, runId, now = new Date() }: { shopId: string; runId: string; now?: Date }): Promise<string | null> {
  const run = await db().importRun.findFirst({ where: { id: runId, shopId }, select: { errorReportFileId: true } });
  return run?.errorReportFileId ? createDownloadUrl({ shopId, fileId: run.errorReportFileId, now }) : null;
}

function reportFilename(originalFilename: string | null, kind: string): string {
  const base = (originalFilename ?? kind.toLowerCase()).replace(/\.[^.]*$/, "");
  return `${base}-errors.csv`;
}

async function* reportChunks({ shopId, runId }: { shopId: string; runId: string }): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  // A BOM so spreadsheet programs open the UTF-8 report with its umlauts intact.
  yield encoder.encode("\uFEFF");
  let after: { line: number; id: string } | null = null;
  let header = true;
  for (;;) {
    const rows: { id: string; line: number; column: string | null; reason: string }[] = await db().importRowError.findMany({
      where: {
        shopId,
        importRunId: runId,
        ...(after ? { OR: [{ line: { gt: after.line } }, { line: after.line, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ line: "asc" }, { id: "asc" }],
      take: PAGE_SIZE,
      select: { id: true, line: true, column: true, reason: true },
    });
    yield encoder.encode(
      stringify(
        rows.map((row) => [row.line, row.column ?? "", row.reason]),
        { header, columns: [...ERROR_REPORT_HEADER] },
      ),
    );
    header = false;
    if (rows.length < PAGE_SIZE) break;
    const last = rows[rows.length - 1]!;
    after = { line: last.line, id: last.id };
  }
}
