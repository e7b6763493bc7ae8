import { z } from "zod";
import { AppError } from "../../core/app-error";
import {
  BULK_GROUP_OBJECTS,
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS_QUERY,
  BULK_QUERIES,
  ORDER_CHANGES_QUERY,
  ORDER_DETAIL_BATCH,
  ORDER_DETAILS_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  ORDERS_BY_CART_TOKEN_QUERY,
  type BulkQueryKind,
} from "./bulk-queries";
import type { BulkSourceLine } from "./bulk-records";
import { readLines } from "./jsonl-lines";
import { abortableSleep } from "../abortable-sleep.server";

/**
 * A small Admin GraphQL client over the `admin.graphql` function that `authenticate.admin` and
 * `unauthenticated.admin` hand out (app/shopify.server.ts), so tests can pass any function of
 * that shape. It runs and polls bulk operations, streams their result files, pages through
 * changed orders, and backs off when Shopify throttles.
 *
 * shopify-app-remix throws a GraphqlQueryError for a response with GraphQL errors (THROTTLED
 * included) and an HttpThrottlingError for HTTP 429; a plain function returns the JSON body
 * with `errors`. Both are recognised by shape so this module does not depend on the library.
 */

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export type BulkOperationStatus = "CREATED" | "RUNNING" | "CANCELING" | "CANCELED" | "COMPLETED" | "EXPIRED" | "FAILED";

export type BulkOperationState = {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  createdAt: Date;
  completedAt: Date | null;
  objectCount: number;
  rootObjectCount: number;
  /** Null for a completed operation that found nothing. Signed; expires 7 days after completion. */
  url: string | null;
  partialDataUrl: string | null;
};

export type StartBulkQueryResult =
  | { ok: true; operation: { id: string; status: BulkOperationStatus; createdAt: Date } }
  | { ok: false; userErrors: { message: string; code: string | null }[] };

export type BulkResult =
  | { ok: true; lines: AsyncGenerator<BulkSourceLine> }
  /** The signed URL expired or the file is gone: run the operation again. */
  | { ok: false; reason: "GONE"; status: number };

/** An order from a paginated query, in the shape of a bulk parent line and its child lines. */
export type FetchedOrder = { order: Record<string, unknown>; lineItems: Record<string, unknown>[] };

export type ShopifyAdminClientOptions = {
  graphql: AdminGraphql;
  /** Downloads bulk result files; default: global fetch. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Throttled or failed (5xx) requests are retried this many times; default 8. */
  maxRetries?: number;
  /** Told about every wait for the rate limit (tests, logs). */
  onThrottle?: (waitMs: number) => void;
};

export type ShopifyAdminClient = ReturnType<typeof createShopifyAdminClient>;

const TERMINAL: ReadonlySet<BulkOperationStatus> = new Set(["COMPLETED", "CANCELED", "EXPIRED", "FAILED"]);

const CostSchema = z.object({
  requestedQueryCost: z.number().optional(),
  actualQueryCost: z.number().nullish(),
  throttleStatus: z
    .object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() })
    .optional(),
});
type Cost = z.infer<typeof CostSchema>;

const BulkOperationSchema = z.object({
  id: z.string(),
  status: z.enum(["CREATED", "RUNNING", "CANCELING", "CANCELED", "COMPLETED", "EXPIRED", "FAILED"]),
  errorCode: z.string().nullish(),
  createdAt: z.string(),
  completedAt: z.string().nullish(),
  objectCount: z.union([z.string(), z.number()]).nullish(),
  rootObjectCount: z.union([z.string(), z.number()]).nullish(),
  url: z.string().nullish(),
  partialDataUrl: z.string().nullish(),
});

const RunQueryDataSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: BulkOperationSchema.shape.status, createdAt: z.string() }).nullish(),
    userErrors: z.array(z.object({ message: z.string(), code: z.string().nullish() })),
  }),
});

const PageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

const OrderChangesSchema = z.object({
  orders: z.object({
    pageInfo: PageInfoSchema,
    nodes: z.array(z.object({ id: z.string(), updatedAt: z.string() })),
  }),
});

const LineItemPageSchema = z.object({ pageInfo: PageInfoSchema, nodes: z.array(z.record(z.string(), z.unknown())) });

