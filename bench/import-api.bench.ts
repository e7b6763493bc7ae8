import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "../app/db/client.server";
import { migrateDatabase } from "../app/db/migrate.server";
import { createApiKey } from "../app/services/api-keys.server";
import { TEST_POSTGRES_URL } from "../tests/support/postgres-url";
import { freePort, stopProcess } from "../tests/support/processes";
import type { BenchResult } from "./harness";
import { buildApp, productionEnv, REMIX_SERVE, spawnNode, waitUntilAnswering, type AppProcess } from "./support/app-server";

/**
 * The import API (A4) over real HTTP: the production build (remix-serve, NODE_ENV=production)
 * on a fresh, migrated database, one client posting POST /api/v1/orders with 500 orders per
 * request (each with its buyer and two lines) one request after another, as an ERP would sync.
 * Two passes over the same orders: first all new, then the same bodies again (all skipped, the
 * idempotent re-post). Reports orders/s and the latency of one 500-order request.
 *
 * Knobs (environment): BENCH_API_ORDERS (20000), BENCH_API_BATCH (500), BENCH_API_CUSTOMERS
 * (5000), BENCH_API_DATABASES (sqlite; "sqlite,postgresql" for both), BENCH_POSTGRES_URL (the
 * tests' PostgreSQL), BENCH_SKIP_BUILD=1 (reuse build/). Figures also go to
 * bench/results/import-api.md.
 */

const ROOT = process.cwd();
const WORK_DIR = path.join(ROOT, ".tmp", "bench", "import-api");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const SHOP = "letterloop-api-bench.myshopify.com";
const PG_SCHEMA = "bench_import_api";

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};

type Provider = "sqlite" | "postgresql";
type Pass = { name: string; provider: Provider; requests: number; orders: number; totalMs: number; samplesMs: number[]; counts: { created: number; updated: number; skipped: number } };

