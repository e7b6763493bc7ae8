import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import pg from "pg";
import { PrismaClient as PostgresClient } from "../prisma/client/postgresql/client";
import { PrismaClient as SqliteClient } from "../prisma/client/sqlite/client";
import type { Db } from "../app/db/client.server";
import { postgresConnectionString, providerOf, sqliteFilePath, type DatabaseProvider } from "../app/db/database-url";
import { createPostgresAdapter } from "../app/db/postgres-adapter";
import { serializeSqliteAdapter } from "../app/db/serialized-sqlite-adapter";
import { parseCustomerListQuery } from "../app/core/customer-list-query";
import { findCustomerProfile, listCustomers } from "../app/services/customers.server";
import { TEST_POSTGRES_URL } from "../tests/support/postgres-url";
import { measure, type BenchResult } from "./harness";
import { describeSize, ensureLargeShop, formatCounts, FULL_SIZE, largeShopUrl, SEED_NOW, type LargeShop, type LargeShopSize } from "./support/large-shop-seed";
import { QueryRecorder, type RecordedStatement } from "./support/query-recorder";

/**
 * The customer list and profile loaders' service calls on a large shop (issue: "200,000
 * customers and 1,000,000 orders, one customer with 2,000 orders: profile loader p95 under 50 ms,
 * list page with a search under 150 ms"). For each database: seed or reuse the shop, then time
 * every list variant (sorts, searches, filters, a deep page, search + filter) and the profile
 * (the heavy customer, random customers, all orders), count the SQL statements each sends, and
 * show the plans of the slowest list statements. Figures, statement counts and plans also go to
 * bench/results/customer-screens-<database>.md.
 *
 * Knobs (environment): BENCH_CUSTOMERS (200000), BENCH_ORDERS (1000000), BENCH_HEAVY_ORDERS
 * (2000), BENCH_LINE_ITEMS (all | sample), BENCH_CUSTOMERS_DATABASES (sqlite,postgresql),
 * BENCH_POSTGRES_URL (the tests' PostgreSQL), BENCH_CASE_SECONDS (5: measuring time per case),
 * BENCH_CUSTOMERS_RESEED=1 (seed afresh even when a seeded database is there; or name the
 * databases: BENCH_CUSTOMERS_RESEED=sqlite).
 */

// ------------------------------------------------------------------ the services, in one spot
// The loaders' service calls. The list takes the page's URL parameters (q, source, abandoned,
// optedOut, writtenWithinDays, sort, direction, page) through the route's own parser; the
// profile a customer and whether all orders are shown. Everything below calls them through `screens`.

const NOW = SEED_NOW;

const screens = {
  list: (shopId: string, params: URLSearchParams) => {
    const parsed = parseCustomerListQuery(params);
    if (!parsed.ok) throw new Error(`Bad list parameters "${params.toString()}": ${parsed.reason}`);
    return listCustomers({ shopId, query: parsed.query, now: NOW });
  },
  profile: (shopId: string, customerId: string, showAllOrders: boolean) => findCustomerProfile({ shopId, customerId, showAllOrders, now: NOW }),
};

// ----------------------------------------------------------------------------------- cases

type ListCase = { name: string; params: string; search?: boolean };

