import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import type { CanonicalCustomer } from "../core/canonical-records";
import { normalizeEmail } from "../core/customer-identity";
import { orderStatusKey } from "../core/customer-profile";
import { letterSentAt } from "../core/customer-stats";
import { db } from "../db.server";
import { env } from "../env.server";
import {
  checkoutState,
  fromApiSource,
  LETTER_STATUSES,
  ORDER_STATUSES,
  parseCustomersBatch,
  parseFindCustomersQuery,
  parseOrdersBatch,
  toApiDecimal,
  toApiEnum,
  toApiMoney,
  toApiSource,
  toCanonicalCustomer,
  toCanonicalOrder,
  type ApiErrorBody,
  type ApiErrorCode,
  type CustomerProfileResponse,
  type CustomerSummary,
} from "../integrations/api/import-api-schemas";
import { buildOpenApiDocument } from "../integrations/api/openapi";
import {
  findCustomerBySourceId,
  findCustomersByEmail,
  findProfileCheckouts,
  findProfileCustomer,
  findProfileLetters,
  findProfileLineItems,
  findProfileOrders,
} from "../repositories/api-profile-repository.server";
import { createImportRun, finishImportRun, recordImportBatch } from "../repositories/import-run-repository.server";
import { ingestBatch } from "./ingestion.server";
import { createDownloadUrl } from "./stored-files.server";

/**
 * The import API (PRODUCT.md A4): pushes of customers and orders from any system through the one
 * ingestion path, customer lookups, and the whole profile of a customer as JSON. Each push is one
 * transaction (all or nothing) and one ImportRun of kind API in the shop's import history.
 * Requests are parsed here with the schemas that also generate the OpenAPI document.
 */

/** Bodies above this are refused with 413 before they are parsed (1,000 orders with items fit easily). */
export const MAX_API_BODY_BYTES = 10 * 1024 * 1024;
// Signed PDF links in API answers: long enough for a client to fetch them after the response.
const PDF_LINK_TTL_SECONDS = 15 * 60;

// ------------------------------------------------------------------------------------ HTTP plumbing

/** A failure of the request itself (not of its data): malformed JSON, too large, wrong method. */
export class ApiRequestError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ApiErrorCode,
    message: string,
    public readonly fields: Record<string, string[]> = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

// Personal data: never kept by a browser or proxy cache.
const JSON_HEADERS = { "Cache-Control": "private, no-store" };

function errorResponse(status: number, code: ApiErrorCode, message: string, fields: Record<string, string[]>, headers: Record<string, string> = {}) {
  const body: ApiErrorBody = { error: { code, message, fields } };
  return Response.json(body, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * Runs an API route's work and answers with JSON: the work's result with 200, an expected failure
 * as `{ error: { code, message, fields } }` with its 4xx status (401 with WWW-Authenticate).
 * Anything else is a bug and propagates (500).
 */
export async function respondToApi(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work(), { headers: JSON_HEADERS });
  } catch (error) {
    if (error instanceof ApiRequestError) return errorResponse(error.status, error.code, error.message, error.fields, error.headers);
    if (error instanceof AppError) {
      const headers: Record<string, string> =
        error.code === "UNAUTHORIZED" ? { "WWW-Authenticate": 'Bearer realm="LetterLoop import API"' } : {};
      return errorResponse(HTTP_STATUS_BY_CODE[error.code], error.code, error.message, error.fieldErrors, headers);
    }
    throw error;
  }
}

/** 405 with an Allow header unless the request uses one of these methods. */
export function allowMethods(request: Request, methods: string[]): void {
  if (methods.includes(request.method.toUpperCase())) return;
  throw new ApiRequestError(405, "METHOD_NOT_ALLOWED", `${request.method} is not supported here; use ${methods.join(" or ")}.`, {}, { Allow: methods.join(", ") });
}

/**
 * The request body as parsed JSON, read as a stream and refused as soon as it exceeds
 * MAX_API_BODY_BYTES (a declared or a streamed oversize alike), so a huge body never sits in memory.
 */
