import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { createJobRegistry } from "../../app/jobs/job-definitions";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import type { EnqueueRequest, JobQueue } from "../../app/jobs/job-queue";
import { jobQueue } from "../../app/jobs/queue.server";
import { action, loader, type BillbeeActionData } from "../../app/routes/app.imports.billbee";
import {
  BILLBEE_SYNC_OVERLAP_MS,
  createBillbeeImportJob,
  describeBillbeeAccount,
  parseBillbeeCursor,
  runBillbeeImport,
  saveBillbeeCredentials,
  startBillbeeImport,
  testBillbeeConnection,
  type BillbeeImportDeps,
} from "../../app/services/billbee-import.server";
import { ingestBatch } from "../../app/services/ingestion.server";
import { openSecrets } from "../../app/services/integration-secrets.server";
import { adminRequest, createOfflineSession } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createCustomer, createShop } from "../support/factories";
import {
  billbeeFixturePage,
  billbeeOrder,
  createFakeBillbee,
  fakeTime,
  setupFakeBillbeeServer,
  type Json,
} from "../support/fake-billbee";
import { recordingLogger } from "../support/jobs";

/**
 * The Billbee import end to end (A2) on both databases: credentials saved and tested through the
 * page's real loader and action (signed like embedded-admin requests), imports run by the real
 * job handler against a fake Billbee API (msw) with Billbee's paging, auth, throttling and error
 * envelopes, and written through the one ingestion path. Time and sleep are a hand-moved clock.
 */

const BASE = "https://api.billbee.io/api/v1";
let time = fakeTime();
const fake = createFakeBillbee({ baseUrl: BASE, now: () => time.now() });
const server = setupFakeBillbeeServer(fake);
let storeDir: string;

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-billbee-"));
  globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
});
afterEach(() => {
  fake.reset();
  time = fakeTime();
});
afterAll(() => {
  server.close();
  globalThis.__letterloopFileStore = undefined;
  rmSync(storeDir, { recursive: true, force: true });
});

const deps = (extra: BillbeeImportDeps = {}): BillbeeImportDeps => ({ now: () => time.date(), sleep: (ms) => time.sleep(ms), baseUrl: BASE, ...extra });

/** Orders 1…n: every fifth order of one buyer, so `n` orders have n/5 customers with their own e-mails. */
function manyOrders(count: number, { first = 1, modifiedAt = "2026-03-04T15:02:11.873" } = {}): Json[] {
  return Array.from({ length: count }, (_, index) => {
    const id = first + index;
    const buyer = Math.ceil(id / 5);
    return billbeeOrder(id, { customerId: 500_000 + buyer, email: `kundin${buyer}@example.de`, lastName: `Kundin${buyer}`, lastModifiedAt: modifiedAt });
  });
}

type LoaderData = Awaited<ReturnType<typeof loader>>;