const LIST_CASES: ListCase[] = [
  { name: "first page, default sort", params: "" },
  { name: "sort ltv desc", params: "sort=ltv&direction=desc" },
  { name: "sort ltv asc", params: "sort=ltv&direction=asc" },
  { name: "sort orders desc", params: "sort=orders&direction=desc" },
  { name: "sort orders asc", params: "sort=orders&direction=asc" },
  { name: "sort lastOrder desc", params: "sort=lastOrder&direction=desc" },
  { name: "sort lastOrder asc", params: "sort=lastOrder&direction=asc" },
  { name: "sort lastLetter desc", params: "sort=lastLetter&direction=desc" },
  { name: "sort lastLetter asc", params: "sort=lastLetter&direction=asc" },
  { name: 'search name "müller"', params: "q=müller", search: true },
  { name: 'search e-mail "@posteo"', params: "q=@posteo", search: true },
  { name: 'search Cyrillic "жуков"', params: "q=жуков", search: true },
  { name: 'search one customer "feinkost-mueller"', params: "q=feinkost-mueller", search: true },
  { name: "filter source=SHOPIFY", params: "source=SHOPIFY" },
  { name: "filter source=BILLBEE", params: "source=BILLBEE" },
  { name: "filter source=CSV", params: "source=CSV" },
  { name: "filter source=API", params: "source=API" },
  { name: "filter abandoned=1", params: "abandoned=1" },
  { name: "filter optedOut=1", params: "optedOut=1" },
  { name: "filter writtenWithinDays=30", params: "writtenWithinDays=30" },
  { name: "deep page (page 1,000)", params: "page=1000" },
  { name: 'search "müller" + source=BILLBEE', params: "q=müller&source=BILLBEE", search: true },
  { name: 'search "müller" + abandoned=1', params: "q=müller&abandoned=1", search: true },
  { name: 'search "schmidt" + written 90 d, sort lastLetter', params: "q=schmidt&writtenWithinDays=90&sort=lastLetter&direction=desc", search: true },
];

const RANDOM_PROFILES = 500;
const PROFILE_TARGET_MS = 50;
const SEARCH_TARGET_MS = 150;

// -------------------------------------------------------------------------------- settings

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

function sizeFromEnv(): LargeShopSize {
  return {
    customers: numberFromEnv("BENCH_CUSTOMERS", FULL_SIZE.customers),
    orders: numberFromEnv("BENCH_ORDERS", FULL_SIZE.orders),
    heavyOrders: numberFromEnv("BENCH_HEAVY_ORDERS", FULL_SIZE.heavyOrders),
    lineItems: process.env.BENCH_LINE_ITEMS === "sample" ? "sample" : "all",
  };
}

function databasesFromEnv(): DatabaseProvider[] {
  const names = (process.env.BENCH_CUSTOMERS_DATABASES ?? "sqlite,postgresql").split(",").map((name) => name.trim().toLowerCase());
  return (["sqlite", "postgresql"] as const).filter((provider) => names.includes(provider) || (provider === "postgresql" && names.includes("pg")));
}

// ------------------------------------------------------------------------------------- run

type CaseResult = {
  screen: "list" | "profile";
  name: string;
  params?: string;
  result: BenchResult;
  statements: RecordedStatement[];
  transactions: number;
  summary: string;
  targetMs: number | null;
};

export async function run(): Promise<BenchResult[]> {
  const size = sizeFromEnv();
  const postgresBase = process.env.BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL;
  const results: BenchResult[] = [];
  for (const provider of databasesFromEnv()) {
    if (provider === "postgresql" && !(await reachable(postgresBase))) {
      console.log(`  PostgreSQL at ${postgresBase} is not reachable: skipped`);
      continue;
    }
    const url = largeShopUrl(provider, size, postgresBase);
    const reseed = (process.env.BENCH_CUSTOMERS_RESEED ?? "").split(",").some((value) => value.trim() === "1" || value.trim() === provider);
    const shop = await ensureLargeShop({ url, size, reseed, log: (line) => console.log(line) });
    results.push(seedResult(shop));
    results.push(...(await benchDatabase(shop)));
  }
  return results;
}

