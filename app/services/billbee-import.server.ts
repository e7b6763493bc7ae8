import { z } from "zod";
import { AppError } from "../core/app-error";
import type { CanonicalOrder } from "../core/canonical-records";
import demoBillbeeOrders from "../demo/samples/billbee-orders.json";
import { db as appDb, type Db } from "../db.server";
import { env } from "../env.server";
import { BillbeeError, createBillbeeClient, type BillbeeCredentials } from "../integrations/billbee/billbee-client.server";
import { mapBillbeeOrder } from "../integrations/billbee/billbee-order-mapper";
import { BILLBEE_MAX_PAGE_SIZE, pageBillbeeOrders, parseBillbeeOrderQuery } from "../integrations/billbee/billbee-paging";
import { defineJob, enqueueJob, type JobContext } from "../jobs/job-definitions";
import type { JobQueue } from "../jobs/job-queue";
import { jobQueue } from "../jobs/queue.server";
import {
  createImportRun,
  finishImportRun,
  markImportRunStarted,
  noteImportRunFailure,
  recordImportBatch,
  writeImportBatch,
  saveImportCursor,
} from "../repositories/import-run-repository.server";
import { errorReportDownloadUrl, writeImportErrorReport } from "./import-reports.server";
import { ingestBatch } from "./ingestion.server";
import { openSecrets, SealedSecretError, sealSecrets } from "./integration-secrets.server";

/**
 * Billbee (PRODUCT.md A2): the merchant's credentials (API key and API password sealed at rest,
 * never shown back), a connection test, and an import that pulls orders page by page into the
 * one ingestion path. The first run reads everything; later runs only what Billbee changed since
 * the last run started (modifiedAtMin). The import is a job with an ImportRun whose cursor is
 * the next page: each page is ingested in one transaction and then recorded (counts, row errors,
 * cursor) in another, so a killed run resumes at the next page, and a page replayed after a kill
 * between the two is ingested again idempotently (its orders count as skipped), never twice.
 */

export type BillbeeImportDeps = {
  db?: Db;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  queue?: JobQueue;
  ingest?: typeof ingestBatch;
  /** Billbee's API base; default env().billbeeApiUrl. */
  baseUrl?: string;
  signal?: AbortSignal;
  /** Requests per Billbee call, the first included (429/5xx/network retries); default 6. */
  maxAttempts?: number;
  /** Orders per page; Billbee allows at most 250 (the default). */
  pageSize?: number;
};

const KIND = "BILLBEE" as const;
/**
 * Later runs re-read this much before the previous run's start: Billbee's timestamps carry no
 * zone, and should Billbee read modifiedAtMin in its local time (CET/CEST) a few hours still
 * cover it; re-reading an unchanged order changes nothing.
 */
export const BILLBEE_SYNC_OVERLAP_MS = 3 * 60 * 60 * 1000;
/** A run that has not moved for this long is taken for dead and no longer blocks a new one. */
const STALE_RUN_MS = 6 * 60 * 60 * 1000;
const JOB_MAX_ATTEMPTS = 5;
/** The demo's stand-in serves small pages, so paging shows with its ~60 orders. */
const DEMO_PAGE_SIZE_CAP = 25;

const secretsContext = (shopId: string) => `integration:${KIND}:${shopId}`;

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

/** The form: blank key or password on an update keeps the stored one. */
export const BillbeeCredentialsInputSchema = z.object({
  apiKey: z.string().trim().max(500).default(""),
  username: z.string().trim().max(200).default(""),
  apiPassword: z.string().max(500).default(""),
});
export type BillbeeCredentialsInput = z.input<typeof BillbeeCredentialsInputSchema>;

type StoredSecrets = { apiKey: string; apiPassword: string };

function findAccount(db: Db, shopId: string) {
  return db.integrationAccount.findUnique({ where: { shopId_kind: { shopId, kind: KIND } } });
}

function openStoredSecrets(account: { shopId: string; secretsEncrypted: string }): StoredSecrets {
  const bundle = openSecrets(account.secretsEncrypted, { context: secretsContext(account.shopId) });
  return { apiKey: bundle.apiKey ?? "", apiPassword: bundle.apiPassword ?? "" };
}

