import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../app/db/client.server";
import { buildDemoData, defaultDemoNow } from "../../app/demo/seed-demo.server";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../app/env.server";
import { en } from "../../app/i18n/en";
import { buildBody, runAbandonRecover, sendWebhook, type Target } from "../../scripts/simulate-webhook";
import { freePort as closedPort } from "../support/processes";

const BASE_URL = inject("baseUrl");
const db = createDb(inject("databaseUrl"));
const target: Target = { url: BASE_URL, shop: DEMO_SHOP_DOMAIN, secret: DEMO_API_SECRET };
// Deliveries that would add customers go to a shop of their own: the browser tests count the demo shop's.
const OTHER_SHOP = "simulator-e2e.myshopify.com";

afterAll(() => db.$disconnect());

/** Processing runs after the 200, in the server process: poll the database for its result. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function checkoutByToken(token: string) {
  return db.checkout.findFirst({
    where: { shop: { domain: DEMO_SHOP_DOMAIN }, token },
    select: { customerId: true, abandonedAt: true, recoveredAt: true, recoveryKind: true, recoveredByOrder: { select: { sourceId: true, customerId: true } } },
  });
}

function runCommand(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/simulate-webhook.ts", ...args], { encoding: "utf8", timeout: 30_000 });
}


describe("webhook simulator against the running demo", () => {
  it("abandon-recover: the checkout is abandoned on arrival, then recovered by the order carrying its token", async () => {
    // A Shopify customer of the demo seed other than the featured one, which other e2e tests open.
    const demo = buildDemoData(defaultDemoNow());
    const shopifyCustomerIds = new Set(demo.identities.filter((identity) => identity.source === "SHOPIFY").map((identity) => identity.customerId));
    const customer = demo.customers.find((candidate, index) => index > 0 && shopifyCustomerIds.has(candidate.id) && !candidate.redactedAt && !candidate.optedOut)!;

    // The profile as the merchant sees it, server-rendered: how many checkouts carry each badge.
    const badges = async (profileUrl: string) => {
      const html = await (await fetch(`${profileUrl}?locale=en`)).text();
      const count = (text: string) => html.split(`>${text}<`).length - 1;
      return { abandoned: count(en.customer.abandoned), recovered: count(en.customer.recovered), completedNote: html.includes("Completed this checkout on") };
    };
    let before = { abandoned: 0, recovered: 0, completedNote: false };
    let abandonedSeen = false;
    const result = await runAbandonRecover({
      target,
      email: customer.email!.toUpperCase(),
      log: () => undefined,
      waitBeforeRecovery: async ({ checkoutToken, profileUrl }) => {
        expect(profileUrl).toBe(`${BASE_URL}/app/customers/${customer.id}`);
        const checkout = await eventually(() => checkoutByToken(checkoutToken), (row) => row?.abandonedAt != null, "the checkout to be abandoned");
        expect(checkout).toMatchObject({ customerId: customer.id, recoveredAt: null });
        // The URL the command prints opens the profile, where the checkout shows as abandoned.
        expect((await fetch(profileUrl)).status).toBe(200);
        before = await badges(profileUrl);
        expect(before.abandoned).toBeGreaterThanOrEqual(1);
        abandonedSeen = true;
      },
    });

    expect(abandonedSeen).toBe(true);
    expect(result.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
    const recovered = await eventually(() => checkoutByToken(result.checkoutToken), (row) => row?.recoveredAt != null, "the checkout to be recovered");
    expect(recovered).toMatchObject({
      customerId: customer.id,
      recoveryKind: "CHECKOUT_COMPLETED",
      recoveredByOrder: { sourceId: String(result.orderId), customerId: customer.id },
    });
    // The same checkout changed its badge in the profile: one abandoned fewer, one recovered more.
    const after = await badges(`${BASE_URL}/app/customers/${customer.id}`);
    expect(after).toEqual({ abandoned: before.abandoned - 1, recovered: before.recovered + 1, completedNote: true });
    const events = await db.webhookEvent.findMany({
      where: { shopDomain: DEMO_SHOP_DOMAIN, webhookId: { in: result.deliveries.map((delivery) => delivery.webhookId) } },
      select: { topic: true, status: true },
      orderBy: { receivedAt: "asc" },
    });
    expect(events).toEqual([
      { topic: "CHECKOUTS_CREATE", status: "PROCESSED" },
      { topic: "ORDERS_CREATE", status: "PROCESSED" },
    ]);
  });

  it("sends a fixture with --set overrides, signed so the app records it", async () => {
    const body = buildBody("customers/update", ["email=simulated.customer@example.com", "note=\"42\""], OTHER_SHOP);
    const delivery = await sendWebhook({ ...target, shop: OTHER_SHOP }, "customers/update", body);
    expect(delivery.status).toBe(200);
    const event = await db.webhookEvent.findUniqueOrThrow({
      where: { shopDomain_webhookId: { shopDomain: OTHER_SHOP, webhookId: delivery.webhookId } },
      select: { payload: true },
    });
    expect(JSON.parse(event.payload)).toMatchObject({ email: "simulated.customer@example.com", note: "42" });
  });

  it("as a command: prints status and webhook id; exits 1 with one line when the app is not running", async () => {
    const sent = runCommand(["orders/create", "--url", BASE_URL, "--shop", OTHER_SHOP, "--set", "email=command@example.com"]);
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^orders\/create → 200, webhook id [0-9a-f-]{36} /);

    const url = `http://127.0.0.1:${await closedPort()}`;
    const refused = runCommand(["orders/create", "--url", url]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(`webhook:simulate: The app is not running at ${url} (connection refused). Start it with \`npm run demo\`, or pass --url.`);
  });

  it("as a command: shows the status and body of a refused delivery", () => {
    const refused = runCommand(["orders/create", "--url", BASE_URL, "--secret", "not-the-secret"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("orders/create answered 401");
    expect(refused.stderr).toContain("The signature was rejected");
  });
});