async function benchDatabase(shop: LargeShop): Promise<BenchResult[]> {
  const recorder = new QueryRecorder();
  const db = createRecordedDb(shop.url, recorder);
  const previous = globalThis.__letterloopDb;
  globalThis.__letterloopDb = db;
  const caseSeconds = numberFromEnv("BENCH_CASE_SECONDS", 5);
  const cases: CaseResult[] = [];
  const tag = shop.provider;
  try {
    const randomIds = (
      await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Customer" WHERE "shopId" = ${shop.shopId} ORDER BY random() LIMIT ${RANDOM_PROFILES}`
    ).map((row) => row.id);

    const shape = await describeShape(db, shop.shopId);
    const load = `load average ${os.loadavg().map((value) => value.toFixed(1)).join(" / ")} on ${os.cpus().length} cores`;
    console.log(`  [${tag}] ${shape}; ${load}`);
    console.log(`  [${tag}] profile: heavy customer, ${randomIds.length} random customers`);
    cases.push(
      await measureCase({
        recorder,
        screen: "profile",
        name: `heavy customer (${shop.size.heavyOrders.toLocaleString("en")} orders)`,
        tag,
        caseSeconds,
        minRuns: 50,
        targetMs: PROFILE_TARGET_MS,
        work: () => screens.profile(shop.shopId, shop.heavyCustomerId, false),
      }),
    );
    cases.push(
      await measureCase({
        recorder,
        screen: "profile",
        name: "random customers",
        tag,
        caseSeconds,
        // Each run a different customer: more runs, so the percentiles cover many of them.
        minRuns: 200,
        targetMs: PROFILE_TARGET_MS,
        work: (index) => screens.profile(shop.shopId, randomIds[index % randomIds.length]!, false),
      }),
    );
    cases.push(
      await measureCase({
        recorder,
        screen: "profile",
        name: "heavy customer, show all orders",
        tag,
        caseSeconds,
        minRuns: 30,
        targetMs: null,
        work: () => screens.profile(shop.shopId, shop.heavyCustomerId, true),
      }),
    );

    for (const listCase of LIST_CASES) {
      const params = new URLSearchParams(listCase.params);
      console.log(`  [${tag}] list: ${listCase.name}`);
      cases.push(
        await measureCase({
          recorder,
          screen: "list",
          name: listCase.name,
          params: listCase.params,
          tag,
          caseSeconds,
          minRuns: 30,
          targetMs: listCase.search ? SEARCH_TARGET_MS : null,
          work: () => screens.list(shop.shopId, params),
        }),
      );
    }

    printCases(tag, cases);
    const plans = await explainSlowest(recorder, shop.provider, cases);
    writeReport(shop, cases, plans, [shape, `Measured at ${load} (the machine is shared: figures move with it).`]);
  } finally {
    globalThis.__letterloopDb = previous;
    await db.$disconnect();
  }
  return cases.map((entry) => entry.result);
}

/**
 * The app's createDb for the same URL, with the recorder between Prisma and the driver. On SQLite
 * it sits under the app's serialising wrapper, so a statement's time is its own and not the wait
 * for the one connection while a Promise.all sibling runs.
 */
function createRecordedDb(url: string, recorder: QueryRecorder): Db {
  if (providerOf(url) === "sqlite") {
    return new SqliteClient({ adapter: serializeSqliteAdapter(recorder.wrap(new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 10_000 }))) });
  }
  return new PostgresClient({ adapter: recorder.wrap(createPostgresAdapter(url)) }) as unknown as Db;
}

async function measureCase({
  recorder,
  screen,
  name,
  params,
  tag,
  caseSeconds,
  minRuns,
  targetMs,
  work,
}: {
  recorder: QueryRecorder;
  screen: "list" | "profile";
  name: string;
  params?: string;
  tag: string;
  caseSeconds: number;
  minRuns: number;
  targetMs: number | null;
  work: (index: number) => Promise<unknown>;
}): Promise<CaseResult> {
  // Warm-up: caches, prepared statements, the JIT; also tells how many runs fit the time budget.
  const warmupStarted = performance.now();
  let warmups = 0;
  while (warmups < 3 || (warmups < 50 && performance.now() - warmupStarted < 1_000)) await work(warmups++);
  const perRun = (performance.now() - warmupStarted) / warmups;
  // As many runs as fit the time budget, at least `minRuns` unless one run takes over 100 ms
  // (then at least 20: a slow case is slow whatever its p99), at most 1,000.
  const fitting = Math.round((caseSeconds * 1_000) / perRun);
  const runs = Math.min(1_000, Math.max(perRun > 100 ? Math.min(minRuns, 20) : minRuns, fitting));
  const recorded = await recorder.record(() => work(0));
  const statementCount = recorded.statements.length;
  const label = `customers ${screen}: ${name} [${tag}, ${statementCount} SQL${recorded.transactions > 0 ? ` in ${recorded.transactions} tx` : ""}]`;
  const result = await measure(label, runs, work);
  return { screen, name, params, result, statements: recorded.statements, transactions: recorded.transactions, summary: summarise(screen, recorded.result), targetMs };
}

