import { describe, expect, it } from "vitest";
import { AppError } from "../../core/app-error";
import { createShopifyAdminClient, type AdminGraphql } from "./admin-graphql.server";
import { BULK_OPERATION_RUN_QUERY, BULK_ORDERS_QUERY } from "./bulk-queries";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const cost = (requested: number, available: number, restoreRate = 100) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate } },
});
const throttledBody = { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(752, 40) };

/** A graphql function answering from a list, recording the calls. */
function scripted(answers: (() => Promise<Response>)[]) {
  const calls: { query: string; variables?: Record<string, unknown> }[] = [];
  const graphql: AdminGraphql = async (query, options) => {
    calls.push({ query, variables: options?.variables });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  };
  return { graphql, calls };
}

function client(graphql: AdminGraphql) {
  const waits: number[] = [];
  return { waits, admin: createShopifyAdminClient({ graphql, sleep: async (ms) => void waits.push(ms), maxRetries: 3 }) };
}

const started = { data: { bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED", createdAt: "2026-04-01T00:00:00Z" }, userErrors: [] } } };

describe("Admin GraphQL client", () => {
  it("starts a bulk query with grouping for nested connections", async () => {
    const { graphql, calls } = scripted([async () => json(started)]);
    const result = await client(graphql).admin.startBulkQuery("orders");
    expect(result).toEqual({ ok: true, operation: { id: "gid://shopify/BulkOperation/1", status: "CREATED", createdAt: new Date("2026-04-01T00:00:00Z") } });
    expect(calls[0]).toEqual({ query: BULK_OPERATION_RUN_QUERY, variables: { query: BULK_ORDERS_QUERY, groupObjects: true } });
  });

  it("returns userErrors as a value", async () => {
    const { graphql } = scripted([
      async () => json({ data: { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: null, message: "Too many bulk operations", code: "LIMIT_REACHED" }] } } }),
    ]);
    expect(await client(graphql).admin.startBulkQuery("customers")).toEqual({
      ok: false,
      userErrors: [{ message: "Too many bulk operations", code: "LIMIT_REACHED" }],
    });
  });

  it("waits out a THROTTLED answer for as long as the bucket needs, then retries", async () => {
    const { graphql, calls } = scripted([async () => json(throttledBody), async () => json({ ...started, extensions: cost(10, 1990) })]);
    const { admin, waits } = client(graphql);
    expect((await admin.startBulkQuery("orders")).ok).toBe(true);
    expect(calls).toHaveLength(2);
    // (752 − 40) points at 100 points/s.
    expect(waits).toEqual([7170]);
  });

  it("recognises throttling thrown by shopify-app-remix (GraphqlQueryError, HttpThrottlingError)", async () => {
    const graphqlQueryError = Object.assign(new Error("Throttled"), {
      body: { errors: { graphQLErrors: throttledBody.errors, message: "GraphQL Client: An error occurred" }, extensions: cost(752, 552, 50) },
    });
    const httpThrottlingError = Object.assign(new Error("Shopify is throttling requests"), { response: { code: 429, retryAfter: 2 } });
    const { graphql, calls } = scripted([
      async () => {
        throw graphqlQueryError;
      },
      async () => {
        throw httpThrottlingError;
      },
      async () => json(started),
    ]);
    const { admin, waits } = client(graphql);
    expect((await admin.startBulkQuery("orders")).ok).toBe(true);
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([4050, 2000]);
  });

  it("waits before a query the bucket cannot pay for yet", async () => {
    const { graphql } = scripted([
      async () => json({ data: { orders: { pageInfo: { hasNextPage: true, endCursor: "c1" }, nodes: [] } }, extensions: cost(252, 100) }),
      async () => json({ data: { orders: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }, extensions: cost(252, 1000) }),
    ]);
    const { admin, waits } = client(graphql);
    const pages = [];
    for await (const page of admin.listChangedOrders({ since: new Date("2026-04-01T00:00:00Z") })) pages.push(page);
    expect(pages).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1400);
    expect(waits[0]).toBeLessThanOrEqual(1520);
  });

  it("gives up after maxRetries throttled answers", async () => {
    const { graphql, calls } = scripted(Array.from({ length: 4 }, () => async () => json(throttledBody)));
    await expect(client(graphql).admin.startBulkQuery("orders")).rejects.toThrow(AppError);
    expect(calls).toHaveLength(4);
  });

  it("turns other GraphQL errors into an AppError without retrying", async () => {
    const { graphql, calls } = scripted([async () => json({ errors: [{ message: "Field 'checkoutToken' doesn't exist on type 'Order'" }] })]);
    await expect(client(graphql).admin.startBulkQuery("orders")).rejects.toThrow(/checkoutToken/);
    expect(calls).toHaveLength(1);
  });

  it("polls a bulk operation until it ends, and reports one Shopify no longer knows as null", async () => {
    const state = (status: string, url: string | null = null) =>
      json({ data: { node: { id: "gid://shopify/BulkOperation/1", status, errorCode: null, createdAt: "2026-04-01T00:00:00Z", completedAt: null, objectCount: "12", rootObjectCount: "4", url, partialDataUrl: null } } });
    const { graphql } = scripted([async () => state("CREATED"), async () => state("RUNNING"), async () => state("COMPLETED", "https://storage.example/r.jsonl"), async () => json({ data: { node: null } })]);
    const { admin, waits } = client(graphql);
    const done = await admin.waitForBulkOperation("gid://shopify/BulkOperation/1", { pollIntervalMs: 100 });
    expect(done).toMatchObject({ status: "COMPLETED", url: "https://storage.example/r.jsonl", objectCount: 12, rootObjectCount: 4 });
    expect(waits).toEqual([100, 150]);
    expect(await admin.getBulkOperation("gid://shopify/BulkOperation/1")).toBeNull();
  });

  it("reports an expired result URL as gone and streams a live one", async () => {
    const download = async (url: string | URL | Request) =>
      String(url).includes("expired") ? new Response("<Error>ExpiredToken</Error>", { status: 400 }) : new Response('{"id":"gid://shopify/Customer/1"}\n{"id":"gid://shopify/Customer/2"}\n');
    const admin = createShopifyAdminClient({ graphql: scripted([]).graphql, fetch: download as typeof fetch });
    expect(await admin.openBulkResult("https://storage.example/expired.jsonl")).toEqual({ ok: false, reason: "GONE", status: 400 });
    const result = await admin.openBulkResult("https://storage.example/live.jsonl", { startLine: 1 });
    const lines = [];
    if (result.ok) for await (const line of result.lines) lines.push(line);
    expect(lines).toEqual([{ line: 1, text: '{"id":"gid://shopify/Customer/2"}' }]);
  });
});
