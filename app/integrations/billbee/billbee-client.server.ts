import { retryDelayMs, type RetryBackoffPolicy } from "../../core/retry-backoff";
import { BILLBEE_MAX_PAGE_SIZE } from "./billbee-paging";
import { BillbeeOrderPageSchema, envelopeError } from "./billbee-schemas";
import { abortableSleep } from "../abortable-sleep.server";

/**
 * A small client for Billbee's REST API. Every request carries the developer key
 * (X-Billbee-Api-Key) and HTTP Basic auth with the Billbee user and its API password.
 *
 * Billbee allows at most 2 requests per second per endpoint, key and user, and answers 429 with
 * Retry-After beyond that. The client paces itself to one request per 500 ms (retries included),
 * honours Retry-After, and retries 5xx answers and network errors with exponential backoff for a
 * bounded number of attempts; anything else fails at once with a readable BillbeeError. Clock and
 * sleep are injectable, so tests run the pacing and the backoff without waiting.
 */

export type BillbeeCredentials = { apiKey: string; username: string; apiPassword: string };

export type BillbeeClientOptions = {
  /** e.g. https://api.billbee.io/api/v1 (no trailing slash needed). */
  baseUrl: string;
  credentials: BillbeeCredentials;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Requests per call in total, the first included; default 6. */
  maxAttempts?: number;
  /** Least time between two requests; default 500 ms (Billbee's 2 requests/s). */
  minIntervalMs?: number;
  backoff?: RetryBackoffPolicy;
  /** Told about every wait (pacing, throttling, backoff): logs and tests. */
  onWait?: (ms: number, reason: "pace" | "throttled" | "retry") => void;
};

export type BillbeeErrorKind =
  /** 401/403: key, user or API password wrong, or API access not enabled. */
  | "AUTH"
  /** The envelope carried an ErrorCode. */
  | "API"
  /** Another 4xx: the request itself is wrong. */
  | "HTTP"
  /** Still 429 after every attempt. */
  | "THROTTLED"
  /** Still 5xx after every attempt. */
  | "UNAVAILABLE"
  | "NETWORK"
  /** Not JSON, or not Billbee's envelope. */
  | "INVALID_RESPONSE";

export class BillbeeError extends Error {
  constructor(
    readonly kind: BillbeeErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "BillbeeError";
  }

  /** Worth trying again later (the job retries); the others need the merchant. */
  get transient(): boolean {
    return this.kind === "THROTTLED" || this.kind === "UNAVAILABLE" || this.kind === "NETWORK";
  }
}

export type BillbeeOrdersPage = {
  page: number;
  totalPages: number;
  totalRows: number;
  pageSize: number;
  /** Raw orders: each is parsed and mapped on its own (mapBillbeeOrder). */
  orders: unknown[];
};

export type BillbeeClient = ReturnType<typeof createBillbeeClient>;

const DEFAULT_BACKOFF: RetryBackoffPolicy = { baseMs: 1_000, maxMs: 30_000 };
const MAX_RETRY_AFTER_MS = 120_000;

export function createBillbeeClient(options: BillbeeClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const minIntervalMs = options.minIntervalMs ?? 500;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const { apiKey, username, apiPassword } = options.credentials;
  const headers = {
    accept: "application/json",
    "x-billbee-api-key": apiKey,
    authorization: `Basic ${Buffer.from(`${username}:${apiPassword}`, "utf8").toString("base64")}`,
  };
  let lastRequestAt: number | null = null;
  // The last 429's Retry-After, read before the next attempt.
  let retryAfterMs = 0;

  const wait = async (ms: number, reason: "pace" | "throttled" | "retry") => {
    if (ms <= 0) return;
    options.onWait?.(ms, reason);
    await sleep(ms, options.signal);
  };

  async function pace() {
    if (lastRequestAt !== null) await wait(lastRequestAt + minIntervalMs - now(), "pace");
    lastRequestAt = now();
  }

  async function getJson(path: string, query: Record<string, string>): Promise<unknown> {
    const url = `${baseUrl}${path}?${new URLSearchParams(query).toString()}`;
    let failure: BillbeeError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (failure) {
        const retryAfter = failure.kind === "THROTTLED" ? retryAfterMs : 0;
        await wait(Math.max(retryAfter, retryDelayMs(attempt - 1, backoff)), failure.kind === "THROTTLED" ? "throttled" : "retry");
      }
      options.signal?.throwIfAborted();
      await pace();
      let response: Response;
      try {
        response = await doFetch(url, { headers, signal: options.signal });
      } catch (error) {
        options.signal?.throwIfAborted();
        failure = new BillbeeError("NETWORK", `Billbee could not be reached (${error instanceof Error ? error.message : String(error)}).`);
        continue;
      }
      if (response.status === 429) {
        retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
        await discard(response);
        failure = new BillbeeError("THROTTLED", "Billbee kept refusing requests as too many (HTTP 429); try again in a few minutes.", 429);
        continue;
      }
      if (response.status >= 500) {
        await discard(response);
        failure = new BillbeeError("UNAVAILABLE", `Billbee is not answering properly (HTTP ${response.status}); try again later.`, response.status);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await discard(response);
        throw new BillbeeError(
          "AUTH",
          `Billbee refused the credentials (HTTP ${response.status}): check the API key, the user and the API password, and that API access is enabled in Billbee.`,
          response.status,
        );
      }
      const body = await response.text();
      if (!response.ok) {
        throw new BillbeeError("HTTP", `Billbee refused the request (HTTP ${response.status}): ${snippet(body)}`, response.status);
      }
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new BillbeeError("INVALID_RESPONSE", `Billbee's answer is not JSON: ${snippet(body)}`, response.status);
      }
    }
    throw failure!;
  }

  return {
    /** One page of orders, optionally only those changed at or after `modifiedAtMin`. */
    async listOrders({ page, pageSize, modifiedAtMin }: { page: number; pageSize: number; modifiedAtMin?: Date | null }): Promise<BillbeeOrdersPage> {
      const query: Record<string, string> = {
        page: String(Math.max(1, Math.floor(page))),
        pageSize: String(Math.min(Math.max(1, Math.floor(pageSize)), BILLBEE_MAX_PAGE_SIZE)),
      };
      if (modifiedAtMin) query.modifiedAtMin = modifiedAtMin.toISOString();
      const body = await getJson("/orders", query);
      const parsed = BillbeeOrderPageSchema.safeParse(body);
      if (!parsed.success) {
        throw new BillbeeError("INVALID_RESPONSE", "Billbee's answer is not an order page (Paging, Data) as documented.");
      }
      const problem = envelopeError(parsed.data);
      if (problem) throw new BillbeeError("API", /[.!?]$/.test(problem) ? problem : `${problem}.`);
      const paging = parsed.data.Paging;
      const orders = parsed.data.Data ?? [];
      return {
        page: paging?.Page ?? Number(query.page),
        totalPages: paging?.TotalPages ?? (orders.length > 0 ? Number(query.page) : 0),
        totalRows: paging?.TotalRows ?? orders.length,
        pageSize: paging?.PageSize ?? Number(query.pageSize),
        orders,
      };
    },
  };
}

/** Retry-After as seconds or an HTTP date; bounded, so a wild value cannot park a job for hours. */
export function parseRetryAfter(value: string | null, nowMs: number): number {
  if (!value) return 0;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1_000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(Math.ceil(ms), MAX_RETRY_AFTER_MS);
}

/** Reads an unwanted body to the end, so the connection can be reused. */
async function discard(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || "(empty answer)";
}

