import { readFileSync } from "node:fs";
import path from "node:path";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/db.server";
import { parseShopifyCheckout, parseShopifyOrder } from "../../app/integrations/shopify/webhook-payloads";
import { createJobRegistry } from "../../app/jobs/job-definitions";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { createPrismaJobQueue } from "../../app/jobs/prisma-job-queue.server";
import { findShopifyBackfillStatus } from "../../app/services/imports.server";
import { ingestBatch } from "../../app/services/ingestion.server";
import {
  createShopifySyncJobs,
  describeBackfillProgress,
  parseBackfillCursor,
  reconcileShopifyOrders,
  runShopifyBackfill,
  scheduleInstallBackfill,
  type ShopifySyncDeps,
} from "../../app/services/shopify-backfill.server";
import { describeEachDatabase } from "../support/databases";
import { manualClock, recordingLogger } from "../support/jobs";

/**
 * The back-fill and the reconciliation against a fake Admin API (msw): the real
 * `unauthenticated.admin` client with an offline session from the database, bulk operations
 * that run and complete, result files streamed from a storage URL, and the real ingestion.
 */

type Kind = "customers" | "orders" | "checkouts";
type Json = Record<string, unknown>;

const FIXTURES = path.join(process.cwd(), "tests/fixtures/shopify/bulk");
const BULK_FILES: Record<Kind, string> = {
  customers: readFileSync(path.join(FIXTURES, "customers.jsonl"), "utf8"),
  orders: readFileSync(path.join(FIXTURES, "orders.jsonl"), "utf8"),
  checkouts: readFileSync(path.join(FIXTURES, "abandoned-checkouts.jsonl"), "utf8"),
};
const STORAGE = "https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs";
const NOW = new Date("2026-04-01T12:00:00.000Z");
const OPERATION_CREATED_AT = "2026-04-01T11:58:00Z";
const CART_TOKEN_BEN = "hWN2TB7ZmvSu4DM4b8U70bgH";
const CART_TOKEN_CHLOE = "Z2NwLWV1cm9wZS13ZXN0MzowMUpWVlY1R0I5UENZMDAyWUU0UUNHTlgxVg";
const CHECKOUT_TOKEN_CHLOE_ORDER = "e0d1c2b3a4958677685a4b3c2d1e0f9a";

const costExtension = (available = 1990) => ({
  cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 } },
});

let operationNumber = 0;

/** One shop as the Admin API sees it: its bulk operations, result files and current orders. */
class FakeShop {
  readonly token: string;
  readonly operations = new Map<string, { kind: Kind; polls: number; file: string; expired: boolean }>();
  readonly runQueryCalls: Kind[] = [];
  readonly downloads: string[] = [];
  /** Bytes each download actually delivered, and each file's full size. */
  readonly served: { kind: Kind; bytes: number; size: number }[] = [];
  readonly files: Record<Kind, string> = { ...BULK_FILES };
  readonly detailRequests: string[][] = [];
  readonly cartTokenLookups: string[][] = [];
  throttleNext = 0;
  throttled = 0;
  /** The orders Shopify has now, keyed by GID, with their line items. */
  readonly orders = new Map<string, { order: Json; lineItems: Json[] }>();

  constructor(readonly domain: string) {
    this.token = `shpat_${domain.split(".")[0]}`;
    this.setOrdersFile(BULK_FILES.orders);
  }

  setOrdersFile(text: string) {
    this.files.orders = text;
    this.orders.clear();
    let current: { order: Json; lineItems: Json[] } | undefined;
    for (const line of text.trim().split("\n")) {
      const { __parentId, ...value } = JSON.parse(line) as Json;
      if (__parentId) current!.lineItems.push(value);
      else this.orders.set(value.id as string, (current = { order: value, lineItems: [] }));
    }
  }

