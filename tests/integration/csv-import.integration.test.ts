import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { createJobRegistry, enqueueJob } from "../../app/jobs/job-definitions";
import { createJobRunner } from "../../app/jobs/job-runner.server";
import { jobQueue } from "../../app/jobs/queue.server";
import { action as runAction, loader as runLoader } from "../../app/routes/app.imports.csv.$runId";
import { action as uploadAction, loader as uploadLoader } from "../../app/routes/app.imports.csv";
import { loader as fileLoader } from "../../app/routes/files.$fileId";
import { createCsvImportJob, csvImportDedupeKey, csvImportJob, OrderKeyLines, runCsvImport, uploadCsvImport } from "../../app/services/csv-import.server";
import { ingestBatch } from "../../app/services/ingestion.server";
import { readStoredFile } from "../../app/services/stored-files.server";
import { adminRequest, createOfflineSession, outcome } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createShop } from "../support/factories";
import { recordingLogger } from "../support/jobs";
import { multipartAdminRequest, type MultipartPart } from "../support/multipart";
import { shopifyOrdersExport } from "../support/shopify-orders-export";

/**
 * The CSV import (A3) through its real routes and job, on both databases: a multipart upload
 * signed like the embedded admin sends it, the mapping page and its actions, the job run by the
 * job runner from the queue, the rows that land in the database, and the error report fetched
 * through its signed link.
 */

type RunPage = Awaited<ReturnType<typeof runLoader>>;
type Report = { line: number; column: string; reason: string }[];

