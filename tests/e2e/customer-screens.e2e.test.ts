import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { de } from "../../app/i18n/de";
import { launchGuardedBrowser, type GuardedBrowser } from "../support/browser";

/**
 * The customer screens in a browser on the seeded demo (B1–B7, E2): the list with search,
 * filter and sort; the profile of the 2,000-order customer with its orders, their items and a
 * letter's stored PDF; the Billbee, redacted and 25-order showcase customers; the opt-out
 * control. Any console error fails the test; screenshots go to tests/artifacts.
 */

const BASE_URL = inject("baseUrl");
const SEED = inject("demoSeed");
const ARTIFACTS = path.join(process.cwd(), "tests", "artifacts");
const number = (value: number) => new Intl.NumberFormat("de-DE").format(value);

describe("customer screens in a browser", () => {
  let browser: GuardedBrowser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchGuardedBrowser();
    page = browser.page;
  });

  afterEach(() => {
    // Taken out, so one test's errors fail that test only.
    const errors = browser.consoleErrors.splice(0);
    const offHost = browser.offHostRequests.splice(0);
    expect(errors, "console errors").toEqual([]);
    expect(offHost, "requests that left 127.0.0.1").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const openProfile = async (customerId: string) => {
    await page.goto(`${BASE_URL}/app/customers/${customerId}`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { level: 1 }).waitFor();
  };
  const kpiValue = (label: string) => page.getByRole("heading", { name: label, exact: true }).locator("xpath=following-sibling::*[1]").innerText();

  it("shows the list with KPI cards, searches, filters by source and sorts by orders", async () => {
    await page.goto(`${BASE_URL}/app/customers`, { waitUntil: "networkidle" });
    await expect.poll(() => kpiValue(de.customers.kpiCustomers)).toBe(number(SEED.customers));
    for (const label of [de.customers.kpiRevenue, de.customers.kpiAverageLtv, de.customers.kpiLettersSent]) {
      expect(await kpiValue(label), label).toMatch(/\d/);
    }
    await expect.poll(() => page.getByTestId("customer-link").count()).toBe(50);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-list.png"), fullPage: true });

    // Lower-case Cyrillic finds the capitalised name.
    const search = page.getByRole("textbox", { name: de.customers.searchLabel });
    await search.fill("жуков");
    await expect.poll(async () => {
      const names = await page.getByTestId("customer-link").allInnerTexts();
      return names.length > 0 && names.every((name) => name.includes("Жуков"));
    }).toBe(true);
    await search.fill("");
    await expect.poll(() => page.getByTestId("customer-link").count()).toBe(50);

    await page.getByLabel(de.customers.filterSource).selectOption("BILLBEE");
    await page.waitForURL(/source=BILLBEE/);
    await expect.poll(async () => {
      const rows = await page.locator("tbody tr").allInnerTexts();
      return rows.length > 0 && rows.every((row) => row.includes(de.source.BILLBEE));
    }).toBe(true);
    expect(Number((await kpiValue(de.customers.kpiCustomers)).replace(/\D/g, ""))).toBeLessThan(SEED.customers);

    await page.getByRole("button", { name: de.customers.clearFilters }).click();
    await page.getByRole("button", { name: de.customers.orders }).first().click();
    await page.waitForURL(/sort=orders/);
    await expect.poll(() => page.getByTestId("customer-link").first().innerText()).toBe("Jürgen Weißmüller");
  });

  it("opens the 2,000-order customer: 10 orders, an order's items, all orders, and one of the oldest", async () => {
    await page.getByTestId("customer-link").first().click();
    await page.waitForURL(new RegExp(`/app/customers/${SEED.showcase.heavyCustomerId}`));
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("Jürgen Weißmüller");
    await expect.poll(() => page.getByTestId("order-row").count()).toBe(10);

    await page.getByTestId("order-row").first().getByRole("button").click();
    const items = page.getByTestId("order-items").first();
    await items.waitFor();
    expect(await items.locator("th").allInnerTexts()).toEqual([
      de.customer.itemTitle,
      de.customer.itemVariant,
      de.customer.itemQuantity,
      de.customer.itemUnitPrice,
      de.customer.itemTotal,
    ]);
    expect(await items.locator("tbody tr").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-profile.png"), fullPage: true });

    await page.getByTestId("show-all-orders").click();
    await expect.poll(() => page.getByTestId("order-row").count(), { timeout: 30_000 }).toBe(2000);
    // One of the oldest orders: its items are fetched when it is opened.
    const oldest = page.getByTestId("order-row").last();
    await oldest.scrollIntoViewIfNeeded();
    await oldest.getByRole("button").click();
    await expect.poll(() => page.getByTestId("order-items").count()).toBe(1);
    expect(await page.getByTestId("order-items").last().locator("tbody tr").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-all-orders.png") });
  });

  it("opens a letter's stored PDF in a new tab through a signed link", async () => {
    await openProfile(SEED.showcase.heavyCustomerId);
    const letter = page.getByTestId("letter-item").filter({ has: page.getByTestId("open-pdf") }).first();
    const [popup, response] = await Promise.all([
      browser.context.waitForEvent("page"),
      browser.context.waitForEvent("response", (candidate) => new URL(candidate.url()).pathname.startsWith("/files/")),
      letter.getByTestId("open-pdf").getByRole("button").click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const url = new URL(response.url());
    expect([...url.searchParams.keys()].sort()).toEqual(["expires", "shop", "signature"]);
    // Chromium shows PDFs in its viewer; the bytes behind the signed link are read directly.
    const bytes = await (await browser.context.request.get(response.url())).body();
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await popup.close();
    // The letter's effect is shown under it (B6).
    expect(await page.getByTestId("letter-next-order").first().innerText()).not.toBe("");
  });

  it("shows 10 of 25 orders, then all 25", async () => {
    await openProfile(SEED.showcase.twentyFiveOrdersCustomerId);
    await expect.poll(() => page.getByTestId("order-row").count()).toBe(10);
    await page.getByTestId("show-all-orders").click();
    await expect.poll(() => page.getByTestId("order-row").count()).toBe(25);
    expect(await page.getByTestId("show-all-orders").count()).toBe(0);
  });

  it("says a Billbee customer has no checkout data, and shows a redacted customer anonymised", async () => {
    await openProfile(SEED.showcase.billbeeOnlyCustomerId);
    expect(await page.getByText(de.customer.checkoutsNotAvailable.replace("{{sources}}", de.source.BILLBEE)).isVisible()).toBe(true);
    expect(await page.getByTestId("checkout-row").count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-billbee.png"), fullPage: true });

    await openProfile(SEED.showcase.redactedCustomerId);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(de.customer.anonymised);
    expect(await page.getByText(de.customer.redactedTitle).isVisible()).toBe(true);
    expect(await page.locator("body").innerText()).not.toMatch(/@/);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-redacted.png"), fullPage: true });
  });

  it("stops letters to a customer with a reason and allows them again, both logged", async () => {
    await openProfile(SEED.showcase.twentyFiveOrdersCustomerId);
    const state = page.getByTestId("opt-out-state");
    expect(await state.innerText()).toBe(de.customer.optedInState);
    await page.getByLabel(de.customer.optOutReason).fill("Bat am Telefon darum");
    await page.getByRole("button", { name: de.customer.optOutAction }).click();
    await expect.poll(() => state.innerText()).toMatch(/Bat am Telefon darum$/);
    expect(await page.getByRole("heading", { level: 1 }).locator("xpath=..").innerText()).toContain(de.customer.optedOut);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-opted-out.png"), fullPage: true });

    await page.getByRole("button", { name: de.customer.optInAction }).click();
    await expect.poll(() => state.innerText()).toBe(de.customer.optedInState);
    await expect.poll(() => page.getByText(/Briefe (gestoppt|wieder erlaubt) durch den Shop/).count()).toBe(2);
  });
});