/** What came back, as a sanity check of the figures: matches and rows for a list, orders etc. for a profile. */
function summarise(screen: "list" | "profile", result: unknown): string {
  const value = result as {
    totals?: { customers?: unknown };
    customers?: unknown;
    orders?: { total?: unknown; timeline?: unknown };
    letters?: unknown;
  };
  const length = (list: unknown) => (Array.isArray(list) ? list.length : "?");
  const count = (n: unknown) => (typeof n === "number" ? n.toLocaleString("en") : "?");
  if (screen === "list") return `${count(value.totals?.customers)} match, ${length(value.customers)} rows`;
  return `${length(value.orders?.timeline)} of ${count(value.orders?.total)} orders/checkouts shown, ${length(value.letters)} letters`;
}

function verdict(entry: CaseResult): string {
  if (entry.targetMs === null) return "";
  return `${entry.result.p95Ms < entry.targetMs ? "ok" : "OVER"} (p95 < ${entry.targetMs} ms)`;
}

function printCases(tag: string, cases: CaseResult[]) {
  console.log(`\n  [${tag}] customer screens`);
  console.table(
    cases.map((entry) => ({
      screen: entry.screen,
      case: entry.name,
      runs: entry.result.runs,
      "p50 ms": entry.result.p50Ms.toFixed(2),
      "p95 ms": entry.result.p95Ms.toFixed(2),
      "p99 ms": entry.result.p99Ms.toFixed(2),
      SQL: entry.statements.length,
      "slowest SQL ms": slowestStatement(entry)?.ms.toFixed(2) ?? "",
      result: entry.summary,
      target: verdict(entry),
    })),
  );
}

function slowestStatement(entry: CaseResult): RecordedStatement | undefined {
  return [...entry.statements].sort((a, b) => b.ms - a.ms)[0];
}

// ----------------------------------------------------------------------------------- plans

const PLANNED_LIST_CASES = 5;

/** The plans of the slowest list cases' statements and of the heavy customer's profile statements. */
async function explainSlowest(recorder: QueryRecorder, provider: DatabaseProvider, cases: CaseResult[]): Promise<string[]> {
  const slowestList = cases
    .filter((entry) => entry.screen === "list")
    .sort((a, b) => b.result.p95Ms - a.result.p95Ms)
    .slice(0, PLANNED_LIST_CASES);
  const heavyProfile = cases.find((entry) => entry.screen === "profile");
  const out: string[] = [];
  for (const entry of [...slowestList, ...(heavyProfile ? [heavyProfile] : [])]) {
    // The profile's statements are many and mostly tiny: only those that take a millisecond or more.
    const statements = entry.screen === "list" ? entry.statements : entry.statements.filter((statement) => statement.ms >= 1);
    for (const statement of statements) {
      const plan = provider === "sqlite" ? await sqlitePlan(recorder, statement) : await postgresPlan(recorder, statement);
      out.push(
        [
          `### ${entry.screen}: ${entry.name} (p95 ${entry.result.p95Ms.toFixed(1)} ms; this statement ${statement.ms.toFixed(1)} ms, ${statement.rows} rows)`,
          "```sql",
          statement.sql,
          `-- args: ${JSON.stringify(statement.args, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))}`,
          "```",
          "```",
          plan,
          "```",
        ].join("\n"),
      );
    }
  }
  return out;
}

async function sqlitePlan(recorder: QueryRecorder, statement: RecordedStatement): Promise<string> {
  const result = await recorder.explain(statement, "EXPLAIN QUERY PLAN");
  const column = (name: string) => result.columnNames.indexOf(name);
  const depth = new Map<number, number>();
  return result.rows
    .map((row) => {
      const id = Number(row[column("id")]);
      const parent = Number(row[column("parent")]);
      const level = (depth.get(parent) ?? -1) + 1;
      depth.set(id, level);
      return `${"  ".repeat(level)}${String(row[column("detail")])}`;
    })
    .join("\n");
}

async function postgresPlan(recorder: QueryRecorder, statement: RecordedStatement): Promise<string> {
  const result = await recorder.explain(statement, "EXPLAIN (ANALYZE, BUFFERS)");
  return result.rows.map((row) => String(row[0])).join("\n");
}

