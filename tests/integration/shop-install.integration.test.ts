import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loader as customersLoader } from "../../app/routes/app.customers._index";
import { describeEachDatabase } from "../support/databases";
import { sessionToken } from "../support/shopify-session-token";

/**
 * The first admin request of a newly installed shop: the shop row appears with Shopify's name,
 * currency and time zone, and the back-fill is booked once.
 */

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const profileQueries: string[] = [];

const server = setupServer(
  http.post(/^https:\/\/[^/]+\/admin\/api\/2026-07\/graphql\.json$/, async ({ request }) => {
    const { query } = (await request.json()) as { query: string };
    const host = new URL(request.url).host;
    if (!query.includes("LetterLoopShopProfile")) return HttpResponse.json({ errors: [{ message: "unexpected query" }] }, { status: 400 });
    profileQueries.push(host);
    return HttpResponse.json({ data: { shop: { name: "Papeterie Süd", currencyCode: "CHF", ianaTimezone: "Europe/Zurich" } } });
  }),
);

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  // shopify-api keeps the fetch it found at import, before msw patched it.
  setAbstractFetchFunc(globalThis.fetch);
});
afterAll(() => server.close());

describeEachDatabase("install", (current) => {
  it("reads the shop's profile and books the back-fill on the first admin request only", async () => {
    const { db, provider } = current();
    const shop = `install-${provider}.myshopify.com`;
    const far = new Date(Date.now() + 86_400_000);
    await db.session.create({
      data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_customers,read_orders", accessToken: "shpat_test", expires: far },
    });
    const request = () =>
      new Request(`http://127.0.0.1:3000/app/customers?shop=${shop}`, {
        headers: { authorization: `Bearer ${sessionToken({ shop, apiKey: "test-api-key", secret: "test-api-secret" })}`, "user-agent": BROWSER },
      });

    await customersLoader({ request: request(), params: {}, context: {} });
    await customersLoader({ request: request(), params: {}, context: {} });

    const row = await db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect([row.name, row.currency, row.timezone]).toEqual(["Papeterie Süd", "CHF", "Europe/Zurich"]);
    expect(profileQueries.filter((host) => host === shop)).toHaveLength(1);
    const jobs = await db.job.findMany({ where: { shopId: row.id }, orderBy: { name: "asc" } });
    expect(jobs.map((job) => job.name)).toEqual(["shopify.backfill", "shopify.reconcile-orders"]);
  });
});