export async function run(): Promise<BenchResult[]> {
  const orderCount = numberFromEnv("BENCH_API_ORDERS", 20_000);
  const batchSize = Math.min(1000, numberFromEnv("BENCH_API_BATCH", 500));
  const customerCount = numberFromEnv("BENCH_API_CUSTOMERS", 5_000);
  const providers = (process.env.BENCH_API_DATABASES ?? "sqlite").split(",").map((name) => name.trim()).filter((name): name is Provider => name === "sqlite" || name === "postgresql");

  await buildApp();
  const bodies = buildBodies({ orderCount, batchSize, customerCount });
  console.log(`  ${orderCount.toLocaleString("en")} orders in ${bodies.length} requests of ${batchSize}, ${customerCount.toLocaleString("en")} customers`);

  const passes: Pass[] = [];
  for (const provider of providers) {
    const databaseUrl = await freshDatabase(provider);
    if (!databaseUrl) continue;
    const key = await installShopWithKey(databaseUrl);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = startServer({ port, url, databaseUrl });
    try {
      await waitUntilListening(url, server);
      passes.push(await postAll({ name: "new", provider, url, key, bodies, batchSize }));
      passes.push(await postAll({ name: "re-posted", provider, url, key, bodies, batchSize }));
      await verify(databaseUrl, orderCount);
    } finally {
      await stopProcess(server.process);
    }
  }
  writeReport(passes, { orderCount, batchSize, customerCount });
  return passes.map((pass) => {
    const sorted = [...pass.samplesMs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return {
      name: `POST /api/v1/orders ×${batchSize}, ${pass.name} (${pass.provider}) — ops/s = orders/s, ms per request`,
      runs: pass.requests,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      opsPerSecond: (pass.orders / pass.totalMs) * 1000,
    };
  });
}

// ------------------------------------------------------------------------------------ payloads

/** Request bodies shaped like an ERP's order export: each order with its buyer and two lines. */
function buildBodies({ orderCount, batchSize, customerCount }: { orderCount: number; batchSize: number; customerCount: number }): string[] {
  const start = Date.UTC(2023, 0, 1);
  const bodies: string[] = [];
  for (let first = 0; first < orderCount; first += batchSize) {
    const orders = [];
    for (let index = first; index < Math.min(orderCount, first + batchSize); index++) {
      const customer = index % customerCount;
      const quantity = 1 + (index % 3);
      orders.push({
        sourceId: `ERP-${100000 + index}`,
        number: String(100000 + index),
        placedAt: new Date(start + index * 37 * 60_000).toISOString(),
        currency: "EUR",
        total: ((quantity * 1295 + 490) / 100).toFixed(2),
        status: { financial: "paid", fulfilment: index % 5 === 0 ? "unfulfilled" : "fulfilled" },
        customer: {
          sourceId: `C-${customer}`,
          email: `customer${customer}@example.com`,
          firstName: ["Anna", "Jonas", "Mia", "Leon", "Emma"][customer % 5],
          lastName: `Muster${customer}`,
          language: customer % 4 === 0 ? "en" : "de",
          address: { line1: `Hauptstraße ${1 + (customer % 200)}`, postalCode: String(10000 + (customer % 89999)), city: "Berlin", countryCode: "DE" },
        },
        items: [
          { sourceId: `L-${index}-1`, title: "Espresso beans 1 kg", sku: "ESP-1000", quantity, unitPrice: "12.95" },
          { sourceId: `L-${index}-2`, title: "Shipping", quantity: 1, unitPrice: "4.90" },
        ],
      });
    }
    bodies.push(JSON.stringify({ orders }));
  }
  return bodies;
}

async function postAll({ name, provider, url, key, bodies, batchSize }: { name: string; provider: Provider; url: string; key: string; bodies: string[]; batchSize: number }): Promise<Pass> {
  const samplesMs: number[] = [];
  const counts = { created: 0, updated: 0, skipped: 0 };
  let orders = 0;
  const started = performance.now();
  for (const body of bodies) {
    const t0 = performance.now();
    const response = await fetch(`${url}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    const result = (await response.json()) as { counts?: typeof counts; results?: unknown[] };
    samplesMs.push(performance.now() - t0);
    if (response.status !== 200 || !result.counts) throw new Error(`POST /api/v1/orders answered ${response.status}: ${JSON.stringify(result).slice(0, 500)}`);
    counts.created += result.counts.created;
    counts.updated += result.counts.updated;
    counts.skipped += result.counts.skipped;
    orders += result.results?.length ?? 0;
  }
  const totalMs = performance.now() - started;
  console.log(
    `  ${provider}, ${name}: ${Math.round((orders / totalMs) * 1000).toLocaleString("en")} orders/s ` +
      `(${(totalMs / 1000).toFixed(1)} s; created ${counts.created}, updated ${counts.updated}, skipped ${counts.skipped}; ${batchSize}/request)`,
  );
  return { name, provider, requests: bodies.length, orders, totalMs, samplesMs, counts };
}

async function verify(databaseUrl: string, orderCount: number) {
  const db = createDb(databaseUrl);
  try {
    const stored = await db.order.count({ where: { source: "API" } });
    if (stored !== orderCount) throw new Error(`expected ${orderCount} API orders, found ${stored}`);
  } finally {
    await db.$disconnect();
  }
}

// ------------------------------------------------------------------------------------ setup

async function freshDatabase(provider: Provider): Promise<string | null> {
  if (provider === "sqlite") {
    rmSync(WORK_DIR, { recursive: true, force: true });
    mkdirSync(WORK_DIR, { recursive: true });
    const url = `file:${path.join(WORK_DIR, "import-api.db")}`;
    await migrateDatabase(url);
    return url;
  }
  const base = process.env.BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL;
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${PG_SCHEMA}" CASCADE`);
  } catch (error) {
    console.log(`  PostgreSQL at ${base} is not reachable (${(error as Error).message}): skipped`);
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = `${base}?schema=${PG_SCHEMA}`;
  await migrateDatabase(url);
  return url;
}

/** The shop as an installed app has it, and a key made by the same service Settings uses. */
async function installShopWithKey(databaseUrl: string): Promise<string> {
  const db: Db = createDb(databaseUrl);
  const previous = globalThis.__letterloopDb;
  globalThis.__letterloopDb = db;
  try {
    const shop = await db.shop.create({ data: { domain: SHOP, name: "API Bench Roastery", currency: "EUR", locale: "de", emailHashSalt: "bench-salt-0123456789abcdef" } });
    return (await createApiKey({ shopId: shop.id, name: "Benchmark", now: new Date() })).key;
  } finally {
    globalThis.__letterloopDb = previous;
    await db.$disconnect();
  }
}

function startServer({ port, url, databaseUrl }: { port: number; url: string; databaseUrl: string }): AppProcess {
  // Only the API's own work: no job runner competing for the database.
  const env = productionEnv({ url, databaseUrl, storageDir: path.join(WORK_DIR, "storage"), background: "worker" });
  return spawnNode([REMIX_SERVE, "build/server/index.js"], { ...env, HOST: "127.0.0.1", PORT: String(port) });
}

async function waitUntilListening(url: string, server: AppProcess) {
  await waitUntilAnswering(server, async () => {
    const response = await fetch(`${url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  });
}

function writeReport(passes: Pass[], { orderCount, batchSize, customerCount }: { orderCount: number; batchSize: number; customerCount: number }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const lines = [
    "# Import API: POST /api/v1/orders",
    "",
    `${orderCount.toLocaleString("en")} orders (${customerCount.toLocaleString("en")} customers, 2 lines each), ${batchSize} per request, one client, real HTTP against the production build.`,
    "",
    "| database | pass | orders/s | total s | p50 ms/request | p95 ms/request | created | updated | skipped |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...passes.map((pass) => {
      const sorted = [...pass.samplesMs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return `| ${pass.provider} | ${pass.name} | ${Math.round((pass.orders / pass.totalMs) * 1000)} | ${(pass.totalMs / 1000).toFixed(1)} | ${at(0.5).toFixed(0)} | ${at(0.95).toFixed(0)} | ${pass.counts.created} | ${pass.counts.updated} | ${pass.counts.skipped} |`;
    }),
    "",
  ];
  writeFileSync(path.join(RESULTS_DIR, "import-api.md"), lines.join("\n"));
}
