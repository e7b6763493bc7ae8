import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { TEST_POSTGRES_URL } from "../tests/support/postgres-url";
import type { BenchResult } from "./harness";

/**
 * The CSV import (A3) on a Shopify-orders-export-shaped file of 1,000,000 order lines, against
 * the CSV library alone as the reference (issue: import ≥ 0.35× the parse-only rate, peak RSS
 * under 300 MB). Each measurement runs in a child process of its own, so its peak RSS
 * (process.resourceUsage().maxRSS) is its own:
 *
 * - parse-only: csv-parse over the file with the options the app's reader uses, rows/s;
 * - import: the whole path on a fresh, migrated database — the multipart upload streamed into
 *   the file store, the run started, and the job run by the app's job runner from the queue —
 *   rows/s of the job, peak RSS of the process, and where the job's time went (reading and
 *   parsing, assembling orders, ingesting, recording batches).
 *
 * The file is generated once and kept under .tmp/bench/csv-import/. Knobs (environment):
 * BENCH_CSV_LINES (1000000), BENCH_CSV_DATABASES (sqlite; add postgresql for both),
 * BENCH_POSTGRES_URL (the tests' PostgreSQL), BENCH_CSV_HEAP_MB (unset: V8's defaults; a number
 * runs the import process with --max-old-space-size at that, as a worker could be deployed).
 * Figures also go to bench/results/csv-import.md.
 *
 * The profile: "read + parse" is the time the job waited for the next records from the reader
 * (file, decoding, csv-parse), "assemble" the order assembler, "ingest" the ingestBatch calls,
 * "record" the import run's batch records and progress, "other" the rest.
 */

const ROOT = process.cwd();
const WORK_DIR = path.join(ROOT, ".tmp", "bench", "csv-import");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const THIS_FILE = fileURLToPath(import.meta.url);
const SHOP = "letterloop-csv-bench.myshopify.com";
const RATIO_TARGET = 0.35;
const RSS_TARGET_MB = 300;

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};

type Provider = "sqlite" | "postgresql";

type ParseOutcome = { role: "parse"; rows: number; ms: number; maxRssMb: number };
type ImportOutcome = {
  role: "import";
  provider: Provider;
  lines: number;
  uploadMs: number;
  /** Peak RSS by the end of the upload (the process's start included). */
  uploadMaxRssMb: number;
  importMs: number;
  maxRssMb: number;
  timings: { read: number; assemble: number; ingest: number; record: number };
  batches: number;
  status: string;
  counts: { created: number; updated: number; skipped: number; errors: number };
  customers: number;
  orders: number;
  lineItems: number;
};
type ChildOutcome = ParseOutcome | ImportOutcome | { role: "error"; message: string };

// ------------------------------------------------------------------------------------ parent

