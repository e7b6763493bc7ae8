import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { beforeAll, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { loader as historyLoader } from "../../app/routes/app.imports._index";
import { loader as fileLoader } from "../../app/routes/files.$fileId";
import { recordImportBatch } from "../../app/repositories/import-run-repository.server";
import { writeImportErrorReport } from "../../app/services/import-reports.server";
import { adminRequest, createOfflineSession } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createShop } from "../support/factories";

/**
 * The import history (issue 5): every run with its source, counts and progress, and the error
 * report a merchant downloads, read back as CSV; another shop's runs never show.
 */

type HistoryData = Awaited<ReturnType<typeof historyLoader>>;

describeEachDatabase("import history", (current) => {
  const domain = `history-${randomBytes(3).toString("hex")}.myshopify.com`;
  const otherDomain = `history-other-${randomBytes(3).toString("hex")}.myshopify.com`;
  let shopId: string;

  beforeAll(async () => {
    const { db } = current();
    globalThis.__letterloopFileStore = new LocalDiskFileStore(mkdtempSync(path.join(os.tmpdir(), "letterloop-history-")));
    await createOfflineSession(db, domain);
    await createOfflineSession(db, otherDomain);
    shopId = (await createShop(db, { domain })).id;
    const other = await createShop(db, { domain: otherDomain });
    await db.importRun.create({ data: { shopId: other.id, kind: "CSV", status: "SUCCEEDED", originalFilename: "their-orders.csv" } });
  });

  const history = async (shop = domain) => (await historyLoader({ request: adminRequest("/app/imports", shop), params: {}, context: {} })) as HistoryData;

  it("lists every source's runs newest first with counts, progress and status", async () => {
    const { db } = current();
    const base = Date.UTC(2026, 10, 20);
    await db.importRun.create({
      data: { shopId, kind: "BILLBEE", status: "SUCCEEDED", createdAt: new Date(base), startedAt: new Date(base), createdCount: 60, updatedCount: 2, skippedCount: 1 },
    });
    await db.importRun.create({ data: { shopId, kind: "API", status: "SUCCEEDED", createdAt: new Date(base + 1_000), createdCount: 500 } });
    await db.importRun.create({
      data: { shopId, kind: "CSV", status: "RUNNING", createdAt: new Date(base + 2_000), originalFilename: "orders_export.csv", totalBytes: 4_000, processedBytes: 1_000 },
    });
    await db.importRun.create({ data: { shopId, kind: "CSV", status: "DRAFT", createdAt: new Date(base + 3_000), originalFilename: "bestellungen.csv" } });

    const { runs } = await history();
    expect(runs.map((run) => [run.kind, run.status, run.filename])).toEqual([
      ["CSV", "DRAFT", "bestellungen.csv"],
      ["CSV", "RUNNING", "orders_export.csv"],
      ["API", "SUCCEEDED", null],
      ["BILLBEE", "SUCCEEDED", null],
    ]);
    expect(runs[1]!.percent).toBe(25);
    expect(runs[3]).toMatchObject({ createdCount: 60, updatedCount: 2, skippedCount: 1, errorCount: 0, errorReportUrl: null, percent: 100 });
    expect((await history(otherDomain)).runs.map((run) => run.filename)).toEqual(["their-orders.csv"]);
  });

  it("serves a run's error report as a CSV of line, column and reason, in line order", async () => {
    const { db } = current();
    const run = await db.importRun.create({ data: { shopId, kind: "CSV", status: "RUNNING", originalFilename: "kunden.csv" } });
    // Two batches, the second reporting an earlier line than the first's last (grouped order lines).
    await recordImportBatch(db, {
      shopId,
      runId: run.id,
      cursor: "{}",
      processedRows: 10,
      created: 7,
      updated: 0,
      skipped: 0,
      rowErrors: [
        { line: 9, column: "Total", reason: "\"12,5x\" is not an amount" },
        { line: 4, column: "Created at", reason: "\"31.02.2024\" is not a date" },
      ],
    });
    await recordImportBatch(db, {
      shopId,
      runId: run.id,
      cursor: "{}",
      processedRows: 12,
      created: 1,
      updated: 0,
      skipped: 0,
      rowErrors: [{ line: 11, column: null, reason: "Unclosed quote; the row was skipped" }],
    });
    await db.importRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED" } });
    const fileId = await writeImportErrorReport({ shopId, runId: run.id });
    expect(fileId).not.toBeNull();
    // Written once: a second call keeps the first report.
    expect(await writeImportErrorReport({ shopId, runId: run.id })).toBe(fileId);

    const listed = (await history()).runs.find((row) => row.id === run.id)!;
    expect(listed).toMatchObject({ createdCount: 8, errorCount: 3 });
    const url = new URL(listed.errorReportUrl!, "http://127.0.0.1:3000");
    const response = await fileLoader({ request: new Request(url), params: { fileId: fileId! }, context: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toContain("kunden-errors.csv");
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(parse(text, { bom: true })).toEqual([
      ["line", "column", "reason"],
      ["4", "Created at", "\"31.02.2024\" is not a date"],
      ["9", "Total", "\"12,5x\" is not an amount"],
      ["11", "", "Unclosed quote; the row was skipped"],
    ]);
  });

  it("writes no report for a run without row errors, and none for another shop's run", async () => {
    const { db } = current();
    const clean = await db.importRun.create({ data: { shopId, kind: "API", status: "SUCCEEDED" } });
    expect(await writeImportErrorReport({ shopId, runId: clean.id })).toBeNull();
    const foreign = await db.importRun.findFirstOrThrow({ where: { shop: { domain: otherDomain } } });
    await db.importRowError.create({ data: { shopId: foreign.shopId, importRunId: foreign.id, line: 2, reason: "bad" } });
    expect(await writeImportErrorReport({ shopId, runId: foreign.id })).toBeNull();
    expect((await db.importRun.findUniqueOrThrow({ where: { id: foreign.id } })).errorReportFileId).toBeNull();
  });

  it("streams a report of many thousand errors without losing or repeating a line", async () => {
    const { db } = current();
    const run = await db.importRun.create({ data: { shopId, kind: "CSV", status: "SUCCEEDED", originalFilename: "all-bad.csv" } });
    const count = 12_345;
    for (let start = 0; start < count; start += 4_000) {
      await db.importRowError.createMany({
        data: Array.from({ length: Math.min(4_000, count - start) }, (_, index) => ({
          shopId,
          importRunId: run.id,
          line: count + 1 - (start + index),
          column: "Email",
          reason: "is not an e-mail address",
        })),
      });
    }
    const fileId = await writeImportErrorReport({ shopId, runId: run.id });
    const stored = await db.storedFile.findUniqueOrThrow({ where: { id: fileId! } });
    const url = new URL((await history()).runs.find((row) => row.id === run.id)!.errorReportUrl!, "http://127.0.0.1:3000");
    const response = await fileLoader({ request: new Request(url), params: { fileId: stored.id }, context: {} });
    const rows = parse(Buffer.from(await response.arrayBuffer()).toString("utf8"), { bom: true, from_line: 2 }) as string[][];
    expect(rows).toHaveLength(count);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: count }, (_, index) => index + 2));
  });
});