// --------------------------------------------------------------------------------- reports

function seedResult(shop: LargeShop): BenchResult {
  const ms = shop.seed?.totalMs ?? Number.NaN;
  const how = shop.seededNow ? "seeded now" : `reused, seeded ${shop.seed?.seededAt ?? "earlier"}`;
  return { name: `seed large shop [${shop.provider}, ${how}] (${describeSize(shop.size)})`, runs: 1, p50Ms: ms, p95Ms: ms, p99Ms: ms, opsPerSecond: 1000 / ms };
}

function writeReport(shop: LargeShop, cases: CaseResult[], plans: string[], notes: string[]) {
  const dir = path.join(process.cwd(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  const seed = shop.seed;
  const lines = [
    `# Customer screens on ${shop.provider}`,
    "",
    `Shop: ${describeSize(shop.size)}; now = ${NOW.toISOString()}.`,
    seed
      ? `Seed (${shop.seededNow ? "this run" : `reused, from ${seed.seededAt}`}): ${(seed.totalMs / 1000).toFixed(1)} s in all — migrate ${(seed.migrateMs / 1000).toFixed(1)} s, generate ${(seed.generateMs / 1000).toFixed(1)} s, insert ${(seed.insertMs / 1000).toFixed(1)} s, ANALYZE ${(seed.analyzeMs / 1000).toFixed(1)} s; ${formatCounts(seed.counts)}.`
      : "Seed: reused, no seed report found.",
    ...notes,
    "",
    "| screen | case | runs | p50 ms | p95 ms | p99 ms | SQL | slowest SQL ms | result | target |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...cases.map(
      (entry) =>
        `| ${entry.screen} | ${entry.name} | ${entry.result.runs} | ${entry.result.p50Ms.toFixed(2)} | ${entry.result.p95Ms.toFixed(2)} | ${entry.result.p99Ms.toFixed(2)} | ${entry.statements.length}${entry.transactions ? ` (${entry.transactions} tx)` : ""} | ${slowestStatement(entry)?.ms.toFixed(2) ?? ""} | ${entry.summary} | ${verdict(entry)} |`,
    ),
    "",
    "## Statements per case",
    "",
    ...cases.flatMap((entry) => [
      `### ${entry.screen}: ${entry.name}${entry.params ? ` (?${entry.params})` : ""}`,
      ...entry.statements.map((statement) => `- ${statement.ms.toFixed(2)} ms, ${statement.rows} rows: \`${statement.sql.replace(/\s+/g, " ").slice(0, 400)}\``),
      "",
    ]),
    "## Plans of the slowest statements",
    "",
    ...plans,
    "",
  ];
  const file = path.join(dir, `customer-screens-${shop.provider}.md`);
  writeFileSync(file, lines.join("\n"));
  console.log(`  [${shop.provider}] figures, statements and query plans: ${path.relative(process.cwd(), file)}`);
}

// ---------------------------------------------------------------------------------- helpers

/** How the orders are spread over the customers (counted orders, as the statistics store them). */
async function describeShape(db: Db, shopId: string): Promise<string> {
  const rows = await db.$queryRaw<{ bucket: string; customers: unknown }[]>`
    SELECT CASE WHEN "orderCount" = 0 THEN '0' WHEN "orderCount" <= 3 THEN '1-3' WHEN "orderCount" <= 10 THEN '4-10'
                WHEN "orderCount" <= 30 THEN '11-30' WHEN "orderCount" <= 200 THEN '31-200' ELSE 'over 200' END AS "bucket",
           COUNT(*) AS "customers"
    FROM "Customer" WHERE "shopId" = ${shopId} GROUP BY 1`;
  const order = ["0", "1-3", "4-10", "11-30", "31-200", "over 200"];
  const spread = rows
    .sort((a, b) => order.indexOf(a.bucket) - order.indexOf(b.bucket))
    .map((row) => `${row.bucket}: ${Number(row.customers).toLocaleString("en")}`)
    .join(", ");
  return `customers by counted orders: ${spread}`;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresConnectionString(url), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