export async function readApiJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type");
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new ApiRequestError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
  }
  const tooLarge = () => new ApiRequestError(413, "PAYLOAD_TOO_LARGE", `The body exceeds ${MAX_API_BODY_BYTES} bytes; send fewer items per request.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_API_BODY_BYTES) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_API_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiRequestError(400, "MALFORMED_JSON", "The body is not valid UTF-8.");
  }
  if (!text.trim()) throw new ApiRequestError(400, "MALFORMED_JSON", "The body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiRequestError(400, "MALFORMED_JSON", `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ------------------------------------------------------------------------------------ pushes

type Outcome = "created" | "updated" | "skipped";
const tally = (outcomes: Outcome[]) => ({
  created: outcomes.filter((outcome) => outcome === "created").length,
  updated: outcomes.filter((outcome) => outcome === "updated").length,
  skipped: outcomes.filter((outcome) => outcome === "skipped").length,
});

/**
 * One push as one import run: the batch goes through the one ingestion path in one transaction,
 * then the run records its counts. A failed ingestion leaves nothing written and the run FAILED.
 */
async function runApiImport<T extends { outcome: Outcome }>(
  { shopId, now, label }: { shopId: string; now: Date; label: string },
  work: (importRunId: string) => Promise<T[]>,
): Promise<{ importRunId: string; counts: ReturnType<typeof tally>; results: T[] }> {
  const run = await createImportRun(db(), { shopId, kind: "API", status: "RUNNING", cursor: label, startedAt: now });
  let results: T[];
  try {
    results = await work(run.id);
  } catch (error) {
    await finishImportRun(db(), { shopId, runId: run.id, status: "FAILED", at: new Date(), failureReason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const counts = tally(results.map((result) => result.outcome));
  await recordImportBatch(db(), { shopId, runId: run.id, cursor: label, processedRows: results.length, ...counts, rowErrors: [] });
  await finishImportRun(db(), { shopId, runId: run.id, status: "SUCCEEDED", at: new Date() });
  return { importRunId: run.id, counts, results };
}

function validationError(what: string, fields: Record<string, string[]>): AppError {
  const count = Object.keys(fields).length;
  return new AppError("VALIDATION", `The ${what} were not imported: ${count} field${count === 1 ? " is" : "s are"} invalid. Nothing was written.`, fields);
}

/** POST /api/v1/customers: up to 1,000 customers, idempotent by sourceId. */
export async function pushApiCustomers({ shopId, body, now }: { shopId: string; body: unknown; now: Date }) {
  const parsed = parseCustomersBatch(body);
  if (!parsed.ok) throw validationError("customers", parsed.fields);
  const records = parsed.value.customers.map(toCanonicalCustomer);
  return runApiImport({ shopId, now, label: "customers" }, async (importRunId) => {
    const result = await ingestBatch(db(), { shopId, batch: { customers: records }, now, importRunId });
    return records.map((record, index) => {
      const { customerId, outcome } = result.customerOutcomes[index]!;
      return { index, sourceId: record.sourceId, id: customerId, outcome };
    });
  });
}

/**
 * POST /api/v1/orders: up to 1,000 orders with their buyers and lines, idempotent by sourceId.
 * An order is live (may trigger the after-purchase letter) only when it says `live: true`.
 */
export async function pushApiOrders({ shopId, body, now }: { shopId: string; body: unknown; now: Date }) {
  const parsed = parseOrdersBatch(body);
  if (!parsed.ok) throw validationError("orders", parsed.fields);
  // A buyer given by e-mail alone always gets the same made-up identity (`email:<e-mail>`), so a
  // re-post is the same record again; ingestion joins it to a customer with that e-mail.
  const orders = parsed.value.orders.map(toCanonicalOrder);
  return runApiImport({ shopId, now, label: "orders" }, async (importRunId) => {
    const result = await ingestBatch(db(), { shopId, batch: { orders }, now, importRunId });
    return orders.map((order, index) => {
      const { orderId, customerId, outcome, live } = result.orderOutcomes[index]!;
      return { index, sourceId: order.sourceId, id: orderId, customerId, outcome, live };
    });
  });
}

// ------------------------------------------------------------------------------------ reads

type Identity = { source: CanonicalCustomer["source"]; sourceId: string };

/** The identity a customer answers to in the API: the oldest one (the source they were first known from). */
function primaryIdentity(identities: Identity[]) {
  const first = identities[0];
  return first ? { source: toApiSource(first.source), sourceId: first.sourceId } : { source: null, sourceId: null };
}

function toSummary(row: Awaited<ReturnType<typeof findCustomersByEmail>>[number]): CustomerSummary {
  return {
    id: row.id,
    ...primaryIdentity(row.identities),
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    identities: row.identities.map((identity) => ({ source: toApiSource(identity.source), sourceId: identity.sourceId })),
  };
}

/** GET /api/v1/customers?email=… or ?source=…&sourceId=…: the matching customers (none, one, or several by e-mail). */
export async function findApiCustomers({ shopId, params }: { shopId: string; params: URLSearchParams }): Promise<{ customers: CustomerSummary[] }> {
  const query = parseFindCustomersQuery(params);
  if (!query.ok) {
    if ("missing" in query) {
      throw new ApiRequestError(400, "BAD_REQUEST", "Find customers by ?email=… or by ?source=…&sourceId=….", {
        email: ["required unless source and sourceId are given"],
      });
    }
    throw new ApiRequestError(400, "BAD_REQUEST", "The query parameters are invalid.", query.fields);
  }
  if (query.value.by === "email") {
    const emailNormalized = normalizeEmail(query.value.email);
    const rows = emailNormalized ? await findCustomersByEmail(db(), { shopId, emailNormalized }) : [];
    return { customers: rows.map(toSummary) };
  }
  const row = await findCustomerBySourceId(db(), { shopId, source: fromApiSource(query.value.source), sourceId: query.value.sourceId });
  return { customers: row ? [toSummary(row)] : [] };
}

/**
 * GET /api/v1/customers/{id}: the whole profile (all orders with their items, checkouts,
 * letters with a signed PDF link, the stored statistics) in five queries whatever the history.
 * NOT_FOUND for an unknown id and for another shop's customer alike.
 */
export async function findApiCustomerProfile({ shopId, customerId, now }: { shopId: string; customerId: string; now: Date }): Promise<CustomerProfileResponse> {
  const database = db();
  const customer = await findProfileCustomer(database, { shopId, customerId });
  if (!customer) throw new AppError("NOT_FOUND", "Customer not found");
  // Checkouts exist only for Shopify data (A5).
  const hasCheckoutData = customer.identities.some((identity) => identity.source === "SHOPIFY");
  const [orders, items, checkouts, letters] = await Promise.all([
    findProfileOrders(database, { shopId, customerId }),
    findProfileLineItems(database, { shopId, customerId }),
    hasCheckoutData ? findProfileCheckouts(database, { shopId, customerId }) : Promise.resolve([]),
    findProfileLetters(database, { shopId, customerId }),
  ]);
  const itemsByOrder = new Map<string, typeof items>();
  for (const item of items) {
    const list = itemsByOrder.get(item.orderId);
    if (list) list.push(item);
    else itemsByOrder.set(item.orderId, [item]);
  }
  const currency = customer.shop.currency;
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const appUrl = env().shopifyAppUrl;

  return {
    id: customer.id,
    ...primaryIdentity(customer.identities),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    language: customer.language,
    optedOut: customer.optedOut,
    stats: {
      lifetimeValue: toApiMoney(customer.lifetimeValueMinor, currency),
      orderCount: customer.orderCount,
      averageOrderValue: toApiMoney(customer.averageOrderValueMinor, currency),
      firstOrderAt: iso(customer.firstOrderAt),
      lastOrderAt: iso(customer.lastOrderAt),
    },
    orders: orders.map((order) => ({
      id: order.id,
      sourceId: order.sourceId,
      number: order.number,
      placedAt: order.placedAt.toISOString(),
      total: toApiMoney(order.totalMinor, order.currency),
      status: toApiEnum(orderStatusKey(order), ORDER_STATUSES),
      items: (itemsByOrder.get(order.id) ?? []).map((item) => ({
        title: item.title,
        sku: item.sku,
        quantity: item.quantity,
        unitPrice: toApiDecimal(item.unitPriceMinor, order.currency),
      })),
    })),
    checkouts: checkouts.map((checkout) => ({
      token: checkout.token,
      createdAt: checkout.sourceCreatedAt.toISOString(),
      value: toApiMoney(checkout.valueMinor, checkout.currency),
      state: checkoutState(checkout),
      abandonedAt: iso(checkout.abandonedAt),
      recoveredByOrderId: checkout.recoveredByOrderId,
    })),
    letters: letters.map((letter) => ({
      id: letter.id,
      campaign: letter.campaign,
      status: toApiEnum(letter.status, LETTER_STATUSES),
      sentAt: iso(letterSentAt(letter)),
      pdfUrl: letter.fileId
        ? new URL(createDownloadUrl({ shopId, fileId: letter.fileId, ttlSeconds: PDF_LINK_TTL_SECONDS, now }), appUrl).toString()
        : null,
      firstScanAt: iso(letter.firstScanAt),
      scanCount: letter.scanCount,
    })),
  };
}

let openApiDocument: object | undefined;

/** GET /api/v1/openapi.json: the API's description, generated from the schemas it validates with. */
export function importApiDocument(): object {
  openApiDocument ??= buildOpenApiDocument({ serverUrl: env().shopifyAppUrl });
  return openApiDocument;
}

/** Where the API description is served, for the link in Settings. */
export function importApiDocumentUrl(): string {
  return new URL("/api/v1/openapi.json", env().shopifyAppUrl).toString();
}