export async function run(): Promise<BenchResult[]> {
  const lines = numberFromEnv("BENCH_CSV_LINES", 1_000_000);
  const heapMb = numberFromEnv("BENCH_CSV_HEAP_MB", 0) || undefined;
  const providers = databasesFromEnv();
  const file = await ensureExportFile(lines);
  const sizeMb = statSync(file).size / (1024 * 1024);
  console.log(`  file: ${path.relative(ROOT, file)} (${lines.toLocaleString("en")} order lines, ${sizeMb.toFixed(1)} MB)`);

  const parse = await child<ParseOutcome>({ CSV_BENCH_ROLE: "parse", CSV_BENCH_FILE: file });
  console.log(`  parse-only: ${rate(parse.rows, parse.ms)} rows/s, ${(parse.ms / 1000).toFixed(1)} s, peak RSS ${parse.maxRssMb.toFixed(0)} MB`);
  const results: BenchResult[] = [single(`csv parse-only, csv-parse (${lines.toLocaleString("en")} lines)`, parse.ms, parse.rows)];
  const imports: ImportOutcome[] = [];

  for (const provider of providers) {
    const base = process.env.BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL;
    if (provider === "postgresql" && !(await reachable(base))) {
      console.log(`  PostgreSQL at ${base} is not reachable: skipped`);
      continue;
    }
    const target = await freshDatabase(provider, base);
    try {
      const outcome = await child<ImportOutcome>({
        CSV_BENCH_ROLE: "import",
        CSV_BENCH_FILE: file,
        CSV_BENCH_PROVIDER: provider,
        DATABASE_URL: target.url,
        FILE_STORE_DIR: target.storeDir,
        NODE_ENV: "development",
        LETTERLOOP_DEMO: "0",
      }, heapMb);
      imports.push(outcome);
      const ratio = outcome.lines / outcome.importMs / (parse.rows / parse.ms);
      console.log(
        `  import [${provider}]: ${rate(outcome.lines, outcome.importMs)} rows/s (${(outcome.importMs / 1000).toFixed(1)} s; ${ratio.toFixed(2)}× parse-only, target ≥ ${RATIO_TARGET}), ` +
          `peak RSS ${outcome.maxRssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB}); upload ${(outcome.uploadMs / 1000).toFixed(1)} s, peak RSS by then ${outcome.uploadMaxRssMb.toFixed(0)} MB; ${describeProfile(outcome)}`,
      );
      results.push(single(`csv upload, streamed to the file store [${provider}]`, outcome.uploadMs, outcome.lines));
      const heap = heapMb ? `, --max-old-space-size=${heapMb}` : "";
      results.push(single(`csv import job [${provider}${heap}] (${ratio.toFixed(2)}× parse-only, peak RSS ${outcome.maxRssMb.toFixed(0)} MB)`, outcome.importMs, outcome.lines));
    } finally {
      await target.drop();
    }
  }
  writeReport({ lines, sizeMb, parse, imports, heapMb });
  return results;
}

function databasesFromEnv(): Provider[] {
  const names = (process.env.BENCH_CSV_DATABASES ?? "sqlite").split(",").map((name) => name.trim().toLowerCase());
  return (["sqlite", "postgresql"] as const).filter((provider) => names.includes(provider) || (provider === "postgresql" && names.includes("pg")));
}

/** The export with `lines` order lines, generated once (into a temporary name, so a killed run leaves no half file). */
async function ensureExportFile(lines: number): Promise<string> {
  mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, `shopify-orders-${lines}.csv`);
  if (existsSync(file)) return file;
  console.log(`  generating ${lines.toLocaleString("en")} order lines (once; kept in ${path.relative(ROOT, WORK_DIR)})`);
  const { writeShopifyOrdersExport } = await import("../tests/support/shopify-orders-export");
  const partial = `${file}.partial`;
  await writeShopifyOrdersExport(partial, { lines, seed: 20261125 });
  renameSync(partial, file);
  return file;
}