const OrderDetailsSchema = z.object({
  nodes: z.array(z.looseObject({ id: z.string().optional(), lineItems: LineItemPageSchema.optional() }).nullable()),
});

const OrderLineItemsSchema = z.object({ node: z.object({ lineItems: LineItemPageSchema.optional() }).nullable() });

const OrdersByCartTokenSchema = z.object({
  orders: z.object({ nodes: z.array(z.object({ cartToken: z.string().nullish(), checkoutToken: z.string().nullish() })) }),
});

export function createShopifyAdminClient(options: ShopifyAdminClientOptions) {
  const download = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;
  const maxRetries = options.maxRetries ?? 8;
  const signal = options.signal;
  // The leaky bucket as Shopify last reported it, and what each query asked for.
  let bucket: { available: number; maximum: number; restoreRate: number; at: number } | null = null;
  const requestedCost = new Map<string, number>();

  async function wait(ms: number) {
    options.onThrottle?.(ms);
    await sleep(ms, signal);
  }

  /** Waits until the bucket holds what this query cost last time, instead of being refused. */
  async function waitForBudget(query: string) {
    const needed = requestedCost.get(query);
    if (!bucket || needed === undefined) return;
    const elapsedSeconds = (Date.now() - bucket.at) / 1000;
    const available = Math.min(bucket.maximum, bucket.available + elapsedSeconds * bucket.restoreRate);
    if (available >= needed) return;
    await wait(Math.ceil(((needed - available) / Math.max(bucket.restoreRate, 1)) * 1000));
  }

  function recordCost(query: string, cost: Cost | undefined) {
    if (!cost) return;
    if (cost.requestedQueryCost !== undefined) requestedCost.set(query, cost.requestedQueryCost);
    if (cost.throttleStatus) {
      bucket = {
        available: cost.throttleStatus.currentlyAvailable,
        maximum: cost.throttleStatus.maximumAvailable,
        restoreRate: cost.throttleStatus.restoreRate,
        at: Date.now(),
      };
    }
  }

  function throttleDelay(cost: Cost | undefined, attempt: number): number {
    const status = cost?.throttleStatus;
    if (status && cost?.requestedQueryCost !== undefined && status.restoreRate > 0) {
      const deficit = Math.max(cost.requestedQueryCost - status.currentlyAvailable, 1);
      return Math.ceil((deficit / status.restoreRate) * 1000) + 50;
    }
    return Math.min(1000 * 2 ** attempt, 30_000);
  }

  async function request<Schema extends z.ZodType>(
    query: string,
    variables: Record<string, unknown>,
    schema: Schema,
  ): Promise<z.output<Schema>> {
    // A retry follows a wait sized for the bucket already; checking the budget again would double it.
    let waited = false;
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      if (!waited) await waitForBudget(query);
      waited = false;
      let body: Record<string, unknown>;
      try {
        const response = await options.graphql(query, { variables });
        if (response.status === 429 || response.status >= 500) {
          if (attempt >= maxRetries) throw new AppError("UNAVAILABLE", `Shopify answered ${response.status} ${maxRetries + 1} times`);
          await wait(retryAfterMs(response.headers.get("retry-after")) ?? throttleDelay(undefined, attempt));
          waited = true;
          continue;
        }
        body = (await response.json()) as Record<string, unknown>;
      } catch (error) {
        const failure = classifyThrownError(error);
        if (failure === null || attempt >= maxRetries) throw asAppError(error);
        recordCost(query, failure.cost);
        await wait(failure.retryAfterMs ?? throttleDelay(failure.cost, attempt));
        waited = true;
        continue;
      }
      const cost = costOf(body);
      recordCost(query, cost);
      const errors = graphqlErrorsOf(body);
      if (errors.some(isThrottled)) {
        if (attempt >= maxRetries) throw new AppError("UNAVAILABLE", `Shopify throttled the request ${maxRetries + 1} times`);
        await wait(throttleDelay(cost, attempt));
        waited = true;
        continue;
      }
      if (errors.length > 0) {
        throw new AppError("UNAVAILABLE", `Shopify Admin API: ${errors.map((error) => error.message).join("; ")}`);
      }
      const parsed = schema.safeParse(body.data);
      if (!parsed.success) throw new AppError("UNAVAILABLE", `Unexpected Admin API response: ${parsed.error.message}`);
      return parsed.data;
    }
  }

  async function startBulkQuery(kind: BulkQueryKind): Promise<StartBulkQueryResult> {
    const data = await request(BULK_OPERATION_RUN_QUERY, { query: BULK_QUERIES[kind], groupObjects: BULK_GROUP_OBJECTS[kind] }, RunQueryDataSchema);
    const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
    if (userErrors.length > 0 || !bulkOperation) {
      return { ok: false, userErrors: userErrors.map((error) => ({ message: error.message, code: error.code ?? null })) };
    }
    return { ok: true, operation: { id: bulkOperation.id, status: bulkOperation.status, createdAt: new Date(bulkOperation.createdAt) } };
  }

  /** The operation, or null when Shopify no longer knows it (or the id names something else). */
  async function getBulkOperation(id: string): Promise<BulkOperationState | null> {
    const data = await request(BULK_OPERATION_STATUS_QUERY, { id }, z.object({ node: z.unknown() }));
    const parsed = BulkOperationSchema.safeParse(data.node);
    if (!parsed.success) return null;
    const operation = parsed.data;
    return {
      id: operation.id,
      status: operation.status,
      errorCode: operation.errorCode ?? null,
      createdAt: new Date(operation.createdAt),
      completedAt: operation.completedAt ? new Date(operation.completedAt) : null,
      // UnsignedInt64 arrives as a string.
      objectCount: Number(operation.objectCount ?? 0),
      rootObjectCount: Number(operation.rootObjectCount ?? 0),
      url: operation.url ?? null,
      partialDataUrl: operation.partialDataUrl ?? null,
    };
  }

  /** Polls until the operation ends (or vanishes), slowing down while it runs. */
  async function waitForBulkOperation(
    id: string,
    { pollIntervalMs = 1_000, maxPollIntervalMs = 30_000 }: { pollIntervalMs?: number; maxPollIntervalMs?: number } = {},
  ): Promise<BulkOperationState | null> {
    let interval = pollIntervalMs;
    for (;;) {
      const state = await getBulkOperation(id);
      if (!state || TERMINAL.has(state.status)) return state;
      await sleep(interval, signal);
      interval = Math.min(Math.ceil(interval * 1.5), maxPollIntervalMs);
    }
  }

  /** Streams a result file line by line, starting at `startLine`; never holds the whole file. */
  async function openBulkResult(url: string, { startLine = 0 }: { startLine?: number } = {}): Promise<BulkResult> {
    const response = await download(url, { signal });
    // Error bodies are dropped unread; the cancel is not awaited, as some bodies never settle it.
    if ([400, 401, 403, 404, 410].includes(response.status)) {
      response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: "GONE", status: response.status };
    }
    if (!response.ok) {
      response.body?.cancel().catch(() => undefined);
      throw new AppError("UNAVAILABLE", `Bulk result download failed: HTTP ${response.status}`);
    }
    const body = response.body;
    return { ok: true, lines: body ? readLines(body, { startLine, signal }) : emptyLines() };
  }

  /** Pages (≤ 250 each) of orders updated at or after `since`, oldest change first. */
  async function* listChangedOrders({ since }: { since: Date }): AsyncGenerator<{ id: string; updatedAt: Date }[]> {
    const search = `updated_at:>='${since.toISOString()}'`;
    let after: string | null = null;
    for (;;) {
      const data: z.output<typeof OrderChangesSchema> = await request(ORDER_CHANGES_QUERY, { query: search, after }, OrderChangesSchema);
      yield data.orders.nodes.map((node) => ({ id: node.id, updatedAt: new Date(node.updatedAt) }));
      if (!data.orders.pageInfo.hasNextPage || !data.orders.pageInfo.endCursor) return;
      after = data.orders.pageInfo.endCursor;
    }
  }

  /** Full orders with all their line items; deleted orders are left out. */
  async function fetchOrders(ids: readonly string[]): Promise<FetchedOrder[]> {
    const result: FetchedOrder[] = [];
    for (let start = 0; start < ids.length; start += ORDER_DETAIL_BATCH) {
      const data = await request(ORDER_DETAILS_QUERY, { ids: ids.slice(start, start + ORDER_DETAIL_BATCH) }, OrderDetailsSchema);
      for (const node of data.nodes) {
        if (!node || typeof node.id !== "string") continue;
        const { lineItems, ...order } = node;
        const items = [...(lineItems?.nodes ?? [])];
        let page = lineItems?.pageInfo;
        // Orders with more line items than one details page holds: page through the rest.
        while (page?.hasNextPage && page.endCursor) {
          const more = await request(ORDER_LINE_ITEMS_QUERY, { id: node.id, after: page.endCursor }, OrderLineItemsSchema);
          items.push(...(more.node?.lineItems?.nodes ?? []));
          page = more.node?.lineItems?.pageInfo;
        }
        result.push({ order, lineItems: items });
      }
    }
    return result;
  }

  /** cart token → checkout token of the orders placed from those carts. */
  async function checkoutTokensByCartToken(cartTokens: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(cartTokens)];
    for (let start = 0; start < unique.length; start += 50) {
      const search = unique
        .slice(start, start + 50)
        .map((token) => `cart_token:"${token.replace(/["\\]/g, "")}"`)
        .join(" OR ");
      const data = await request(ORDERS_BY_CART_TOKEN_QUERY, { query: search }, OrdersByCartTokenSchema);
      for (const order of data.orders.nodes) {
        if (order.cartToken && order.checkoutToken) found.set(order.cartToken, order.checkoutToken);
      }
    }
    return found;
  }

  return {
    request,
    startBulkQuery,
    getBulkOperation,
    waitForBulkOperation,
    openBulkResult,
    listChangedOrders,
    fetchOrders,
    checkoutTokensByCartToken,
  };
}

