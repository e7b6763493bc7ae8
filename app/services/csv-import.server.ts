import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { z } from "zod";
import { AppError } from "../core/app-error";
import type { CanonicalOrder } from "../core/canonical-records";
import { db as appDb, type Db } from "../db.server";
import { FileStoreError } from "../files/file-store";
import {
  checkCsvMapping,
  CSV_FIELDS,
  CsvMappingSchema,
  suggestCsvMapping,
  type CsvField,
  type CsvMapping,
  type CsvMappingProblem,
} from "../integrations/csv/csv-fields";
import { readCsvRecords, sniffCsvFile } from "../integrations/csv/csv-file.server";
import { createCsvOrderAssembler, previewCsvRecords, type CsvAssembled, type CsvRowProblem } from "../integrations/csv/csv-orders";
import { defineJob, enqueueJob, type JobContext } from "../jobs/job-definitions";
import type { JobQueue } from "../jobs/job-queue";
import { jobQueue } from "../jobs/queue.server";
import { finishImportRun, noteImportRunFailure, recordImportBatch, writeImportBatch } from "../repositories/import-run-repository.server";
import { errorReportDownloadUrl, writeImportErrorReport } from "./import-reports.server";
import { ingestBatch } from "./ingestion.server";
import { deleteStoredFile, openStoredFile, storeFile } from "./stored-files.server";

/**
 * The CSV import (PRODUCT.md A3): the merchant uploads a file (streamed to the file store, never
 * held in memory), checks the suggested column mapping against a preview, and starts a job that
 * streams the file through the CSV reader and the order assembler into the one ingestion path.
 *
 * The run's life: DRAFT (uploaded, mapping editable) → QUEUED → RUNNING → SUCCEEDED or FAILED.
 *
 * Resuming: the assembler is a pure function of the records fed to it, so a run that resumes
 * after a crash reads the file from its start again and feeds every record through a fresh
 * assembler; it drops the first `cursor.orders` orders and `cursor.problems` problems, which the
 * committed batches already hold. Nothing is ingested or reported twice, and the result is the
 * same as that of a run that never stopped. A batch's record (counts, row errors, cursor)
 * commits in the same transaction as its orders, so the counts are those of one clean run too.
 *
 * An order key that comes back later in the file, after other orders' rows: the assembler
 * builds one order per run of consecutive rows, so it yields the same source id twice. The first
 * occurrence is imported; the later one is skipped and each of its rows is reported ("already
 * imported from line N: keep an order's rows together"). Otherwise the later rows would replace
 * the order's items, and a re-import of the same file would flip the order back and forth.
 * The keys are remembered outside the JavaScript heap (OrderKeyLines, about 30 bytes per order).
 *
 * Memory stays bounded by a batch: records are read 500 at a time, orders are written about
 * 1,000 per ingestBatch call (or after 5,000 lines with few orders, so a file of bad rows
 * still commits its row errors as it goes).
 *
 * A file where every row is bad finishes SUCCEEDED with nothing created: the run did its work
 * (it read every row), and the error report lists every row with its reason; the run page says
 * that no row could be imported.
 */

export const MAX_CSV_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024 - 1;
const PREVIEW_ROWS = 20;
const DEFAULT_BATCH_ORDERS = 2_000;
const DEFAULT_BATCH_LINES = 10_000;
const CSV_IMPORT_MAX_ATTEMPTS = 5;
// Field names of a form that are not the file: a handful of short values.
const MAX_FIELD_BYTES = 4_096;
const CSV_FILENAME = /\.(csv|txt|tsv)$/i;
// Types a browser sends for a spreadsheet workbook or other binary files: clearly not CSV.
const NOT_CSV_TYPE = /^(image|audio|video|font)\/|^application\/(pdf|zip|x-zip|gzip|x-gzip|x-7z|x-rar|vnd\.openxmlformats|vnd\.oasis|msword|x-msdownload)/i;

// -------------------------------------------------------------------------------- upload

/**
 * Reads a multipart request with one `file` part straight into the file store and creates a DRAFT
 * run with the suggested mapping. The part's bytes go chunk by chunk from the request to the
 * disk; request.formData() would buffer the whole file in memory first.
 */
