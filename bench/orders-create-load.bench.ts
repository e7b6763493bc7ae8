import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb } from "../app/db/client.server";
import type { BenchResult } from "./harness";
import { buildApp, productionEnv, REMIX_SERVE, spawnNode, waitUntilAnswering, type AppProcess } from "./support/app-server";
import type { LoadConfig, LoadMessage, LoadSample, LoadSummary } from "./orders-create-load-generator";
import { freePort, stopProcess as stop } from "../tests/support/processes";

/**
 * orders/create under load against the production build (remix-serve, NODE_ENV=production) on
 * a fresh, migrated SQLite file: 32 deliveries in flight for 30 s after a short warm-up, from a
 * generator in its own process. Besides the webhook latency it times how long a sampled order
 * takes to show in its customer's statistics (read-only polling of the database), and records
 * the server's memory, CPU and event-loop delay, which say what limits the figures.
 *
 * Knobs (environment): BENCH_LOAD_SECONDS (30), BENCH_LOAD_CONCURRENCY (32),
 * BENCH_WARMUP_SECONDS (3), BENCH_SKIP_BUILD=1 (reuse build/). Diagnostic: BENCH_INTAKE_ONLY=1
 * sends the same signed bodies to the same route under X-Shopify-Topic orders/paid, which the app
 * verifies and records but does not process: the intake's own cost, without processing.
 */

const ROOT = process.cwd();
const WORK_DIR = path.join(ROOT, ".tmp", "bench-orders-load");
const DATABASE_FILE = path.join(WORK_DIR, "orders-load.db");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const SHOP = "letterloop-bench.myshopify.com";
const SECRET = "letterloop-bench-webhook-secret";
const CUSTOMERS = 300;
const SAMPLE_EVERY = 20;
const DRAIN_SECONDS = 30;
const POLL_MS = 25;
const CLOCK_TICKS_PER_SECOND = 100;

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

type Background = "worker" | "in-process";

export async function run(): Promise<BenchResult[]> {
  const durationSeconds = numberFromEnv("BENCH_LOAD_SECONDS", 30);
  const concurrency = numberFromEnv("BENCH_LOAD_CONCURRENCY", 32);
  const warmupSeconds = numberFromEnv("BENCH_WARMUP_SECONDS", 3);
  const intakeOnly = process.env.BENCH_INTAKE_ONLY === "1";
  // Both deployments by default: web + `jobs:work` (a core each), and the single web process.
  const backgrounds: Background[] =
    process.env.BENCH_BACKGROUND === "worker" || process.env.BENCH_BACKGROUND === "in-process" ? [process.env.BENCH_BACKGROUND] : ["worker", "in-process"];

  await buildApp();
  const results: BenchResult[] = [];
  for (const background of backgrounds) {
    rmSync(WORK_DIR, { recursive: true, force: true });
    mkdirSync(WORK_DIR, { recursive: true });
    const databaseUrl = `file:${DATABASE_FILE}`;
    runStep("npm", ["run", "db:migrate"], { DATABASE_URL: databaseUrl }, "migrate the benchmark database");
    await installShop(databaseUrl);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const eventLoopFile = path.join(WORK_DIR, "event-loop.json");
    const server = startServer({ port, url, databaseUrl, eventLoopFile, background });
    const worker = background === "worker" ? startWorker({ url, databaseUrl }) : null;
    try {
      await waitUntilListening(url, server);
      console.log(`  ${background === "worker" ? "web + worker" : "one web process"}: ${intakeOnly ? "intake only, " : ""}${concurrency} in flight: ${warmupSeconds} s warm-up, ${durationSeconds} s measured`);
      results.push(...(await measure({ server, worker, url, eventLoopFile, durationSeconds, concurrency, warmupSeconds, intakeOnly, background })));
    } finally {
      await stop(server.process);
      if (worker) await stop(worker.process);
    }
  }
  return results;
}

// ------------------------------------------------------------------------------------ setup

function runStep(command: string, args: string[], extraEnv: Record<string, string>, what: string) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) throw new Error(`Could not ${what} (${command} ${args.join(" ")}):\n${result.stdout}\n${result.stderr}`);
}

