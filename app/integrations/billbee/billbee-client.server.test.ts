import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { billbeeOrder, createFakeBillbee, fakeTime, setupFakeBillbeeServer } from "../../../tests/support/fake-billbee";
import { BillbeeError, createBillbeeClient, parseRetryAfter } from "./billbee-client.server";

/** The client against the fake Billbee API over real HTTP shapes (msw), on a hand-moved clock. */

const BASE = "https://api.billbee.io/api/v1";
const credentials = { apiKey: "A1B2C3D4-DEV-KEY", username: "roesterei@example.de", apiPassword: "api-passwört" };

let time = fakeTime();
const fake = createFakeBillbee({ now: () => time.now() });
const account = fake.addAccount(credentials, Array.from({ length: 7 }, (_, index) => billbeeOrder(1000 + index)));
const server = setupFakeBillbeeServer(fake);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  fake.reset();
  time = fakeTime();
});
afterAll(() => server.close());

function client(overrides: Partial<Parameters<typeof createBillbeeClient>[0]> = {}) {
  return createBillbeeClient({ baseUrl: BASE, credentials, now: () => time.now(), sleep: (ms) => time.sleep(ms), ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<BillbeeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BillbeeError) return error;
    throw error;
  }
  throw new Error("expected a BillbeeError");
}

describe("Billbee client", () => {
  it("pages with the key and Basic auth, and keeps to 2 requests per second", async () => {
    const billbee = client();
    const first = await billbee.listOrders({ page: 1, pageSize: 3 });
    expect(first).toMatchObject({ page: 1, totalPages: 3, totalRows: 7, pageSize: 3 });
    expect(first.orders.map((order) => (order as { BillBeeOrderId: number }).BillBeeOrderId)).toEqual([1000, 1001, 1002]);
    await billbee.listOrders({ page: 2, pageSize: 3 });
    await billbee.listOrders({ page: 3, pageSize: 3, modifiedAtMin: new Date("2026-01-01T00:00:00Z") });

    const sent = account.requests();
    expect(sent.map((request) => [request.page, request.pageSize, request.modifiedAtMin])).toEqual([
      [1, 3, null],
      [2, 3, null],
      [3, 3, "2026-01-01T00:00:00.000Z"],
    ]);
    for (let index = 1; index < sent.length; index++) expect(sent[index]!.at - sent[index - 1]!.at).toBeGreaterThanOrEqual(500);
  });

  it("never asks for more than 250 orders per page", async () => {
    await client().listOrders({ page: 1, pageSize: 1000 });
    expect(fake.requests[0]!.pageSize).toBe(250);
  });

  it("waits as long as Retry-After says after a 429, then goes on", async () => {
    fake.script({ kind: "throttle", retryAfterSeconds: 3 });
    const page = await client().listOrders({ page: 1, pageSize: 50 });
    expect(page.totalRows).toBe(7);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200]);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(3_000);
  });

  it("retries 5xx answers and network errors with growing waits", async () => {
    fake.script({ kind: "server-error", status: 503 }, { times: 2 });
    fake.script({ kind: "network-error" });
    const page = await client().listOrders({ page: 1, pageSize: 50 });
    expect(page.orders).toHaveLength(7);
    expect(fake.requests.map((request) => request.status)).toEqual([503, 503, 0, 200]);
    expect(time.waits).toEqual([1_000, 2_000, 4_000]);
  });

  it("gives up after its attempts with a transient error", async () => {
    fake.script({ kind: "server-error", status: 502 }, { times: 10 });
    const error = await failure(client({ maxAttempts: 3 }).listOrders({ page: 1, pageSize: 50 }));
    expect(error).toMatchObject({ kind: "UNAVAILABLE", status: 502, transient: true });
    expect(fake.requests).toHaveLength(3);
  });

  it("stops at once on wrong credentials and says what to check", async () => {
    const error = await failure(client({ credentials: { ...credentials, apiPassword: "wrong" } }).listOrders({ page: 1, pageSize: 1 }));
    expect(error).toMatchObject({ kind: "AUTH", status: 401, transient: false });
    expect(error.message).toMatch(/check the API key, the user and the API password/);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an ErrorCode in the envelope with Billbee's message, without retrying", async () => {
    fake.script({ kind: "error-envelope", code: 2, message: "Der Zugriff auf die API ist nicht freigeschaltet.", description: "ApiNotEnabled" });
    const error = await failure(client().listOrders({ page: 1, pageSize: 1 }));
    expect(error).toMatchObject({ kind: "API", transient: false });
    expect(error.message).toBe("Billbee reported error 2: Der Zugriff auf die API ist nicht freigeschaltet. – ApiNotEnabled.");
    expect(fake.requests).toHaveLength(1);
  });

  it("reads Retry-After as seconds or as an HTTP date, within bounds", () => {
    const now = Date.parse("2026-04-01T12:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter("Wed, 01 Apr 2026 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("86400", now)).toBe(120_000);
    expect(parseRetryAfter("soon", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBe(0);
  });
});
