import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../app/db/client.server";
import { de } from "../../app/i18n/de";
import { launchGuardedBrowser, type GuardedBrowser } from "../support/browser";
import { startDemoServer, type DemoServer } from "../support/demo-server";

/**
 * Imports in a browser on a demo of their own (so the other browser tests keep the seeded
 * numbers): a German CSV sample uploaded, mapped, imported by the app's own job runner and shown
 * in the history; the Billbee form saved, tested and imported from the demo's stand-in Billbee.
 * Any console error fails the test; screenshots go to tests/artifacts.
 */

const ARTIFACTS = path.join(process.cwd(), "tests", "artifacts");
const SAMPLE = path.join(process.cwd(), "public", "samples", "bestellungen-de.csv");

describe("imports in a browser", () => {
  let server: DemoServer;
  let browser: GuardedBrowser;
  let page: Page;
  let db: Db;
  let shopId: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startDemoServer({ workDir: path.join(process.cwd(), ".tmp", "e2e-imports") });
    db = createDb(server.databaseUrl);
    shopId = (await db.shop.findFirstOrThrow({ where: { isDemo: true } })).id;
    browser = await launchGuardedBrowser();
    page = browser.page;
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    const offHost = browser.offHostRequests.splice(0);
    expect(errors, "console errors").toEqual([]);
    expect(offHost, "requests that left 127.0.0.1").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    if (process.env.E2E_SERVER_LOG) console.log(server?.output.join(""));
    await server?.stop();
  });

  it("uploads a German CSV export, shows the mapping and preview, imports it and lists the run", async () => {
    await page.goto(`${server.baseUrl}/app/imports`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: de.imports.sources.csv.action }).click();
    await page.getByText(de.csvImport.upload.formatsTitle).waitFor();
    await page.locator('input[type="file"]').setInputFiles(SAMPLE);
    await page.getByRole("button", { name: de.csvImport.upload.submit }).click();
    await page.waitForURL(/\/app\/imports\/csv\/c[a-z0-9]+/);
    await page.getByRole("heading", { name: de.csvImport.preview.title }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "csv-mapping.png"), fullPage: true });

    const runId = new URL(page.url()).pathname.split("/").pop()!;
    const draft = await db.importRun.findFirstOrThrow({ where: { id: runId, shopId } });
    expect([draft.kind, draft.status, draft.originalFilename]).toEqual(["CSV", "DRAFT", "bestellungen-de.csv"]);
    // The German headers were recognised: the order number and the amounts are mapped.
    const mapping = JSON.parse(draft.mapping!) as { columns: Record<string, number>; decimalSeparator: string };
    expect(mapping.columns.orderNumber).toBeGreaterThanOrEqual(0);
    expect(mapping.decimalSeparator).toBe(",");

    await page.getByRole("button", { name: de.csvImport.mapping.start, exact: true }).click();
    await expect.poll(() => page.getByText(de.csvImport.run.doneTitle, { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    const done = await db.importRun.findUniqueOrThrow({ where: { id: runId } });
    expect([done.status, done.createdCount, done.errorCount]).toEqual(["SUCCEEDED", 26, 0]);
    expect(await db.order.count({ where: { shopId, source: "CSV", importRunId: runId } })).toBe(26);
    expect(await db.order.count({ where: { shopId, source: "CSV", live: true } })).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "csv-imported.png"), fullPage: true });

    await page.goto(`${server.baseUrl}/app/imports`, { waitUntil: "networkidle" });
    const row = page.locator("tbody tr").filter({ hasText: "bestellungen-de.csv" });
    await expect.poll(() => row.innerText()).toContain(de.imports.statuses.SUCCEEDED);
    expect(await row.innerText()).toContain(de.imports.kinds.CSV);
    await page.screenshot({ path: path.join(ARTIFACTS, "imports.png"), fullPage: true });
  });

  it("saves Billbee access without showing it again, tests the connection and imports the sample", async () => {
    await page.goto(`${server.baseUrl}/app/imports/billbee`, { waitUntil: "networkidle" });
    await page.getByLabel(de.billbee.credentials.apiKey).fill("demo-api-key-1234");
    await page.getByLabel(de.billbee.credentials.username).fill("haendler@example.de");
    await page.getByLabel(de.billbee.credentials.apiPassword).fill("geheim-passwort");
    await page.getByRole("button", { name: de.billbee.credentials.save }).click();
    await page.getByText(de.billbee.messages.saved).waitFor();
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByLabel(de.billbee.credentials.apiPassword).inputValue()).toBe("");
    expect(await page.getByLabel(de.billbee.credentials.apiKey).inputValue()).toBe("");
    const account = await db.integrationAccount.findFirstOrThrow({ where: { shopId, kind: "BILLBEE" } });
    expect(account.secretsEncrypted).not.toContain("geheim-passwort");

    await page.getByRole("button", { name: de.billbee.credentials.test }).click();
    await page.getByText(de.billbee.messages.testOk_other.replace("{{count}}", "58")).waitFor();

    // The demo's seed has Billbee runs of its own; only the run this click starts counts.
    const clickedAt = new Date();
    await page.getByRole("button", { name: de.billbee.run.importNow }).click();
    await page.getByText(de.billbee.messages.importQueued).waitFor();
    const ours = { shopId, kind: "BILLBEE" as const, createdAt: { gte: clickedAt } };
    await expect.poll(async () => (await db.importRun.findFirst({ where: ours }))?.status, { timeout: 30_000 }).toBe("SUCCEEDED");
    const run = await db.importRun.findFirstOrThrow({ where: ours });
    expect(run.createdCount + run.updatedCount).toBe(58);
    expect(await db.order.count({ where: { shopId, source: "BILLBEE", importRunId: run.id } })).toBe(58);
    await page.reload({ waitUntil: "networkidle" });
    await page.screenshot({ path: path.join(ARTIFACTS, "billbee-imported.png"), fullPage: true });
  });
});