async function freshDatabase(provider: Provider, postgresBase: string) {
  const name = `bench_csv_${randomBytes(4).toString("hex")}`;
  const storeDir = path.join(WORK_DIR, `${name}-files`);
  mkdirSync(storeDir, { recursive: true });
  const sqliteFile = path.join(WORK_DIR, `${name}.db`);
  const url = provider === "sqlite" ? `file:${sqliteFile}` : `${postgresBase}${postgresBase.includes("?") ? "&" : "?"}schema=${name}`;
  return {
    url,
    storeDir,
    drop: async () => {
      rmSync(storeDir, { recursive: true, force: true });
      if (provider === "sqlite") {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${sqliteFile}${suffix}`, { force: true });
        return;
      }
      const client = new pg.Client({ connectionString: postgresBase });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await client.end();
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

function child<T extends ChildOutcome>(extraEnv: Record<string, string>, heapMb?: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const execArgv = ["--import", "tsx", ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])];
    const worker = fork(THIS_FILE, [], { cwd: ROOT, env: { ...process.env, ...extraEnv }, execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let outcome: ChildOutcome | undefined;
    worker.on("message", (message) => {
      outcome = message as ChildOutcome;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (outcome?.role === "error") reject(new Error(`csv-import bench (${extraEnv.CSV_BENCH_ROLE}) failed: ${outcome.message}`));
      else if (!outcome || code !== 0) reject(new Error(`csv-import bench (${extraEnv.CSV_BENCH_ROLE}) exited with ${code} without a result`));
      else resolve(outcome as T);
    });
  });
}

function rate(rows: number, ms: number): string {
  return Math.round((rows / ms) * 1000).toLocaleString("en");
}

function single(name: string, ms: number, rows: number): BenchResult {
  return { name, runs: 1, p50Ms: ms, p95Ms: ms, p99Ms: ms, opsPerSecond: (rows / ms) * 1000 };
}

function describeProfile(outcome: ImportOutcome): string {
  const { read, assemble, ingest, record } = outcome.timings;
  const other = Math.max(0, outcome.importMs - read - assemble - ingest - record);
  const share = (ms: number) => `${((ms / outcome.importMs) * 100).toFixed(0)}%`;
  return `read + parse ${share(read)}, assemble ${share(assemble)}, ingest ${share(ingest)}, record ${share(record)}, other ${share(other)}`;
}

function writeReport({ lines, sizeMb, parse, imports, heapMb }: { lines: number; sizeMb: number; parse: ParseOutcome; imports: ImportOutcome[]; heapMb: number | undefined }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const parseRate = parse.rows / parse.ms;
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const out = [
    "# CSV import",
    "",
    `File: a Shopify orders export, ${lines.toLocaleString("en")} order lines (${sizeMb.toFixed(1)} MB). ` +
      `Measured ${new Date().toISOString()} at load average ${os.loadavg().map((value) => value.toFixed(1)).join(" / ")} on ${os.cpus().length} cores (a shared machine: figures move with it). ` +
      `Import process: ${heapMb ? `--max-old-space-size=${heapMb}` : "V8's default heap settings"}.`,
    "",
    "| measurement | rows/s | seconds | × parse-only | peak RSS MB | verdict |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    `| parse-only (csv-parse) | ${rate(parse.rows, parse.ms)} | ${seconds(parse.ms)} | 1.00 | ${parse.maxRssMb.toFixed(0)} | reference |`,
    ...imports.map((entry) => {
      const ratio = entry.lines / entry.importMs / parseRate;
      const ok = ratio >= RATIO_TARGET && entry.maxRssMb < RSS_TARGET_MB;
      return `| import job [${entry.provider}] | ${rate(entry.lines, entry.importMs)} | ${seconds(entry.importMs)} | ${ratio.toFixed(2)} | ${entry.maxRssMb.toFixed(0)} | ${ok ? "ok" : "OVER"} (≥ ${RATIO_TARGET}×, < ${RSS_TARGET_MB} MB) |`;
    }),
    "",
    "## Where the import job's time goes",
    "",
    "| database | read + parse s | assemble s | ingest s | record batches s | other s | batches | upload s | peak RSS after upload MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...imports.map((entry) => {
      const { read, assemble, ingest, record } = entry.timings;
      return `| ${entry.provider} | ${seconds(read)} | ${seconds(assemble)} | ${seconds(ingest)} | ${seconds(record)} | ${seconds(Math.max(0, entry.importMs - read - assemble - ingest - record))} | ${entry.batches} | ${seconds(entry.uploadMs)} | ${entry.uploadMaxRssMb.toFixed(0)} |`;
    }),
    "",
    "## What was imported",
    "",
    ...imports.map(
      (entry) =>
        `- ${entry.provider}: run ${entry.status}; orders created ${entry.counts.created}, updated ${entry.counts.updated}, skipped ${entry.counts.skipped}; row errors ${entry.counts.errors}; in the database ${entry.customers} customers, ${entry.orders} orders, ${entry.lineItems} line items.`,
    ),
    "",
  ];
  writeFileSync(path.join(RESULTS_DIR, "csv-import.md"), out.join("\n"));
}

// ------------------------------------------------------------------------------------ children

const ROLE = process.env.CSV_BENCH_ROLE;
if (ROLE) {
  try {
    const outcome = ROLE === "parse" ? await parseOnly(process.env.CSV_BENCH_FILE!) : await importThroughApp(process.env.CSV_BENCH_FILE!);
    process.send?.(outcome);
  } catch (error) {
    process.send?.({ role: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ChildOutcome);
  }
  process.disconnect?.();
}

function peakRssMb(): number {
  // Linux reports maxRSS in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

/** csv-parse alone over the file: the reference rate. */
async function parseOnly(file: string): Promise<ParseOutcome> {
  const { parse } = await import("csv-parse");
  const { csvParseOptions } = await import("../app/integrations/csv/csv-file.server");
  const started = performance.now();
  let rows = 0;
  const parser = createReadStream(file).pipe(parse(csvParseOptions({ delimiter: ",", encoding: "utf-8" })));
  for await (const _record of parser) rows++;
  // The header line is a row to csv-parse; the import counts data lines only.
  rows -= 1;
  return { role: "parse", rows, ms: performance.now() - started, maxRssMb: peakRssMb() };
}

/** The app's own path: upload through the service, start, and let the job runner run the job. */
async function importThroughApp(file: string): Promise<ImportOutcome> {
  const provider = process.env.CSV_BENCH_PROVIDER as Provider;
  const { migrateDatabase } = await import("../app/db/migrate.server");
  await migrateDatabase(process.env.DATABASE_URL!);
  const { db } = await import("../app/db.server");
  const { createCsvImportJob, startCsvImport, uploadCsvImport } = await import("../app/services/csv-import.server");
  const { createJobRegistry } = await import("../app/jobs/job-definitions");
  const { createJobRunner } = await import("../app/jobs/job-runner.server");
  const { jobQueue } = await import("../app/jobs/queue.server");

  const shop = await db().shop.create({ data: { domain: SHOP, name: "CSV Bench Shop", currency: "EUR", locale: "de", emailHashSalt: "bench-csv-salt-0123456789abcdef" } });

  const uploadStarted = performance.now();
  const { runId } = await uploadCsvImport({ shopId: shop.id, request: streamedUpload(file) });
  const uploadMs = performance.now() - uploadStarted;
  const uploadMaxRssMb = peakRssMb();
  await startCsvImport({ shopId: shop.id, runId });

  const timings = { read: 0, assemble: 0, ingest: 0, record: 0 };
  let batches = 0;
  const job = createCsvImportJob({ timings, onBatch: () => void batches++ });
  const quiet = { info: () => undefined, warn: (message: string) => console.warn(message), error: (message: string, error?: unknown) => console.error(message, error) };
  const runner = createJobRunner({ queue: jobQueue(), registry: createJobRegistry([job]), logger: quiet });
  const started = performance.now();
  const ran = await runner.runOnce();
  const importMs = performance.now() - started;
  if (ran?.outcome !== "SUCCEEDED") throw new Error(`The import job did not succeed: ${JSON.stringify(ran)}`);

  const run = await db().importRun.findFirstOrThrow({ where: { id: runId, shopId: shop.id } });
  const [customers, orders, lineItems] = await Promise.all([
    db().customer.count({ where: { shopId: shop.id } }),
    db().order.count({ where: { shopId: shop.id } }),
    db().orderLineItem.count({ where: { shopId: shop.id } }),
  ]);
  await db().$disconnect();
  return {
    role: "import",
    provider,
    lines: run.processedRows,
    uploadMs,
    uploadMaxRssMb,
    importMs,
    maxRssMb: peakRssMb(),
    timings,
    batches,
    status: run.status,
    counts: { created: run.createdCount, updated: run.updatedCount, skipped: run.skippedCount, errors: run.errorCount },
    customers,
    orders,
    lineItems,
  };
}

/** A browser's upload of the file: a multipart body whose file part streams from the disk. */
function streamedUpload(file: string): Request {
  const boundary = `----LetterLoopBench${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
    yield tail;
  }
  const iterator = body();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
  });
  return new Request(`http://127.0.0.1/app/imports/csv?shop=${SHOP}`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body: stream,
    duplex: "half",
  } as RequestInit);
}