/** The shop as an installed app has it; deliveries for an unknown shop are not processed. */
async function installShop(databaseUrl: string) {
  const db = createDb(databaseUrl);
  try {
    await db.shop.create({ data: { domain: SHOP, name: "Load Test Roastery", currency: "EUR", locale: "de", emailHashSalt: "bench-salt-0123456789abcdef" } });
  } finally {
    await db.$disconnect();
  }
}

type Server = AppProcess;

function serverEnv({ url, databaseUrl, background }: { url: string; databaseUrl: string; background: Background }): NodeJS.ProcessEnv {
  return productionEnv({ url, databaseUrl, storageDir: path.join(WORK_DIR, "storage"), background, shopifySecret: SECRET });
}

/** `npm run jobs:work` beside the web process: it processes what the web process records. */
function startWorker({ url, databaseUrl }: { url: string; databaseUrl: string }): Server {
  return spawnNode(["--import", "tsx", "scripts/job-worker.ts"], serverEnv({ url, databaseUrl, background: "worker" }));
}

function startServer({
  port,
  url,
  databaseUrl,
  eventLoopFile,
  background,
}: {
  port: number;
  url: string;
  databaseUrl: string;
  eventLoopFile: string;
  background: Background;
}): Server {
  // BENCH_CPU_PROFILE=<dir>: write a V8 CPU profile of the server there (for finding what limits it).
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(process.env.BENCH_CPU_PROFILE)] : [];
  return spawnNode([...profile, "--import", "./bench/event-loop-probe.mjs", REMIX_SERVE, "build/server/index.js"], {
    ...serverEnv({ url, databaseUrl, background }),
    HOST: "127.0.0.1",
    PORT: String(port),
    BENCH_EVENT_LOOP_FILE: eventLoopFile,
  });
}

