import { z } from "zod";
import { AppError } from "../core/app-error";
import type { CanonicalBatch, CanonicalCheckout, CanonicalCustomer, CanonicalOrder } from "../core/canonical-records";
import { isLiveOrder } from "../core/order-liveness";
import { db as appDb, type Db } from "../db.server";
import {
  createShopifyAdminClient,
  type AdminGraphql,
  type ShopifyAdminClient,
} from "../integrations/shopify/admin-graphql.server";
import type { BulkQueryKind } from "../integrations/shopify/bulk-queries";
import {
  assembleBulkGroups,
  FALLBACK_CHECKOUT_TOKEN_PREFIX,
  mapBulkAbandonedCheckout,
  mapBulkCustomer,
  mapBulkOrder,
  resolveCheckoutToken,
  sourceIdFromGid,
  type BulkGroup,
  type BulkRowError,
  type CheckoutDraft,
  type CheckoutTokenMatch,
  type KnownCheckout,
} from "../integrations/shopify/bulk-records";
import { enqueueJob, type JobContext } from "../jobs/job-definitions";
import type { JobQueue } from "../jobs/job-queue";
import { jobQueue } from "../jobs/queue.server";
import {
  backfillDedupeKey,
  defineShopifySyncJobs,
  reconcileOrdersDedupeKey,
  type ShopifySyncPayload,
} from "../jobs/shopify-sync.jobs.server";
import {
  advanceOrdersReconciledAt,
  createImportRun,
  findCheckoutsByTokens,
  findRecentImportRuns,
  findShopForSync,
  findShopifyOrderVersions,
  finishImportRun,
  markImportRunStarted,
  noteImportRunFailure,
  recordFinishedImportRun,
  recordImportBatch,
  saveImportCursor,
} from "../repositories/shopify-sync-repository.server";
import { unauthenticated } from "../shopify.server";
import { ingestBatch, type IngestCounts, type IngestResult } from "./ingestion.server";

/**
 * Shopify history on install (a bulk back-fill of customers, orders and abandoned checkouts)
 * and an hourly order reconciliation that repairs lost webhook deliveries. Both run as jobs
 * (at least once, killable at any point): the back-fill keeps a cursor in its ImportRun after
 * every committed batch and resumes there; ingestion is idempotent, so anything replayed after
 * a kill changes nothing.
 */

export type ShopifySyncDeps = {
  db?: Db;
  /** Admin GraphQL for the shop; default: its offline session through unauthenticated.admin. */
  graphql?: AdminGraphql;
  /** Downloads bulk result files; default: global fetch. */
  fetch?: typeof fetch;
  queue?: JobQueue;
  ingest?: typeof ingestBatch;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Records (customers, orders or checkouts) per ingestion call; at most 500. */
  batchSize?: number;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  onThrottle?: (waitMs: number) => void;
};

const PHASES = ["customers", "orders", "checkouts"] as const satisfies readonly BulkQueryKind[];
export type BackfillPhase = BulkQueryKind | "done";

const DEFAULT_BATCH_SIZE = 250;
const MAX_BATCH_SIZE = 500;
/** New bulk operations a phase may start after failed, expired or vanished ones. */
const MAX_OPERATION_RESTARTS = 3;
const HOUR_MS = 60 * 60 * 1000;
/** Re-read a little before the last mark: clocks differ and updates land late. */
export const RECONCILE_OVERLAP_MS = 5 * 60 * 1000;
/** With no mark yet (no back-fill finished), the first reconciliation looks back a day. */
export const RECONCILE_FIRST_WINDOW_MS = 24 * HOUR_MS;
const BACKFILL_MAX_ATTEMPTS = 10;
const RECONCILE_MAX_ATTEMPTS = 3;

// ---------------------------------------------------------------------------------------------
// The cursor kept in ImportRun.cursor
// ---------------------------------------------------------------------------------------------

const OperationIds = z.object({
  customers: z.string().nullable(),
  orders: z.string().nullable(),
  checkouts: z.string().nullable(),
});

