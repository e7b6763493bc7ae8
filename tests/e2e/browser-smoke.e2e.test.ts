import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { de } from "../../app/i18n/de";
import { launchGuardedBrowser, type GuardedBrowser } from "../support/browser";

const BASE_URL = inject("baseUrl");
const SEED = inject("demoSeed");
const ARTIFACTS = path.join(process.cwd(), "tests", "artifacts");

describe("demo admin in a browser", () => {
  let browser: GuardedBrowser;
  let page: Page;
  let consoleErrors: string[];
  let offHostRequests: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchGuardedBrowser();
    ({ page, consoleErrors, offHostRequests } = browser);
  });

  afterEach(() => {
    expect(consoleErrors, "console errors").toEqual([]);
    expect(offHostRequests, "requests that left 127.0.0.1").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("shows the dashboard with its KPIs, styled by Polaris, with the navigation", async () => {
    const response = await page.goto(`${BASE_URL}/app`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByRole("heading", { name: de.dashboard.title }).isVisible()).toBe(true);

    // A KPI card: its label (h3) and the value right after it. Polaris 13 cards carry no
    // class of their own; their frame is the ShadowBevel around them.
    const customersLabel = page.getByRole("heading", { name: de.dashboard.customers, exact: true });
    await expect.poll(() => customersLabel.locator("xpath=following-sibling::*[1]").innerText()).toBe(
      new Intl.NumberFormat("de-DE").format(SEED.customers),
    );
    for (const label of [de.dashboard.orders, de.dashboard.revenue, de.dashboard.lettersSent, de.dashboard.qrScans]) {
      expect(await page.getByRole("heading", { name: label, exact: true }).isVisible(), label).toBe(true);
    }
    expect(await page.getByText(de.app.demoBanner).isVisible()).toBe(true);

    // Polaris' stylesheet is applied, not just linked: cards have rounded corners and the
    // navigation sits beside the page.
    const card = customersLabel.locator("xpath=ancestor::div[contains(@class,'Polaris-ShadowBevel')][1]");
    expect(await card.evaluate((element) => getComputedStyle(element).borderRadius)).not.toBe("0px");
    const navigation = page.locator("nav.Polaris-Navigation");
    expect(await navigation.isVisible()).toBe(true);
    for (const label of Object.values(de.nav)) {
      expect(await navigation.getByRole("link", { name: label, exact: true }).isVisible(), label).toBe(true);
    }

    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
  });

  it("lists customers and finds one by a name with umlauts and one in Cyrillic", async () => {
    await page.locator("nav.Polaris-Navigation").getByRole("link", { name: de.nav.customers, exact: true }).click();
    await page.waitForURL(/\/app\/customers(\?|$)/);
    await expect.poll(() => page.getByTestId("customer-link").count()).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: path.join(ARTIFACTS, "customers.png"), fullPage: true });

    const search = page.getByRole("textbox", { name: de.customers.searchLabel });
    await search.fill("Жуков");
    await page.waitForURL(/q=/);
    await expect.poll(async () => {
      const names = await page.getByTestId("customer-link").allInnerTexts();
      return names.length > 0 && names.every((name) => name.includes("Жуков"));
    }).toBe(true);

    await search.fill("weißmüller");
    await expect.poll(() => page.getByTestId("customer-link").allInnerTexts()).toEqual(["Jürgen Weißmüller"]);
  });

  it("opens a customer's page from the list, with name, figures and orders", async () => {
    await page.getByTestId("customer-link").first().click();
    await page.waitForURL(new RegExp(`/app/customers/${SEED.heavyCustomerId}(\\?|$)`));
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("Jürgen Weißmüller");

    const ordersCard = page
      .getByRole("heading", { name: de.customer.orders, exact: true, level: 2 })
      .locator("xpath=ancestor::div[contains(@class,'Polaris-ShadowBevel')][1]");
    // The 10 newest orders by default (B2), each with its number.
    await expect.poll(() => ordersCard.getByTestId("order-row").count()).toBe(10);
    expect(await ordersCard.getByTestId("order-row").first().innerText()).toMatch(/#\d{4}/);
    expect(await page.getByRole("heading", { name: de.customer.ltv, exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: de.customer.letters, exact: true }).isVisible()).toBe(true);

    await page.screenshot({ path: path.join(ARTIFACTS, "customer.png"), fullPage: true });
  });
});