export async function uploadCsvImport({
  shopId,
  request,
  maxBytes = MAX_CSV_UPLOAD_BYTES,
}: {
  shopId: string;
  request: Request;
  /** The largest file accepted (default: 2 GiB, what a StoredFile can record). */
  maxBytes?: number;
}): Promise<{ runId: string }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) {
    throw invalidFile("notMultipart", "Send the file as a form upload (multipart/form-data).");
  }

  let upload: { fileId: string; filename: string; byteSize: number } | null = null;
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) {
      await readSmallField(part.data, part.name);
      return undefined;
    }
    if (part.name !== "file") throw invalidFile("unexpectedField", `Unexpected file field "${part.name}".`);
    if (upload) throw invalidFile("oneFile", "Upload one file at a time.");
    upload = await storeUpload({ shopId, filename: part.filename, contentType: part.contentType, data: part.data, maxBytes });
    return upload.fileId;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    // A refusal after the file was stored (a second file, a broken tail) leaves nothing behind.
    const stored = upload as { fileId: string } | null;
    if (stored) await discardUpload(shopId, stored.fileId);
    if (error instanceof AppError) throw error;
    // The parser's own complaints (a cut-off or malformed body) are the sender's problem.
    if (error instanceof Error && /malformed multipart|Could not parse content as FormData|unexpected end/i.test(error.message)) {
      throw invalidFile("interrupted", "The upload was interrupted or is not a valid form upload. Please try again.");
    }
    throw error;
  }
  const stored = upload as { fileId: string; filename: string; byteSize: number } | null;
  if (!stored) throw invalidFile("noFile", "Choose a CSV file to upload.");

  let sniffed: Awaited<ReturnType<typeof sniffCsvFile>>;
  try {
    sniffed = await sniffCsvFile(() => openUpload(shopId, stored.fileId));
  } catch (error) {
    await discardUpload(shopId, stored.fileId);
    if (error instanceof AppError) throw error;
    throw invalidFile("unreadable", `The file could not be read as CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sampleRows = sniffed.sampleRecords.flatMap((record) => ("values" in record ? [record.values] : []));
  if (sniffed.headers.length === 0 || sniffed.sampleRecords.length === 0) {
    await discardUpload(shopId, stored.fileId);
    throw invalidFile("noRows", "The file has no rows below its header line.");
  }
  const mapping = suggestCsvMapping(sniffed.headers, sampleRows);
  const run = await appDb().importRun.create({
    data: {
      shopId,
      kind: "CSV",
      status: "DRAFT",
      uploadFileId: stored.fileId,
      originalFilename: stored.filename,
      totalBytes: stored.byteSize,
      mapping: JSON.stringify(mapping),
    },
    select: { id: true },
  });
  return { runId: run.id };
}

/** Why an upload was refused: fieldErrors.file holds the code, for the page to say it in the merchant's language. */
export const CSV_UPLOAD_REFUSALS = [
  "notMultipart",
  "noFile",
  "oneFile",
  "unexpectedField",
  "fieldTooLong",
  "notCsv",
  "excelWorkbook",
  "notText",
  "empty",
  "tooLarge",
  "interrupted",
  "unreadable",
  "noRows",
] as const;
export type CsvUploadRefusal = (typeof CSV_UPLOAD_REFUSALS)[number];

function invalidFile(reason: CsvUploadRefusal, message: string) {
  return new AppError("VALIDATION", message, { file: [reason] });
}

async function readSmallField(data: AsyncIterable<Uint8Array>, name: string) {
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > MAX_FIELD_BYTES) throw invalidFile("fieldTooLong", `The form field "${name}" is too long.`);
  }
}

async function storeUpload({
  shopId,
  filename,
  contentType,
  data,
  maxBytes,
}: {
  shopId: string;
  filename: string;
  contentType: string;
  data: AsyncIterable<Uint8Array>;
  maxBytes: number;
}) {
  const name = filename.trim();
  // Browsers send a file part with an empty name when no file was chosen.
  if (!name) throw invalidFile("noFile", "Choose a CSV file to upload.");
  if (!CSV_FILENAME.test(name) || NOT_CSV_TYPE.test(contentType)) {
    throw invalidFile("notCsv", `"${name}" is not a CSV file. Save the spreadsheet as CSV (comma- or semicolon-separated) and upload that.`);
  }
  const iterator = data[Symbol.asyncIterator]();
  // The first bytes decide before anything is stored: an empty part, or a binary file renamed to .csv.
  let first: Uint8Array | null = null;
  for (;;) {
    const next = await pullChunk(iterator);
    if (next.done) break;
    if (next.value.byteLength > 0) {
      first = next.value;
      break;
    }
  }
  if (!first) throw invalidFile("empty", `"${name}" is empty.`);
  refuseBinary(name, first);

  let byteSize = 0;
  async function* guarded(): AsyncIterable<Uint8Array> {
    let chunk: Uint8Array | null = first;
    while (chunk) {
      byteSize += chunk.byteLength;
      if (byteSize > maxBytes) throw invalidFile("tooLarge", `"${name}" is larger than ${describeSize(maxBytes)}. Split it into smaller files.`);
      yield chunk;
      const next = await pullChunk(iterator);
      chunk = next.done ? null : next.value;
    }
  }
  const file = await storeFile({ shopId, kind: "IMPORT_UPLOAD", filename: name, contentType: "text/csv", stream: guarded() });
  return { fileId: file.id, filename: file.filename, byteSize: file.byteSize };
}

/** A body that breaks off mid-upload (the browser went away) is a bad request, not a server fault. */
async function pullChunk(iterator: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return await iterator.next();
  } catch (error) {
    throw invalidFile("interrupted", `The upload was interrupted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function describeSize(bytes: number): string {
  if (bytes >= 1024 ** 3 - 1) return `${Math.round(bytes / 1024 ** 3)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function refuseBinary(name: string, head: Uint8Array) {
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const oleExcel = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (zip || oleExcel) throw invalidFile("excelWorkbook", `"${name}" is an Excel workbook, not a CSV file. In Excel choose "Save as" → "CSV UTF-8" and upload that.`);
  // UTF-16 text and binary files have NUL bytes; CSV in UTF-8 or Windows-1252 never does.
  if (head.subarray(0, 8_192).includes(0)) throw invalidFile("notText", `"${name}" is not a text file in UTF-8 or Windows-1252. Save it as "CSV UTF-8" and upload that.`);
}

async function openUpload(shopId: string, fileId: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    return (await openStoredFile({ shopId, fileId })).stream;
  } catch (error) {
    // Bytes removed from the store (or a row without them): nothing to read, now or later.
    if (error instanceof FileStoreError && error.code === "NOT_FOUND") throw new AppError("NOT_FOUND", UPLOAD_GONE);
    throw error;
  }
}

const UPLOAD_GONE = "The uploaded file is no longer stored. Upload it again.";

/** Removes a refused upload's row and bytes, so a refusal leaves nothing behind. */
async function discardUpload(shopId: string, fileId: string) {
  await deleteStoredFile({ shopId, fileId });
}

// ----------------------------------------------------------------------------- the page

export type CsvImportStatus = "DRAFT" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export type CsvPreviewRow = { line: number; values: string[]; problems: CsvRowProblem[] };

export type CsvImportView = {
  id: string;
  status: CsvImportStatus;
  filename: string | null;
  createdAt: string;
  finishedAt: string | null;
  totalBytes: number | null;
  processedBytes: number;
  /** 0–100, from the bytes read so far. */
  percent: number;
  processedRows: number;
  counts: { created: number; updated: number; skipped: number; errors: number };
  failureReason: string | null;
  /** A fresh signed link to the error report; null while running or without row errors. */
  reportUrl: string | null;
  fields: readonly CsvField[];
  /** Only while the mapping can still change (DRAFT). */
  draft: {
    headers: string[];
    encoding: string;
    delimiter: string;
    mapping: CsvMapping;
    /** Why the mapping cannot import yet; field null: the mapping as a whole. */
    mappingProblems: { field: string | null; reason: string }[];
    preview: CsvPreviewRow[];
  } | null;
};

export async function describeCsvImport({ shopId, runId, now = new Date() }: { shopId: string; runId: string; now?: Date }): Promise<CsvImportView> {
  const run = await findCsvRun(appDb(), { shopId, runId });
  const percent =
    run.status === "SUCCEEDED" ? 100 : run.totalBytes ? Math.min(100, Math.floor((run.processedBytes / run.totalBytes) * 100)) : 0;
  const finished = run.status === "SUCCEEDED" || run.status === "FAILED" || run.status === "CANCELLED";
  return {
    id: run.id,
    status: run.status,
    filename: run.originalFilename,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    totalBytes: run.totalBytes,
    processedBytes: run.processedBytes,
    percent,
    processedRows: run.processedRows,
    counts: { created: run.createdCount, updated: run.updatedCount, skipped: run.skippedCount, errors: run.errorCount },
    failureReason: run.failureReason,
    reportUrl: finished ? await errorReportDownloadUrl({ shopId, runId, now }) : null,
    fields: CSV_FIELDS,
    draft: run.status === "DRAFT" ? await describeDraft(shopId, run) : null,
  };
}

async function describeDraft(shopId: string, run: CsvRun): Promise<NonNullable<CsvImportView["draft"]>> {
  const fileId = requireUploadFile(run);
  const sniffed = await sniffCsvFile(() => openUpload(shopId, fileId));
  const mapping = parseStoredMapping(run.mapping) ?? suggestCsvMapping(sniffed.headers, sniffed.sampleRecords.flatMap((record) => ("values" in record ? [record.values] : [])));
  const shopCurrency = await findShopCurrency(appDb(), shopId);
  const records = sniffed.sampleRecords.slice(0, PREVIEW_ROWS);
  return {
    headers: sniffed.headers,
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    mapping,
    mappingProblems: checkCsvMapping(mapping, sniffed.headers.length),
    preview: previewCsvRecords(records, { mapping, headers: sniffed.headers, shopCurrency }),
  };
}

// --------------------------------------------------------------------------- mapping, start

/**
 * The mapping form's fields: `column.<field>` = a header's index or "" (not in the file),
 * `dateOrder`, `decimalSeparator`, `defaultCurrency`.
 */
export type CsvMappingForm = Record<string, string>;

/** Saves the merchant's mapping of a DRAFT run; 422 with a message per bad field. */
export async function saveCsvMapping({ shopId, runId, form }: { shopId: string; runId: string; form: CsvMappingForm }): Promise<CsvMapping> {
  const run = await findCsvRun(appDb(), { shopId, runId });
  if (run.status !== "DRAFT") throw new AppError("CONFLICT", "This import has started; its mapping can no longer change.");
  const mapping = await validateMapping(shopId, run, form);
  // Only while still a draft: a start that won the race keeps the mapping it started with.
  const saved = await updateDraft(appDb(), { shopId, runId, data: { mapping: JSON.stringify(mapping) } });
  if (!saved) throw new AppError("CONFLICT", "This import has started; its mapping can no longer change.");
  return mapping;
}

async function validateMapping(shopId: string, run: CsvRun, form: CsvMappingForm): Promise<CsvMapping> {
  const parsed = CsvMappingSchema.safeParse(mappingFromForm(form));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const key = first === "columns" && second !== undefined ? `column.${String(second)}` : issue.path.length > 0 ? issue.path.map(String).join(".") : "mapping";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw new AppError("VALIDATION", "The column mapping is not valid.", fieldErrors);
  }
  const fileId = requireUploadFile(run);
  const { headers } = await sniffCsvFile(() => openUpload(shopId, fileId));
  const problems = checkCsvMapping(parsed.data, headers.length);
  if (problems.length > 0) throw mappingProblemsError(problems);
  return parsed.data;
}

function mappingProblemsError(problems: CsvMappingProblem[]) {
  const fieldErrors: Record<string, string[]> = {};
  for (const problem of problems) (fieldErrors[problem.field ? `column.${problem.field}` : "mapping"] ??= []).push(problem.reason);
  return new AppError("VALIDATION", `The column mapping is not complete: ${problems.map((problem) => problem.reason).join("; ")}.`, fieldErrors);
}

function mappingFromForm(form: CsvMappingForm): unknown {
  const columns: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (!name.startsWith("column.") || value.trim() === "") continue;
    const index = Number(value);
    // Left as text when not a number, so the schema names the field in its complaint.
    columns[name.slice("column.".length)] = /^\d+$/.test(value.trim()) ? index : value;
  }
  const currency = (form.defaultCurrency ?? "").trim().toUpperCase();
  return {
    columns,
    dateOrder: form.dateOrder,
    decimalSeparator: form.decimalSeparator,
    defaultCurrency: currency === "" ? null : currency,
  };
}

/**
 * Starts the import: the mapping is saved, the job booked, and the run marked QUEUED, in that
 * order, so no crash in between can leave a run that waits for a job that does not exist (the
 * job also takes a run it finds still a DRAFT). With `form`, the mapping as the page shows it
 * is saved first (the "Import" button sends the form as it stands). Starting again changes
 * nothing: the dedupe key names one job per run, and a running or finished run is left alone.
 */
export async function startCsvImport(
  { shopId, runId, form }: { shopId: string; runId: string; form?: CsvMappingForm },
  deps: { queue?: JobQueue } = {},
): Promise<{ status: CsvImportStatus }> {
  const database = appDb();
  const run = await findCsvRun(database, { shopId, runId });
  if (run.status !== "DRAFT" && run.status !== "QUEUED") return { status: run.status };
  if (run.status === "DRAFT") {
    const mapping = form ? await validateMapping(shopId, run, form) : await validateStoredMapping(shopId, run);
    if (!(await updateDraft(database, { shopId, runId, data: { mapping: JSON.stringify(mapping) } }))) {
      return { status: (await findCsvRun(database, { shopId, runId })).status };
    }
  }
  await enqueueJob(deps.queue ?? jobQueue(), csvImportJob, { shopId, runId }, { dedupeKey: csvImportDedupeKey(runId), shopId, maxAttempts: CSV_IMPORT_MAX_ATTEMPTS });
  // False when the job got there first and started the run: just as well.
  await updateDraft(database, { shopId, runId, data: { status: "QUEUED" } });
  return { status: (await findCsvRun(database, { shopId, runId })).status };
}

async function validateStoredMapping(shopId: string, run: CsvRun): Promise<CsvMapping> {
  const mapping = parseStoredMapping(run.mapping);
  if (!mapping) throw new AppError("VALIDATION", "Choose the columns to import first.", { mapping: ["missing"] });
  const fileId = requireUploadFile(run);
  const { headers } = await sniffCsvFile(() => openUpload(shopId, fileId));
  const problems = checkCsvMapping(mapping, headers.length);
  if (problems.length > 0) throw mappingProblemsError(problems);
  return mapping;
}

export function csvImportDedupeKey(runId: string) {
  return `csv-import:${runId}`;
}

// ------------------------------------------------------------------------------ the job

const CsvCursorSchema = z.object({
  /** Orders and problems the assembler yielded that committed batches already hold. */
  orders: z.number().int().min(0),
  problems: z.number().int().min(0),
  /** The last record read when the batch was committed, and where it ended in the file. */
  line: z.number().int().min(0),
  endByte: z.number().int().min(0),
  records: z.number().int().min(0),
});
export type CsvImportCursor = z.infer<typeof CsvCursorSchema>;

const START_CURSOR: CsvImportCursor = { orders: 0, problems: 0, line: 0, endByte: 0, records: 0 };

export function parseCsvImportCursor(cursor: string | null): CsvImportCursor | null {
  if (!cursor) return null;
  try {
    const parsed = CsvCursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type CsvImportDeps = {
  db?: Db;
  ingest?: typeof ingestBatch;
  now?: () => Date;
  signal?: AbortSignal;
  /** Orders per ingestion call (default 1,000). */
  batchOrders?: number;
  /** Lines read before a batch is committed even with few orders (bad rows; default 5,000). */
  batchLines?: number;
  /** Called after each committed batch (tests stop a run there; the benchmark profiles it). */
  onBatch?: (batch: { cursor: CsvImportCursor; orders: number; problems: number }) => void | Promise<void>;
  /** Time spent per stage, in milliseconds (the benchmark's rough profile). */
  timings?: { read: number; assemble: number; ingest: number; record: number };
};

export type CsvImportOutcome =
  | { status: "MISSING" }
  | { status: Exclude<CsvImportStatus, "RUNNING">; alreadyDone: boolean };

/** Runs (or resumes) one CSV import run; the job's handler. */
export async function runCsvImport(
  { shopId, runId, attempt = 1, maxAttempts = 1 }: { shopId: string; runId: string; attempt?: number; maxAttempts?: number },
  deps: CsvImportDeps = {},
): Promise<CsvImportOutcome> {
  const database = deps.db ?? appDb();
  const now = deps.now ?? (() => new Date());
  let run = await findCsvRunRow(database, { shopId, runId });
  if (!run) return { status: "MISSING" };
  if (run.status === "DRAFT" || run.status === "QUEUED") {
    // Conditional, so the mapping read below is the one the run started with: a save that
    // races this finds the run RUNNING and is refused.
    await startRun(database, { shopId, runId, at: now() });
    run = await findCsvRunRow(database, { shopId, runId });
    if (!run) return { status: "MISSING" };
  }
  if (run.status !== "RUNNING") return { status: run.status, alreadyDone: true };

  try {
    await importRun(database, run, deps, now);
  } catch (error) {
    // Stopped from outside (the lease moved on, the process shuts down): the next holder resumes.
    if (deps.signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    // A file that is gone or a mapping that cannot be read fails the same way every time: no point retrying.
    const permanent = error instanceof AppError;
    if (permanent || attempt >= maxAttempts) {
      await finishImportRun(database, { shopId, runId, status: "FAILED", at: now(), failureReason: reason.slice(0, 1000) });
      await writeImportErrorReport({ shopId, runId });
      if (permanent) return { status: "FAILED", alreadyDone: false };
    } else {
      await noteImportRunFailure(database, { shopId, runId, reason });
    }
    throw error;
  }
  await finishImportRun(database, { shopId, runId, status: "SUCCEEDED", at: now() });
  await writeImportErrorReport({ shopId, runId });
  return { status: "SUCCEEDED", alreadyDone: false };
}

/**
 * Reads the file, assembles orders and commits them batch by batch, in turn. (Writing one batch
 * while reading the next was measured: no faster on either database, since ingestion's own
 * JavaScript work shares the one thread with the reader, and it keeps two batches alive.)
 */
async function importRun(database: Db, run: CsvRun, deps: CsvImportDeps, now: () => Date) {
  const { shopId, id: runId } = run;
  const mapping = parseStoredMapping(run.mapping);
  if (!mapping) throw new AppError("VALIDATION", "The import has no valid column mapping.");
  const fileId = requireUploadFile(run);
  const resumeAt = parseCsvImportCursor(run.cursor) ?? START_CURSOR;
  const batchOrders = Math.max(1, deps.batchOrders ?? DEFAULT_BATCH_ORDERS);
  const batchLines = Math.max(1, deps.batchLines ?? DEFAULT_BATCH_LINES);
  const timings = deps.timings;
  const clock = () => performance.now();

  const open = () => openUpload(shopId, fileId);
  const { encoding, delimiter, headers } = await sniffCsvFile(open);
  const shopCurrency = await findShopCurrency(database, shopId);
  const assembler = createCsvOrderAssembler({ mapping, headers, shopCurrency });

  // Everything the assembler yielded so far, numbered; what is below the resume cursor is committed.
  let yieldedOrders = 0;
  let yieldedProblems = 0;
  const firstLineOf = new OrderKeyLines();
  let pendingOrders: CanonicalOrder[] = [];
  let pendingProblems: CsvRowProblem[] = [];
  let position = { line: resumeAt.line, endByte: resumeAt.endByte, records: resumeAt.records };
  let linesSinceCommit = 0;

  const take = (assembled: CsvAssembled) => {
    for (const entry of assembled.orders) {
      const index = yieldedOrders++;
      const seenAt = firstLineOf.get(entry.order.sourceId);
      if (seenAt !== undefined) {
        // Counted as problems in file order, so a resumed run numbers them the same way.
        for (let line = entry.firstLine; line <= entry.lastLine; line++) {
          const problemIndex = yieldedProblems++;
          if (problemIndex >= resumeAt.problems) {
            pendingProblems.push({ line, column: null, reason: `Order ${entry.order.number} was already imported from line ${seenAt}: keep all rows of an order together.` });
          }
        }
        continue;
      }
      firstLineOf.add(entry.order.sourceId, entry.firstLine);
      // History from a file never triggers the after-purchase letter (D1).
      if (index >= resumeAt.orders) pendingOrders.push({ ...entry.order, live: false });
    }
    for (const problem of assembled.problems) {
      const index = yieldedProblems++;
      if (index >= resumeAt.problems) pendingProblems.push(problem);
    }
  };

  type Batch = { orders: CanonicalOrder[]; problems: CsvRowProblem[]; cursor: CsvImportCursor };

  const write = async ({ orders, problems, cursor }: Batch) => {
    const record = { shopId, runId, cursor: JSON.stringify(cursor), processedRows: cursor.records, rowErrors: problems, processedBytes: cursor.endByte };
    const started = clock();
    if (orders.length > 0) {
      // The batch's record commits with its orders: a run killed at any point resumes behind
      // exactly what was written, and counts every order once.
      await (deps.ingest ?? ingestBatch)(database, {
        shopId,
        batch: { orders },
        now: now(),
        importRunId: runId,
        withinTransaction: (tx, result) => writeImportBatch(tx, { ...record, ...result.orders }),
      });
      if (timings) timings.ingest += clock() - started;
    } else {
      await recordImportBatch(database, { ...record, created: 0, updated: 0, skipped: 0 });
      if (timings) timings.record += clock() - started;
    }
    await deps.onBatch?.({ cursor, orders: orders.length, problems: problems.length });
  };

  const cut = async () => {
    deps.signal?.throwIfAborted();
    const batch: Batch = { orders: pendingOrders, problems: pendingProblems, cursor: { orders: yieldedOrders, problems: yieldedProblems, ...position } };
    pendingOrders = [];
    pendingProblems = [];
    linesSinceCommit = 0;
    await write(batch);
  };

  const source = await open();
  let readStarted = clock();
  for await (const records of readCsvRecords(source, { encoding, delimiter })) {
    if (timings) timings.read += clock() - readStarted;
    deps.signal?.throwIfAborted();
    let assembleStarted = clock();
    for (const record of records) {
      take(assembler.push(record));
      if (record.line <= resumeAt.line) continue;
      position = { line: record.line, endByte: record.endByte, records: position.records + 1 };
      linesSinceCommit++;
      if (pendingOrders.length >= batchOrders || linesSinceCommit >= batchLines) {
        if (timings) timings.assemble += clock() - assembleStarted;
        await cut();
        assembleStarted = clock();
      }
    }
    if (timings) timings.assemble += clock() - assembleStarted;
    readStarted = clock();
  }
  take(assembler.flush());
  await cut();
}

/**
 * The order keys of one run with the line each first appeared on: an exact set kept outside the
 * JavaScript heap. A Map would cost about 80 bytes of heap per order, and V8 lets the heap grow
 * to about four times what is live before it collects, so 500,000 keys would add well over
 * 100 MB to the process. Here a key costs its UTF-8 bytes plus about 20 bytes in array buffers.
 *
 * Open addressing over a hash table of (hash, offset) pairs; the keys and lines sit in an
 * arena of [length u16][line u32][UTF-8 bytes] records. Keys longer than 64 KB do not occur
 * (the CSV reader caps a record at 1 MB, an order key is one field of it) and are cut there.
 */
export class OrderKeyLines {
  private slots = new Uint32Array(2 * 1024);
  private count = 0;
  private arena = new Uint8Array(64 * 1024);
  private view = new DataView(this.arena.buffer);
  private used = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  get size(): number {
    return this.count;
  }

  /** The line the key was first added with, or undefined. */
  get(key: string, hash = hashKey(key)): number | undefined {
    const mask = this.slots.length / 2 - 1;
    for (let index = hash & mask; ; index = (index + 1) & mask) {
      const offset = this.slots[2 * index + 1]!;
      if (offset === 0) return undefined;
      if (this.slots[2 * index] === hash && this.keyAt(offset - 1) === key) return this.lineAt(offset - 1);
    }
  }

  /** Adds the key with its line unless it is there already. */
  add(key: string, line: number): void {
    const hash = hashKey(key);
    if (this.get(key, hash) !== undefined) return;
    if ((this.count + 1) * 2 > this.slots.length / 2) this.growSlots();
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    const room = 6 + Math.min(3 * key.length, 0xffff);
    if (this.used + room > this.arena.byteLength) {
      const larger = new Uint8Array(Math.max(this.arena.byteLength * 2, this.used + room));
      larger.set(this.arena.subarray(0, this.used));
      this.arena = larger;
      this.view = new DataView(larger.buffer);
    }
    const at = this.used;
    const { written } = this.encoder.encodeInto(key, this.arena.subarray(at + 6, at + room));
    this.view.setUint16(at, written);
    this.view.setUint32(at + 2, line);
    this.used += 6 + written;
    this.place(hash, at + 1);
    this.count++;
  }

  private place(hash: number, offsetPlusOne: number) {
    const mask = this.slots.length / 2 - 1;
    let index = hash & mask;
    while (this.slots[2 * index + 1] !== 0) index = (index + 1) & mask;
    this.slots[2 * index] = hash;
    this.slots[2 * index + 1] = offsetPlusOne;
  }

  private growSlots() {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let index = 0; index < old.length; index += 2) if (old[index + 1] !== 0) this.place(old[index]!, old[index + 1]!);
  }

  private keyAt(offset: number): string {
    const length = this.view.getUint16(offset);
    return this.decoder.decode(this.arena.subarray(offset + 6, offset + 6 + length));
  }

  private lineAt(offset: number): number {
    return this.view.getUint32(offset + 2);
  }
}

/** FNV-1a over the UTF-16 code units, as an unsigned 32-bit number. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The job, bound to the given dependencies (tests and the benchmark pass their own). */
export function createCsvImportJob(deps: CsvImportDeps = {}) {
  return defineJob({
    name: "csv-import",
    payload: z.object({ shopId: z.string().min(1), runId: z.string().min(1) }),
    handler: async ({ shopId, runId }, context: JobContext) => {
      await runCsvImport({ shopId, runId, attempt: context.attempt, maxAttempts: context.maxAttempts }, { ...deps, signal: deps.signal ?? context.signal });
    },
  });
}

/** Register this with the job runner. */
export const csvImportJob = createCsvImportJob();

// -------------------------------------------------------------------------------- helpers

type CsvRun = NonNullable<Awaited<ReturnType<typeof findCsvRunRow>>>;

function findCsvRunRow(database: Db, { shopId, runId }: { shopId: string; runId: string }) {
  return database.importRun.findFirst({ where: { id: runId, shopId, kind: "CSV" } });
}

/** A shop's CSV run; NOT_FOUND for an unknown id and another shop's run alike. */
async function findCsvRun(database: Db, { shopId, runId }: { shopId: string; runId: string }): Promise<CsvRun> {
  const run = await findCsvRunRow(database, { shopId, runId });
  if (!run) throw new AppError("NOT_FOUND", "Import not found");
  return run;
}

/**
 * Changes a run only while it is a DRAFT, in one conditional UPDATE (of a save and a start
 * racing, exactly one sees the draft); false when it no longer is one.
 */
async function updateDraft(database: Db, { shopId, runId, data }: { shopId: string; runId: string; data: { mapping: string } | { status: "QUEUED" } }) {
  try {
    await database.importRun.update({ where: { id: runId, shopId, status: "DRAFT" }, data, select: { id: true } });
    return true;
  } catch (error) {
    // P2025: no row matched (the run left DRAFT in the meantime).
    if ((error as { code?: unknown } | null)?.code === "P2025") return false;
    throw error;
  }
}

/** DRAFT or QUEUED → RUNNING in one conditional UPDATE; false when the run was neither. */
async function startRun(database: Db, { shopId, runId, at }: { shopId: string; runId: string; at: Date }) {
  try {
    await database.importRun.update({
      where: { id: runId, shopId, status: { in: ["DRAFT", "QUEUED"] } },
      data: { status: "RUNNING", startedAt: at, finishedAt: null },
      select: { id: true },
    });
    return true;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "P2025") return false;
    throw error;
  }
}

function requireUploadFile(run: CsvRun): string {
  if (!run.uploadFileId) throw new AppError("NOT_FOUND", UPLOAD_GONE);
  return run.uploadFileId;
}

function parseStoredMapping(mapping: string | null): CsvMapping | null {
  if (!mapping) return null;
  try {
    const parsed = CsvMappingSchema.safeParse(JSON.parse(mapping));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function findShopCurrency(database: Db, shopId: string): Promise<string> {
  const shop = await database.shop.findFirst({ where: { id: shopId }, select: { currency: true } });
  if (!shop) throw new AppError("NOT_FOUND", "Shop not found");
  return shop.currency;
}

