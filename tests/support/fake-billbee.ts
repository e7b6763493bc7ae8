import { readFileSync } from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { BILLBEE_DEFAULT_API_URL } from "../../app/env.server";
import { pageBillbeeOrders, parseBillbeeOrderQuery } from "../../app/integrations/billbee/billbee-paging";

/**
 * A fake Billbee API for msw (msw/node setupServer): GET /orders over orders held in memory,
 * per Billbee account (API key + user + API password; anything else gets 401, as Billbee
 * answers), with Billbee's paging and modifiedAtMin filter (the same rules as the demo's
 * stand-in). It can be told to answer given requests with 429 + Retry-After, a 5xx, a network
 * error or an envelope carrying ErrorCode/ErrorMessage, and it records every request with the
 * time on the clock it was given, to prove pacing and incremental runs.
 */

export type Json = Record<string, unknown>;

export type FakeBillbeeCredentials = { apiKey: string; username: string; apiPassword: string };

export type FakeBillbeeRequest = {
  at: number;
  /** The account's user, or null when the credentials matched none. */
  username: string | null;
  page: number;
  pageSize: number;
  /** As sent (ISO), or null. */
  modifiedAtMin: string | null;
  status: number;
  /** What was scripted for it, if anything. */
  scripted: FakeBillbeeScript["kind"] | null;
};

export type FakeBillbeeScript =
  | { kind: "throttle"; retryAfterSeconds: number }
  | { kind: "server-error"; status: number }
  | { kind: "network-error" }
  | { kind: "error-envelope"; code: number; message: string; description?: string };

type Rule = { script: FakeBillbeeScript; page: number | null; remaining: number };

const FIXTURES = path.join(process.cwd(), "tests/fixtures/billbee");

/** The documented order page (tests/fixtures/billbee/orders-page.json). */
export function billbeeFixturePage(): { Paging: Json; Data: Json[] } & Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, "orders-page.json"), "utf8")) as { Paging: Json; Data: Json[] } & Json;
}

/** Billbee's envelope reporting an error (tests/fixtures/billbee/error-page.json). */
export function billbeeErrorFixture(): Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, "error-page.json"), "utf8")) as Json;
}

const TEMPLATE = billbeeFixturePage().Data[0]!;

/**
 * A Billbee order shaped like the fixture's first one, made unique by `id`: its own
 * BillBeeOrderId, number, buyer (Customer.Id and e-mail) and item ids.
 */
export function billbeeOrder(
  id: number,
  {
    customerId = 900_000 + id,
    email = `buyer${id}@example.de`,
    firstName = "Anna",
    lastName = `Käufer${id}`,
    createdAt = "2026-03-03T09:41:27",
    lastModifiedAt = "2026-03-04T15:02:11.873",
    state = 7,
    currency = "EUR",
    totalCost = 52.8,
    ...overrides
  }: {
    customerId?: number;
    email?: string;
    firstName?: string;
    lastName?: string;
    createdAt?: string;
    lastModifiedAt?: string;
    state?: number;
    currency?: string;
    totalCost?: number;
  } & Json = {},
): Json {
  const order = structuredClone(TEMPLATE);
  const address = (key: "InvoiceAddress" | "ShippingAddress") => ({ ...(order[key] as Json), FirstName: firstName, LastName: lastName, Email: email });
  const items = (order.OrderItems as Json[]).map((item, index) => ({ ...item, BillbeeId: id * 10 + index }));
  return {
    ...order,
    BillBeeOrderId: id,
    Id: String(id),
    OrderNumber: `BB-${id}`,
    State: state,
    CreatedAt: createdAt,
    UpdatedAt: lastModifiedAt.replace(/\.\d+$/, ""),
    LastModifiedAt: lastModifiedAt,
    Currency: currency,
    TotalCost: totalCost,
    PaidAmount: totalCost,
    InvoiceAddress: address("InvoiceAddress"),
    ShippingAddress: address("ShippingAddress"),
    OrderItems: items,
    Customer: { ...(order.Customer as Json), Id: customerId, Name: `${firstName} ${lastName}`, Email: email, DefaultMailAddress: { Id: 1, TypeId: 1, TypeName: "EMail", SubType: "", Value: email } },
    ...overrides,
  };
}