type GraphqlError = { message: string; extensions?: { code?: string } };

function graphqlErrorsOf(body: Record<string, unknown>): GraphqlError[] {
  const errors = body.errors;
  if (Array.isArray(errors)) return errors.map(toGraphqlError);
  if (isRecord(errors) && Array.isArray(errors.graphQLErrors)) return errors.graphQLErrors.map(toGraphqlError);
  if (isRecord(errors) && typeof errors.message === "string") return [{ message: errors.message }];
  if (typeof errors === "string") return [{ message: errors }];
  return [];
}

function toGraphqlError(value: unknown): GraphqlError {
  if (!isRecord(value)) return { message: String(value) };
  const code = isRecord(value.extensions) && typeof value.extensions.code === "string" ? value.extensions.code : undefined;
  return { message: typeof value.message === "string" ? value.message : "GraphQL error", extensions: { code } };
}

function isThrottled(error: GraphqlError): boolean {
  return error.extensions?.code === "THROTTLED";
}

function costOf(body: unknown): Cost | undefined {
  if (!isRecord(body) || !isRecord(body.extensions)) return undefined;
  const parsed = CostSchema.safeParse(body.extensions.cost);
  return parsed.success ? parsed.data : undefined;
}

/** A thrown error worth retrying (throttled, 429, 5xx), with what it says about waiting. */
function classifyThrownError(error: unknown): { cost?: Cost; retryAfterMs?: number } | null {
  if (!isRecord(error)) return null;
  // GraphqlQueryError: `body` is the client's response, with errors.graphQLErrors and extensions.
  if (isRecord(error.body) && graphqlErrorsOf(error.body).some(isThrottled)) return { cost: costOf(error.body) };
  // HttpThrottlingError / HttpInternalError: `response.code` is the HTTP status.
  if (isRecord(error.response) && typeof error.response.code === "number") {
    const status = error.response.code;
    if (status === 429) {
      const seconds = typeof error.response.retryAfter === "number" ? error.response.retryAfter : undefined;
      return { retryAfterMs: seconds !== undefined ? seconds * 1000 : undefined };
    }
    if (status >= 500) return {};
  }
  return null;
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function asAppError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("UNAVAILABLE", `Shopify Admin API: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function* emptyLines(): AsyncGenerator<BulkSourceLine> {}