describeEachDatabase("Billbee import", (current) => {
  let shopNumber = 0;

  /** A shop with an offline session (for the page) and a Billbee account of its own at the fake. */
  async function setUpShop(orders: Json[] = [], { save = true }: { save?: boolean } = {}) {
    const { db } = current();
    shopNumber += 1;
    const suffix = `${shopNumber}-${randomBytes(3).toString("hex")}`;
    const domain = `billbee-${suffix}.myshopify.com`;
    await createOfflineSession(db, domain);
    const shop = await createShop(db, { domain, currency: "EUR" });
    const credentials = { apiKey: `KEY-${suffix}`, username: `roesterei-${suffix}@example.de`, apiPassword: `pw-${suffix}-ß` };
    const billbee = fake.addAccount(credentials, orders);
    if (save) await saveBillbeeCredentials({ shopId: shop.id, input: credentials }, deps());
    return { shopId: shop.id, domain, credentials, billbee };
  }

  const page = async (domain: string) => (await loader({ request: adminRequest("/app/imports/billbee", domain), params: {}, context: {} })) as LoaderData;
  const act = async (domain: string, form: Record<string, string>) => {
    const response = (await action({ request: adminRequest("/app/imports/billbee", domain, { form }), params: {}, context: {} })) as Response;
    return { status: response.status, data: (await response.json()) as BillbeeActionData };
  };
  /** Runs every queued import job through the real runner, handler and ingestion. */
  const runQueuedJobs = async (extra: BillbeeImportDeps = {}) => {
    const runner = createJobRunner({ queue: jobQueue(), registry: createJobRegistry([createBillbeeImportJob(deps(extra))]), logger: recordingLogger() });
    const outcomes: string[] = [];
    for (let result = await runner.runOnce(); result; result = await runner.runOnce()) outcomes.push(result.outcome);
    return outcomes;
  };
  /** Starts an import (as the page does) and lets the runner run its job. */
  const importNow = async (shopId: string, extra: BillbeeImportDeps = {}) => {
    const { runId } = await startBillbeeImport({ shopId }, deps(extra));
    expect(await runQueuedJobs(extra)).toEqual(["SUCCEEDED"]);
    return { runId, run: await current().db.importRun.findUniqueOrThrow({ where: { id: runId } }) };
  };
  /** Starts an import whose job the test runs itself (attempt by attempt); returns what was enqueued. */
  const startForHandler = async (shopId: string) => {
    const enqueued: EnqueueRequest[] = [];
    const queue = { enqueue: async (request: EnqueueRequest) => (enqueued.push(request), { id: `job-${enqueued.length}`, created: true }) } as unknown as JobQueue;
    const { runId } = await startBillbeeImport({ shopId }, deps({ queue }));
    expect(enqueued).toEqual([{ name: "billbee.import", payload: { shopId, runId }, dedupeKey: `billbee-import:${runId}`, shopId, maxAttempts: 5 }]);
    return runId;
  };
  const billbeeOrders = (shopId: string) =>
    current().db.order.findMany({ where: { shopId, source: "BILLBEE" }, orderBy: { sourceId: "asc" }, include: { lineItems: true } });

  it("saves the credentials sealed, never shows them back, and keeps them when the fields stay blank", async () => {
    const { db } = current();
    const { shopId, domain, credentials, billbee } = await setUpShop([], { save: false });

    const incomplete = await act(domain, { intent: "save", username: credentials.username, apiKey: "", apiPassword: "" });
    expect(incomplete.status).toBe(422);
    expect(incomplete.data).toMatchObject({ ok: false, message: "invalid", fieldErrors: { apiKey: ["required"], apiPassword: ["required"] } });
    expect(await db.integrationAccount.count({ where: { shopId } })).toBe(0);

    const saved = await act(domain, { intent: "save", ...credentials });
    expect(saved).toEqual({ status: 200, data: { ok: true, intent: "save", message: "saved" } });

    const row = await db.integrationAccount.findUniqueOrThrow({ where: { shopId_kind: { shopId, kind: "BILLBEE" } } });
    expect(row.username).toBe(credentials.username);
    for (const secret of [credentials.apiKey, credentials.apiPassword]) {
      expect(row.secretsEncrypted).not.toContain(secret);
      expect(row.secretsEncrypted).not.toContain(Buffer.from(secret).toString("base64"));
    }
    expect(openSecrets(row.secretsEncrypted, { context: `integration:BILLBEE:${shopId}` })).toEqual({ apiKey: credentials.apiKey, apiPassword: credentials.apiPassword });

    const view = await page(domain);
    expect(view.account).toMatchObject({ configured: true, username: credentials.username, apiKeySet: true, apiPasswordSet: true, latestRun: null, running: false });
    const shown = JSON.stringify(view);
    expect(shown).not.toContain(credentials.apiKey);
    expect(shown).not.toContain(credentials.apiPassword);

    // An update with blank key and password keeps both: the connection still works with them.
    expect((await act(domain, { intent: "save", username: credentials.username, apiKey: "", apiPassword: "" })).data.ok).toBe(true);
    const tested = await act(domain, { intent: "test", apiKey: "", username: "", apiPassword: "" });
    expect(tested).toEqual({ status: 200, data: { ok: true, intent: "test", message: "testOk", values: { count: 0 } } });
    expect(billbee.requests()).toHaveLength(1);
  });

  it("tests the connection: the order count when it works, what to check when it does not", async () => {
    const { domain, credentials } = await setUpShop(manyOrders(3));
    expect(await act(domain, { intent: "test" })).toEqual({ status: 200, data: { ok: true, intent: "test", message: "testOk", values: { count: 3 } } });
    // One small request: a page of one order.
    expect(fake.requests.at(-1)).toMatchObject({ page: 1, pageSize: 1, status: 200 });

    const wrong = await act(domain, { intent: "test", apiPassword: "not-the-password" });
    expect(wrong.status).toBe(422);
    expect(wrong.data).toMatchObject({ ok: false, intent: "test", message: "testFailed" });
    expect(String(wrong.data.values?.message)).toMatch(/refused the credentials \(HTTP 401\).*API key, the user and the API password/);

    // Throttled: no waiting while the merchant watches, just a readable answer.
    fake.script({ kind: "throttle", retryAfterSeconds: 90 });
    const throttled = await act(domain, { intent: "test" });
    expect(throttled.status).toBe(503);
    expect(String(throttled.data.values?.message)).toMatch(/too many \(HTTP 429\)/);
    expect(time.waits).toEqual([]);

    // Testing new values does not save them.
    const { shopId } = await setUpShop([], { save: false });
    expect(await testBillbeeConnection({ shopId, input: credentials }, deps())).toEqual({ ok: true, totalOrders: 3 });
    expect(await current().db.integrationAccount.count({ where: { shopId } })).toBe(0);
    expect((await act(domain, { intent: "nonsense" })).status).toBe(400);
  });

  it("imports every page of 250 through the job, paced, with customers and items, never live", async () => {
    const { db } = current();
    const { shopId, domain, billbee } = await setUpShop(manyOrders(520));

    const started = await act(domain, { intent: "import" });
    expect(started).toEqual({ status: 202, data: { ok: true, intent: "import", message: "importQueued" } });
    expect((await page(domain)).account).toMatchObject({ running: true, latestRun: { status: "QUEUED" } });
    expect(await runQueuedJobs()).toEqual(["SUCCEEDED"]);

    const requests = billbee.requests();
    expect(requests.map((request) => [request.page, request.pageSize, request.modifiedAtMin])).toEqual([
      [1, 250, null],
      [2, 250, null],
      [3, 250, null],
    ]);
    for (let index = 1; index < requests.length; index++) expect(requests[index]!.at - requests[index - 1]!.at).toBeGreaterThanOrEqual(500);

    const orders = await billbeeOrders(shopId);
    expect(orders).toHaveLength(520);
    expect(orders.filter((order) => order.live)).toEqual([]);
    expect(orders.every((order) => order.lineItems.length === 2 && order.customerId !== null)).toBe(true);
    expect(await db.customer.count({ where: { shopId } })).toBe(104);
    expect(await db.customerIdentity.count({ where: { shopId, source: "BILLBEE" } })).toBe(104);
    const buyer = await db.customer.findFirstOrThrow({ where: { shopId, emailNormalized: "kundin1@example.de" } });
    expect(buyer).toMatchObject({ orderCount: 5, lifetimeValueMinor: 5n * 5280n, addressLine1: "Gartenstraße 12a", city: "München", countryCode: "DE" });

    const view = (await page(domain)).account;
    expect(view).toMatchObject({
      running: false,
      lastSyncedAt: time.date().toISOString(),
      changesSince: new Date(Date.parse("2026-04-01T12:00:00.000Z") - BILLBEE_SYNC_OVERLAP_MS).toISOString(),
      latestRun: { status: "SUCCEEDED", processedRows: 520, totalRows: 520, createdCount: 520, updatedCount: 0, skippedCount: 0, errorCount: 0, incremental: false, errorReportUrl: null },
    });
  });

  it("reads only what changed on the next run (modifiedAtMin) and counts it", async () => {
    const { db } = current();
    const { shopId, billbee } = await setUpShop(manyOrders(12));
    const first = await importNow(shopId, { pageSize: 5 });
    expect(first.run).toMatchObject({ status: "SUCCEEDED", createdCount: 12 });
    const firstStart = new Date(parseBillbeeCursor(first.run.cursor)!.startedAt!);

    // A day later in Billbee: order 3 is cancelled, order 7 shipped again (new total), order 13 is new.
    time.advance(24 * 60 * 60 * 1000);
    const changedAt = "2026-04-02T09:00:00.000";
    billbee.put(
      { ...billbee.orders.find((order) => order.BillBeeOrderId === 3)!, State: 8, LastModifiedAt: changedAt },
      { ...billbee.orders.find((order) => order.BillBeeOrderId === 7)!, TotalCost: 60.8, LastModifiedAt: changedAt },
      ...manyOrders(1, { first: 13, modifiedAt: changedAt }),
    );
    fake.reset();
    const second = await importNow(shopId, { pageSize: 5 });

    expect(billbee.requests().map((request) => [request.page, request.modifiedAtMin])).toEqual([
      [1, new Date(firstStart.getTime() - BILLBEE_SYNC_OVERLAP_MS).toISOString()],
    ]);
    expect(second.run).toMatchObject({ status: "SUCCEEDED", processedRows: 3, createdCount: 1, updatedCount: 2, skippedCount: 0 });
    expect(await db.order.count({ where: { shopId } })).toBe(13);
    const cancelled = await db.order.findFirstOrThrow({ where: { shopId, sourceId: "3" } });
    expect(cancelled.cancelledAt).toEqual(new Date("2026-04-02T09:00:00Z"));
    // Orders 1–5 are one buyer's: the cancelled one no longer counts.
    expect(await db.customer.findFirstOrThrow({ where: { shopId, emailNormalized: "kundin1@example.de" } })).toMatchObject({ orderCount: 4, lifetimeValueMinor: 4n * 5280n });
    expect((await describeBillbeeAccount({ shopId }, deps())).latestRun).toMatchObject({ incremental: true });
  });

  it("waits out a throttled answer (429, Retry-After) and carries on", async () => {
    const { shopId, billbee } = await setUpShop(manyOrders(6));
    fake.script({ kind: "throttle", retryAfterSeconds: 4 }, { page: 2 });
    const { run } = await importNow(shopId, { pageSize: 2 });
    expect(run).toMatchObject({ status: "SUCCEEDED", createdCount: 6, failureReason: null });
    const requests = billbee.requests();
    expect(requests.map((request) => [request.page, request.status])).toEqual([
      [1, 200],
      [2, 429],
      [2, 200],
      [3, 200],
    ]);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(4_000);
  });

  it("fails the run on an error envelope with Billbee's reason, keeping only whole pages", async () => {
    const { db } = current();
    const { shopId, domain } = await setUpShop(manyOrders(6));
    fake.script({ kind: "error-envelope", code: 2, message: "Der Zugriff auf die API ist nicht freigeschaltet." }, { page: 2 });
    // Retrying cannot help: the job ends, the run is FAILED.
    const failed = await importNow(shopId, { pageSize: 2 });
    expect(failed.run).toMatchObject({ status: "FAILED", processedRows: 2, createdCount: 2 });
    expect(failed.run.failureReason).toBe("Billbee reported error 2: Der Zugriff auf die API ist nicht freigeschaltet.");
    // Page 1 is in whole, nothing of page 2; the sync mark did not move.
    expect((await billbeeOrders(shopId)).map((order) => order.sourceId)).toEqual(["1", "2"]);
    expect((await page(domain)).account).toMatchObject({ changesSince: null, lastSyncedAt: null, running: false, latestRun: { status: "FAILED" } });

    // The next run reads everything again; page 1 changes nothing.
    const retried = await importNow(shopId, { pageSize: 2 });
    expect(retried.run).toMatchObject({ status: "SUCCEEDED", createdCount: 4, skippedCount: 2 });
    expect(await db.order.count({ where: { shopId } })).toBe(6);
  });

  it("retries a Billbee outage as a job: the run stays running, then resumes where it stopped", async () => {
    const { shopId, billbee } = await setUpShop(manyOrders(6));
    const runId = await startForHandler(shopId);
    fake.script({ kind: "server-error", status: 503 }, { page: 3, times: 3 });
    await expect(runBillbeeImport({ shopId, runId, attempt: 1, maxAttempts: 3 }, deps({ pageSize: 2, maxAttempts: 3 }))).rejects.toThrow(/HTTP 503/);
    const interrupted = await current().db.importRun.findUniqueOrThrow({ where: { id: runId } });
    expect(interrupted).toMatchObject({ status: "RUNNING", processedRows: 4, createdCount: 4 });
    expect(interrupted.failureReason).toMatch(/not answering properly \(HTTP 503\)/);
    expect(parseBillbeeCursor(interrupted.cursor)).toMatchObject({ nextPage: 3, processedRows: 4 });

    fake.reset();
    const outcome = await runBillbeeImport({ shopId, runId, attempt: 2, maxAttempts: 3 }, deps({ pageSize: 2 }));
    expect(outcome).toEqual({ status: "SUCCEEDED", runId, processedRows: 6 });
    expect(billbee.requests().map((request) => request.page)).toEqual([3]);
    expect(await current().db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "SUCCEEDED", createdCount: 6, failureReason: null });
  });

  it("resumes a run killed after page 3 at page 4, without duplicates and with exact counts", async () => {
    const { db } = current();
    const { shopId, billbee } = await setUpShop(manyOrders(7));
    const runId = await startForHandler(shopId);
    // Killed right after page 3 committed (its orders and its record, in one transaction).
    let calls = 0;
    const killedAfterThirdIngest: typeof ingestBatch = async (database, input) => {
      const result = await ingestBatch(database, input);
      calls += 1;
      if (calls === 3) throw new Error("SIGKILL");
      return result;
    };
    await expect(runBillbeeImport({ shopId, runId, attempt: 1, maxAttempts: 5 }, deps({ pageSize: 2, ingest: killedAfterThirdIngest }))).rejects.toThrow("SIGKILL");
    expect(await db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "RUNNING", processedRows: 6 });

    fake.reset();
    await runBillbeeImport({ shopId, runId, attempt: 2, maxAttempts: 5 }, deps({ pageSize: 2 }));
    expect(billbee.requests().map((request) => request.page)).toEqual([4]);
    const run = await db.importRun.findUniqueOrThrow({ where: { id: runId } });
    // Every order counted once, as in a run that never stopped.
    expect(run).toMatchObject({ status: "SUCCEEDED", processedRows: 7, createdCount: 7, skippedCount: 0 });
    expect((await billbeeOrders(shopId)).map((order) => order.sourceId)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(await db.orderLineItem.count({ where: { shopId } })).toBe(14);
  });

  it("maps Billbee's states: cancelled orders never count, a foreign currency waits for a rate", async () => {
    const { db } = current();
    const { shopId } = await setUpShop(billbeeFixturePage().Data);
    const { run } = await importNow(shopId);
    expect(run).toMatchObject({ status: "SUCCEEDED", createdCount: 3 });
    const orders = await billbeeOrders(shopId);
    expect(orders.map((order) => [order.number, order.financialState, order.fulfilmentState, order.cancelledAt !== null, order.live])).toEqual([
      ["BB-2026-0412", "PAID", "FULFILLED", false, false],
      ["BB-2026-0419", "VOIDED", "UNFULFILLED", true, false],
      ["300000190000103", "PAID", "FULFILLED", false, false],
    ]);
    const customer = (email: string) => db.customer.findFirstOrThrow({ where: { shopId, emailNormalized: email } });
    expect(await customer("anna.schmidt@example.de")).toMatchObject({ orderCount: 1, lifetimeValueMinor: 5280n, language: "de" });
    expect(await customer("lukas.gruber@example.at")).toMatchObject({ orderCount: 0, lifetimeValueMinor: 0n });
    expect(await customer("einkauf@zytglogge-cafe.ch")).toMatchObject({ orderCount: 0, unconvertedOrderCount: 1, company: "Café Zytglogge GmbH" });
    expect(orders[2]).toMatchObject({ currency: "CHF", totalMinor: 26950n, totalShopMinor: null });
  });

  it("joins a Billbee buyer to the Shopify customer with the same e-mail: one customer, two identities", async () => {
    const { db } = current();
    const { shopId } = await setUpShop([billbeeFixturePage().Data[0]!]);
    const shopify = await createCustomer(db, { shopId, email: "Anna.Schmidt@example.de", firstName: "Anna", lastName: "Schmidt" });
    await importNow(shopId);
    expect(await db.customer.count({ where: { shopId } })).toBe(1);
    const identities = await db.customerIdentity.findMany({ where: { shopId } });
    expect(identities.map((identity) => [identity.source, identity.customerId]).sort()).toEqual([
      ["BILLBEE", shopify.id],
      ["SHOPIFY", shopify.id],
    ]);
    expect((await billbeeOrders(shopId))[0]!.customerId).toBe(shopify.id);
  });

  it("records orders Billbee sends broken as row errors with a report, and imports the rest", async () => {
    const { db } = current();
    const orders = manyOrders(5);
    orders[3] = { ...orders[3]!, CreatedAt: "gestern" };
    const { shopId } = await setUpShop(orders);
    const { run } = await importNow(shopId, { pageSize: 2 });
    expect(run).toMatchObject({ status: "SUCCEEDED", processedRows: 5, createdCount: 4, errorCount: 1 });
    expect(await db.importRowError.findMany({ where: { importRunId: run.id }, select: { line: true, column: true, reason: true } })).toEqual([
      { line: 4, column: "CreatedAt", reason: "Billbee order 4 / BB-4: not a date Billbee sends (ISO 8601)" },
    ]);
    expect(run.errorReportFileId).not.toBeNull();
    expect((await describeBillbeeAccount({ shopId }, deps())).latestRun?.errorReportUrl).toMatch(/^\/files\//);
  });

  it("refuses a second import while one is queued or running", async () => {
    const { shopId, domain } = await setUpShop(manyOrders(2));
    expect((await act(domain, { intent: "import" })).status).toBe(202);
    expect(await act(domain, { intent: "import" })).toEqual({ status: 409, data: { ok: false, intent: "import", message: "busy", fieldErrors: {} } });
    expect(await current().db.importRun.count({ where: { shopId, kind: "BILLBEE" } })).toBe(1);
    expect(await runQueuedJobs()).toEqual(["SUCCEEDED"]);
    expect((await act(domain, { intent: "import" })).status).toBe(202);
    expect(await runQueuedJobs()).toEqual(["SUCCEEDED"]);

    // Two clicks at the same moment: one run.
    const { shopId: racing } = await setUpShop(manyOrders(1));
    const results = await Promise.allSettled([startBillbeeImport({ shopId: racing }, deps()), startBillbeeImport({ shopId: racing }, deps())]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await current().db.importRun.count({ where: { shopId: racing, kind: "BILLBEE" } })).toBe(1);
    expect(await runQueuedJobs()).toEqual(["SUCCEEDED"]);

    const { domain: unconfigured } = await setUpShop([], { save: false });
    expect(await act(unconfigured, { intent: "import" })).toMatchObject({ status: 422, data: { message: "notConfigured" } });
  });

  it("keeps shops apart: own credentials, own orders, own runs", async () => {
    const { db } = current();
    // Both Billbee accounts number their orders the same way.
    const a = await setUpShop(manyOrders(3));
    const b = await setUpShop(manyOrders(2).map((order) => ({ ...order, TotalCost: 10 })));
    await importNow(a.shopId);
    expect((await page(b.domain)).account.latestRun).toBeNull();
    await importNow(b.shopId);

    expect((await billbeeOrders(a.shopId)).map((order) => [order.sourceId, order.totalMinor])).toEqual([["1", 5280n], ["2", 5280n], ["3", 5280n]]);
    expect((await billbeeOrders(b.shopId)).map((order) => [order.sourceId, order.totalMinor])).toEqual([["1", 1000n], ["2", 1000n]]);
    expect(a.billbee.requests()).toHaveLength(1);
    expect(b.billbee.requests()).toHaveLength(1);

    // A's sealed secrets do not open as B's.
    const sealedA = (await db.integrationAccount.findUniqueOrThrow({ where: { shopId_kind: { shopId: a.shopId, kind: "BILLBEE" } } })).secretsEncrypted;
    expect(() => openSecrets(sealedA, { context: `integration:BILLBEE:${b.shopId}` })).toThrow(/could not be opened/);
    // B's page shows B's run and user only.
    const viewB = (await page(b.domain)).account;
    expect(viewB).toMatchObject({ username: b.credentials.username, latestRun: { createdCount: 2 } });
    // A run id of A cannot be driven as B's.
    const runA = await db.importRun.findFirstOrThrow({ where: { shopId: a.shopId } });
    expect(await runBillbeeImport({ shopId: b.shopId, runId: runA.id }, deps())).toEqual({ status: "SKIPPED", reason: "NO_RUN" });
  });
});
