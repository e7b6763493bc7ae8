import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { action as profileAction, loader as profileLoader } from "../../app/routes/api.v1.customers.$customerId";
import { action as customersAction, loader as customersLoader } from "../../app/routes/api.v1.customers";
import { loader as openApiLoader } from "../../app/routes/api.v1.openapi[.]json";
import { action as ordersAction, loader as ordersLoader } from "../../app/routes/api.v1.orders";
import { action as settingsAction, loader as settingsLoader } from "../../app/routes/app.settings";
import { loader as fileLoader } from "../../app/routes/files.$fileId";
import { createApiKey, revokeApiKey } from "../../app/services/api-keys.server";
import { MAX_API_BODY_BYTES } from "../../app/services/import-api.server";
import { storeFile } from "../../app/services/stored-files.server";
import { adminRequest, createOfflineSession } from "../support/admin-requests";
import { describeEachDatabase } from "../support/databases";
import { createCheckout, createCustomer, createLetter, createOrder, createShop } from "../support/factories";

/**
 * The import API (A4) through its real route modules: Requests with JSON bodies and Bearer keys,
 * the one ingestion path on a real database, and every answer checked against the OpenAPI
 * document the app serves. Also the Settings actions behind it (keys, exchange rates).
 */

const BASE = "http://127.0.0.1:3000";
const DAY = 86_400_000;
const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY);
const iso = (days: number) => daysAgo(days).toISOString();
const PDF = Buffer.concat([Buffer.from("%PDF-1.7\n", "latin1"), randomBytes(1024), Buffer.from("\n%%EOF\n")]);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: Json; headers: Headers };
type Operation = { path: string; method: "get" | "post" };

const OPERATIONS = {
  findCustomers: { path: "/api/v1/customers", method: "get" },
  pushCustomers: { path: "/api/v1/customers", method: "post" },
  profile: { path: "/api/v1/customers/{customerId}", method: "get" },
  pushOrders: { path: "/api/v1/orders", method: "post" },
} satisfies Record<string, Operation>;