async function waitUntilListening(url: string, server: Server) {
  await waitUntilAnswering(server, async () => {
    // An unsigned delivery: refused (400 without Shopify's headers) once the app is up, without recording anything.
    const response = await fetch(`${url}/webhooks/orders/create`, { method: "POST", body: "{}", signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 400 || response.status === 401;
  });
}

// ------------------------------------------------------------------------------------ process stats

/** Resident memory in MB, from /proc (Linux). */
function rssMb(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time in seconds, from /proc (Linux). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine, from /proc/stat: other work competing for the cores shows here. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    return { busy: total - fields[3]! - (fields[4] ?? 0), total };
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------ measurement

type PendingSample = LoadSample & { visibleAt?: number };

/**
 * An order counts as visible once its row exists, is linked to a customer, and that customer's
 * stored statistics cover it: lastOrderAt is at least its placedAt and orderCount is at least the
 * number of that customer's orders placed up to it.
 */
function statisticsProbe(databaseFile: string, shopId: string) {
  const reader = new Database(databaseFile, { readonly: true, fileMustExist: true });
  reader.pragma("busy_timeout = 2000");
  const statements = new Map<number, Database.Statement>();
  const visible = (orderIds: string[]): Set<string> => {
    if (orderIds.length === 0) return new Set();
    let statement = statements.get(orderIds.length);
    if (!statement) {
      statement = reader.prepare(`
        SELECT o."sourceId" AS orderId
        FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE o."shopId" = ? AND o."source" = 'SHOPIFY' AND o."sourceId" IN (${orderIds.map(() => "?").join(",")})
          AND c."lastOrderAt" >= o."placedAt"
          AND c."orderCount" >= (SELECT COUNT(*) FROM "Order" p WHERE p."shopId" = o."shopId" AND p."customerId" = o."customerId" AND p."placedAt" <= o."placedAt" AND p."cancelledAt" IS NULL)`);
      statements.set(orderIds.length, statement);
    }
    return new Set((statement.all(shopId, ...orderIds) as Array<{ orderId: string }>).map((row) => row.orderId));
  };
  const counts = () => {
    const orders = (reader.prepare(`SELECT COUNT(*) AS n FROM "Order" WHERE "shopId" = ?`).get(shopId) as { n: number }).n;
    const customers = (reader.prepare(`SELECT COUNT(*) AS n FROM "Customer" WHERE "shopId" = ?`).get(shopId) as { n: number }).n;
    const events = reader.prepare(`SELECT "status", COUNT(*) AS n FROM "WebhookEvent" WHERE "shopDomain" = ? GROUP BY "status"`).all(SHOP) as Array<{ status: string; n: number }>;
    return { orders, customers, webhookEvents: Object.fromEntries(events.map((row) => [row.status, row.n])) as Record<string, number> };
  };
  return { visible, counts, close: () => reader.close() };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function shopIdOf(databaseFile: string): string {
  const reader = new Database(databaseFile, { readonly: true });
  try {
    return (reader.prepare(`SELECT "id" FROM "Shop" WHERE "domain" = ?`).get(SHOP) as { id: string }).id;
  } finally {
    reader.close();
  }
}

async function measure({
  server,
  worker,
  background,
  url,
  eventLoopFile,
  durationSeconds,
  concurrency,
  warmupSeconds,
  intakeOnly,
}: {
  server: Server;
  url: string;
  eventLoopFile: string;
  durationSeconds: number;
  concurrency: number;
  warmupSeconds: number;
  intakeOnly: boolean;
  worker: Server | null;
  background: Background;
}): Promise<BenchResult[]> {
  const serverPid = server.process.pid!;
  const workerPid = worker?.process.pid ?? null;
  let workerCpuAtStart = 0;
  const probe = statisticsProbe(DATABASE_FILE, shopIdOf(DATABASE_FILE));
  const samples: PendingSample[] = [];
  const pending = new Map<string, PendingSample>();
  const rss: number[] = [];
  let measuringSince: number | null = null;
  let serverCpuAtStart = 0;
  let generatorCpuAtStart = 0;
  let machineAtStart = null as ReturnType<typeof machineCpu>;
  let parentCpuAtStart = process.cpuUsage();
  const loadAverageBefore = os.loadavg()[0]!;

  const generator = fork(path.join(ROOT, "bench", "orders-create-load-generator.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const config: LoadConfig = {
    url,
    shop: SHOP,
    secret: SECRET,
    concurrency,
    warmupSeconds,
    durationSeconds,
    customers: CUSTOMERS,
    sampleEvery: intakeOnly ? 0 : SAMPLE_EVERY,
    topicHeader: intakeOnly ? "orders/paid" : "orders/create",
  };

  const pollSamples = () => {
    if (pending.size === 0) return;
    const now = Date.now();
    for (const orderId of probe.visible([...pending.keys()].slice(0, 200))) {
      pending.get(orderId)!.visibleAt = now;
      pending.delete(orderId);
    }
  };
  const poller = setInterval(pollSamples, POLL_MS);
  const memory = setInterval(() => {
    const mb = rssMb(serverPid);
    if (mb !== null && measuringSince !== null) rss.push(mb);
  }, 250);

  const summary = await new Promise<LoadSummary>((resolve, reject) => {
    generator.on("message", (message: LoadMessage) => {
      if (message.type === "sample") {
        const sample: PendingSample = { ...message };
        samples.push(sample);
        pending.set(sample.orderId, sample);
      } else if (message.type === "measuring") {
        measuringSince = message.at;
        serverCpuAtStart = cpuSeconds(serverPid) ?? 0;
        workerCpuAtStart = workerPid ? (cpuSeconds(workerPid) ?? 0) : 0;
        generatorCpuAtStart = cpuSeconds(generator.pid!) ?? 0;
        machineAtStart = machineCpu();
        parentCpuAtStart = process.cpuUsage();
        server.process.kill("SIGUSR2");
      } else {
        resolve(message);
      }
    });
    generator.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`The load generator exited with ${code}`))));
    generator.send(config);
  });
  const loadEndedAt = Date.now();
  const measuredWallSeconds = (loadEndedAt - (measuringSince ?? loadEndedAt)) / 1000;
  const serverCpu = ((cpuSeconds(serverPid) ?? 0) - serverCpuAtStart) / measuredWallSeconds;
  const workerCpu = workerPid ? ((cpuSeconds(workerPid) ?? workerCpuAtStart) - workerCpuAtStart) / measuredWallSeconds : null;
  const generatorCpu = ((cpuSeconds(generator.pid!) ?? generatorCpuAtStart) - generatorCpuAtStart) / measuredWallSeconds;
  const parentCpuUsed = process.cpuUsage(parentCpuAtStart);
  // This process polls the database for the sampled orders; its share is reported too.
  const parentCpu = (parentCpuUsed.user + parentCpuUsed.system) / 1e6 / measuredWallSeconds;
  const machineAtEnd = machineCpu();
  // Cores busy on the whole machine during the window; minus server and generator = other work.
  const machineBusyCores =
    machineAtStart && machineAtEnd ? ((machineAtEnd.busy - machineAtStart.busy) / (machineAtEnd.total - machineAtStart.total)) * os.cpus().length : null;
  // Let the probe write the window's last snapshot.
  await new Promise((resolve) => setTimeout(resolve, 600));
  const eventLoop = existsSync(eventLoopFile)
    ? (JSON.parse(readFileSync(eventLoopFile, "utf8")) as { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number })
    : null;
  const atLoadEnd = probe.counts();

  // Processing may still be catching up: wait for the sampled orders, unless nothing is processed at all.
  const drainDeadline = loadEndedAt + DRAIN_SECONDS * 1000;
  while (pending.size > 0 && Date.now() < drainDeadline) {
    if (Date.now() - loadEndedAt > 5_000 && probe.counts().orders === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(poller);
  clearInterval(memory);
  pollSamples();
  const afterDrain = probe.counts();
  const drainSeconds = (Date.now() - loadEndedAt) / 1000;
  probe.close();
  const rssAtEnd = rssMb(serverPid);

  const latencies = [...summary.latenciesMs].sort((a, b) => a - b);
  const delays = samples.filter((s) => s.visibleAt !== undefined).map((s) => s.visibleAt! - s.sentAt).sort((a, b) => a - b);
  const ok = Object.entries(summary.statuses).filter(([status]) => status.startsWith("2")).reduce((sum, [, n]) => sum + n, 0);
  const failed = summary.sent - ok;
  const requestsPerSecond = summary.sent / summary.measuredSeconds;
  const processedDuringLoad = atLoadEnd.orders;
  const totalSent = summary.sent + summary.warmupSent;

  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    setup: {
      mode: intakeOnly ? "intake only (X-Shopify-Topic orders/paid: recorded, not processed)" : background === "worker" ? "orders/create, processed by npm run jobs:work" : "orders/create, processed in the web process",
      background,
      server: "remix-serve build/server/index.js, NODE_ENV=production", database: "SQLite (WAL), fresh, migrated", concurrency, warmupSeconds, durationSeconds, customers: CUSTOMERS, sampleEvery: SAMPLE_EVERY },
    requests: {
      measured: summary.sent,
      warmup: summary.warmupSent,
      perSecond: requestsPerSecond,
      ok,
      failed,
      statuses: summary.statuses,
      errors: summary.errors,
      bodyBytes: summary.requestBytes,
    },
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? NaN, mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1) },
    statisticsDelayMs: {
      sampled: samples.length,
      visible: delays.length,
      notVisibleAfterDrain: samples.length - delays.length,
      p50: percentile(delays, 0.5),
      p95: percentile(delays, 0.95),
      p99: percentile(delays, 0.99),
      max: delays.at(-1) ?? NaN,
    },
    processing: {
      ordersSent: totalSent,
      ordersStoredAtLoadEnd: processedDuringLoad,
      ordersStoredAfterDrain: afterDrain.orders,
      customers: afterDrain.customers,
      webhookEventsAtLoadEnd: atLoadEnd.webhookEvents,
      webhookEventsAfterDrain: afterDrain.webhookEvents,
      drainSeconds,
    },
    server: {
      // Less sensitive to other work on the machine than requests/s: the cost of one delivery.
      cpuMsPerRequest: (serverCpu * measuredWallSeconds * 1000) / Math.max(1, summary.sent),
      rssMb: { min: rss.length ? Math.min(...rss) : null, max: rss.length ? Math.max(...rss) : null, atEnd: rssAtEnd },
      cpuCoresUsed: serverCpu,
      eventLoopDelayMs: eventLoop,
    },
    worker: workerCpu === null ? null : { cpuCoresUsed: workerCpu },
    generator: { cpuCoresUsed: generatorCpu },
    poller: { cpuCoresUsed: parentCpu },
    machine: { loadAverageBefore, busyCoresDuringLoad: machineBusyCores },
  };

  mkdirSync(RESULTS_DIR, { recursive: true });
  const resultsFile = path.join(RESULTS_DIR, `orders-create-load-${result.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);

  const f = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits));
  console.log(`\norders/create load${intakeOnly ? " (INTAKE ONLY: recorded, not processed)" : ""}, ${background === "worker" ? "web process + worker" : "one web process"}: ${concurrency} concurrent, ${durationSeconds} s after ${warmupSeconds} s warm-up, production build on SQLite`);
  console.table({
    "requests/s": { value: f(requestsPerSecond, 0), note: `${summary.sent} measured, ${summary.warmupSent} warm-up` },
    "latency p50 ms": { value: f(result.latencyMs.p50), note: "" },
    "latency p99 ms": { value: f(result.latencyMs.p99), note: "target < 100" },
    "latency max ms": { value: f(result.latencyMs.max), note: "" },
    errors: { value: String(failed), note: JSON.stringify({ ...summary.statuses, ...summary.errors }) },
    "stats delay p50 ms": { value: f(result.statisticsDelayMs.p50, 0), note: `every ${SAMPLE_EVERY}th order: send → Order row + customer statistics` },
    "stats delay p99 ms": { value: f(result.statisticsDelayMs.p99, 0), note: `${delays.length}/${samples.length} visible` },
    "stats delay max ms": { value: f(result.statisticsDelayMs.max, 0), note: "" },
    "orders stored": { value: `${processedDuringLoad}/${totalSent}`, note: `at load end; ${afterDrain.orders} after ${f(drainSeconds)} s drain` },
    "server RSS MB": { value: `${f(result.server.rssMb.min, 0)}–${f(result.server.rssMb.max, 0)}`, note: `under load; ${f(rssAtEnd, 0)} at end` },
    "server CPU cores": { value: f(serverCpu, 2), note: `${workerCpu === null ? "" : `worker ${f(workerCpu, 2)}, `}generator ${f(generatorCpu, 2)}, poller ${f(parentCpu, 2)}; whole machine ${f(machineBusyCores, 2)} of ${result.cpus}` },
    "server CPU ms/request": { value: f(result.server.cpuMsPerRequest, 1), note: `${intakeOnly ? "intake only" : "intake + processing"}; one core's ceiling: 1000 / this requests/s` },
    "event-loop delay ms": { value: eventLoop ? `${f(eventLoop.p50Ms)} / ${f(eventLoop.p99Ms)} / ${f(eventLoop.maxMs)}` : "–", note: "p50 / p99 / max" },
  });
  if (loadAverageBefore > 0.7) console.log(`note: load average was ${loadAverageBefore.toFixed(2)} before the run: other work shared the cores.`);
  console.log(`results: ${path.relative(ROOT, resultsFile)}`);

  return [
    {
      name: `orders/create webhook${intakeOnly ? " intake only" : ""}, ${concurrency} concurrent (production build, sqlite, ${background === "worker" ? "web + worker" : "one process"})`,
      runs: summary.sent,
      p50Ms: result.latencyMs.p50,
      p95Ms: result.latencyMs.p95,
      p99Ms: result.latencyMs.p99,
      opsPerSecond: requestsPerSecond,
    },
    {
      name: `order in customer statistics after send (${background === "worker" ? "web + worker" : "one process"}; every ${SAMPLE_EVERY}th; ops/s = orders stored/s)`,
      runs: delays.length,
      p50Ms: result.statisticsDelayMs.p50,
      p95Ms: result.statisticsDelayMs.p95,
      p99Ms: result.statisticsDelayMs.p99,
      opsPerSecond: processedDuringLoad / (summary.measuredSeconds + warmupSeconds),
    },
  ];
}