  answer(query: string, variables: Json): Json {
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      this.throttled += 1;
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: costExtension(0),
      };
    }
    const data = this.data(query, variables);
    return { data, extensions: costExtension() };
  }

  private data(query: string, variables: Json): Json {
    if (query.includes("bulkOperationRunQuery")) {
      const bulkQuery = String(variables.query);
      const kind: Kind = bulkQuery.includes("abandonedCheckouts") ? "checkouts" : bulkQuery.includes("orders") ? "orders" : "customers";
      if (kind !== "customers" && variables.groupObjects !== true) throw new Error("nested bulk queries must ask for grouped output");
      this.runQueryCalls.push(kind);
      operationNumber += 1;
      const id = `gid://shopify/BulkOperation/${3_000_000 + operationNumber}`;
      this.operations.set(id, { kind, polls: 0, file: `${3_000_000 + operationNumber}-${kind}.jsonl`, expired: false });
      return { bulkOperationRunQuery: { bulkOperation: { id, status: "CREATED", createdAt: OPERATION_CREATED_AT }, userErrors: [] } };
    }
    if (query.includes("query BulkOperationStatus")) {
      const operation = this.operations.get(String(variables.id));
      if (!operation) return { node: null };
      operation.polls += 1;
      const done = operation.polls > 1;
      const lines = this.files[operation.kind].trim().split("\n");
      return {
        node: {
          id: variables.id,
          status: done ? "COMPLETED" : "RUNNING",
          errorCode: null,
          createdAt: OPERATION_CREATED_AT,
          completedAt: done ? "2026-04-01T11:59:00Z" : null,
          objectCount: String(lines.length),
          rootObjectCount: String(lines.filter((line) => !line.includes("__parentId")).length),
          url: done ? `${STORAGE}/${operation.file}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=604800&X-Goog-Signature=5f1c` : null,
          partialDataUrl: null,
        },
      };
    }
    if (query.includes("query OrderChanges")) {
      const since = new Date(/updated_at:>='([^']+)'/.exec(String(variables.query))![1]!);
      const nodes = [...this.orders.values()]
        .map(({ order }) => ({ id: order.id, updatedAt: order.updatedAt as string }))
        .filter((order) => new Date(order.updatedAt) >= since)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      return { orders: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } };
    }
    if (query.includes("query OrderDetails")) {
      const ids = variables.ids as string[];
      this.detailRequests.push(ids);
      return {
        nodes: ids.map((id) => {
          const found = this.orders.get(id);
          return found ? { ...found.order, lineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: found.lineItems } } : null;
        }),
      };
    }
    if (query.includes("query OrdersByCartToken")) {
      const tokens = [...String(variables.query).matchAll(/cart_token:"([^"]+)"/g)].map((match) => match[1]!);
      this.cartTokenLookups.push(tokens);
      const nodes = tokens.includes(CART_TOKEN_CHLOE)
        ? [{ id: "gid://shopify/Order/5004", cartToken: CART_TOKEN_CHLOE, checkoutToken: CHECKOUT_TOKEN_CHLOE_ORDER }]
        : [];
      return { orders: { nodes } };
    }
    throw new Error(`The fake Admin API does not know this query: ${query.slice(0, 80)}`);
  }

  file(name: string): Response {
    const operation = [...this.operations.values()].find((candidate) => candidate.file === name);
    if (!operation) return new HttpResponse("<Error><Code>NoSuchKey</Code></Error>", { status: 404 });
    this.downloads.push(operation.kind);
    if (operation.expired) return new HttpResponse("<Error><Code>ExpiredToken</Code></Error>", { status: 400 });
    // Small chunks, so lines and multi-byte characters are split across reads as on a real network.
    const bytes = new TextEncoder().encode(this.files[operation.kind]);
    const served = { kind: operation.kind, bytes: 0, size: bytes.length };
    this.served.push(served);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (served.bytes >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(served.bytes, served.bytes + 97));
        served.bytes = Math.min(served.bytes + 97, bytes.length);
      },
    }, { highWaterMark: 0 });
    return new HttpResponse(body, { headers: { "content-type": "application/jsonl" } });
  }
}

const shops = new Map<string, FakeShop>();

const server = setupServer(
  http.post(/^https:\/\/[^/]+\/admin\/api\/2026-07\/graphql\.json$/, async ({ request }) => {
    const shop = shops.get(new URL(request.url).host);
    if (!shop) return new HttpResponse(null, { status: 404 });
    if (request.headers.get("x-shopify-access-token") !== shop.token) {
      return HttpResponse.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }
    const { query, variables } = (await request.json()) as { query: string; variables?: Json };
    return HttpResponse.json(shop.answer(query, variables ?? {}));
  }),
  http.get(`${STORAGE}/:file`, ({ params }) => {
    const name = String(params.file);
    const shop = [...shops.values()].find((candidate) => [...candidate.operations.values()].some((operation) => operation.file === name));
    return shop ? shop.file(name) : new HttpResponse(null, { status: 404 });
  }),
);

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  // shopify-api's node adapter keeps the fetch it found when app/shopify.server.ts was imported,
  // which was before msw patched it: hand it the patched one.
  setAbstractFetchFunc(globalThis.fetch);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The fixture's orders followed by `extra` more orders of Anna's, one line item each. */
