import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import type { BenchResult } from "./harness";
import { buildApp } from "./support/app-server";
import { startDemoServer, type DemoServer } from "../tests/support/demo-server";
import { leavesMachine } from "../tests/support/browser";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/support/chromium";

/**
 * Web vitals of the customer list and the profile of the 2,000-order demo customer, measured in
 * headless Chromium against the production build serving the seeded demo (SQLite), with the
 * web-vitals library: LCP and CLS of a cold page load, INP over the interactions a merchant
 * makes (search, sort; open an order, show all 2,000 orders, open one of them). Each scenario
 * runs BENCH_VITALS_RUNS times (5) without and with 4× CPU throttling (a mid-range laptop).
 * Also reports the JavaScript the profile page loads on a cold visit, raw and gzip-compressed.
 * Targets ("Built for Shopify"): LCP ≤ 2.5 s, CLS ≤ 0.1, INP ≤ 200 ms.
 */

const ROOT = process.cwd();
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const WEB_VITALS_SCRIPT = path.join(ROOT, "node_modules", "web-vitals", "dist", "web-vitals.iife.js");

type Vitals = { lcp: number | null; cls: number | null; inp: number | null };
type Sample = Vitals & { scenario: string; cpu: number };

// Collects the latest value of each metric; reportAllChanges so nothing waits for the page to hide.
const COLLECT = `
window.__vitals = { lcp: null, cls: null, inp: null };
addEventListener("DOMContentLoaded", () => {
  const options = { reportAllChanges: true };
  webVitals.onLCP((metric) => { window.__vitals.lcp = metric.value; }, options);
  webVitals.onCLS((metric) => { window.__vitals.cls = metric.value; }, options);
  webVitals.onINP((metric) => { window.__vitals.inp = metric.value; }, { ...options, durationThreshold: 16 });
});`;

export async function run(): Promise<BenchResult[]> {
  const runs = Number(process.env.BENCH_VITALS_RUNS) > 0 ? Number(process.env.BENCH_VITALS_RUNS) : 5;
  await buildApp();
  const server = await startDemoServer({ workDir: path.join(ROOT, ".tmp", "bench-vitals") });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const samples: Sample[] = [];
  let firstLoadJs: { files: number; rawBytes: number; gzipBytes: number } | null = null;
  try {
    for (const cpu of [1, 4]) {
      for (let index = 0; index < runs; index += 1) {
        samples.push({ scenario: "customer list", cpu, ...(await measureList(browser, server, cpu)) });
        const profile = await measureProfile(browser, server, cpu);
        samples.push({ scenario: "profile of the 2,000-order customer", cpu, ...profile.vitals });
        firstLoadJs ??= profile.firstLoadJs;
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }

  const rows = summarise(samples);
  console.table(rows.map((row) => ({ ...row, "LCP p75 ms": row.lcpP75, "CLS max": row.clsMax, "INP p75 ms": row.inpP75 })).map(({ scenario, cpu, ...rest }) => ({ scenario, "CPU": `${cpu}×`, "LCP p75 ms": rest["LCP p75 ms"], "CLS max": rest["CLS max"], "INP p75 ms": rest["INP p75 ms"] })));
  if (firstLoadJs) {
    console.log(`  profile page, first-load JavaScript: ${firstLoadJs.files} files, ${kb(firstLoadJs.rawBytes)} raw, ${kb(firstLoadJs.gzipBytes)} gzip`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, "customer-vitals.json"), JSON.stringify({ runs, samples, summary: rows, firstLoadJs }, null, 2));

  return rows.flatMap((row) => [
    { name: `vitals LCP: ${row.scenario} (${row.cpu}× CPU)`, runs: row.runs, p50Ms: row.lcpP50, p95Ms: row.lcpP75, p99Ms: row.lcpMax, opsPerSecond: 0 },
    { name: `vitals INP: ${row.scenario} (${row.cpu}× CPU)`, runs: row.runs, p50Ms: row.inpP50, p95Ms: row.inpP75, p99Ms: row.inpMax, opsPerSecond: 0 },
  ]);
}

async function openPage(browser: Browser, cpu: number): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "de-DE" });
  // Nothing may leave the machine (the admin would load App Bridge from Shopify's CDN).
  await context.route("**/*", (route) => (leavesMachine(route.request().url()) ? route.abort("blockedbyclient") : route.continue()));
  await context.addInitScript({ content: `${readFileSync(WEB_VITALS_SCRIPT, "utf8")}\n${COLLECT}` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  if (cpu > 1) {
    const session = await context.newCDPSession(page);
    await session.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  }
  return {
    page,
    close: async () => {
      await context.close();
      if (errors.length > 0) throw new Error(`Console errors during the vitals run:\n${errors.join("\n")}`);
    },
  };
}

async function readVitals(page: Page): Promise<Vitals> {
  // Let the last interaction's frame be reported.
  await page.waitForTimeout(300);
  return page.evaluate(() => (window as unknown as { __vitals: Vitals }).__vitals);
}

async function measureList(browser: Browser, server: DemoServer, cpu: number): Promise<Vitals> {
  const { page, close } = await openPage(browser, cpu);
  try {
    await page.goto(`${server.baseUrl}/app/customers`, { waitUntil: "load" });
    await page.locator("[data-testid=customer-link]").first().waitFor();
    await page.waitForTimeout(500);
    const search = page.getByRole("search").locator("input");
    await search.click();
    await search.pressSequentially("müller", { delay: 60 });
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=customer-link]").length < 50);
    await page.getByRole("button", { name: /Bestellungen/ }).first().click();
    await page.waitForURL(/sort=orders/);
    await page.locator("[data-testid=customer-link]").first().waitFor();
    return await readVitals(page);
  } finally {
    await close();
  }
}