/** What the form asks for, with blanks filled from what is stored; field errors name what is still missing. */
function resolveCredentials(
  input: z.output<typeof BillbeeCredentialsInputSchema>,
  account: { shopId: string; username: string | null; secretsEncrypted: string } | null,
): BillbeeCredentials {
  let stored: StoredSecrets = { apiKey: "", apiPassword: "" };
  if (account && (!input.apiKey || !input.apiPassword)) {
    try {
      stored = openStoredSecrets(account);
    } catch (error) {
      if (!(error instanceof SealedSecretError)) throw error;
      // Unreadable (APP_SECRET changed): the merchant has to enter them again.
    }
  }
  const credentials = {
    apiKey: input.apiKey || stored.apiKey,
    username: input.username || account?.username || "",
    apiPassword: input.apiPassword || stored.apiPassword,
  };
  const fieldErrors: Record<string, string[]> = {};
  if (!credentials.apiKey) fieldErrors.apiKey = ["required"];
  if (!credentials.username) fieldErrors.username = ["required"];
  if (!credentials.apiPassword) fieldErrors.apiPassword = ["required"];
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("VALIDATION", "Enter the Billbee API key, user and API password.", fieldErrors);
  }
  return credentials;
}

/** Saves the credentials: the user in plain, key and password sealed; blanks keep what is stored. */
export async function saveBillbeeCredentials(
  { shopId, input }: { shopId: string; input: BillbeeCredentialsInput },
  deps: BillbeeImportDeps = {},
): Promise<void> {
  const db = deps.db ?? appDb();
  const parsed = BillbeeCredentialsInputSchema.parse(input);
  // The user is never blank on save (a blank key or password may be).
  if (!parsed.username) throw new AppError("VALIDATION", "Enter the Billbee user.", { username: ["required"] });
  const account = await findAccount(db, shopId);
  const credentials = resolveCredentials(parsed, account);
  const secretsEncrypted = sealSecrets({ apiKey: credentials.apiKey, apiPassword: credentials.apiPassword }, { context: secretsContext(shopId) });
  // Another Billbee user is another account: its history is read in full.
  const sameUser = account?.username === credentials.username;
  await db.integrationAccount.upsert({
    where: { shopId_kind: { shopId, kind: KIND } },
    create: { shopId, kind: KIND, username: credentials.username, secretsEncrypted },
    update: { username: credentials.username, secretsEncrypted, ...(sameUser ? {} : { syncCursor: null, lastSyncedAt: null }) },
  });
}

export type BillbeeConnectionResult =
  | { ok: true; totalOrders: number }
  | { ok: false; problem: BillbeeError["kind"]; message: string };

/**
 * One small request (a page of one order) with the form's values, blanks filled from what is
 * stored, so a merchant can test before saving. Expected failures are a readable result.
 */
export async function testBillbeeConnection(
  { shopId, input = {} }: { shopId: string; input?: BillbeeCredentialsInput },
  deps: BillbeeImportDeps = {},
): Promise<BillbeeConnectionResult> {
  const db = deps.db ?? appDb();
  const credentials = resolveCredentials(BillbeeCredentialsInputSchema.parse(input), await findAccount(db, shopId));
  // A person is waiting: no retries (a 429 could ask for minutes); the answer says to try again.
  const client = clientFor(credentials, { ...deps, maxAttempts: 1 });
  try {
    const page = await client.listOrders({ page: 1, pageSize: 1 });
    return { ok: true, totalOrders: page.totalRows };
  } catch (error) {
    if (error instanceof BillbeeError) return { ok: false, problem: error.kind, message: error.message };
    throw error;
  }
}

function clientFor(credentials: BillbeeCredentials, deps: BillbeeImportDeps) {
  const now = deps.now ?? (() => new Date());
  return createBillbeeClient({
    baseUrl: deps.baseUrl ?? env().billbeeApiUrl,
    credentials,
    fetch: deps.fetch,
    sleep: deps.sleep,
    now: () => now().getTime(),
    signal: deps.signal,
    maxAttempts: deps.maxAttempts,
  });
}

// ---------------------------------------------------------------------------------------------
// The page's view of the account
// ---------------------------------------------------------------------------------------------