/** Windows-1252 bytes of a text: Latin-1 plus the characters Windows puts at 0x80–0x9F. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { "€": 0x80, "‚": 0x82, "„": 0x84, "…": 0x85, "–": 0x96, "—": 0x97, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "™": 0x99 };
  return Buffer.from(
    [...text].map((char) => {
      if (extra[char] !== undefined) return extra[char]!;
      const code = char.charCodeAt(0);
      if (code > 0xff) throw new Error(`"${char}" has no Windows-1252 byte`);
      return code;
    }),
  );
}

const utc = (iso: string) => new Date(iso).toISOString();

describeEachDatabase("CSV import", (current) => {
  const domain = `csv-${randomBytes(3).toString("hex")}.myshopify.com`;
  const otherDomain = `csv-other-${randomBytes(3).toString("hex")}.myshopify.com`;
  let shopId: string;
  let otherShopId: string;
  let storeDir: string;
  const logger = recordingLogger();

  beforeAll(async () => {
    const { db } = current();
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-csv-"));
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
    shopId = (await createShop(db, { domain, currency: "EUR" })).id;
    otherShopId = (await createShop(db, { domain: otherDomain, currency: "EUR" })).id;
    await createOfflineSession(db, domain);
    await createOfflineSession(db, otherDomain);
  });
  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
  });

  // ------------------------------------------------------------------------------ helpers

  const fileParts = (bytes: Uint8Array | string, filename = "orders.csv", contentType = "text/csv"): MultipartPart[] => [{ name: "file", filename, contentType, bytes }];

  async function upload(parts: MultipartPart[], shop = domain, options: { truncate?: number } = {}) {
    return (await outcome(uploadAction({ request: multipartAdminRequest("/app/imports/csv", shop, parts, options), params: {}, context: {} }))) as Response;
  }

  /** Uploads a file and returns its run id (the id in the redirect's Location). */
  async function uploadFile(bytes: Uint8Array | string, filename = "orders.csv", shop = domain): Promise<string> {
    const response = await upload(fileParts(bytes, filename), shop);
    if (response.status !== 302) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    const location = new URL(response.headers.get("location")!, "http://127.0.0.1:3000");
    expect(location.pathname).toMatch(/^\/app\/imports\/csv\/[^/]+$/);
    expect(location.searchParams.get("shop")).toBe(shop);
    return decodeURIComponent(location.pathname.split("/").pop()!);
  }

  async function page(runId: string, shop = domain): Promise<RunPage> {
    return (await runLoader({ request: adminRequest(`/app/imports/csv/${runId}`, shop), params: { runId }, context: {} })) as RunPage;
  }

  /** The mapping form as the page sends it: every field's column, the formats, with changes applied. */
  function mappingForm(draft: NonNullable<RunPage["run"]["draft"]>, fields: readonly string[], changes: Record<string, string> = {}): Record<string, string> {
    const columns = draft.mapping.columns as Record<string, number | undefined>;
    const form: Record<string, string> = {
      dateOrder: draft.mapping.dateOrder,
      decimalSeparator: draft.mapping.decimalSeparator,
      defaultCurrency: draft.mapping.defaultCurrency ?? "",
    };
    for (const field of fields) form[`column.${field}`] = columns[field] === undefined ? "" : String(columns[field]);
    return { ...form, ...changes };
  }

  async function act(runId: string, form: Record<string, string>, shop = domain) {
    return outcome(runAction({ request: adminRequest(`/app/imports/csv/${runId}`, shop, { form }), params: { runId }, context: {} }));
  }

  /** "Import" on the page with the mapping as shown (plus changes), then the job runner until the queue is empty. */
  async function startAndRun(runId: string, changes: Record<string, string> = {}, shop = domain) {
    const { run } = await page(runId, shop);
    const started = await act(runId, { intent: "start", ...mappingForm(run.draft!, run.fields, changes) }, shop);
    expect(started).toEqual({ ok: true, intent: "start" });
    await drainJobs();
    return (await page(runId, shop)).run;
  }

  async function drainJobs() {
    const runner = createJobRunner({ queue: jobQueue(), registry: createJobRegistry([createCsvImportJob()]), logger, pollIntervalMs: 10 });
    while (await runner.runOnce()) {
      // Each call runs one due job.
    }
  }

  async function importText(bytes: Uint8Array | string, changes: Record<string, string> = {}, shop = domain) {
    const runId = await uploadFile(bytes, "orders.csv", shop);
    return { runId, run: await startAndRun(runId, changes, shop) };
  }

  async function downloadReport(reportUrl: string): Promise<Report> {
    const url = new URL(reportUrl, "http://127.0.0.1:3000");
    const fileId = decodeURIComponent(url.pathname.split("/")[2]!);
    const response = (await fileLoader({ request: new Request(url, { headers: { "user-agent": "Mozilla/5.0" } }), params: { fileId }, context: {} })) as Response;
    expect(response.status).toBe(200);
    const rows = parseCsv(Buffer.from(await response.arrayBuffer()), { bom: true, columns: true }) as { line: string; column: string; reason: string }[];
    return rows.map((row) => ({ line: Number(row.line), column: row.column, reason: row.reason }));
  }

  async function ordersOf(shop: string, numbers?: string[]) {
    return current().db.order.findMany({
      where: { shopId: shop, source: "CSV", ...(numbers ? { number: { in: numbers } } : {}) },
      include: { lineItems: { orderBy: { position: "asc" } }, customer: true },
      orderBy: { number: "asc" },
    });
  }

  async function counts(shop: string) {
    const { db } = current();
    const [customers, orders, items, identities] = await Promise.all([
      db.customer.count({ where: { shopId: shop } }),
      db.order.count({ where: { shopId: shop } }),
      db.orderLineItem.count({ where: { shopId: shop } }),
      db.customerIdentity.count({ where: { shopId: shop } }),
    ]);
    return { customers, orders, items, identities };
  }

  // ------------------------------------------------------------------------------- upload

  describe("upload", () => {
    it("streams the file into the store byte for byte and opens a draft with the suggested mapping", async () => {
      const text = "\uFEFFOrder Number,Order Date,Email,Total\r\n1,2025-03-01,ada@example.com,12.50\r\n";
      const runId = await uploadFile(text, "März-Bestellungen.csv");
      const run = await current().db.importRun.findFirstOrThrow({ where: { id: runId } });
      expect(run).toMatchObject({ shopId, kind: "CSV", status: "DRAFT", originalFilename: "März-Bestellungen.csv", totalBytes: Buffer.byteLength(text) });
      const stored = await readStoredFile({ shopId, fileId: run.uploadFileId! });
      expect(stored.file.kind).toBe("IMPORT_UPLOAD");
      expect(stored.bytes.equals(Buffer.from(text))).toBe(true);
      expect(JSON.parse(run.mapping!)).toMatchObject({ columns: { orderNumber: 0, orderDate: 1, email: 2, orderTotal: 3 }, decimalSeparator: "." });

      const { run: view } = await page(runId);
      expect(view.status).toBe("DRAFT");
      expect(view.draft?.headers).toEqual(["Order Number", "Order Date", "Email", "Total"]);
      expect(view.draft?.mappingProblems).toEqual([]);
      expect(view.draft?.preview).toEqual([{ line: 2, values: ["1", "2025-03-01", "ada@example.com", "12.50"], problems: [] }]);
    });

    it("answers the upload page for the shop", async () => {
      expect(await uploadLoader({ request: adminRequest("/app/imports/csv", domain), params: {}, context: {} })).toBeNull();
    });

    const refusals: { name: string; parts: () => MultipartPart[]; message: RegExp; reason: string }[] = [
      { name: "a spreadsheet workbook", parts: () => fileParts(Buffer.from("PK\x03\x04rest-of-a-zip", "latin1"), "orders.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), message: /not a CSV file/, reason: "notCsv" },
      { name: "a workbook renamed to .csv", parts: () => fileParts(Buffer.from("PK\x03\x04\x14\x00\x06\x00rest-of-a-zip", "latin1")), message: /Excel workbook/, reason: "excelWorkbook" },
      { name: "UTF-16 text", parts: () => fileParts(Buffer.from("\uFEFFOrder,Date\r\n", "utf16le")), message: /not a text file/, reason: "notText" },
      { name: "an empty file", parts: () => fileParts(""), message: /is empty/, reason: "empty" },
      { name: "a header without rows", parts: () => fileParts("Order Number,Order Date,Email,Total\r\n\r\n"), message: /no rows below its header/, reason: "noRows" },
      { name: "a form without a file", parts: () => [{ name: "note", value: "hello" }], message: /Choose a CSV file/, reason: "noFile" },
      { name: "a file field left empty", parts: () => fileParts("", "", "application/octet-stream"), message: /Choose a CSV file/, reason: "noFile" },
      { name: "two files", parts: () => [...fileParts("a,b\r\n1,2\r\n"), ...fileParts("a,b\r\n1,2\r\n", "second.csv")], message: /one file at a time/, reason: "oneFile" },
    ];
    for (const refusal of refusals) {
      it(`refuses ${refusal.name} with a reason and keeps nothing`, async () => {
        const before = await filesAndRuns();
        const response = await upload(refusal.parts());
        expect(response.status).toBe(422);
        const body = (await response.json()) as { message: string; reason: string };
        expect(body.message).toMatch(refusal.message);
        expect(body.reason).toBe(refusal.reason);
        expect(await filesAndRuns()).toEqual(before);
      });
    }

    it("refuses a body that breaks off mid-upload", async () => {
      const before = await filesAndRuns();
      const text = `Order Number,Order Date,Email,Total\r\n${"1,2025-03-01,ada@example.com,12.50\r\n".repeat(5_000)}`;
      const response = await upload(fileParts(text), domain, { truncate: 100_000 });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { message: string }).message).toMatch(/interrupted/);
      expect(await filesAndRuns()).toEqual(before);
      expect(leftoverTemporaryFiles()).toEqual([]);
    });

    it("refuses a request that is not a multipart upload", async () => {
      const response = (await outcome(uploadAction({ request: adminRequest("/app/imports/csv", domain, { form: { file: "x" } }), params: {}, context: {} }))) as Response;
      expect(response.status).toBe(422);
    });

    it("refuses a file over the size limit while it streams, leaving no bytes behind", async () => {
      const before = await filesAndRuns();
      const text = `Order Number,Order Date,Email,Total\r\n${"1,2025-03-01,ada@example.com,12.50\r\n".repeat(2_000)}`;
      const request = multipartAdminRequest("/app/imports/csv", domain, fileParts(text), { chunkSize: 4_096 });
      const error = await uploadCsvImport({ shopId, request, maxBytes: 16 * 1024 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/larger than 16 KiB/) });
      expect(await filesAndRuns()).toEqual(before);
      expect(leftoverTemporaryFiles()).toEqual([]);
    });

    async function filesAndRuns() {
      const { db } = current();
      return { files: await db.storedFile.count({ where: { shopId } }), runs: await db.importRun.count({ where: { shopId } }) };
    }

    function leftoverTemporaryFiles(): string[] {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(path.join(dir, entry.name));
          else if (entry.name.startsWith(".tmp-")) found.push(entry.name);
        }
      };
      walk(storeDir);
      return found;
    }
  });

  // ------------------------------------------------------------------------- what real files hold

  describe("real-world files", () => {
    it("reads UTF-8 with a BOM: the first header is recognised and umlauts survive", async () => {
      const text =
        "\uFEFFOrder Number,Order Date,Email,First Name,Last Name,Currency,Total,Product,SKU,Quantity,Unit Price\r\n" +
        "BOM-1,2025-03-01,juergen.bom@example.de,Jürgen,Müller,EUR,25.80,Füllfederhalter,FH-1,1,20.00\r\n" +
        "BOM-1,,,,,,,Tinte „blau“,TI-1,2,2.90\r\n";
      const { run } = await importText(text);
      expect(run).toMatchObject({ status: "SUCCEEDED", counts: { created: 1, updated: 0, skipped: 0, errors: 0 } });
      const [order] = await ordersOf(shopId, ["BOM-1"]);
      expect(order).toMatchObject({ sourceId: "BOM-1", currency: "EUR", totalMinor: 2580n, placedAt: new Date("2025-03-01T00:00:00Z"), live: false });
      expect(order!.customer).toMatchObject({ email: "juergen.bom@example.de", firstName: "Jürgen", lastName: "Müller" });
      expect(order!.lineItems.map((item) => [item.title, item.sku, item.quantity, item.unitPriceMinor, item.totalMinor])).toEqual([
        ["Füllfederhalter", "FH-1", 1, 2000n, 2000n],
        ["Tinte „blau“", "TI-1", 2, 290n, 580n],
      ]);
    });

    it("reads Windows-1252, including the euro sign and typographic quotes", async () => {
      const text =
        "Bestellnummer,Bestelldatum,E-Mail,Vorname,Nachname,Gesamtbetrag,Artikel,Menge,Einzelpreis\r\n" +
        "W-1,01.03.2025,groesse@example.de,Jörg,Größe,19.99,Postkarte „Weiß“ – 5 € Gutschein,1,19.99\r\n";
      const bytes = windows1252(text);
      const runId = await uploadFile(bytes);
      const { run } = await page(runId);
      expect(run.draft?.encoding).toBe("windows-1252");
      await startAndRun(runId);
      const [order] = await ordersOf(shopId, ["W-1"]);
      expect(order!.customer).toMatchObject({ firstName: "Jörg", lastName: "Größe" });
      expect(order!.lineItems[0]!.title).toBe("Postkarte „Weiß“ – 5 € Gutschein");
      expect(order).toMatchObject({ totalMinor: 1999n, placedAt: new Date("2025-03-01T00:00:00Z") });
    });

    it("reads semicolons and decimal commas (a German Excel export)", async () => {
      const text =
        "Bestellnummer;Bestelldatum;E-Mail;Name;Gesamtbetrag;Artikel;Menge;Einzelpreis\r\n" +
        '"S-1";02.03.2025;anna.semikolon@example.de;Anna Schmidt;"1.234,56";Stuhl;2;"617,28"\r\n' +
        '"S-2";03.03.2025;anna.semikolon@example.de;Anna Schmidt;"12,5";Kissen;1;"12,50"\r\n';
      const runId = await uploadFile(text);
      const { run } = await page(runId);
      expect(run.draft).toMatchObject({ delimiter: ";", mapping: { decimalSeparator: ",", dateOrder: "DMY" } });
      const finished = await startAndRun(runId);
      expect(finished.counts).toEqual({ created: 2, updated: 0, skipped: 0, errors: 0 });
      const orders = await ordersOf(shopId, ["S-1", "S-2"]);
      expect(orders.map((order) => [order.number, order.totalMinor, order.lineItems[0]!.unitPriceMinor, order.lineItems[0]!.quantity])).toEqual([
        ["S-1", 123_456n, 61_728n, 2],
        ["S-2", 1_250n, 1_250n, 1],
      ]);
      // One person, one customer with one CSV identity, whatever the number of orders.
      expect(new Set(orders.map((order) => order.customerId)).size).toBe(1);
      expect(orders[0]!.customer).toMatchObject({ firstName: "Anna", lastName: "Schmidt" });
    });

    it("reads values with quoted line breaks and counts physical lines in the report", async () => {
      const text =
        "Order Number,Order Date,Email,Total,Product,Address,Address 2,City,Zip,Country\r\n" +
        'Q-1,2025-03-04,quote@example.com,9.90,"Notizbuch\r\n„Reise“, liniert",Hauptstraße 1,"Hinterhaus\n3. Stock",Berlin,10115,DE\r\n' +
        "Q-2,not a date,quote@example.com,5.00,Stift,Hauptstraße 1,,Berlin,10115,DE\r\n";
      const { runId, run } = await importText(text);
      expect(run.counts).toMatchObject({ created: 1, errors: 1 });
      const [order] = await ordersOf(shopId, ["Q-1"]);
      expect(order!.lineItems[0]!.title).toBe("Notizbuch\r\n„Reise“, liniert");
      expect(order!.customer).toMatchObject({ addressLine1: "Hauptstraße 1", addressLine2: "Hinterhaus\n3. Stock", city: "Berlin", postalCode: "10115", countryCode: "DE" });
      // Q-2 starts on physical line 5: the header, then Q-1 over three lines.
      expect(await downloadReport(run.reportUrl!)).toEqual([{ line: 5, column: "Order Date", reason: expect.stringMatching(/not a date/) }]);
      expect((await current().db.importRun.findFirstOrThrow({ where: { id: runId } })).errorCount).toBe(1);
    });

    it("reads the date formats shops and spreadsheets write", async () => {
      const cases: [string, string][] = [
        ["2025-03-05 14:22:10 +0100", "2025-03-05T13:22:10.000Z"],
        ["2025-03-05T14:22:10Z", "2025-03-05T14:22:10.000Z"],
        ["05.03.2025", "2025-03-05T00:00:00.000Z"],
        ["5.3.25", "2025-03-05T00:00:00.000Z"],
        ["05.03.2025 09:30", "2025-03-05T09:30:00.000Z"],
        ["5. März 2025", "2025-03-05T00:00:00.000Z"],
        ["March 5, 2025", "2025-03-05T00:00:00.000Z"],
        ["2025/03/05", "2025-03-05T00:00:00.000Z"],
        ["13/03/2025", "2025-03-13T00:00:00.000Z"],
      ];
      const text = `Order Number;Order Date;Email;Total\r\n${cases.map(([date], index) => `D-${index};${date};dates@example.com;10,00\r\n`).join("")}`;
      const { run } = await importText(text);
      expect(run.counts).toMatchObject({ created: cases.length, errors: 0 });
      const orders = await ordersOf(shopId, cases.map((_, index) => `D-${index}`));
      expect(orders.map((order) => [order.number, order.placedAt.toISOString()])).toEqual(cases.map(([, iso], index) => [`D-${index}`, utc(iso)]));
    });

    it("assembles Shopify's orders export: one order per run of rows, totals, items, cancelled orders", async () => {
      const { text, orders: generated } = shopifyOrdersExport({ orders: 12, seed: 7 });
      const { runId, run } = await importText(text);
      expect(run.status).toBe("SUCCEEDED");
      expect(run.counts).toEqual({ created: generated.length, updated: 0, skipped: 0, errors: 0 });
      expect(run.processedRows).toBe(generated.reduce((sum, order) => sum + order.lines, 0));
      const stored = await current().db.order.findMany({
        where: { shopId, importRunId: runId },
        include: { lineItems: true, customer: true },
      });
      expect(stored).toHaveLength(generated.length);
      for (const order of generated) {
        const row = stored.find((entry) => entry.sourceId === order.id);
        expect(row, `order ${order.name}`).toBeDefined();
        expect(row).toMatchObject({ number: order.name, currency: order.currency, totalMinor: order.totalMinor, live: false });
        expect(row!.lineItems).toHaveLength(order.lines);
        expect(row!.customer?.emailNormalized).toBe(order.email.toLowerCase());
        expect(row!.cancelledAt !== null).toBe(order.cancelled);
      }
      // Repeat buyers are one customer each.
      const emails = new Set(generated.map((order) => order.email.toLowerCase()));
      expect(new Set(stored.map((row) => row.customerId)).size).toBe(emails.size);
    });
  });

  // ------------------------------------------------------------------- the quirk fixtures

  describe("fixture files (tests/fixtures/csv)", () => {
    const fixtureDomain = `csv-fixtures-${randomBytes(3).toString("hex")}.myshopify.com`;
    let fixtureShop: string;
    beforeAll(async () => {
      fixtureShop = (await createShop(current().db, { domain: fixtureDomain, currency: "EUR" })).id;
      await createOfflineSession(current().db, fixtureDomain);
    });
    const fixture = (name: string) => readFileSync(path.join(process.cwd(), "tests", "fixtures", "csv", name));
    const importFixture = async (name: string) => {
      const runId = await uploadFile(fixture(name), name, fixtureDomain);
      return { runId, run: await startAndRun(runId, {}, fixtureDomain) };
    };
    const order = async (number: string) =>
      current().db.order.findFirstOrThrow({ where: { shopId: fixtureShop, source: "CSV", number }, include: { lineItems: { orderBy: { position: "asc" } }, customer: { include: { identities: true } } } });
    const items = (row: Awaited<ReturnType<typeof order>>) => row.lineItems.map((item) => [item.title, item.sku, item.quantity, item.unitPriceMinor, item.totalMinor]);

    it("utf8-bom-english.csv", async () => {
      const { run } = await importFixture("utf8-bom-english.csv");
      expect(run.counts).toEqual({ created: 3, updated: 0, skipped: 0, errors: 0 });
      const first = await order("A-1001");
      expect(first).toMatchObject({ totalMinor: 2580n, currency: "EUR", placedAt: new Date("2024-03-05T00:00:00Z") });
      expect(items(first)).toEqual([["Notizbuch A5", "NB-A5", 2, 1290n, 2580n]]);
      expect(first.customer).toMatchObject({ firstName: "Jürgen", lastName: "Müller", addressLine1: "Schloßstraße 4", postalCode: "01067", city: "Dresden", countryCode: "DE" });
      expect((await order("A-1002")).customer).toMatchObject({ firstName: "Zoë", lastName: "Weiß", countryCode: "DE" });
      expect((await order("A-1003")).customer).toMatchObject({ firstName: "Ольга", lastName: "Петрова", countryCode: "AT" });
    });

    it("windows-1252-german.csv", async () => {
      const { run } = await importFixture("windows-1252-german.csv");
      expect(run.counts).toEqual({ created: 3, updated: 0, skipped: 0, errors: 0 });
      const first = await order("10001");
      expect(first).toMatchObject({ totalMinor: 700n, placedAt: new Date("2024-03-05T00:00:00Z") });
      expect(items(first)).toEqual([["Grußkarte „Danke“", null, 2, 350n, 700n]]);
      expect(first.customer).toMatchObject({ firstName: "Hans", lastName: "Müller", addressLine1: "Schloßstraße 4", city: "Dresden", countryCode: "DE" });
      expect(await order("10002")).toMatchObject({ totalMinor: 123_456n, placedAt: new Date("2024-03-13T00:00:00Z") });
      expect(items(await order("10002"))[0]![0]).toBe("Kalender – Wand");
      const third = await order("10003");
      expect(items(third)).toEqual([["Siegelwachs™ Rot", null, 3, 690n, 2070n]]);
      expect(third.customer).toMatchObject({ firstName: "Björn", lastName: "Schröder", addressLine1: "Kärntner Straße 1", countryCode: "AT" });
    });

    it("semicolon-german.csv", async () => {
      const { run } = await importFixture("semicolon-german.csv");
      expect(run.counts).toEqual({ created: 3, updated: 0, skipped: 0, errors: 0 });
      const first = await order("B-2001");
      expect(first).toMatchObject({ totalMinor: 3070n, currency: "EUR", financialState: "PAID", placedAt: new Date("2024-03-05T14:22:00Z"), cancelledAt: null });
      expect(items(first)).toEqual([
        ["Notizbuch A5", "NB-A5", 2, 1290n, 2580n],
        ["Tinte, blau", "TI-BL", 1, 490n, 490n],
      ]);
      expect(first.customer).toMatchObject({ email: "anna.becker@example.de", language: "de", addressLine1: "Hauptstraße 5" });
      expect(first.customer!.identities.map((identity) => [identity.source, identity.sourceId])).toEqual([["CSV", "K-501"]]);
      const cancelled = await order("B-2002");
      expect(cancelled).toMatchObject({ totalMinor: 123_450n });
      expect(cancelled.cancelledAt).toEqual(cancelled.placedAt);
      expect(await order("B-2003")).toMatchObject({ totalMinor: 5550n, currency: "CHF", financialState: "PARTIALLY_REFUNDED" });
    });

    it("quoted-newlines.csv", async () => {
      const { run } = await importFixture("quoted-newlines.csv");
      expect(run.counts).toEqual({ created: 4, updated: 0, skipped: 0, errors: 0 });
      expect((await order("Q-2")).customer).toMatchObject({ firstName: "Bernd", lastName: "Becker" });
      expect(await order("Q-4")).toMatchObject({ totalMinor: 4000n, placedAt: new Date("2024-03-08T00:00:00Z") });
    });

    it("date-formats.csv", async () => {
      const { run } = await importFixture("date-formats.csv");
      expect(run.counts).toEqual({ created: 12, updated: 0, skipped: 0, errors: 0 });
      const expected: Record<string, string> = {
        "D-1": "2024-03-05T00:00:00.000Z",
        "D-2": "2024-03-05T14:22:10.000Z",
        "D-3": "2024-03-05T13:22:10.250Z",
        "D-4": "2024-03-05T13:22:10.000Z",
        "D-5": "2024-03-05T00:00:00.000Z",
        "D-6": "2024-03-05T14:22:00.000Z",
        "D-7": "2024-03-05T00:00:00.000Z",
        "D-8": "2024-03-13T00:00:00.000Z",
        "D-9": "2024-03-05T00:00:00.000Z",
        "D-10": "2024-03-05T00:00:00.000Z",
        "D-11": "2024-03-05T14:22:00.000Z",
        "D-12": "2024-03-05T00:00:00.000Z",
      };
      for (const [number, iso] of Object.entries(expected)) expect((await order(number)).placedAt.toISOString(), number).toBe(iso);
    });

    it("shopify-orders-export.csv", async () => {
      const text = fixture("shopify-orders-export.csv").toString("utf8");
      const names = new Set((parseCsv(text, { columns: true }) as Record<string, string>[]).map((row) => row.Name!));
      const { run } = await importFixture("shopify-orders-export.csv");
      expect(run.counts).toEqual({ created: names.size, updated: 0, skipped: 0, errors: 0 });
      for (const name of names) expect((await order(name)).live).toBe(false);
    });

    it("some-rows-bad.csv", async () => {
      const { run } = await importFixture("some-rows-bad.csv");
      expect(run.counts).toEqual({ created: 3, updated: 0, skipped: 0, errors: 4 });
      // No order total: the item prices add up (2 × 6.90).
      expect(await order("S-5")).toMatchObject({ totalMinor: 1380n });
      expect(await downloadReport(run.reportUrl!)).toEqual([
        { line: 3, column: "", reason: "skipped: line 4 of the same order has a problem" },
        { line: 4, column: "Quantity", reason: expect.stringMatching(/not a quantity/) },
        { line: 5, column: "", reason: "skipped: line 4 of the same order has a problem" },
        { line: 7, column: "Order Date", reason: expect.stringMatching(/not a date/) },
      ]);
    });

    it("all-rows-bad.csv", async () => {
      const { runId, run } = await importFixture("all-rows-bad.csv");
      expect(run).toMatchObject({ status: "SUCCEEDED", counts: { created: 0, updated: 0, skipped: 0, errors: 8 } });
      expect((await downloadReport(run.reportUrl!)).map((row) => [row.line, row.column])).toEqual([
        [2, "Order Date"],
        [3, "Email"],
        [4, "Total"],
        [5, "Order Number"],
        [6, "Email"],
        [7, "Quantity"],
        [8, ""],
        [9, "Order Date"],
      ]);
      expect(await current().db.order.count({ where: { importRunId: runId } })).toBe(0);
    });

    // The samples the upload page offers (public/samples/) import as they are, without a problem.
    for (const sample of ["shopify-orders-export.csv", "bestellungen-de.csv", "customers-orders-simple.csv"]) {
      it(`sample ${sample}`, async () => {
        const bytes = readFileSync(path.join(process.cwd(), "public", "samples", sample));
        const runId = await uploadFile(bytes, sample, fixtureDomain);
        const { run } = await page(runId, fixtureDomain);
        expect(run.draft?.mappingProblems).toEqual([]);
        expect(run.draft?.preview.filter((row) => row.problems.length > 0)).toEqual([]);
        const finished = await startAndRun(runId, {}, fixtureDomain);
        expect(finished.status).toBe("SUCCEEDED");
        expect(finished.counts.errors).toBe(0);
        expect(finished.counts.created).toBeGreaterThan(5);
      });
    }

    it("unclosed-quote.csv", async () => {
      const { run } = await importFixture("unclosed-quote.csv");
      expect(run.counts).toMatchObject({ created: 1, errors: 1 });
      expect(await downloadReport(run.reportUrl!)).toEqual([{ line: 3, column: "", reason: expect.stringMatching(/quote/) }]);
    });
  });

  // --------------------------------------------------------------------------- mapping and preview

  describe("mapping and preview", () => {
    const text =
      "Order Number,Invoice Number,Date,Email,Total\r\n" +
      "1,R-100,03/04/2025,map@example.com,10.00\r\n" +
      "2,R-200,03/05/2025,map@example.com,20.00\r\n";

    it("uses the mapping the merchant changed, not the suggested one", async () => {
      const runId = await uploadFile(text);
      const { run } = await page(runId);
      // English headers and slashes: month first is suggested.
      expect(run.draft?.mapping).toMatchObject({ columns: { orderNumber: 0 }, dateOrder: "MDY" });
      const finished = await startAndRun(runId, { "column.orderNumber": "1", dateOrder: "DMY" });
      expect(finished.counts).toMatchObject({ created: 2, errors: 0 });
      const orders = await current().db.order.findMany({ where: { shopId, importRunId: runId }, orderBy: { number: "asc" } });
      expect(orders.map((order) => [order.number, order.placedAt.toISOString()])).toEqual([
        ["R-100", "2025-04-03T00:00:00.000Z"],
        ["R-200", "2025-05-03T00:00:00.000Z"],
      ]);
      expect(JSON.parse((await current().db.importRun.findFirstOrThrow({ where: { id: runId } })).mapping!)).toMatchObject({ columns: { orderNumber: 1 }, dateOrder: "DMY" });
    });

    it("saves a mapping and shows the preview it gives; refuses an incomplete one field by field", async () => {
      const runId = await uploadFile(text);
      const { run } = await page(runId);
      const saved = await act(runId, { intent: "save-mapping", ...mappingForm(run.draft!, run.fields, { "column.email": "", "column.orderTotal": "3" }) });
      expect(saved).toMatchObject({ ok: false });
      const refused = saved as Response;
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { fieldErrors: Record<string, string[]> };
      expect(Object.keys(body.fieldErrors)).toEqual(["column.email"]);

      // Saved with the total read from the e-mail column: every preview row now has a problem there.
      expect(await act(runId, { intent: "save-mapping", ...mappingForm(run.draft!, run.fields, { "column.orderTotal": "3" }) })).toEqual({ ok: true, intent: "save-mapping" });
      const { run: after } = await page(runId);
      expect(after.draft?.mapping.columns).toMatchObject({ orderTotal: 3 });
      expect(after.draft?.preview.map((row) => row.problems.map((problem) => [problem.line, problem.column]))).toEqual([[[2, "Email"]], [[3, "Email"]]]);

      for (const [changes, key] of [
        [{ "column.email": "9" }, "column.email"],
        [{ "column.orderDate": "" }, "column.orderDate"],
        [{ defaultCurrency: "EURO" }, "defaultCurrency"],
        [{ dateOrder: "DDMM" }, "dateOrder"],
        [{ "column.email": "first" }, "column.email"],
      ] as const) {
        const answer = (await act(runId, { intent: "save-mapping", ...mappingForm(run.draft!, run.fields, changes) })) as Response;
        expect(answer.status, JSON.stringify(changes)).toBe(422);
        expect(Object.keys(((await answer.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors)).toContain(key);
      }
      // Refused starts leave the draft as it was.
      const refusedStart = (await act(runId, { intent: "start", ...mappingForm(run.draft!, run.fields, { "column.orderDate": "" }) })) as Response;
      expect(refusedStart.status).toBe(422);
      expect((await page(runId)).run.status).toBe("DRAFT");
    });

    it("previews the first rows with each row's problems, as the import would report them", async () => {
      const preview =
        "Order Number,Order Date,Email,Total,Product,Quantity\r\n" +
        "P-1,2025-03-01,ok@example.com,10.00,Heft,1\r\n" +
        "P-2,yesterday,ok@example.com,10.00,Heft,1\r\n" +
        "P-3,2025-03-01,ok@example.com,ten,Heft,1\r\n" +
        "P-4,2025-03-01,,10.00,Heft,1\r\n" +
        "P-5,2025-03-01,ok@example.com,10.00,Heft,1.5\r\n" +
        "P-6,2025-03-01,ok@example.com,10.00,Heft,2\r\n" +
        "P-6,2025-03-01,ok@example.com,10.00,Stift,x\r\n";
      const runId = await uploadFile(preview);
      const { run } = await page(runId);
      const rows = run.draft!.preview.map((row) => [row.line, row.problems.map((problem) => `${problem.column ?? ""}: ${problem.reason}`)]);
      expect(rows).toEqual([
        [2, []],
        [3, [expect.stringMatching(/^Order Date: not a date/)]],
        [4, [expect.stringMatching(/^Total: not an amount/)]],
        [5, [expect.stringMatching(/^Email: no customer e-mail/)]],
        [6, [expect.stringMatching(/^Quantity: not a whole number/)]],
        [7, [": skipped: line 8 of the same order has a problem"]],
        [8, [expect.stringMatching(/^Quantity: not a quantity/)]],
      ]);
    });
  });

  // ------------------------------------------------------------------------------- bad rows

  describe("bad rows", () => {
    it("imports the good rows and lists every bad one (line, column, reason) in the downloadable report", async () => {
      const text =
        "Order Number,Order Date,Email,Total,Product\r\n" +
        "B-1,2025-03-01,good@example.com,10.00,Heft\r\n" +
        "B-2,32.13.2025,good@example.com,10.00,Heft\r\n" +
        "B-3,2025-03-01,good@example.com,zehn,Heft\r\n" +
        "B-4,2025-03-01,good@example.com,10.00,Heft,extra,fields\r\n" +
        "B-5,2025-03-01,not-an-email,10.00,Heft\r\n" +
        ",2025-03-01,good@example.com,10.00,Heft\r\n" +
        "B-6,2025-03-02,good@example.com,12.00,Stift\r\n";
      const { run } = await importText(text);
      expect(run.status).toBe("SUCCEEDED");
      expect(run.counts).toEqual({ created: 2, updated: 0, skipped: 0, errors: 5 });
      expect((await ordersOf(shopId, ["B-1", "B-2", "B-3", "B-4", "B-5", "B-6"])).map((order) => order.number)).toEqual(["B-1", "B-6"]);
      expect(await downloadReport(run.reportUrl!)).toEqual([
        { line: 3, column: "Order Date", reason: expect.stringMatching(/not a date/) },
        { line: 4, column: "Total", reason: expect.stringMatching(/not an amount/) },
        { line: 5, column: "", reason: expect.stringMatching(/7 fields, the header has 5/) },
        { line: 6, column: "Email", reason: expect.stringMatching(/not an e-mail address/) },
        { line: 7, column: "Order Number", reason: "no order number or order ID" },
      ]);
    });

    it("finishes a file where every row is bad with nothing imported and every row in the report", async () => {
      const rows = Array.from({ length: 30 }, (_, index) => `ALL-${index},someday,bad@example.com,10.00\r\n`);
      const { runId, run } = await importText(`Order Number,Order Date,Email,Total\r\n${rows.join("")}`);
      expect(run).toMatchObject({ status: "SUCCEEDED", counts: { created: 0, updated: 0, skipped: 0, errors: 30 }, processedRows: 30 });
      const report = await downloadReport(run.reportUrl!);
      expect(report.map((row) => row.line)).toEqual(Array.from({ length: 30 }, (_, index) => index + 2));
      expect(report.every((row) => row.column === "Order Date" && /not a date/.test(row.reason))).toBe(true);
      expect(await current().db.order.count({ where: { shopId, importRunId: runId } })).toBe(0);
    });

    it("imports an order whose rows come back later once, and reports the later rows", async () => {
      const text =
        "Order Number,Order Date,Email,Total,Product\r\n" +
        "R-1,2025-03-01,repeat@example.com,30.00,Heft\r\n" +
        "R-1,,,,Stift\r\n" +
        "R-2,2025-03-01,repeat@example.com,5.00,Heft\r\n" +
        "R-1,2025-03-01,repeat@example.com,99.00,Kalender\r\n";
      const { run } = await importText(text);
      expect(run.counts).toEqual({ created: 2, updated: 0, skipped: 0, errors: 1 });
      const [order] = await ordersOf(shopId, ["R-1"]);
      expect(order!.totalMinor).toBe(3000n);
      expect(order!.lineItems.map((item) => item.title)).toEqual(["Heft", "Stift"]);
      expect(await downloadReport(run.reportUrl!)).toEqual([{ line: 5, column: "", reason: "Order R-1 was already imported from line 2: keep all rows of an order together." }]);
    });
  });

  // ------------------------------------------------------------------------- idempotence, resuming

  describe("re-runs and crashes", () => {
    it("changes nothing when the same file is imported again", async () => {
      const { text, orders } = shopifyOrdersExport({ orders: 8, seed: 11 });
      await importText(text);
      const before = await counts(shopId);
      const snapshot = await current().db.order.findMany({ where: { shopId, sourceId: { in: orders.map((order) => order.id) } }, orderBy: { sourceId: "asc" }, include: { lineItems: { orderBy: { position: "asc" } } } });

      const { run } = await importText(text);
      expect(run.counts).toEqual({ created: 0, updated: 0, skipped: orders.length, errors: 0 });
      expect(await counts(shopId)).toEqual(before);
      const again = await current().db.order.findMany({ where: { shopId, sourceId: { in: orders.map((order) => order.id) } }, orderBy: { sourceId: "asc" }, include: { lineItems: { orderBy: { position: "asc" } } } });
      expect(again.map(comparable)).toEqual(snapshot.map(comparable));
    });

    it("resumes a run killed after a batch and ends with exactly what one clean run writes", async () => {
      const { db } = current();
      const cleanShop = (await createShop(db, { currency: "EUR" })).id;
      const killedShop = (await createShop(db, { currency: "EUR" })).id;
      // 20 orders with two bad rows in between, in batches of 3 orders.
      const { text } = shopifyOrdersExport({ orders: 20, seed: 23 });
      const lines = text.split("\n");
      const header = lines[0]!;
      const dateColumn = header.split(",").indexOf("Created at");
      const spoil = (line: string) => line.split(",").map((value, index) => (index === dateColumn ? "not a date" : value)).join(",");
      const firstRows = lines.map((line, index) => ({ line, index })).filter(({ line, index }) => index > 0 && line.split(",")[dateColumn]?.match(/^\d{4}-/));
      lines[firstRows[4]!.index] = spoil(lines[firstRows[4]!.index]!);
      lines[firstRows[14]!.index] = spoil(lines[firstRows[14]!.index]!);
      const spoiled = lines.join("\n");

      const clean = await draftRun(cleanShop, spoiled);
      await runCsvImport({ shopId: cleanShop, runId: clean }, { batchOrders: 3 });

      const killed = await draftRun(killedShop, spoiled);
      const stop = new AbortController();
      let batches = 0;
      const first = await runCsvImport(
        { shopId: killedShop, runId: killed },
        {
          batchOrders: 3,
          signal: stop.signal,
          onBatch: () => {
            batches++;
            if (batches === 2) stop.abort(new Error("killed"));
          },
        },
      ).catch((error: unknown) => error);
      expect(first).toBeInstanceOf(Error);
      const halfway = await db.importRun.findFirstOrThrow({ where: { id: killed } });
      expect(halfway.status).toBe("RUNNING");
      expect(await db.order.count({ where: { shopId: killedShop } })).toBeGreaterThan(0);
      expect(await db.order.count({ where: { shopId: killedShop } })).toBeLessThan(18);
      expect(halfway.processedBytes).toBeGreaterThan(0);
      expect(halfway.processedBytes).toBeLessThan(halfway.totalBytes!);

      await runCsvImport({ shopId: killedShop, runId: killed }, { batchOrders: 3 });
      const [cleanRun, killedRun] = await Promise.all([db.importRun.findFirstOrThrow({ where: { id: clean } }), db.importRun.findFirstOrThrow({ where: { id: killed } })]);
      const summary = (run: typeof cleanRun) => ({
        status: run.status,
        created: run.createdCount,
        updated: run.updatedCount,
        skipped: run.skippedCount,
        errors: run.errorCount,
        processedRows: run.processedRows,
        processedBytes: run.processedBytes,
      });
      expect(summary(killedRun)).toEqual(summary(cleanRun));
      expect(cleanRun).toMatchObject({ status: "SUCCEEDED", createdCount: 18 });
      expect(cleanRun.errorCount).toBeGreaterThanOrEqual(2);
      expect(cleanRun.processedBytes).toBe(cleanRun.totalBytes);

      const rowErrors = async (runId: string) =>
        (await db.importRowError.findMany({ where: { importRunId: runId }, orderBy: [{ line: "asc" }] })).map((error) => [error.line, error.column, error.reason]);
      expect(await rowErrors(killed)).toEqual(await rowErrors(clean));
      const ordersIn = async (shop: string) => (await db.order.findMany({ where: { shopId: shop }, orderBy: { sourceId: "asc" }, include: { lineItems: { orderBy: { position: "asc" } } } })).map(comparable);
      expect(await ordersIn(killedShop)).toEqual(await ordersIn(cleanShop));
      expect(await db.customer.count({ where: { shopId: killedShop } })).toBe(await db.customer.count({ where: { shopId: cleanShop } }));
    });

    it("resumes a run killed right after a batch committed: same data and the same counts as one clean run", async () => {
      const { db } = current();
      const cleanShop = (await createShop(db, { currency: "EUR" })).id;
      const killedShop = (await createShop(db, { currency: "EUR" })).id;
      const { text } = shopifyOrdersExport({ orders: 9, seed: 41 });
      const clean = await draftRun(cleanShop, text);
      await runCsvImport({ shopId: cleanShop, runId: clean }, { batchOrders: 3 });

      const killed = await draftRun(killedShop, text);
      let calls = 0;
      const dying: typeof ingestBatch = async (database, input) => {
        const result = await ingestBatch(database, input);
        calls++;
        // The batch and its record are committed; the process dies before going on.
        if (calls === 2) throw new Error("killed after ingesting");
        return result;
      };
      await expect(runCsvImport({ shopId: killedShop, runId: killed, attempt: 1, maxAttempts: 5 }, { batchOrders: 3, ingest: dying })).rejects.toThrow("killed after ingesting");
      expect((await db.importRun.findFirstOrThrow({ where: { id: killed } })).status).toBe("RUNNING");
      await runCsvImport({ shopId: killedShop, runId: killed, attempt: 2, maxAttempts: 5 }, { batchOrders: 3 });

      const ordersIn = async (shop: string) => (await db.order.findMany({ where: { shopId: shop }, orderBy: { sourceId: "asc" }, include: { lineItems: { orderBy: { position: "asc" } } } })).map(comparable);
      expect(await ordersIn(killedShop)).toEqual(await ordersIn(cleanShop));
      const [cleanRun, killedRun] = await Promise.all([db.importRun.findFirstOrThrow({ where: { id: clean } }), db.importRun.findFirstOrThrow({ where: { id: killed } })]);
      expect(killedRun.status).toBe("SUCCEEDED");
      expect(cleanRun).toMatchObject({ createdCount: 9, skippedCount: 0 });
      expect(killedRun).toMatchObject({ createdCount: 9, skippedCount: 0, errorCount: cleanRun.errorCount });
    });

    it("fails a run whose file is gone at once, with the reason, instead of retrying", async () => {
      const { db } = current();
      const runId = await uploadFile("Order Number,Order Date,Email,Total\r\nGONE-1,2025-03-01,gone@example.com,10.00\r\n");
      const run = await db.importRun.update({ where: { id: runId }, data: { status: "QUEUED" } });
      const file = await db.storedFile.findFirstOrThrow({ where: { id: run.uploadFileId! } });
      await globalThis.__letterloopFileStore!.delete(file.key);
      expect(await runCsvImport({ shopId, runId, attempt: 1, maxAttempts: 5 })).toEqual({ status: "FAILED", alreadyDone: false });
      const { run: view } = await page(runId);
      expect(view).toMatchObject({ status: "FAILED", failureReason: "The uploaded file is no longer stored. Upload it again.", reportUrl: null });
      // Running it again (a retried job) leaves the finished run alone.
      expect(await runCsvImport({ shopId, runId })).toEqual({ status: "FAILED", alreadyDone: true });

      // A draft whose file is gone answers 404 with the reason, not a server error.
      const draftId = await uploadFile("Order Number,Order Date,Email,Total\r\nGONE-2,2025-03-01,gone@example.com,10.00\r\n");
      const draft = await db.importRun.findFirstOrThrow({ where: { id: draftId } });
      await globalThis.__letterloopFileStore!.delete((await db.storedFile.findFirstOrThrow({ where: { id: draft.uploadFileId! } })).key);
      const answer = (await outcome(page(draftId))) as Response;
      expect(answer.status).toBe(404);
      expect(((await answer.json()) as { message: string }).message).toBe("The uploaded file is no longer stored. Upload it again.");
    });

    it("starts once: a second start neither queues another job nor restarts a finished run", async () => {
      const { db } = current();
      const runId = await uploadFile("Order Number,Order Date,Email,Total\r\nONCE-1,2025-03-01,once@example.com,10.00\r\n");
      const { run } = await page(runId);
      const form = { intent: "start", ...mappingForm(run.draft!, run.fields) };
      expect(await act(runId, form)).toEqual({ ok: true, intent: "start" });
      expect(await act(runId, form)).toEqual({ ok: true, intent: "start" });
      expect((await page(runId)).run.status).toBe("QUEUED");
      const jobs = () => db.job.count({ where: { name: "csv-import", dedupeKey: `csv-import:${runId}` } });
      expect(await jobs()).toBe(1);
      await drainJobs();
      expect(await act(runId, form)).toEqual({ ok: true, intent: "start" });
      expect(await jobs()).toBe(1);
      expect((await page(runId)).run).toMatchObject({ status: "SUCCEEDED", counts: { created: 1 }, percent: 100 });
      // The mapping of a started run is fixed.
      const late = (await act(runId, { ...form, intent: "save-mapping" })) as Response;
      expect(late.status).toBe(409);
    });

    it("runs a booked job whose run is still a draft (the process died before marking it queued)", async () => {
      const runId = await uploadFile("Order Number,Order Date,Email,Total\r\nDRAFT-1,2025-03-01,draft@example.com,10.00\r\n");
      await enqueueJob(jobQueue(), csvImportJob, { shopId, runId }, { dedupeKey: csvImportDedupeKey(runId), shopId });
      expect((await page(runId)).run.status).toBe("DRAFT");
      await drainJobs();
      expect((await page(runId)).run).toMatchObject({ status: "SUCCEEDED", counts: { created: 1 } });
    });

    it("never marks imported orders live, so no after-purchase letter is triggered", async () => {
      const { text } = shopifyOrdersExport({ orders: 5, seed: 31 });
      const { runId } = await importText(text);
      const { db } = current();
      expect(await db.order.count({ where: { shopId, importRunId: runId } })).toBe(5);
      expect(await db.order.count({ where: { shopId, source: "CSV", live: true } })).toBe(0);
    });

    async function draftRun(shop: string, text: string): Promise<string> {
      const shopRow = await current().db.shop.findUniqueOrThrow({ where: { id: shop } });
      await createOfflineSession(current().db, shopRow.domain);
      const runId = await uploadFile(text, "orders.csv", shopRow.domain);
      const { run } = await page(runId, shopRow.domain);
      await current().db.importRun.update({ where: { id: runId }, data: { status: "QUEUED", mapping: JSON.stringify(run.draft!.mapping) } });
      return runId;
    }
  });

  // ------------------------------------------------------------------------------- isolation

  describe("isolation", () => {
    it("keeps one shop's runs, files and orders out of another shop's reach", async () => {
      const text = "Order Number,Order Date,Email,Total\r\nISO-1,2025-03-01,iso@example.com,10.00\r\nISO-2,bad,iso@example.com,10.00\r\n";
      const runId = await uploadFile(text);
      const { run } = await page(runId);
      const form = mappingForm(run.draft!, run.fields);

      const foreignPage = (await outcome(page(runId, otherDomain))) as Response;
      expect(foreignPage.status).toBe(404);
      const foreignStart = (await act(runId, { intent: "start", ...form }, otherDomain)) as Response;
      expect(foreignStart.status).toBe(404);
      const foreignSave = (await act(runId, { intent: "save-mapping", ...form }, otherDomain)) as Response;
      expect(foreignSave.status).toBe(404);
      expect((await page(runId)).run.status).toBe("DRAFT");
      // The job itself only ever looks the run up under the shop it was given.
      expect(await runCsvImport({ shopId: otherShopId, runId })).toEqual({ status: "MISSING" });

      const finished = await startAndRun(runId);
      expect(finished.counts).toMatchObject({ created: 1, errors: 1 });
      expect(await current().db.order.count({ where: { shopId: otherShopId } })).toBe(0);
      const report = new URL(finished.reportUrl!, "http://127.0.0.1:3000");
      // The signed link names its shop; pointing it at another shop breaks the signature.
      report.searchParams.set("shop", otherDomain);
      const fileId = decodeURIComponent(report.pathname.split("/")[2]!);
      const refused = (await fileLoader({ request: new Request(report, { headers: { "user-agent": "Mozilla/5.0" } }), params: { fileId }, context: {} })) as Response;
      expect(refused.status).toBe(403);
    });

    it("answers 404 for a run id that does not exist", async () => {
      expect(((await outcome(page("no-such-run"))) as Response).status).toBe(404);
    });
  });
});