function apiRequest(pathAndQuery: string, { key, method = "GET", body, headers = {} }: { key?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return new Request(new URL(pathAndQuery, BASE), {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

describeEachDatabase("import API", (current) => {
  const domainA = `api-a-${randomBytes(3).toString("hex")}.myshopify.com`;
  const domainB = `api-b-${randomBytes(3).toString("hex")}.myshopify.com`;
  let shopA: string;
  let shopB: string;
  let keyA: string;
  let keyB: string;
  let storeDir: string;
  let document: Json;
  let ajv: InstanceType<typeof Ajv2020>;

  /** The schema of an operation's answer with this status, as a JSON pointer into the served document. */
  function responseSchemaPointer({ path: apiPath, method }: Operation, status: number): string {
    const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
    const response = document.paths[apiPath]?.[method]?.responses?.[String(status)];
    expect(response, `${method.toUpperCase()} ${apiPath} documents ${status}`).toBeDefined();
    const base = response.$ref
      ? (response.$ref as string).slice(1)
      : `/paths/${escape(apiPath)}/${method}/responses/${status}`;
    return `openapi.json#${base}/content/application~1json/schema`;
  }

  /** Runs a route handler, reads its JSON answer and checks it against the document. */
  async function answer(operation: Operation, handler: Promise<Response>): Promise<Answer> {
    const response = await handler;
    expect(response).toBeInstanceOf(Response);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as Json;
    const validate = ajv.compile({ $ref: responseSchemaPointer(operation, response.status) });
    expect(validate(body), `${operation.method.toUpperCase()} ${operation.path} ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`).toBe(true);
    return { status: response.status, body, headers: response.headers };
  }

  const api = {
    find: (query: string, key: string | null = keyA) => answer(OPERATIONS.findCustomers, customersLoader(args(apiRequest(`/api/v1/customers${query}`, { key })))),
    pushCustomers: (body: unknown, key: string | null = keyA, headers: Record<string, string> = {}) =>
      answer(OPERATIONS.pushCustomers, customersAction(args(apiRequest("/api/v1/customers", { key, method: "POST", body, headers })))),
    pushOrders: (body: unknown, key: string | null = keyA, headers: Record<string, string> = {}) =>
      answer(OPERATIONS.pushOrders, ordersAction(args(apiRequest("/api/v1/orders", { key, method: "POST", body, headers })))),
    profile: (customerId: string, key: string | null = keyA) =>
      answer(OPERATIONS.profile, profileLoader(args(apiRequest(`/api/v1/customers/${customerId}`, { key }), { customerId }))),
  };

  const order = (sourceId: string, overrides: Json = {}) => ({
    sourceId,
    number: `#${sourceId}`,
    placedAt: iso(10),
    currency: "EUR",
    total: "49.90",
    customer: { sourceId: "api-ada", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
    items: [
      { title: "Espresso beans", sku: "ESP-1", quantity: 1, unitPrice: "24.95" },
      { title: "Filter papers", quantity: 1, unitPrice: "24.95" },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    const { db } = current();
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-api-"));
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
    await createOfflineSession(db, domainA);
    shopA = (await createShop(db, { domain: domainA, currency: "EUR" })).id;
    shopB = (await createShop(db, { domain: domainB, currency: "EUR" })).id;
    keyA = (await createApiKey({ shopId: shopA, name: "ERP", now: new Date() })).key;
    keyB = (await createApiKey({ shopId: shopB, name: "ERP", now: new Date() })).key;

    const served = await openApiLoader();
    expect(served.status).toBe(200);
    document = (await served.json()) as Json;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, "openapi.json");
  });

  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
  });

  it("serves an OpenAPI 3.1 document whose operations, responses and references all resolve", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.title).toBeTruthy();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(document.paths).sort()).toEqual(["/api/v1/customers", "/api/v1/customers/{customerId}", "/api/v1/openapi.json", "/api/v1/orders"]);
    for (const operation of Object.values(OPERATIONS)) {
      const described = document.paths[operation.path][operation.method];
      expect(described.operationId).toBeTruthy();
      expect(Object.keys(described.responses)).toEqual(expect.arrayContaining(["200", "401"]));
    }
    expect(Object.keys(document.paths["/api/v1/orders"].post.responses).sort()).toEqual(["200", "400", "401", "405", "413", "415", "422"]);
    expect(document.paths["/api/v1/customers/{customerId}"].get.responses["404"]).toBeDefined();
    expect(document.paths["/api/v1/orders"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/OrdersBatch" });
    // Every $ref in the document points at something that exists.
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const pointer = ref.slice('"$ref":"#/'.length, -1).split("/");
      const target = pointer.reduce<Json | undefined>((node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], document);
      expect(target, ref).toBeDefined();
    }
    // Every component schema compiles as JSON Schema 2020-12.
    for (const name of Object.keys(document.components.schemas)) expect(() => ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` })).not.toThrow();
    // The request schema refuses what the API refuses.
    const batch = ajv.compile({ $ref: "openapi.json#/components/schemas/OrdersBatch" });
    expect(batch({ orders: [order("doc-1")] })).toBe(true);
    expect(batch({ orders: [order("doc-1", { total: "49,90" })] })).toBe(false);
    expect(batch({ orders: [] })).toBe(false);
  });

  it("refuses requests without a valid key with 401 and a Bearer challenge", async () => {
    const { db } = current();
    const revoked = await createApiKey({ shopId: shopA, name: "Old", now: new Date() });
    await revokeApiKey({ shopId: shopA, keyId: revoked.id, now: new Date() });
    const wrong = `llk_${randomBytes(32).toString("base64url")}`;
    for (const key of [null, wrong, "not-a-key", revoked.key, keyA.slice(0, -1) + (keyA.endsWith("A") ? "B" : "A")]) {
      const found = await api.find("?email=ada@example.com", key);
      expect(found.status, String(key)).toBe(401);
      expect(found.body.error.code).toBe("UNAUTHORIZED");
      expect(found.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect((await api.pushOrders({ orders: [order("never-written")] }, key)).status).toBe(401);
      expect((await api.pushCustomers({ customers: [{ sourceId: "never-written" }] }, key)).status).toBe(401);
      expect((await api.profile("whatever", key)).status).toBe(401);
    }
    const basic = await answer(OPERATIONS.findCustomers, customersLoader(args(apiRequest("/api/v1/customers?email=a@b.de", { headers: { authorization: "Basic dXNlcjpwYXNz" } }))));
    expect(basic.status).toBe(401);
    expect(await db.order.count({ where: { sourceId: "never-written" } })).toBe(0);
    expect(await db.customerIdentity.count({ where: { sourceId: "never-written" } })).toBe(0);
  });

  it("answers malformed, empty, oversized and non-JSON bodies with 400, 413 and 415", async () => {
    const malformed = await api.pushOrders('{"orders": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("MALFORMED_JSON");
    expect((await api.pushCustomers("")).status).toBe(400);
    const wrongType = await api.pushOrders("orders=1", keyA, { "content-type": "application/x-www-form-urlencoded" });
    expect(wrongType.status).toBe(415);
    // Streamed past the limit (no Content-Length), and declared past it.
    const huge = `{"orders":[${" ".repeat(MAX_API_BODY_BYTES)}]}`;
    const tooLarge = await api.pushOrders(huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const declared = await answer(
      OPERATIONS.pushOrders,
      ordersAction(args(new Request(`${BASE}/api/v1/orders`, { method: "POST", headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json", "content-length": String(MAX_API_BODY_BYTES + 1) }, body: "{}" }))),
    );
    expect(declared.status).toBe(413);
  });

  it("answers a wrong method with 405 and the methods allowed", async () => {
    const getOrders = await ordersLoader(args(apiRequest("/api/v1/orders", { key: keyA })));
    expect(getOrders.status).toBe(405);
    expect(getOrders.headers.get("allow")).toBe("POST");
    const putCustomers = await customersAction(args(apiRequest("/api/v1/customers", { key: keyA, method: "PUT", body: { customers: [] } })));
    expect(putCustomers.status).toBe(405);
    const deleteProfile = await profileAction(args(apiRequest("/api/v1/customers/x", { key: keyA, method: "DELETE" }), { customerId: "x" }));
    expect(deleteProfile.status).toBe(405);
    expect(((await deleteProfile.json()) as Json).error.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("refuses invalid data with 422 naming each bad field, and writes nothing", async () => {
    const { db } = current();
    const before = await db.order.count({ where: { shopId: shopA } });
    const bad = await api.pushOrders({
      orders: [
        order("bad-0"),
        order("bad-1"),
        order("bad-2"),
        order("bad-3", { total: "49,90", placedAt: "last tuesday", customer: { firstName: "Nobody" }, items: [{ title: "Tea", quantity: 1.5, unitPrice: "3" }] }),
        { ...order("bad-4"), currency: "EURO", colour: "red" },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("VALIDATION");
    expect(bad.body.error.fields).toEqual({
      "orders.3.total": ['expected a decimal string such as "49.90"'],
      "orders.3.placedAt": ["expected an ISO 8601 date and time with offset, such as 2025-03-01T10:15:00Z"],
      "orders.3.customer.email": ["required when sourceId is missing"],
      "orders.3.items.0.quantity": ["expected a whole number"],
      "orders.4.currency": ["expected an ISO 4217 code in capitals, such as EUR"],
      "orders.4.colour": ["unknown field"],
    });
    expect(await db.order.count({ where: { shopId: shopA } })).toBe(before);

    const tooMany = await api.pushOrders({ orders: Array.from({ length: 1001 }, (_, index) => order(`many-${index}`)) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.fields).toEqual({ orders: ["at most 1000 items per request"] });
    const tooManyCustomers = await api.pushCustomers({ customers: Array.from({ length: 1001 }, (_, index) => ({ sourceId: `many-${index}` })) });
    expect(tooManyCustomers.status).toBe(422);
    expect(await db.order.count({ where: { shopId: shopA } })).toBe(before);
    expect(await db.customerIdentity.count({ where: { shopId: shopA, sourceId: { startsWith: "many-" } } })).toBe(0);
  });

  it("pushes customers idempotently: created, then skipped, then updated where changed", async () => {
    const { db } = current();
    const customers = [
      { sourceId: "cust-1", email: "grace@example.com", firstName: "Grace", lastName: "Hopper", language: "en-US" },
      { sourceId: "cust-2", email: "alan@example.com", firstName: "Alan", lastName: "Turing", address: { line1: "Wilmslow Road 1", postalCode: "M14", city: "Manchester", countryCode: "gb" } },
      { sourceId: "cust-3", firstName: "Nameless" },
    ];
    const first = await api.pushCustomers({ customers });
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ created: 3, updated: 0, skipped: 0 });
    expect(first.body.results.map((result: Json) => [result.index, result.sourceId, result.outcome])).toEqual([
      [0, "cust-1", "created"],
      [1, "cust-2", "created"],
      [2, "cust-3", "created"],
    ]);
    const alan = await db.customer.findFirstOrThrow({ where: { id: first.body.results[1].id, shopId: shopA } });
    expect(alan).toMatchObject({ firstName: "Alan", city: "Manchester", countryCode: "GB", emailNormalized: "alan@example.com" });
    const run = await db.importRun.findFirstOrThrow({ where: { id: first.body.importRunId, shopId: shopA } });
    expect(run).toMatchObject({ kind: "API", status: "SUCCEEDED", createdCount: 3, updatedCount: 0, skippedCount: 0, processedRows: 3 });

    const again = await api.pushCustomers({ customers });
    expect(again.body.counts).toEqual({ created: 0, updated: 0, skipped: 3 });
    expect(again.body.results.map((result: Json) => result.id)).toEqual(first.body.results.map((result: Json) => result.id));

    const changed = await api.pushCustomers({ customers: [customers[0], { ...customers[1], lastName: "M. Turing" }, customers[2]] });
    expect(changed.body.counts).toEqual({ created: 0, updated: 1, skipped: 2 });
    expect(changed.body.results[1].outcome).toBe("updated");
    expect((await db.customer.findFirstOrThrow({ where: { id: alan.id } })).lastName).toBe("M. Turing");
    expect(await db.importRun.count({ where: { shopId: shopA, kind: "API" } })).toBeGreaterThanOrEqual(3);
  });

  it("merges a customer with the same e-mail as a Shopify customer into one customer with two identities", async () => {
    const { db } = current();
    const shopify = await createCustomer(db, { shopId: shopA, email: "Margaret@Example.com", firstName: "Margaret", lastName: "Hamilton" });
    const pushed = await api.pushCustomers({ customers: [{ sourceId: "erp-margaret", email: "margaret@example.com", phone: "+1 555 0100" }] });
    expect(pushed.body.results[0]).toMatchObject({ id: shopify.id, outcome: "updated" });
    expect(pushed.body.counts).toEqual({ created: 0, updated: 1, skipped: 0 });
    const identities = await db.customerIdentity.findMany({ where: { shopId: shopA, customerId: shopify.id }, orderBy: { createdAt: "asc" } });
    expect(identities.map((identity) => identity.source)).toEqual(["SHOPIFY", "API"]);
    expect(await db.customer.count({ where: { shopId: shopA, emailNormalized: "margaret@example.com" } })).toBe(1);

    const found = await api.find("?email=MARGARET@example.com");
    expect(found.body.customers).toHaveLength(1);
    expect(found.body.customers[0]).toMatchObject({ id: shopify.id, source: "shopify", sourceId: identities[0]!.sourceId, firstName: "Margaret" });
    expect(found.body.customers[0].identities).toEqual([
      { source: "shopify", sourceId: identities[0]!.sourceId },
      { source: "api", sourceId: "erp-margaret" },
    ]);
    expect((await api.find("?source=API&sourceId=erp-margaret")).body.customers.map((c: Json) => c.id)).toEqual([shopify.id]);
    expect((await api.find(`?source=shopify&sourceId=${identities[0]!.sourceId}`)).body.customers.map((c: Json) => c.id)).toEqual([shopify.id]);
    expect((await api.find("?email=nobody@example.com")).body.customers).toEqual([]);

    // An order naming its buyer by e-mail alone lands on the same customer, and a re-post changes nothing.
    const byEmail = { orders: [order("margaret-1", { customer: { email: "MARGARET@example.com" }, items: [] })] };
    const first = await api.pushOrders(byEmail);
    expect(first.body.results[0]).toMatchObject({ customerId: shopify.id, outcome: "created" });
    expect((await api.pushOrders(byEmail)).body.results[0]).toMatchObject({ customerId: shopify.id, outcome: "skipped" });
    expect(await db.customer.count({ where: { shopId: shopA, emailNormalized: "margaret@example.com" } })).toBe(1);
    expect((await db.customer.findFirstOrThrow({ where: { id: shopify.id } })).orderCount).toBe(1);
    expect((await api.find("?source=api&sourceId=nobody")).body.customers).toEqual([]);
  });

  it("answers a search without criteria or with bad ones with 400", async () => {
    const none = await api.find("");
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe("BAD_REQUEST");
    expect(Object.keys(none.body.error.fields)).toEqual(["email"]);
    const badSource = await api.find("?source=ebay&sourceId=1");
    expect(badSource.status).toBe(400);
    expect(badSource.body.error.fields).toEqual({ source: ["expected one of shopify, billbee, csv, api"] });
    expect((await api.find("?email=not-an-address")).status).toBe(400);
    expect((await api.find("?source=api")).body.error.fields).toEqual({ sourceId: ["required"] });
  });

  it("pushes orders idempotently, never live unless asked, live once asked", async () => {
    const { db } = current();
    const orders = [
      order("ord-1", { updatedAt: iso(9) }),
      order("ord-2", { placedAt: iso(5), total: "24.95", items: [{ title: "Mug", sku: "MUG", quantity: 1, unitPrice: "24.95" }], status: { financial: "paid", fulfilment: "fulfilled" } }),
      order("ord-3", { customer: { email: "Katherine@Example.com" }, total: "10.00", items: [{ title: "Tea", quantity: 2, unitPrice: "5.00" }] }),
    ];
    const first = await api.pushOrders({ orders });
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ created: 3, updated: 0, skipped: 0 });
    expect(first.body.results.map((result: Json) => [result.sourceId, result.outcome, result.live])).toEqual([
      ["ord-1", "created", false],
      ["ord-2", "created", false],
      ["ord-3", "created", false],
    ]);
    const stored = await db.order.findMany({ where: { shopId: shopA, source: "API", sourceId: { in: ["ord-1", "ord-2", "ord-3"] } }, include: { lineItems: { orderBy: { position: "asc" } } }, orderBy: { sourceId: "asc" } });
    expect(stored.map((row) => [row.sourceId, row.live, row.totalMinor, row.totalShopMinor, row.importRunId])).toEqual([
      ["ord-1", false, 4990n, 4990n, first.body.importRunId],
      ["ord-2", false, 2495n, 2495n, first.body.importRunId],
      ["ord-3", false, 1000n, 1000n, first.body.importRunId],
    ]);
    expect(stored[2]!.lineItems.map((item) => [item.title, item.quantity, item.unitPriceMinor, item.totalMinor])).toEqual([["Tea", 2, 500n, 1000n]]);
    // The same buyer for the first two; a buyer known by e-mail alone became a customer of their own.
    expect(first.body.results[0].customerId).toBe(first.body.results[1].customerId);
    const katherine = await db.customer.findFirstOrThrow({ where: { id: first.body.results[2].customerId, shopId: shopA }, include: { identities: true } });
    expect(katherine.emailNormalized).toBe("katherine@example.com");
    expect(katherine.identities.map((identity) => [identity.source, identity.sourceId])).toEqual([["API", "email:katherine@example.com"]]);
    const ada = await db.customer.findFirstOrThrow({ where: { id: first.body.results[0].customerId } });
    expect(ada).toMatchObject({ orderCount: 2, lifetimeValueMinor: 7485n });

    const again = await api.pushOrders({ orders });
    expect(again.body.counts).toEqual({ created: 0, updated: 0, skipped: 3 });
    expect(again.body.results.map((result: Json) => result.id)).toEqual(first.body.results.map((result: Json) => result.id));

    const changed = await api.pushOrders({ orders: [orders[0], { ...orders[1], total: "30.00", items: [{ title: "Mug", sku: "MUG", quantity: 1, unitPrice: "30.00" }] }, { ...orders[2], live: true }] });
    expect(changed.body.results.map((result: Json) => [result.outcome, result.live])).toEqual([
      ["skipped", false],
      ["updated", false],
      ["updated", true],
    ]);
    expect((await db.order.findFirstOrThrow({ where: { shopId: shopA, source: "API", sourceId: "ord-3" } })).live).toBe(true);
    expect((await db.customer.findFirstOrThrow({ where: { id: ada.id } })).lifetimeValueMinor).toBe(7990n);

    // Live is never taken back by a later history push.
    const history = await api.pushOrders({ orders: [{ ...orders[2], live: false, total: "12.00", items: [{ title: "Tea", quantity: 2, unitPrice: "6.00" }] }] });
    expect(history.body.results[0]).toMatchObject({ outcome: "updated", live: true });

    const live = await api.pushOrders({ orders: [order("ord-live", { placedAt: new Date().toISOString(), live: true })] });
    expect(live.body.results[0]).toMatchObject({ outcome: "created", live: true });
    expect((await db.order.findFirstOrThrow({ where: { shopId: shopA, source: "API", sourceId: "ord-live" } })).live).toBe(true);
  });

  it("returns the whole profile: all 25 orders with items, no checkouts for an API customer", async () => {
    const orders = Array.from({ length: 25 }, (_, index) =>
      order(`hist-${index}`, {
        placedAt: iso(100 - index),
        total: "10.00",
        customer: { sourceId: "api-barbara", email: "barbara@example.com", firstName: "Barbara", lastName: "Liskov", language: "de" },
        items: [
          { title: `Item ${index}`, sku: `SKU-${index}`, quantity: 2, unitPrice: "4.00" },
          { title: "Shipping", quantity: 1, unitPrice: "2.00" },
        ],
      }),
    );
    const pushed = await api.pushOrders({ orders });
    expect(pushed.body.counts.created).toBe(25);
    const customerId = pushed.body.results[0].customerId as string;

    const profile = await api.profile(customerId);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      id: customerId,
      source: "api",
      sourceId: "api-barbara",
      email: "barbara@example.com",
      firstName: "Barbara",
      lastName: "Liskov",
      language: "de",
      optedOut: false,
      stats: {
        lifetimeValue: { amount: "250.00", currency: "EUR" },
        orderCount: 25,
        averageOrderValue: { amount: "10.00", currency: "EUR" },
        firstOrderAt: daysAgo(100).toISOString(),
        lastOrderAt: daysAgo(76).toISOString(),
      },
      checkouts: [],
      letters: [],
    });
    expect(profile.body.orders).toHaveLength(25);
    expect(profile.body.orders.map((entry: Json) => entry.sourceId)).toEqual(orders.map((entry) => entry.sourceId).reverse());
    expect(profile.body.orders[0]).toEqual({
      id: pushed.body.results[24].id,
      sourceId: "hist-24",
      number: "#hist-24",
      placedAt: daysAgo(76).toISOString(),
      total: { amount: "10.00", currency: "EUR" },
      status: "open",
      items: [
        { title: "Item 24", sku: "SKU-24", quantity: 2, unitPrice: "4.00" },
        { title: "Shipping", sku: null, quantity: 1, unitPrice: "2.00" },
      ],
    });
  });

  it("returns a Shopify customer's checkouts with their states and letters with a working PDF link", async () => {
    const { db } = current();
    const customer = await createCustomer(db, { shopId: shopA, email: "linus@example.com", firstName: "Linus", lastName: "T" });
    const recoveringOrder = await createOrder(db, { shopId: shopA, customerId: customer.id, placedAt: daysAgo(3), financialState: "PAID", fulfilmentState: "UNFULFILLED" });
    await createOrder(db, { shopId: shopA, customerId: customer.id, placedAt: daysAgo(2), cancelledAt: daysAgo(1) });
    await createCheckout(db, { shopId: shopA, customerId: customer.id, token: `open-${customer.id}`, sourceCreatedAt: daysAgo(0.01), abandonedAt: null });
    await createCheckout(db, { shopId: shopA, customerId: customer.id, token: `abandoned-${customer.id}`, sourceCreatedAt: daysAgo(6), abandonedAt: daysAgo(5.9) });
    await createCheckout(db, {
      shopId: shopA,
      customerId: customer.id,
      token: `recovered-${customer.id}`,
      sourceCreatedAt: daysAgo(4),
      abandonedAt: daysAgo(3.9),
      recoveredAt: daysAgo(3),
      recoveredByOrderId: recoveringOrder.id,
      recoveryKind: "SAME_CUSTOMER_ORDER",
    });
    await createCheckout(db, { shopId: shopA, customerId: customer.id, token: `completed-${customer.id}`, sourceCreatedAt: daysAgo(8), abandonedAt: null, completedAt: daysAgo(8) });
    const campaign = await db.campaign.create({ data: { shopId: shopA, name: "Spring letters", status: "SENT" } });
    const file = await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "letter.pdf", contentType: "application/pdf", bytes: PDF });
    const mailed = await createLetter(db, {
      shopId: shopA,
      customerId: customer.id,
      campaignId: campaign.id,
      status: "MAILED",
      createdAt: daysAgo(20),
      submittedAt: daysAgo(19),
      fileId: file.id,
      firstScanAt: daysAgo(15),
      scanCount: 2,
    });
    await createLetter(db, { shopId: shopA, customerId: customer.id, status: "SCHEDULED", createdAt: daysAgo(1) });

    const profile = await api.profile(customer.id);
    expect(profile.status).toBe(200);
    expect(profile.body.source).toBe("shopify");
    expect(profile.body.orders.map((entry: Json) => entry.status)).toEqual(["cancelled", "paid"]);
    expect(profile.body.checkouts.map((checkout: Json) => [checkout.token.split("-")[0], checkout.state])).toEqual([
      ["open", "open"],
      ["recovered", "recovered"],
      ["abandoned", "abandoned"],
      ["completed", "completed"],
    ]);
    expect(profile.body.checkouts[1]).toMatchObject({ recoveredByOrderId: recoveringOrder.id, value: { amount: "19.90", currency: "EUR" }, abandonedAt: daysAgo(3.9).toISOString() });
    expect(profile.body.letters).toHaveLength(2);
    expect(profile.body.letters[0]).toMatchObject({ status: "scheduled", campaign: null, sentAt: null, pdfUrl: null, scanCount: 0 });
    expect(profile.body.letters[1]).toMatchObject({
      id: mailed.id,
      campaign: { id: campaign.id, name: "Spring letters" },
      status: "mailed",
      sentAt: daysAgo(19).toISOString(),
      firstScanAt: daysAgo(15).toISOString(),
      scanCount: 2,
    });
    const pdfUrl = new URL(profile.body.letters[1].pdfUrl as string);
    expect(pdfUrl.origin).toBe("http://127.0.0.1:3000");
    const download = await fileLoader(args(new Request(pdfUrl), { fileId: pdfUrl.pathname.split("/").pop()! }));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it("never lets one shop's key reach or change another shop's data", async () => {
    const { db } = current();
    const theirs = await createCustomer(db, { shopId: shopB, email: "secret@example.com" });
    const notFound = await api.profile(theirs.id, keyA);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.code).toBe("NOT_FOUND");
    expect((await api.profile(theirs.id, keyB)).status).toBe(200);
    expect((await api.profile("no-such-customer", keyA)).status).toBe(404);
    expect((await api.find("?email=secret@example.com", keyA)).body.customers).toEqual([]);
    expect((await api.find(`?source=shopify&sourceId=${theirs.identities[0]!.sourceId}`, keyA)).body.customers).toEqual([]);

    // Shop B pushes an order; shop A pushing the same source id writes its own, B's stays as it was.
    const theirsPushed = await api.pushOrders({ orders: [order("shared-1", { total: "99.00", items: [] })] }, keyB);
    const oursPushed = await api.pushOrders({ orders: [order("shared-1", { total: "11.00", items: [] })] }, keyA);
    expect(oursPushed.body.results[0].outcome).toBe("created");
    expect(oursPushed.body.results[0].id).not.toBe(theirsPushed.body.results[0].id);
    const rows = await db.order.findMany({ where: { source: "API", sourceId: "shared-1" }, select: { shopId: true, totalMinor: true } });
    expect(rows.map((row) => [row.shopId === shopA ? "A" : "B", row.totalMinor]).sort()).toEqual([
      ["A", 1100n],
      ["B", 9900n],
    ]);
    expect((await api.profile(theirsPushed.body.results[0].customerId, keyA)).status).toBe(404);
  });

  it("creates a key in Settings that is shown once, stored hashed, works, and stops working when revoked", async () => {
    const { db } = current();
    const created = (await settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "create-api-key", name: "Warehouse" } })))) as Json;
    expect(created.ok).toBe(true);
    const key = created.createdKey.key as string;
    expect(key).toMatch(/^llk_[A-Za-z0-9_-]{43}$/);
    const row = await db.apiKey.findFirstOrThrow({ where: { id: created.createdKey.id, shopId: shopA } });
    expect(row.hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(row.prefix).toBe(key.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(key.slice(12));

    const settings = (await settingsLoader(args(adminRequest("/app/settings", domainA)))) as Json;
    const listed = settings.apiKeys.find((entry: Json) => entry.id === row.id);
    expect(listed).toMatchObject({ name: "Warehouse", prefix: row.prefix, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(settings)).not.toContain(key);
    expect(settings.openApiUrl).toBe("http://127.0.0.1:3000/api/v1/openapi.json");

    expect((await api.find("?email=ada@example.com", key)).status).toBe(200);
    const used = await db.apiKey.findFirstOrThrow({ where: { id: row.id } });
    expect(used.lastUsedAt).not.toBeNull();
    // Within a minute, another use does not write again.
    expect((await api.find("?email=ada@example.com", key)).status).toBe(200);
    expect((await db.apiKey.findFirstOrThrow({ where: { id: row.id } })).lastUsedAt).toEqual(used.lastUsedAt);

    const empty = await settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "create-api-key", name: "  " } })));
    expect(((empty as { data: Json }).data ?? empty).fieldErrors).toEqual({ name: ["is required"] });

    const revoked = (await settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "revoke-api-key", keyId: row.id } })))) as Json;
    expect(revoked.ok).toBe(true);
    expect((await db.apiKey.findFirstOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect((await api.find("?email=ada@example.com", key)).status).toBe(401);
    // Another shop's key cannot be revoked from this shop.
    const foreign = await db.apiKey.findFirstOrThrow({ where: { shopId: shopB } });
    const refused = await settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "revoke-api-key", keyId: foreign.id } })));
    expect((refused as { init: { status: number } }).init.status).toBe(404);
    expect((await db.apiKey.findFirstOrThrow({ where: { id: foreign.id } })).revokedAt).toBeNull();
  });

  it("counts an order in another currency once a rate is set in Settings, and no longer once it is deleted", async () => {
    const { db } = current();
    const pushed = await api.pushOrders({
      orders: [
        order("usd-1", { currency: "USD", total: "100.00", refunded: "10.00", customer: { sourceId: "api-usd", email: "usd@example.com" }, items: [{ title: "Grinder", quantity: 1, unitPrice: "100.00" }] }),
        order("eur-1", { currency: "EUR", total: "20.00", customer: { sourceId: "api-usd" }, items: [] }),
      ],
    });
    const customerId = pushed.body.results[0].customerId as string;
    const stats = async () => db.customer.findFirstOrThrow({ where: { id: customerId }, select: { lifetimeValueMinor: true, orderCount: true, unconvertedOrderCount: true } });
    expect(await stats()).toEqual({ lifetimeValueMinor: 2000n, orderCount: 1, unconvertedOrderCount: 1 });
    expect((await api.profile(customerId)).body.stats.lifetimeValue).toEqual({ amount: "20.00", currency: "EUR" });

    const setRate = (form: Record<string, string>) => settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "set-exchange-rate", ...form } })));
    const invalid = (await setRate({ currency: "USD", rateToShop: "-1" })) as { data: Json; init: { status: number } };
    expect(invalid.init.status).toBe(422);
    expect(Object.keys(invalid.data.fieldErrors)).toEqual(["rateToShop"]);
    expect(((await setRate({ currency: "EUR", rateToShop: "1" })) as { data: Json }).data.fieldErrors).toEqual({ currency: ["EUR is the shop currency."] });
    expect(((await setRate({ currency: "ABC", rateToShop: "1" })) as { data: Json }).data.fieldErrors).toHaveProperty("currency");

    const saved = (await setRate({ currency: "usd", rateToShop: "0,9" })) as Json;
    expect(saved).toMatchObject({ ok: true, rate: { currency: "USD", rateToShop: "0.9", ordersConverted: 1 } });
    expect(await db.order.findFirstOrThrow({ where: { shopId: shopA, sourceId: "usd-1" }, select: { totalShopMinor: true, refundedShopMinor: true } })).toEqual({ totalShopMinor: 9000n, refundedShopMinor: 900n });
    expect(await stats()).toEqual({ lifetimeValueMinor: 2000n + 8100n, orderCount: 2, unconvertedOrderCount: 0 });
    expect((await api.profile(customerId)).body.stats).toMatchObject({ lifetimeValue: { amount: "101.00", currency: "EUR" }, orderCount: 2 });
    const settings = (await settingsLoader(args(adminRequest("/app/settings", domainA)))) as Json;
    expect(settings.exchangeRates).toEqual([{ currency: "USD", rateToShop: "0.9", updatedAt: expect.any(String) }]);

    // A later order in that currency is converted on arrival.
    await api.pushOrders({ orders: [order("usd-2", { currency: "USD", total: "50.00", customer: { sourceId: "api-usd" }, items: [] })] });
    expect((await db.order.findFirstOrThrow({ where: { shopId: shopA, sourceId: "usd-2" } })).totalShopMinor).toBe(4500n);

    const deleted = (await settingsAction(args(adminRequest("/app/settings", domainA, { form: { intent: "delete-exchange-rate", currency: "USD" } })))) as Json;
    expect(deleted).toMatchObject({ ok: true, rate: { currency: "USD", ordersConverted: 2 } });
    expect(await stats()).toEqual({ lifetimeValueMinor: 2000n, orderCount: 1, unconvertedOrderCount: 2 });
    expect((await db.order.findFirstOrThrow({ where: { shopId: shopA, sourceId: "usd-1" } })).totalShopMinor).toBeNull();
    expect(await db.exchangeRate.count({ where: { shopId: shopA } })).toBe(0);
  });
});