export type BillbeeRunView = {
  id: string;
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  processedRows: number;
  totalRows: number | null;
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  errorCount: number;
  failureReason: string | null;
  errorReportUrl: string | null;
  /** Whether the run read only changes (a later run) or everything (the first). */
  incremental: boolean;
};

export type BillbeeAccountView = {
  configured: boolean;
  username: string | null;
  apiKeySet: boolean;
  apiPasswordSet: boolean;
  /** False when the stored secrets no longer open (APP_SECRET changed): enter them again. */
  secretsReadable: boolean;
  lastSyncedAt: string | null;
  /** The next run reads changes from here on (null: everything). */
  changesSince: string | null;
  latestRun: BillbeeRunView | null;
  running: boolean;
};

/** Everything the page shows, and never a secret: only whether key and password are set. */
export async function describeBillbeeAccount({ shopId, now = new Date() }: { shopId: string; now?: Date }, deps: BillbeeImportDeps = {}): Promise<BillbeeAccountView> {
  const db = deps.db ?? appDb();
  const account = await findAccount(db, shopId);
  let secrets: StoredSecrets | null = null;
  if (account) {
    try {
      secrets = openStoredSecrets(account);
    } catch (error) {
      if (!(error instanceof SealedSecretError)) throw error;
    }
  }
  const run = await db.importRun.findFirst({ where: { shopId, kind: KIND }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const cursor = run ? parseBillbeeCursor(run.cursor) : null;
  return {
    configured: account !== null,
    username: account?.username ?? null,
    apiKeySet: Boolean(secrets?.apiKey),
    apiPasswordSet: Boolean(secrets?.apiPassword),
    secretsReadable: account === null || secrets !== null,
    lastSyncedAt: account?.lastSyncedAt?.toISOString() ?? null,
    changesSince: account?.syncCursor ?? null,
    latestRun: run
      ? {
          id: run.id,
          status: run.status,
          createdAt: run.createdAt.toISOString(),
          startedAt: run.startedAt?.toISOString() ?? null,
          finishedAt: run.finishedAt?.toISOString() ?? null,
          processedRows: run.processedRows,
          totalRows: run.totalRows,
          createdCount: run.createdCount,
          updatedCount: run.updatedCount,
          skippedCount: run.skippedCount,
          errorCount: run.errorCount,
          failureReason: run.failureReason,
          errorReportUrl: run.errorReportFileId ? await errorReportDownloadUrl({ shopId, runId: run.id, now }) : null,
          incremental: Boolean(cursor?.modifiedAtMin),
        }
      : null,
    running: run !== null && isActive(run, now),
  };
}

function isActive(run: { status: string; updatedAt: Date }, now: Date): boolean {
  return (run.status === "QUEUED" || run.status === "RUNNING") && now.getTime() - run.updatedAt.getTime() < STALE_RUN_MS;
}

// ---------------------------------------------------------------------------------------------
// Starting an import
// ---------------------------------------------------------------------------------------------

const BillbeeCursorSchema = z.object({
  /** Only orders Billbee changed at or after this instant (ISO); null: everything. */
  modifiedAtMin: z.string().nullable(),
  nextPage: z.number().int().min(1),
  /** Orders read so far in this run (their position is the row errors' line). */
  processedRows: z.number().int().min(0),
  /** When the run first started: the next run's modifiedAtMin is taken from it. */
  startedAt: z.string().nullable(),
});
export type BillbeeCursor = z.infer<typeof BillbeeCursorSchema>;

export function parseBillbeeCursor(cursor: string | null): BillbeeCursor | null {
  if (!cursor) return null;
  try {
    const parsed = BillbeeCursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Queues an import of the saved account. Refuses while another Billbee import of the shop is
 * queued or running (CONFLICT); two clicks at the same moment leave exactly one run.
 */
export async function startBillbeeImport({ shopId }: { shopId: string }, deps: BillbeeImportDeps = {}): Promise<{ runId: string; jobId: string }> {
  const db = deps.db ?? appDb();
  const now = (deps.now ?? (() => new Date()))();
  const account = await findAccount(db, shopId);
  if (!account) throw new AppError("VALIDATION", "Save your Billbee credentials before importing.", { form: ["notConfigured"] });
  const busy = () => new AppError("CONFLICT", "A Billbee import is already running; wait until it has finished.");
  const active = async () =>
    (await db.importRun.findMany({ where: { shopId, kind: KIND, status: { in: ["QUEUED", "RUNNING"] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).filter(
      (run) => isActive(run, now),
    );
  if ((await active()).length > 0) throw busy();

  const cursor: BillbeeCursor = { modifiedAtMin: account.syncCursor, nextPage: 1, processedRows: 0, startedAt: null };
  const run = await createImportRun(db, { shopId, kind: KIND, status: "QUEUED", cursor: JSON.stringify(cursor), startedAt: null });
  // Check again after writing: of runs created at the same moment only the first stays.
  const first = (await active())[0];
  if (first && first.id !== run.id) {
    await db.importRun.deleteMany({ where: { id: run.id, shopId } });
    throw busy();
  }
  const job = await enqueueJob(
    deps.queue ?? jobQueue(),
    billbeeImportJob,
    { shopId, runId: run.id },
    { dedupeKey: `billbee-import:${run.id}`, shopId, maxAttempts: JOB_MAX_ATTEMPTS },
  );
  return { runId: run.id, jobId: job.id };
}

// ---------------------------------------------------------------------------------------------
// The import job
// ---------------------------------------------------------------------------------------------

export type BillbeeImportOutcome =
  | { status: "SKIPPED"; reason: "NO_RUN" | "ALREADY_FINISHED" }
  | { status: "SUCCEEDED"; runId: string; processedRows: number }
  | { status: "FAILED"; runId: string; reason: string };

export async function runBillbeeImport(
  { shopId, runId, attempt = 1, maxAttempts = 1 }: { shopId: string; runId: string; attempt?: number; maxAttempts?: number },
  deps: BillbeeImportDeps = {},
): Promise<BillbeeImportOutcome> {
  const db = deps.db ?? appDb();
  const now = deps.now ?? (() => new Date());
  const ingest = deps.ingest ?? ingestBatch;
  const pageSize = Math.min(Math.max(1, deps.pageSize ?? BILLBEE_MAX_PAGE_SIZE), BILLBEE_MAX_PAGE_SIZE);

  const run = await db.importRun.findFirst({ where: { id: runId, shopId, kind: KIND } });
  if (!run) return { status: "SKIPPED", reason: "NO_RUN" };
  if (run.status !== "QUEUED" && run.status !== "RUNNING") return { status: "SKIPPED", reason: "ALREADY_FINISHED" };

  let cursor = parseBillbeeCursor(run.cursor) ?? { modifiedAtMin: null, nextPage: 1, processedRows: 0, startedAt: null };
  if (run.status !== "RUNNING") await markImportRunStarted(db, { shopId, runId, at: now() });
  if (!cursor.startedAt) {
    cursor = { ...cursor, startedAt: now().toISOString() };
    await saveImportCursor(db, { shopId, runId, cursor: JSON.stringify(cursor) });
  }
  let errorCount = run.errorCount;

  const fail = async (reason: string): Promise<BillbeeImportOutcome> => {
    await finishImportRun(db, { shopId, runId, status: "FAILED", at: now(), failureReason: reason });
    if (errorCount > 0) await writeImportErrorReport({ shopId, runId });
    return { status: "FAILED", runId, reason };
  };

  try {
    const account = await findAccount(db, shopId);
    if (!account) return await fail("The Billbee credentials were removed before the import could run.");
    const secrets = openStoredSecrets(account);
    const client = clientFor({ apiKey: secrets.apiKey, username: account.username ?? "", apiPassword: secrets.apiPassword }, deps);
    const modifiedAtMin = cursor.modifiedAtMin ? new Date(cursor.modifiedAtMin) : null;

    for (;;) {
      deps.signal?.throwIfAborted();
      const page = await client.listOrders({ page: cursor.nextPage, pageSize, modifiedAtMin });
      if (page.orders.length === 0) break;
      if (cursor.nextPage === 1 || run.totalRows === null) {
        await saveImportCursor(db, { shopId, runId, cursor: JSON.stringify(cursor), totalRows: page.totalRows });
        run.totalRows = page.totalRows;
      }

      const orders: CanonicalOrder[] = [];
      const rowErrors: { line: number; column: string | null; reason: string }[] = [];
      page.orders.forEach((raw, index) => {
        const mapped = mapBillbeeOrder(raw);
        if (mapped.ok) orders.push(mapped.order);
        else for (const error of mapped.errors) rowErrors.push({ line: cursor.processedRows + index + 1, ...error });
      });
      const next: BillbeeCursor = { ...cursor, nextPage: cursor.nextPage + 1, processedRows: cursor.processedRows + page.orders.length };
      const record = { shopId, runId, cursor: JSON.stringify(next), processedRows: next.processedRows, rowErrors };
      // The page's record commits with its orders: a killed run resumes at the next page and counts every order once.
      if (orders.length > 0) {
        await ingest(db, { shopId, batch: { orders }, now: now(), importRunId: runId, withinTransaction: (tx, result) => writeImportBatch(tx, { ...record, ...result.orders }) });
      } else {
        await recordImportBatch(db, { ...record, created: 0, updated: 0, skipped: 0 });
      }
      cursor = next;
      errorCount += rowErrors.length;
      if (cursor.nextPage > page.totalPages) break;
    }

    // The sync mark moves before the run is marked done: a kill in between replays an empty
    // tail, never skips a change.
    const startedAt = new Date(cursor.startedAt!);
    await db.integrationAccount.updateMany({
      where: { shopId, kind: KIND },
      data: { syncCursor: new Date(startedAt.getTime() - BILLBEE_SYNC_OVERLAP_MS).toISOString(), lastSyncedAt: now() },
    });
    await finishImportRun(db, { shopId, runId, status: "SUCCEEDED", at: now(), cursor: JSON.stringify(cursor) });
    if (errorCount > 0) await writeImportErrorReport({ shopId, runId });
    return { status: "SUCCEEDED", runId, processedRows: cursor.processedRows };
  } catch (error) {
    // The lease went to another runner: that run finishes the import.
    if (deps.signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof SealedSecretError || (error instanceof BillbeeError && !error.transient);
    if (permanent) return await fail(reason);
    if (attempt >= maxAttempts) {
      await fail(reason);
    } else {
      // The job runs again with backoff and resumes at the cursor's page; the run stays RUNNING.
      await noteImportRunFailure(db, { shopId, runId, reason });
    }
    throw error;
  }
}

export const BILLBEE_IMPORT_JOB = "billbee.import";
export const BillbeeImportPayloadSchema = z.object({ shopId: z.string().min(1), runId: z.string().min(1) });

/** The import job bound to the given dependencies (tests pass fakes; the app passes none). */
export function createBillbeeImportJob(deps: BillbeeImportDeps = {}) {
  return defineJob({
    name: BILLBEE_IMPORT_JOB,
    payload: BillbeeImportPayloadSchema,
    handler: async ({ shopId, runId }, context: JobContext) => {
      await runBillbeeImport(
        { shopId, runId, attempt: context.attempt, maxAttempts: context.maxAttempts },
        { ...deps, signal: deps.signal ?? context.signal },
      );
    },
  });
}

/** Register this with the job runner. */
export const billbeeImportJob = createBillbeeImportJob();

// ---------------------------------------------------------------------------------------------
// The demo's stand-in for Billbee
// ---------------------------------------------------------------------------------------------

/**
 * GET /demo/billbee/api/v1/orders: Billbee's order pages over the demo sample, so `npm run demo`
 * imports without a Billbee account. Any credentials are accepted, but they must be sent, as
 * Billbee requires. Not found outside demo mode.
 */
export function answerDemoBillbeeOrders(request: Request): Response {
  if (!env().demo) return new Response("Not found", { status: 404 });
  const authorization = request.headers.get("authorization") ?? "";
  if (!request.headers.get("x-billbee-api-key") || !/^Basic [A-Za-z0-9+/=]{4,}$/.test(authorization)) {
    return Response.json({ Message: "Authorization has been denied for this request." }, { status: 401 });
  }
  const query = parseBillbeeOrderQuery(new URL(request.url).searchParams);
  const orders = demoBillbeeOrders as unknown as { BillBeeOrderId: number; LastModifiedAt: string }[];
  return Response.json(pageBillbeeOrders(orders, { ...query, pageSize: Math.min(query.pageSize, DEMO_PAGE_SIZE_CAP) }));
}