describe("order keys of a run", () => {
  it("remembers each key's first line exactly, like a Map, across growth and hash collisions", () => {
    const keys = new OrderKeyLines();
    const reference = new Map<string, number>();
    // Numeric ids, order names, umlauts, Cyrillic, emoji, empty and long keys; every key twice.
    const samples = Array.from({ length: 60_000 }, (_, index) =>
      [`${5_550_000_000_017 + index * 17}`, `#${1000 + index}`, `Bestellung-${index}-Müller`, `заказ-${index}`, `🎁${index}`][index % 5]!,
    );
    samples.push("", "x".repeat(5_000));
    for (const [index, key] of samples.entries()) {
      keys.add(key, index + 2);
      if (!reference.has(key)) reference.set(key, index + 2);
      keys.add(key, index + 1_000_000);
    }
    expect(keys.size).toBe(reference.size);
    for (const [key, line] of reference) expect(keys.get(key)).toBe(line);
    for (const missing of ["5550000000018", "#999", "заказ", "🎁", "Bestellung-1-Muller"]) expect(keys.get(missing)).toBeUndefined();
  });
});

function comparable(order: {
  sourceId: string;
  number: string;
  currency: string;
  totalMinor: bigint;
  placedAt: Date;
  cancelledAt: Date | null;
  financialState: string;
  live: boolean;
  lineItems: { title: string; sku: string | null; quantity: number; unitPriceMinor: bigint; totalMinor: bigint }[];
}) {
  return {
    sourceId: order.sourceId,
    number: order.number,
    currency: order.currency,
    totalMinor: order.totalMinor,
    placedAt: order.placedAt.toISOString(),
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    financialState: order.financialState,
    live: order.live,
    items: order.lineItems.map((item) => [item.title, item.sku, item.quantity, item.unitPriceMinor, item.totalMinor]),
  };
}