function ordersFileWithMore(extra: number): string {
  const lines = [BULK_FILES.orders.trimEnd()];
  for (let n = 1; n <= extra; n++) {
    const id = 5100 + n;
    const day = String(1 + (n % 27)).padStart(2, "0");
    const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "EUR" } });
    lines.push(
      JSON.stringify({
        id: `gid://shopify/Order/${id}`,
        name: `#${1100 + n}`,
        processedAt: `2025-11-${day}T10:00:00Z`,
        createdAt: `2025-11-${day}T10:00:00Z`,
        updatedAt: `2025-11-${day}T12:00:00Z`,
        cancelledAt: null,
        cancelReason: null,
        currencyCode: "EUR",
        totalPriceSet: money("10.00"),
        subtotalPriceSet: money("10.00"),
        totalRefundedSet: money("0.00"),
        displayFinancialStatus: "PAID",
        displayFulfillmentStatus: "FULFILLED",
        checkoutToken: null,
        email: "anna.schmidt@example.de",
        customerLocale: "de",
        discountCodes: [],
        customer: { id: "gid://shopify/Customer/7001" },
        shippingAddress: null,
      }),
      JSON.stringify({
        id: `gid://shopify/LineItem/${id}1`,
        sku: "CARD",
        title: "Greeting card",
        variantTitle: null,
        quantity: 1,
        originalUnitPriceSet: money("10.00"),
        discountedTotalSet: money("10.00"),
        product: { id: "gid://shopify/Product/632910397" },
        variant: { id: "gid://shopify/ProductVariant/808950816" },
        __parentId: `gid://shopify/Order/${id}`,
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

let shopNumber = 0;

/** A shop row, its offline session (what unauthenticated.admin loads) and its fake Admin API. */
async function installShop(db: Db, label: string) {
  shopNumber += 1;
  const domain = `${label}-${shopNumber}-${Math.random().toString(36).slice(2, 7)}.myshopify.com`;
  const fake = new FakeShop(domain);
  shops.set(domain, fake);
  await db.session.create({
    data: {
      id: `offline_${domain}`,
      shop: domain,
      state: "",
      isOnline: false,
      scope: "read_customers,read_orders,read_all_orders,read_products",
      accessToken: fake.token,
      expires: null,
    },
  });
  const shop = await db.shop.create({ data: { domain, name: label, currency: "EUR", emailHashSalt: "salt" } });
  return { shop, fake };
}

const baseDeps: ShopifySyncDeps = {
  now: () => NOW,
  sleep: async () => undefined,
  pollIntervalMs: 1,
  maxPollIntervalMs: 1,
};

/** The app's jobQueue() is a process-wide singleton; each suite's database gets its own queue. */
function depsFor(db: Db, extra: ShopifySyncDeps = {}): ShopifySyncDeps {
  return { ...baseDeps, queue: createPrismaJobQueue(db, { now: () => NOW }), ...extra };
}

async function customerByEmail(db: Db, shopId: string, email: string) {
  return db.customer.findFirstOrThrow({ where: { shopId, emailNormalized: email } });
}

/** A recording (and optionally failing) ingestBatch, to see which records each call carried. */
function recordingIngest(options: { failAfterOrderCalls?: number } = {}) {
  const calls: { kind: Kind; ids: string[] }[] = [];
  let orderCalls = 0;
  const ingest: typeof ingestBatch = async (db, input) => {
    const result = await ingestBatch(db, input);
    const kind: Kind = input.batch.orders?.length ? "orders" : input.batch.checkouts?.length ? "checkouts" : "customers";
    calls.push({
      kind,
      ids: [
        ...(input.batch.customers ?? []).map((customer) => customer.sourceId),
        ...(input.batch.orders ?? []).map((order) => order.sourceId),
        ...(input.batch.checkouts ?? []).map((checkout) => checkout.graphqlId ?? checkout.token),
      ],
    });
    if (kind === "orders") orderCalls += 1;
    // Dies after the batch is stored but before its cursor is: the worst moment to be killed.
    if (options.failAfterOrderCalls !== undefined && orderCalls === options.failAfterOrderCalls) throw new Error("simulated kill");
    return result;
  };
  return { ingest, calls };
}

describeEachDatabase("Shopify back-fill and order reconciliation", (current) => {
  it("back-fills customers, orders with line items and abandoned checkouts through the job queue", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "full");
    const clock = manualClock(NOW.toISOString());
    const queue = createPrismaJobQueue(db, { now: clock.now });
    const deps = { ...baseDeps, queue };
    const jobs = createShopifySyncJobs(deps);

    const first = await scheduleInstallBackfill({ shopId: shop.id }, deps);
    const again = await scheduleInstallBackfill({ shopId: shop.id }, deps);
    expect(first.backfillCreated).toBe(true);
    expect(again).toMatchObject({ backfillJobId: first.backfillJobId, backfillCreated: false, reconcileJobId: first.reconcileJobId });

    const runner = createJobRunner({ queue, registry: createJobRegistry([jobs.backfill, jobs.reconcileOrders]), logger: recordingLogger() });
    expect(await runner.runOnce()).toEqual({ jobId: first.backfillJobId, outcome: "SUCCEEDED" });
    // The reconciliation is due in an hour, not now.
    expect(await runner.runOnce()).toBeNull();

    expect(fake.runQueryCalls).toEqual(["customers", "orders", "checkouts"]);
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(3);
    expect(await db.customerIdentity.count({ where: { shopId: shop.id, source: "SHOPIFY" } })).toBe(3);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(4);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(7);
    expect(await db.checkout.count({ where: { shopId: shop.id } })).toBe(3);
    expect(await db.order.count({ where: { shopId: shop.id, live: true } })).toBe(0);

    const anna = await customerByEmail(db, shop.id, "anna.schmidt@example.de");
    expect(anna).toMatchObject({ firstName: "Anna", orderCount: 2, lifetimeValueMinor: 15990n, language: "de", countryCode: "DE", phone: "+49301234567" });
    const ben = await customerByEmail(db, shop.id, "ben.mueller@example.ch");
    expect(ben).toMatchObject({ orderCount: 0, lifetimeValueMinor: 0n, openAbandonedCheckouts: 1 });
    const chloe = await customerByEmail(db, shop.id, "chloe.martin@example.fr");
    expect(chloe).toMatchObject({ orderCount: 1, lifetimeValueMinor: 8900n });

    const order1001 = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "5001" }, include: { lineItems: { orderBy: { position: "asc" } } } });
    expect(order1001).toMatchObject({ source: "SHOPIFY", number: "#1001", totalMinor: 5990n, customerId: anna.id, checkoutToken: "4c5f1e2d3b6a79808f1e2d3c4b5a6978" });
    expect(order1001.lineItems.map((item) => [item.sku, item.quantity, item.totalMinor])).toEqual([
      ["MUG-BLUE", 2, 2700n],
      ["TEA-EARL", 1, 2800n],
    ]);

    // The completed checkout took its order's checkout token through the cart token in its URL.
    const chloeCheckout = await db.checkout.findFirstOrThrow({ where: { shopId: shop.id, graphqlId: "gid://shopify/AbandonedCheckout/9003" } });
    const order1004 = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "5004" } });
    expect(chloeCheckout).toMatchObject({ token: CHECKOUT_TOKEN_CHLOE_ORDER, cartToken: CART_TOKEN_CHLOE, customerId: chloe.id, completedAt: new Date("2026-03-15T12:00:00Z") });
    expect(chloeCheckout.recoveredByOrderId).toBe(order1004.id);
    expect(fake.cartTokenLookups).toEqual([[CART_TOKEN_CHLOE]]);
    // The legacy URL carried the checkout token itself; without a customer the checkout has no e-mail.
    const guest = await db.checkout.findFirstOrThrow({ where: { shopId: shop.id, graphqlId: "gid://shopify/AbandonedCheckout/9002" } });
    expect(guest).toMatchObject({ token: "0b9f5e1d2c3a4b5c6d7e8f9012345678", customerId: null, email: null });
    expect(guest.abandonedAt).not.toBeNull();
    // Nothing matched Ben's cart: a token of our own that the next back-fill derives again.
    const benCheckout = await db.checkout.findFirstOrThrow({ where: { shopId: shop.id, graphqlId: "gid://shopify/AbandonedCheckout/9001" } });
    expect(benCheckout).toMatchObject({ token: "abandoned-checkout:9001", cartToken: CART_TOKEN_BEN, customerId: ben.id, customerLocale: "de-CH" });

    const run = await db.importRun.findFirstOrThrow({ where: { shopId: shop.id, kind: "SHOPIFY_BACKFILL" } });
    expect(run).toMatchObject({ status: "SUCCEEDED", processedRows: 10, createdCount: 10, updatedCount: 0, skippedCount: 0, errorCount: 0 });
    expect(parseBackfillCursor(run.cursor)).toMatchObject({ phase: "done", doneRows: 10 });
    expect(describeBackfillProgress(run)).toEqual({ phase: "done", percent: 100 });
    expect(await db.order.count({ where: { shopId: shop.id, importRunId: run.id } })).toBe(4);

    // Reconciliation takes over from the orders snapshot, hourly.
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).ordersReconciledAt).toEqual(new Date(OPERATION_CREATED_AT));
    const reconcileJobs = await db.job.findMany({ where: { shopId: shop.id, name: "shopify.reconcile-orders" } });
    expect(reconcileJobs.map((job) => job.runAt)).toEqual([new Date(NOW.getTime() + 3_600_000)]);
  });

  it("resumes a run killed mid-file behind the last stored batch, without a second bulk operation", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "resume");
    // Enough orders that the kill comes while the file is still being read.
    fake.setOrdersFile(ordersFileWithMore(30));
    const killing = recordingIngest({ failAfterOrderCalls: 2 });
    await expect(
      runShopifyBackfill({ shopId: shop.id, jobId: "job-resume", attempt: 1, maxAttempts: 3 }, depsFor(db, { batchSize: 1, ingest: killing.ingest })),
    ).rejects.toThrow("simulated kill");

    const killed = await db.importRun.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(killed).toMatchObject({ status: "RUNNING", failureReason: "simulated kill", processedRows: 4 });
    // Orders #1001 is stored behind the cursor; #1002 was stored too, but its cursor never was.
    expect(parseBackfillCursor(killed.cursor)).toMatchObject({ phase: "orders", line: 3, phaseRows: 1, phaseTotal: 34, doneRows: 3 });
    expect(describeBackfillProgress(killed)).toEqual({ phase: "orders", percent: 34 });
    // What the imports page shows meanwhile.
    expect(await findShopifyBackfillStatus({ shopId: shop.id })).toEqual({
      status: "RUNNING",
      processedRows: 4,
      phase: "orders",
      percent: 34,
      failureReason: "simulated kill",
    });
    const killedDownload = fake.served.find((download) => download.kind === "orders")!;
    expect(killedDownload.bytes).toBeLessThan(killedDownload.size);

    const resumed = recordingIngest();
    const outcome = await runShopifyBackfill({ shopId: shop.id, jobId: "job-resume", attempt: 2, maxAttempts: 3 }, depsFor(db, { batchSize: 1, ingest: resumed.ingest }));
    expect(outcome).toMatchObject({ status: "SUCCEEDED", processedRows: 40, alreadyDone: false });

    expect(fake.runQueryCalls).toEqual(["customers", "orders", "checkouts"]);
    expect(resumed.calls.filter((call) => call.kind === "customers")).toEqual([]);
    const resumedOrders = resumed.calls.filter((call) => call.kind === "orders").flatMap((call) => call.ids);
    expect(resumedOrders.slice(0, 3)).toEqual(["5002", "5003", "5004"]);
    expect(resumedOrders).toHaveLength(33);
    expect(resumedOrders).not.toContain("5001");
    expect(fake.downloads).toEqual(["customers", "orders", "orders", "checkouts"]);

    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(34);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(37);
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(3);
    const run = await db.importRun.findFirstOrThrow({ where: { shopId: shop.id } });
    // #1002 went in twice: its creation was counted with the batch whose cursor the kill lost,
    // and the replay changed nothing, so it is counted as skipped.
    expect(run).toMatchObject({ status: "SUCCEEDED", processedRows: 40, createdCount: 39, skippedCount: 1, failureReason: null });
    expect(await customerByEmail(db, shop.id, "anna.schmidt@example.de")).toMatchObject({ orderCount: 32, lifetimeValueMinor: 15990n + 30n * 1000n });

    // The job running once more (at least once) finds its run finished and does nothing.
    const again = await runShopifyBackfill({ shopId: shop.id, jobId: "job-resume" }, depsFor(db));
    expect(again).toMatchObject({ status: "SUCCEEDED", alreadyDone: true });
    expect(await findShopifyBackfillStatus({ shopId: shop.id })).toMatchObject({ status: "SUCCEEDED", processedRows: 40, percent: 100 });
    expect(fake.runQueryCalls).toHaveLength(3);
  });

  it("runs a new bulk operation when the result file of a killed run has expired", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "expired");
    const killing = recordingIngest({ failAfterOrderCalls: 2 });
    await expect(
      runShopifyBackfill({ shopId: shop.id, jobId: "job-expired", attempt: 1, maxAttempts: 3 }, depsFor(db, { batchSize: 1, ingest: killing.ingest })),
    ).rejects.toThrow("simulated kill");
    for (const operation of fake.operations.values()) if (operation.kind === "orders") operation.expired = true;

    const outcome = await runShopifyBackfill({ shopId: shop.id, jobId: "job-expired", attempt: 2, maxAttempts: 3 }, depsFor(db, { batchSize: 1 }));
    expect(outcome).toMatchObject({ status: "SUCCEEDED", processedRows: 10 });
    expect(fake.runQueryCalls).toEqual(["customers", "orders", "checkouts", "orders"]);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(4);
    expect(await db.orderLineItem.count({ where: { shopId: shop.id } })).toBe(7);
  });

  it("keeps a newer webhook order over the back-filled version, and a second back-fill changes nothing", async () => {
    const { db } = current();
    const { shop } = await installShop(db, "webhook");
    // orders/updated arrived before the back-fill: #1002 fully refunded, a month after the bulk snapshot's version.
    const webhook = parseShopifyOrder(
      {
        id: 5002,
        admin_graphql_api_id: "gid://shopify/Order/5002",
        name: "#1002",
        created_at: "2026-02-20T14:30:00Z",
        processed_at: "2026-02-20T14:30:00Z",
        updated_at: "2026-03-30T10:00:00Z",
        currency: "EUR",
        total_price: "120.00",
        subtotal_price: "120.00",
        financial_status: "refunded",
        fulfillment_status: "fulfilled",
        checkout_token: "9a8b7c6d5e4f30211a2b3c4d5e6f7081",
        email: "anna.schmidt@example.de",
        customer_locale: "de",
        line_items: [{ id: 80021, product_id: 632910394, variant_id: 808950812, sku: "POT-XL", title: "Teapot", variant_title: "XL", quantity: 1, price: "120.00" }],
        refunds: [{ transactions: [{ kind: "refund", status: "success", amount: "120.00" }] }],
        customer: { id: 7001, email: "anna.schmidt@example.de", first_name: "Anna", last_name: "Schmidt", updated_at: "2026-03-01T10:00:00Z" },
      },
      new Date("2026-03-30T10:00:05Z"),
    );
    if (!webhook.ok) throw new Error(webhook.reason);
    await ingestBatch(db, { shopId: shop.id, batch: { orders: [webhook.value] }, now: new Date("2026-03-30T10:00:05Z") });

    expect(await runShopifyBackfill({ shopId: shop.id, jobId: "job-webhook-1" }, depsFor(db))).toMatchObject({ status: "SUCCEEDED" });
    const refunded = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "5002" } });
    expect(refunded).toMatchObject({ financialState: "REFUNDED", refundedMinor: 12000n, sourceUpdatedAt: new Date("2026-03-30T10:00:00Z") });
    const anna = await customerByEmail(db, shop.id, "anna.schmidt@example.de");
    expect(anna).toMatchObject({ orderCount: 2, lifetimeValueMinor: 5990n });
    const firstRun = await db.importRun.findFirstOrThrow({ where: { shopId: shop.id } });
    // Anna came with the webhook (updated: the back-fill adds her phone); #1002 was skipped as older.
    expect(firstRun).toMatchObject({ createdCount: 8, updatedCount: 1, skippedCount: 1 });

    const snapshot = async () => ({
      customers: await db.customer.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, omit: { updatedAt: true } }),
      orders: await db.order.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, omit: { updatedAt: true, importRunId: true } }),
      lineItems: await db.orderLineItem.count({ where: { shopId: shop.id } }),
      checkouts: await db.checkout.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, omit: { updatedAt: true } }),
    });
    const before = await snapshot();
    expect(await runShopifyBackfill({ shopId: shop.id, jobId: "job-webhook-2" }, depsFor(db))).toMatchObject({ status: "SUCCEEDED" });
    expect(await snapshot()).toEqual(before);
    const secondRun = await db.importRun.findFirstOrThrow({ where: { shopId: shop.id, NOT: { id: firstRun.id } } });
    expect(secondRun).toMatchObject({ processedRows: 10, createdCount: 0, updatedCount: 0, skippedCount: 10 });
  });

  it("matches a back-filled abandoned checkout to the webhook checkout of the same cart", async () => {
    const { db } = current();
    const { shop } = await installShop(db, "match");
    const webhookToken = "7d1b0c5e9f2a4b6c8d0e1f2a3b4c5d6e";
    const checkout = parseShopifyCheckout({
      token: webhookToken,
      cart_token: CART_TOKEN_BEN,
      email: "ben.mueller@example.ch",
      customer_locale: "de-CH",
      abandoned_checkout_url: `https://${shop.domain}/60673655038/checkouts/ac/${CART_TOKEN_BEN}/recover?key=65ed255c5950eaeb927a13420bb84879&locale=de-CH`,
      currency: "EUR",
      total_price: "89.00",
      created_at: "2026-03-10T10:00:00Z",
      updated_at: "2026-03-10T10:05:00Z",
      completed_at: null,
      customer: { id: 7002, email: "ben.mueller@example.ch", first_name: "Ben", last_name: "Müller", updated_at: "2026-02-11T08:30:00Z" },
      line_items: [{ key: "808950812:a1", product_id: 632910394, variant_id: 808950812, sku: "POT-XL", title: "Teapot", variant_title: "XL", quantity: 1, price: "89.00" }],
    });
    if (!checkout.ok) throw new Error(checkout.reason);
    await ingestBatch(db, { shopId: shop.id, batch: { checkouts: [checkout.value] }, now: new Date("2026-03-10T10:05:05Z") });

    expect(await runShopifyBackfill({ shopId: shop.id, jobId: "job-match" }, depsFor(db))).toMatchObject({ status: "SUCCEEDED" });
    const stored = await db.checkout.findMany({ where: { shopId: shop.id, OR: [{ cartToken: CART_TOKEN_BEN }, { graphqlId: "gid://shopify/AbandonedCheckout/9001" }] } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      token: webhookToken,
      graphqlId: "gid://shopify/AbandonedCheckout/9001",
      email: "ben.mueller@example.ch",
      sourceUpdatedAt: new Date("2026-03-10T10:20:00Z"),
    });
    expect(await db.checkout.count({ where: { shopId: shop.id, token: { startsWith: "abandoned-checkout:" } } })).toBe(0);
    expect(await db.checkout.count({ where: { shopId: shop.id } })).toBe(3);
    expect(await customerByEmail(db, shop.id, "ben.mueller@example.ch")).toMatchObject({ openAbandonedCheckouts: 1 });
  });

  it("repairs a dropped orders/updated and a dropped orders/create within the hour", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "reconcile");
    const queue = createPrismaJobQueue(db, { now: () => NOW });
    await runShopifyBackfill({ shopId: shop.id, jobId: "job-reconcile" }, { ...baseDeps, queue });
    expect(await customerByEmail(db, shop.id, "chloe.martin@example.fr")).toMatchObject({ orderCount: 1, lifetimeValueMinor: 8900n });

    // Shopify's current state: #1004 refunded in full (its orders/updated never arrived), a new
    // order #1005 whose orders/create never arrived, and #1003 changed but already stored.
    const chloeOrder = fake.orders.get("gid://shopify/Order/5004")!;
    chloeOrder.order = {
      ...chloeOrder.order,
      updatedAt: "2026-04-01T11:00:00Z",
      displayFinancialStatus: "REFUNDED",
      totalRefundedSet: { shopMoney: { amount: "89.00", currencyCode: "EUR" } },
    };
    const template = fake.orders.get("gid://shopify/Order/5001")!;
    fake.orders.set("gid://shopify/Order/5005", {
      order: {
        ...template.order,
        id: "gid://shopify/Order/5005",
        name: "#1005",
        processedAt: "2026-04-01T11:30:00Z",
        createdAt: "2026-04-01T11:30:00Z",
        updatedAt: "2026-04-01T11:30:00Z",
        totalPriceSet: { shopMoney: { amount: "45.00", currencyCode: "EUR" } },
        subtotalPriceSet: { shopMoney: { amount: "45.00", currencyCode: "EUR" } },
        checkoutToken: "5e6f708192a3b4c5d6e7f8091a2b3c4d",
        displayFulfillmentStatus: "UNFULFILLED",
      },
      lineItems: [{ ...template.lineItems[0]!, id: "gid://shopify/LineItem/80051", quantity: 3, discountedTotalSet: { shopMoney: { amount: "45.00", currencyCode: "EUR" } } }],
    });
    const benOrder = fake.orders.get("gid://shopify/Order/5003")!;
    benOrder.order = { ...benOrder.order, updatedAt: "2026-04-01T09:00:00Z" };
    await db.order.updateMany({ where: { shopId: shop.id, sourceId: "5003" }, data: { sourceUpdatedAt: new Date("2026-04-01T09:00:00Z") } });
    await db.shop.update({ where: { id: shop.id }, data: { ordersReconciledAt: new Date("2026-04-01T08:00:00Z") } });

    const throttleWaits: number[] = [];
    const outcome = await reconcileShopifyOrders({ shopId: shop.id }, { ...baseDeps, queue, onThrottle: (ms) => throttleWaits.push(ms) });
    expect(outcome).toMatchObject({
      status: "SUCCEEDED",
      since: new Date("2026-04-01T07:55:00Z"),
      checked: 3,
      fetched: 2,
      counts: { created: 1, updated: 1, skipped: 0 },
    });
    expect(fake.detailRequests).toEqual([["gid://shopify/Order/5004", "gid://shopify/Order/5005"]]);

    expect(await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "5004" } })).toMatchObject({
      financialState: "REFUNDED",
      refundedMinor: 8900n,
      sourceUpdatedAt: new Date("2026-04-01T11:00:00Z"),
    });
    expect(await customerByEmail(db, shop.id, "chloe.martin@example.fr")).toMatchObject({ orderCount: 1, lifetimeValueMinor: 0n });
    const created = await db.order.findFirstOrThrow({ where: { shopId: shop.id, sourceId: "5005" }, include: { lineItems: true } });
    // Placed half an hour ago: live by the webhook's own rule, so its after-purchase letter is not lost.
    expect(created).toMatchObject({ live: true, totalMinor: 4500n });
    expect(created.lineItems).toHaveLength(1);
    expect(await customerByEmail(db, shop.id, "anna.schmidt@example.de")).toMatchObject({ orderCount: 3, lifetimeValueMinor: 20490n });
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).ordersReconciledAt).toEqual(NOW);
    expect(await db.importRun.findFirstOrThrow({ where: { shopId: shop.id, kind: "SHOPIFY_RECONCILE" } })).toMatchObject({
      status: "SUCCEEDED",
      processedRows: 2,
      createdCount: 1,
      updatedCount: 1,
    });
    expect(throttleWaits).toEqual([]);

    // One job per hour: the next run is booked once, however often this one runs.
    const nextRuns = await db.job.findMany({ where: { shopId: shop.id, name: "shopify.reconcile-orders" } });
    expect(nextRuns.map((job) => [job.runAt, job.dedupeKey])).toEqual([[new Date("2026-04-01T13:00:00Z"), `shopify-reconcile-orders:${shop.id}:2026-04-01T13`]]);
    const quiet = await reconcileShopifyOrders({ shopId: shop.id }, { ...baseDeps, queue });
    expect(quiet).toMatchObject({ status: "SUCCEEDED", checked: 0, fetched: 0 });
    expect(await db.job.count({ where: { shopId: shop.id, name: "shopify.reconcile-orders" } })).toBe(1);
    expect(await db.importRun.count({ where: { shopId: shop.id, kind: "SHOPIFY_RECONCILE" } })).toBe(1);
  });

  it("skips uninstalled shops and ends their reconciliation chain", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "uninstalled");
    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date("2026-03-31T00:00:00Z") } });
    const queue = createPrismaJobQueue(db, { now: () => NOW });
    expect(await reconcileShopifyOrders({ shopId: shop.id }, { ...baseDeps, queue })).toEqual({ status: "SKIPPED", reason: "UNINSTALLED" });
    expect(await runShopifyBackfill({ shopId: shop.id, jobId: "job-gone" }, { ...baseDeps, queue })).toEqual({ status: "SKIPPED", reason: "UNINSTALLED" });
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(0);
    expect(fake.runQueryCalls).toEqual([]);
  });

  it("waits out THROTTLED answers and retries them", async () => {
    const { db } = current();
    const { shop, fake } = await installShop(db, "throttled");
    fake.throttleNext = 2;
    const waits: number[] = [];
    const outcome = await runShopifyBackfill({ shopId: shop.id, jobId: "job-throttled" }, depsFor(db, { onThrottle: (ms) => waits.push(ms) }));
    expect(outcome).toMatchObject({ status: "SUCCEEDED", processedRows: 10 });
    expect(fake.throttled).toBe(2);
    // 10 points wanted, none left, 100 restored per second: 100 ms plus a margin, each time.
    expect(waits).toEqual([150, 150]);
    expect(fake.runQueryCalls).toEqual(["customers", "orders", "checkouts"]);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(4);
  });
});

describe("the fake Admin API", () => {
  it("refuses a request without the shop's access token", async () => {
    shops.set("token-check.myshopify.com", new FakeShop("token-check.myshopify.com"));
    const response = await fetch("https://token-check.myshopify.com/admin/api/2026-07/graphql.json", {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "wrong" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
  });
});