const BackfillCursorSchema = z.object({
  /** The job this run belongs to: a rerun of the job finds its run again. */
  jobId: z.string(),
  phase: z.enum(["customers", "orders", "checkouts", "done"]),
  /** The current phase's bulk operation and its result file. */
  bulkOperationId: z.string().nullable(),
  url: z.string().nullable(),
  /** First line of the file not yet stored (0-based). */
  line: z.number().int().min(0),
  /** Children of unknown parents up to this line belong to stored parents (see assembleBulkGroups). */
  skipOrphansThrough: z.number().int(),
  phaseRows: z.number().int().min(0),
  phaseTotal: z.number().int().min(0).nullable(),
  /** Rows of the phases already finished. */
  doneRows: z.number().int().min(0),
  /** Operations started ahead for later phases (2026-01+ allows 5 bulk queries at once per shop). */
  operations: OperationIds,
  /** When the orders snapshot was taken: reconciliation takes over from there. */
  ordersSnapshotAt: z.string().nullable(),
});
export type BackfillCursor = z.infer<typeof BackfillCursorSchema>;

export function parseBackfillCursor(cursor: string | null): BackfillCursor | null {
  if (!cursor) return null;
  try {
    const parsed = BackfillCursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function initialCursor(jobId: string): BackfillCursor {
  return {
    jobId,
    phase: "customers",
    bulkOperationId: null,
    url: null,
    line: 0,
    skipOrphansThrough: -1,
    phaseRows: 0,
    phaseTotal: null,
    doneRows: 0,
    operations: { customers: null, orders: null, checkouts: null },
    ordersSnapshotAt: null,
  };
}

/** For the imports page: which phase a back-fill is in and how far it got (0–100). */
export function describeBackfillProgress(run: { kind: string; cursor: string | null }): { phase: BackfillPhase; percent: number } | null {
  if (run.kind !== "SHOPIFY_BACKFILL") return null;
  const cursor = parseBackfillCursor(run.cursor);
  if (!cursor) return null;
  if (cursor.phase === "done") return { phase: "done", percent: 100 };
  const index = PHASES.indexOf(cursor.phase);
  const within = cursor.phaseTotal ? Math.min(cursor.phaseRows / cursor.phaseTotal, 1) : 0;
  return { phase: cursor.phase, percent: Math.round(((index + within) / PHASES.length) * 100) };
}

// ---------------------------------------------------------------------------------------------
// Scheduling
// ---------------------------------------------------------------------------------------------

/**
 * Enqueues the shop's back-fill (once per shop, ever: the dedupe key says so) and keeps its
 * hourly reconciliation going. Safe to call on every admin request; cheap after the first.
 */
export async function scheduleInstallBackfill({ shopId }: { shopId: string }, deps: ShopifySyncDeps = {}) {
  const queue = deps.queue ?? jobQueue();
  const now = (deps.now ?? (() => new Date()))();
  const backfill = await enqueueJob(
    queue,
    shopifySyncJobs.backfill,
    { shopId },
    { dedupeKey: backfillDedupeKey(shopId), shopId, maxAttempts: BACKFILL_MAX_ATTEMPTS },
  );
  const reconcile = await scheduleOrderReconciliation({ shopId, runAt: new Date(now.getTime() + HOUR_MS) }, deps);
  return { backfillJobId: backfill.id, backfillCreated: backfill.created, reconcileJobId: reconcile.id };
}

/** One reconciliation per shop and hour: a second call for the same hour returns the first job. */
export function scheduleOrderReconciliation({ shopId, runAt }: { shopId: string; runAt: Date }, deps: ShopifySyncDeps = {}) {
  return enqueueJob(
    deps.queue ?? jobQueue(),
    shopifySyncJobs.reconcileOrders,
    { shopId },
    { runAt, dedupeKey: reconcileOrdersDedupeKey(shopId, runAt), shopId, maxAttempts: RECONCILE_MAX_ATTEMPTS },
  );
}

// ---------------------------------------------------------------------------------------------
// Back-fill
// ---------------------------------------------------------------------------------------------

export type BackfillOutcome =
  | { status: "SKIPPED"; reason: "NO_SHOP" | "UNINSTALLED" }
  | { status: "SUCCEEDED"; runId: string; processedRows: number; alreadyDone: boolean };

export async function runShopifyBackfill(
  { shopId, jobId, attempt = 1, maxAttempts = 1 }: { shopId: string; jobId: string; attempt?: number; maxAttempts?: number },
  deps: ShopifySyncDeps = {},
): Promise<BackfillOutcome> {
  const db = deps.db ?? appDb();
  const now = deps.now ?? (() => new Date());
  const shop = await findShopForSync(db, { shopId });
  if (!shop) return { status: "SKIPPED", reason: "NO_SHOP" };
  if (shop.uninstalledAt) return { status: "SKIPPED", reason: "UNINSTALLED" };

  const run = await findOrCreateBackfillRun(db, { shopId, jobId, now: now() });
  if (run.status === "SUCCEEDED") {
    return { status: "SUCCEEDED", runId: run.id, processedRows: run.processedRows, alreadyDone: true };
  }
  if (run.status !== "RUNNING") await markImportRunStarted(db, { shopId, runId: run.id, at: now() });

  try {
    const client = createShopifyAdminClient({
      graphql: await adminGraphqlFor(shop.domain, deps),
      fetch: deps.fetch,
      sleep: deps.sleep,
      signal: deps.signal,
      onThrottle: deps.onThrottle,
    });
    const backfill = new BackfillRun(db, client, shopId, run.id, parseBackfillCursor(run.cursor) ?? initialCursor(jobId), deps);
    const cursor = await backfill.run();
    await finishImportRun(db, { shopId, runId: run.id, status: "SUCCEEDED", at: now(), cursor: JSON.stringify(cursor) });
    if (cursor.ordersSnapshotAt) {
      await advanceOrdersReconciledAt(db, { shopId, at: new Date(cursor.ordersSnapshotAt) });
    }
    await scheduleOrderReconciliation({ shopId, runAt: new Date(now().getTime() + HOUR_MS) }, deps);
    return { status: "SUCCEEDED", runId: run.id, processedRows: cursor.doneRows, alreadyDone: false };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (attempt >= maxAttempts) {
      await finishImportRun(db, { shopId, runId: run.id, status: "FAILED", at: now(), failureReason: reason });
    } else {
      // The job runs again with backoff and resumes from the cursor; the run stays RUNNING.
      await noteImportRunFailure(db, { shopId, runId: run.id, reason });
    }
    throw error;
  }
}

async function findOrCreateBackfillRun(db: Db, { shopId, jobId, now }: { shopId: string; jobId: string; now: Date }) {
  const recent = await findRecentImportRuns(db, { shopId, kind: "SHOPIFY_BACKFILL", take: 20 });
  const existing = recent.find((run) => parseBackfillCursor(run.cursor)?.jobId === jobId);
  if (existing) return existing;
  return createImportRun(db, {
    shopId,
    kind: "SHOPIFY_BACKFILL",
    status: "RUNNING",
    cursor: JSON.stringify(initialCursor(jobId)),
    startedAt: now,
  });
}

async function adminGraphqlFor(shopDomain: string, deps: ShopifySyncDeps): Promise<AdminGraphql> {
  if (deps.graphql) return deps.graphql;
  const { admin } = await unauthenticated.admin(shopDomain);
  return (query, options) => admin.graphql(query, options);
}

type PendingRecord =
  | { kind: "customers"; record: CanonicalCustomer }
  | { kind: "orders"; record: CanonicalOrder }
  | { kind: "checkouts"; record: CheckoutDraft };

class BackfillRun {
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly ingest: typeof ingestBatch;

  constructor(
    private readonly db: Db,
    private readonly client: ShopifyAdminClient,
    private readonly shopId: string,
    private readonly runId: string,
    private cursor: BackfillCursor,
    private readonly deps: ShopifySyncDeps,
  ) {
    this.batchSize = Math.min(Math.max(1, deps.batchSize ?? DEFAULT_BATCH_SIZE), MAX_BATCH_SIZE);
    this.now = deps.now ?? (() => new Date());
    this.ingest = deps.ingest ?? ingestBatch;
  }

  async run(): Promise<BackfillCursor> {
    await this.startLaterOperations();
    while (this.cursor.phase !== "done") {
      await this.runPhase(this.cursor.phase);
    }
    return this.cursor;
  }

  private async save(next: BackfillCursor) {
    this.cursor = next;
    await saveImportCursor(this.db, { shopId: this.shopId, runId: this.runId, cursor: JSON.stringify(next) });
  }

  /**
   * Starts the bulk queries of the current and later phases at once, so Shopify prepares the
   * orders while the customers are stored. An operation Shopify refuses now (its concurrency
   * limit) is started again when its phase comes. Saved before anything else happens, so a
   * killed run never starts the same operation twice.
   */
  private async startLaterOperations() {
    if (this.cursor.phase === "done") return;
    const operations = { ...this.cursor.operations };
    let started = false;
    let snapshotAt = this.cursor.ordersSnapshotAt;
    for (const kind of PHASES.slice(PHASES.indexOf(this.cursor.phase))) {
      if (operations[kind]) continue;
      const result = await this.client.startBulkQuery(kind);
      if (!result.ok) continue;
      operations[kind] = result.operation.id;
      if (kind === "orders") snapshotAt = result.operation.createdAt.toISOString();
      started = true;
    }
    if (!started) return;
    await this.save({
      ...this.cursor,
      operations,
      ordersSnapshotAt: snapshotAt,
      bulkOperationId: this.cursor.bulkOperationId ?? operations[this.cursor.phase as BulkQueryKind],
    });
  }

  private async runPhase(kind: BulkQueryKind) {
    let restarts = 0;
    const restart = async (why: string) => {
      restarts += 1;
      if (restarts > MAX_OPERATION_RESTARTS) throw new AppError("UNAVAILABLE", `Shopify ${kind} back-fill: ${why}`);
      await this.save({
        ...this.cursor,
        operations: { ...this.cursor.operations, [kind]: null },
        bulkOperationId: null,
        url: null,
        line: 0,
        skipOrphansThrough: -1,
        phaseRows: 0,
        phaseTotal: null,
      });
    };

    for (;;) {
      let operationId = this.cursor.bulkOperationId;
      if (!operationId) {
        const started = await this.client.startBulkQuery(kind);
        if (!started.ok) {
          throw new AppError("UNAVAILABLE", `Shopify refused the ${kind} bulk query: ${started.userErrors.map((e) => e.message).join("; ")}`);
        }
        operationId = started.operation.id;
        await this.save({
          ...this.cursor,
          operations: { ...this.cursor.operations, [kind]: operationId },
          bulkOperationId: operationId,
          ...(kind === "orders" ? { ordersSnapshotAt: started.operation.createdAt.toISOString() } : {}),
        });
      }

      if (!this.cursor.url) {
        const state = await this.client.waitForBulkOperation(operationId, {
          pollIntervalMs: this.deps.pollIntervalMs,
          maxPollIntervalMs: this.deps.maxPollIntervalMs,
        });
        if (!state || state.status !== "COMPLETED") {
          await restart(`bulk operation ${operationId} ended ${state ? `${state.status} (${state.errorCode ?? "no error code"})` : "missing"}`);
          continue;
        }
        const snapshot = kind === "orders" ? { ordersSnapshotAt: state.createdAt.toISOString() } : {};
        if (!state.url) {
          // A completed operation without a file found nothing.
          await this.finishPhase(kind, snapshot);
          return;
        }
        await this.save({ ...this.cursor, ...snapshot, url: state.url, phaseTotal: state.rootObjectCount });
      }

      const result = await this.client.openBulkResult(this.cursor.url!, { startLine: this.cursor.line });
      if (!result.ok) {
        // The signed URL may only need re-signing; otherwise the file is gone (7 days) and the
        // data is fetched again from the top, which idempotent ingestion makes safe.
        const state = await this.client.getBulkOperation(operationId);
        if (state?.status === "COMPLETED" && state.url && state.url !== this.cursor.url) {
          await this.save({ ...this.cursor, url: state.url });
        } else {
          await restart(`result file of ${operationId} is gone (HTTP ${result.status})`);
        }
        continue;
      }
      await this.ingestStream(kind, assembleBulkGroups(result.lines, { skipOrphansThrough: this.cursor.skipOrphansThrough }));
      await this.finishPhase(kind, {});
      return;
    }
  }

  private async finishPhase(kind: BulkQueryKind, extra: Partial<BackfillCursor>) {
    const next = PHASES[PHASES.indexOf(kind) + 1] ?? "done";
    await this.save({
      ...this.cursor,
      ...extra,
      phase: next,
      doneRows: this.cursor.doneRows + this.cursor.phaseRows,
      phaseRows: 0,
      phaseTotal: null,
      bulkOperationId: next === "done" ? null : this.cursor.operations[next],
      url: null,
      line: 0,
      skipOrphansThrough: -1,
    });
  }

  private async ingestStream(kind: BulkQueryKind, groups: AsyncGenerator<BulkGroup>) {
    let records: PendingRecord[] = [];
    let rowErrors: BulkRowError[] = [];
    let rows = 0;
    let checkpoint: BulkGroup["checkpoint"] | null = null;

    const commit = async () => {
      if (!checkpoint) return;
      const result = records.length > 0 ? await this.ingest(this.db, {
        shopId: this.shopId,
        batch: await this.buildBatch(kind, records),
        now: this.now(),
        importRunId: this.runId,
      }) : null;
      const counts = result ? countsOf(kind, result) : { created: 0, updated: 0, skipped: 0 };
      this.cursor = {
        ...this.cursor,
        line: checkpoint.resumeLine,
        skipOrphansThrough: checkpoint.skipOrphansThrough,
        phaseRows: this.cursor.phaseRows + rows,
      };
      await recordImportBatch(this.db, {
        shopId: this.shopId,
        runId: this.runId,
        cursor: JSON.stringify(this.cursor),
        processedRows: this.cursor.doneRows + this.cursor.phaseRows,
        ...counts,
        rowErrors,
      });
      records = [];
      rowErrors = [];
      rows = 0;
      checkpoint = null;
      // SQLite queries and an already-buffered download resolve without a macrotask; yield so
      // the runner's lease heartbeat (a timer) still fires during a long phase.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };

    for await (const group of groups) {
      const mapped = mapGroup(kind, group);
      if (mapped.ok) records.push(mapped.record);
      else rowErrors.push(mapped.error);
      rows += 1;
      checkpoint = group.checkpoint;
      if (rows >= this.batchSize) await commit();
    }
    await commit();
  }

  private async buildBatch(kind: BulkQueryKind, records: PendingRecord[]): Promise<CanonicalBatch> {
    if (kind === "customers") return { customers: records.flatMap((r) => (r.kind === "customers" ? [r.record] : [])) };
    if (kind === "orders") return { orders: records.flatMap((r) => (r.kind === "orders" ? [r.record] : [])) };
    const drafts = records.flatMap((r) => (r.kind === "checkouts" ? [r.record] : []));
    const resolved = await resolveCheckoutTokens(this.db, this.client, this.shopId, drafts);
    return { checkouts: resolved.map((entry) => entry.checkout) };
  }
}

function mapGroup(kind: BulkQueryKind, group: BulkGroup): { ok: true; record: PendingRecord } | { ok: false; error: BulkRowError } {
  try {
    if (kind === "customers") {
      const result = mapBulkCustomer(group.line, group.parent);
      return result.ok ? { ok: true, record: { kind, record: result.record } } : result;
    }
    if (kind === "orders") {
      const result = mapBulkOrder(group.line, group.parent, group.children);
      return result.ok ? { ok: true, record: { kind, record: result.record } } : result;
    }
    const result = mapBulkAbandonedCheckout(group.line, group.parent, group.children);
    return result.ok ? { ok: true, record: { kind, record: result.record } } : result;
  } catch (error) {
    return { ok: false, error: { line: group.line, reason: error instanceof Error ? error.message : String(error) } };
  }
}

function countsOf(kind: BulkQueryKind, result: IngestResult): IngestCounts {
  return kind === "customers" ? result.customers : kind === "orders" ? result.orders : result.checkouts;
}

/**
 * Gives back-filled abandoned checkouts the token webhooks and orders know them by
 * (docs/decisions/0006-abandoned-checkout-matching.md).
 */
export async function resolveCheckoutTokens(
  db: Db,
  client: Pick<ShopifyAdminClient, "checkoutTokensByCartToken">,
  shopId: string,
  drafts: CheckoutDraft[],
): Promise<{ checkout: CanonicalCheckout; matchedBy: CheckoutTokenMatch }[]> {
  const urlCheckoutTokens = drafts.flatMap((d) => (d.urlToken?.kind === "checkout" ? [d.urlToken.token] : []));
  const cartTokens = drafts.flatMap((d) => (d.urlToken?.kind === "cart" ? [d.urlToken.token] : []));
  const storedByCartToken = new Map<string, KnownCheckout>();
  for (const row of await findCheckoutsByTokens(db, { shopId, tokens: urlCheckoutTokens, cartTokens })) {
    if (!row.cartToken) continue;
    const current = storedByCartToken.get(row.cartToken);
    // A real Shopify token beats one of our fallbacks for the same cart.
    if (!current || (current.token.startsWith(FALLBACK_CHECKOUT_TOKEN_PREFIX) && !row.token.startsWith(FALLBACK_CHECKOUT_TOKEN_PREFIX))) {
      storedByCartToken.set(row.cartToken, row);
    }
  }
  // Only a completed checkout became an order; ask Shopify which one, by cart token.
  const unresolvedCompleted = drafts.flatMap((d) =>
    d.urlToken?.kind === "cart" && d.checkout.completedAt && !storedByCartToken.has(d.urlToken.token) ? [d.urlToken.token] : [],
  );
  const orderCheckoutTokenByCartToken = unresolvedCompleted.length
    ? await client.checkoutTokensByCartToken(unresolvedCompleted)
    : new Map<string, string>();

  const none = new Map<string, KnownCheckout>();
  const firstPass = drafts.map((draft) =>
    resolveCheckoutToken(draft, { storedByToken: none, storedByCartToken, orderCheckoutTokenByCartToken }),
  );
  const storedByToken = new Map<string, KnownCheckout>();
  const tokens = firstPass.map((entry) => entry.checkout.token);
  for (const row of await findCheckoutsByTokens(db, { shopId, tokens, cartTokens: [] })) storedByToken.set(row.token, row);
  return drafts.map((draft) => resolveCheckoutToken(draft, { storedByToken, storedByCartToken, orderCheckoutTokenByCartToken }));
}

// ---------------------------------------------------------------------------------------------
// Reconciliation
// ---------------------------------------------------------------------------------------------

export type ReconcileOutcome =
  | { status: "SKIPPED"; reason: "NO_SHOP" | "UNINSTALLED" }
  | { status: "SUCCEEDED"; since: Date; checked: number; fetched: number; counts: IngestCounts; rowErrors: BulkRowError[] };

/**
 * Re-reads the orders Shopify changed since the last mark (minus an overlap) and stores those
 * whose stored version is missing or older: a dropped orders/create or orders/updated is
 * repaired within the hour. Enqueues the next hour's run first, so one failing run never ends
 * the chain. A rerun after a kill reads the same window again (the mark only moves at the end).
 */
export async function reconcileShopifyOrders({ shopId }: { shopId: string }, deps: ShopifySyncDeps = {}): Promise<ReconcileOutcome> {
  const db = deps.db ?? appDb();
  const now = deps.now ?? (() => new Date());
  const ingest = deps.ingest ?? ingestBatch;
  const shop = await findShopForSync(db, { shopId });
  if (!shop) return { status: "SKIPPED", reason: "NO_SHOP" };
  if (shop.uninstalledAt) return { status: "SKIPPED", reason: "UNINSTALLED" };

  const startedAt = now();
  await scheduleOrderReconciliation({ shopId, runAt: new Date(startedAt.getTime() + HOUR_MS) }, deps);
  const since = shop.ordersReconciledAt
    ? new Date(shop.ordersReconciledAt.getTime() - RECONCILE_OVERLAP_MS)
    : new Date(startedAt.getTime() - RECONCILE_FIRST_WINDOW_MS);

  const client = createShopifyAdminClient({
    graphql: await adminGraphqlFor(shop.domain, deps),
    fetch: deps.fetch,
    sleep: deps.sleep,
    signal: deps.signal,
    onThrottle: deps.onThrottle,
  });
  const batchSize = Math.min(Math.max(1, deps.batchSize ?? DEFAULT_BATCH_SIZE), MAX_BATCH_SIZE);
  const counts: IngestCounts = { created: 0, updated: 0, skipped: 0 };
  const rowErrors: BulkRowError[] = [];
  let checked = 0;
  let fetched = 0;

  for await (const page of client.listChangedOrders({ since })) {
    checked += page.length;
    const stored = await findShopifyOrderVersions(db, { shopId, sourceIds: page.map((order) => sourceIdFromGid(order.id)) });
    const stale = page.filter((order) => {
      const storedAt = stored.get(sourceIdFromGid(order.id));
      return !storedAt || storedAt.getTime() < order.updatedAt.getTime();
    });
    if (stale.length === 0) continue;
    const orders: CanonicalOrder[] = [];
    for (const { order, lineItems } of await client.fetchOrders(stale.map((order) => order.id))) {
      const mapped = mapBulkOrder(-1, order, lineItems);
      if (!mapped.ok) {
        rowErrors.push(mapped.error);
        continue;
      }
      // A repaired orders/create counts as live by the same rule as the webhook itself.
      orders.push({ ...mapped.record, live: isLiveOrder({ processedAt: mapped.record.placedAt, receivedAt: startedAt }) });
    }
    fetched += orders.length;
    for (let start = 0; start < orders.length; start += batchSize) {
      const result = await ingest(db, { shopId, batch: { orders: orders.slice(start, start + batchSize) }, now: now() });
      counts.created += result.orders.created;
      counts.updated += result.orders.updated;
      counts.skipped += result.orders.skipped;
    }
  }

  await advanceOrdersReconciledAt(db, { shopId, at: startedAt });
  if (fetched > 0 || rowErrors.length > 0) {
    // Only runs that repaired something are listed among the imports; quiet hours are not.
    await recordFinishedImportRun(db, {
      shopId,
      kind: "SHOPIFY_RECONCILE",
      startedAt,
      finishedAt: now(),
      processedRows: fetched + rowErrors.length,
      createdCount: counts.created,
      updatedCount: counts.updated,
      skippedCount: counts.skipped,
      errorCount: rowErrors.length,
    });
  }
  return { status: "SUCCEEDED", since, checked, fetched, counts, rowErrors };
}

// ---------------------------------------------------------------------------------------------
// Job definitions
// ---------------------------------------------------------------------------------------------

/** The two sync jobs, bound to the given dependencies (tests pass fakes; the app passes none). */
export function createShopifySyncJobs(deps: ShopifySyncDeps = {}) {
  return defineShopifySyncJobs({
    backfill: async ({ shopId }: ShopifySyncPayload, context: JobContext) => {
      await runShopifyBackfill(
        { shopId, jobId: context.jobId, attempt: context.attempt, maxAttempts: context.maxAttempts },
        { ...deps, signal: deps.signal ?? context.signal },
      );
    },
    reconcileOrders: async ({ shopId }: ShopifySyncPayload, context: JobContext) => {
      await reconcileShopifyOrders({ shopId }, { ...deps, signal: deps.signal ?? context.signal });
    },
  });
}

/** Register these two with the job runner. */
export const shopifySyncJobs = createShopifySyncJobs();
export const shopifyBackfillJob = shopifySyncJobs.backfill;
export const shopifyReconcileOrdersJob = shopifySyncJobs.reconcileOrders;