export function createFakeBillbee({ baseUrl = BILLBEE_DEFAULT_API_URL, now = Date.now }: { baseUrl?: string; now?: () => number } = {}) {
  const accounts: { credentials: FakeBillbeeCredentials; orders: Map<string, Json> }[] = [];
  const requests: FakeBillbeeRequest[] = [];
  const rules: Rule[] = [];

  const accountFor = (request: Request) => {
    const apiKey = request.headers.get("x-billbee-api-key");
    const match = /^Basic (.+)$/.exec(request.headers.get("authorization") ?? "");
    if (!apiKey || !match) return null;
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const separator = decoded.indexOf(":");
    const username = decoded.slice(0, separator);
    const password = decoded.slice(separator + 1);
    return accounts.find((account) => account.credentials.apiKey === apiKey && account.credentials.username === username && account.credentials.apiPassword === password) ?? null;
  };

  const handler = http.get(`${baseUrl.replace(/\/+$/, "")}/orders`, ({ request }) => {
    const url = new URL(request.url);
    const query = parseBillbeeOrderQuery(url.searchParams);
    const entry: FakeBillbeeRequest = {
      at: now(),
      username: null,
      page: query.page,
      pageSize: Number(url.searchParams.get("pageSize") ?? 50),
      modifiedAtMin: url.searchParams.get("modifiedAtMin"),
      status: 200,
      scripted: null,
    };
    requests.push(entry);
    const account = accountFor(request);
    if (!account) {
      entry.status = 401;
      return HttpResponse.json({ Message: "Authorization has been denied for this request." }, { status: 401 });
    }
    entry.username = account.credentials.username;
    const rule = rules.find((candidate) => candidate.remaining > 0 && (candidate.page === null || candidate.page === query.page));
    if (rule) {
      rule.remaining -= 1;
      entry.scripted = rule.script.kind;
      const script = rule.script;
      if (script.kind === "throttle") {
        entry.status = 429;
        return HttpResponse.json(
          { Message: "Too many requests" },
          { status: 429, headers: { "Retry-After": String(script.retryAfterSeconds) } },
        );
      }
      if (script.kind === "server-error") {
        entry.status = script.status;
        return new HttpResponse("<html><body><h1>Service Unavailable</h1></body></html>", { status: script.status, headers: { "content-type": "text/html" } });
      }
      if (script.kind === "network-error") {
        entry.status = 0;
        return HttpResponse.error();
      }
      return HttpResponse.json({ ...billbeeErrorFixture(), ErrorCode: script.code, ErrorMessage: script.message, ErrorDescription: script.description ?? null });
    }
    return HttpResponse.json(pageBillbeeOrders([...account.orders.values()] as { BillBeeOrderId: number }[], query));
  });

  return {
    handler,
    requests,
    /** A Billbee account answering to exactly these credentials. */
    addAccount(credentials: FakeBillbeeCredentials, orders: Json[] = []) {
      const account = { credentials, orders: new Map<string, Json>() };
      accounts.push(account);
      const api = {
        credentials,
        /** Adds or replaces orders (by BillBeeOrderId), as Billbee's data changes. */
        put(...changed: Json[]) {
          for (const order of changed) account.orders.set(String(order.BillBeeOrderId), order);
          return api;
        },
        get orders() {
          return [...account.orders.values()];
        },
        requests: () => requests.filter((request) => request.username === credentials.username),
      };
      api.put(...orders);
      return api;
    },
    /** The next `times` requests (for `page`, or any page) get this answer instead of the data. */
    script(script: FakeBillbeeScript, { page = null, times = 1 }: { page?: number | null; times?: number } = {}) {
      rules.push({ script, page, remaining: times });
    },
    reset() {
      requests.length = 0;
      rules.length = 0;
    },
  };
}

export type FakeBillbee = ReturnType<typeof createFakeBillbee>;
export type FakeBillbeeAccount = ReturnType<FakeBillbee["addAccount"]>;

/** An msw server answering for these fakes (listen in beforeAll, close in afterAll). */
export function setupFakeBillbeeServer(...fakes: FakeBillbee[]) {
  return setupServer(...fakes.map((fake) => fake.handler));
}

/** A clock tests move by hand, and a sleep that moves it instead of waiting. */
export function fakeTime(start = Date.parse("2026-04-01T12:00:00.000Z")) {
  let current = start;
  const waits: number[] = [];
  return {
    now: () => current,
    date: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      current += ms;
    },
  };
}