async function measureProfile(
  browser: Browser,
  server: DemoServer,
  cpu: number,
): Promise<{ vitals: Vitals; firstLoadJs: { files: number; rawBytes: number; gzipBytes: number } }> {
  const { page, close } = await openPage(browser, cpu);
  try {
    await page.goto(`${server.baseUrl}/app/customers/${server.seed.heavyCustomerId}`, { waitUntil: "load" });
    await page.locator("[data-testid=order-row]").first().waitFor();
    const firstLoadJs = await measureFirstLoadJs(page);
    await page.waitForTimeout(500);
    await page.locator("[data-testid=order-row] button").first().click();
    await page.locator("[data-testid=order-items]").first().waitFor();
    await page.locator("[data-testid=show-all-orders]").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=order-row]").length >= 2000, undefined, { timeout: 60_000 });
    const deep = page.locator("[data-testid=order-row]").nth(1500);
    await deep.scrollIntoViewIfNeeded();
    await deep.locator("button").click();
    await page.locator("[data-testid=order-items]").first().waitFor();
    return { vitals: await readVitals(page), firstLoadJs };
  } finally {
    await close();
  }
}

/** JavaScript the page loaded: sizes of the built files as served, and compressed with gzip. */
async function measureFirstLoadJs(page: Page) {
  const urls = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((name) => new URL(name).pathname.endsWith(".js")),
  );
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const url of new Set(urls)) {
    const file = path.join(ROOT, "build", "client", new URL(url).pathname);
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes, { level: 9 }).byteLength;
  }
  return { files: new Set(urls).size, rawBytes, gzipBytes };
}

function summarise(samples: Sample[]) {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.scenario}|${sample.cpu}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  return [...groups.values()].map((group) => {
    const values = (pick: (sample: Sample) => number | null) => group.map(pick).map((value) => value ?? 0).sort((a, b) => a - b);
    const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    const lcp = values((sample) => sample.lcp);
    const inp = values((sample) => sample.inp);
    const cls = values((sample) => sample.cls);
    return {
      scenario: group[0]!.scenario,
      cpu: group[0]!.cpu,
      runs: group.length,
      lcpP50: quantile(lcp, 0.5),
      lcpP75: quantile(lcp, 0.75),
      lcpMax: lcp.at(-1) ?? 0,
      inpP50: quantile(inp, 0.5),
      inpP75: quantile(inp, 0.75),
      inpMax: inp.at(-1) ?? 0,
      clsMax: Number((cls.at(-1) ?? 0).toFixed(3)),
    };
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
