import { parseBillbeeDate } from "./billbee-schemas";

/**
 * GET /orders paging as Billbee answers it, over a list of orders held in memory: the demo's
 * stand-in for Billbee and the tests' fake use the same rules, so the demo behaves like the
 * tests say. Billbee's defaults: page 1, pageSize 50, at most 250 per page.
 */

export const BILLBEE_DEFAULT_PAGE_SIZE = 50;
export const BILLBEE_MAX_PAGE_SIZE = 250;

export type BillbeeOrderQuery = { page: number; pageSize: number; modifiedAtMin: Date | null };

export function parseBillbeeOrderQuery(params: URLSearchParams): BillbeeOrderQuery {
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const pageSize = Number.parseInt(params.get("pageSize") ?? "", 10);
  const modifiedAtMin = params.get("modifiedAtMin");
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    pageSize: Number.isFinite(pageSize) && pageSize >= 1 ? Math.min(pageSize, BILLBEE_MAX_PAGE_SIZE) : BILLBEE_DEFAULT_PAGE_SIZE,
    modifiedAtMin: modifiedAtMin ? (parseBillbeeDate(modifiedAtMin) ?? dateOrNull(modifiedAtMin)) : null,
  };
}

type OrderLike = { BillBeeOrderId?: unknown; LastModifiedAt?: unknown; UpdatedAt?: unknown; CreatedAt?: unknown };

/** When Billbee last changed an order: what modifiedAtMin compares with. */
export function billbeeModifiedAt(order: OrderLike): Date | null {
  for (const value of [order.LastModifiedAt, order.UpdatedAt, order.CreatedAt]) {
    const date = typeof value === "string" ? parseBillbeeDate(value) : null;
    if (date) return date;
  }
  return null;
}

/** One page of the orders changed at or after modifiedAtMin, in Billbee's envelope, oldest id first. */
export function pageBillbeeOrders<T extends OrderLike>(orders: readonly T[], query: BillbeeOrderQuery) {
  const matching = orders
    .filter((order) => {
      if (!query.modifiedAtMin) return true;
      const modified = billbeeModifiedAt(order);
      return modified !== null && modified.getTime() >= query.modifiedAtMin.getTime();
    })
    .sort((a, b) => compareIds(a.BillBeeOrderId, b.BillBeeOrderId));
  const start = (query.page - 1) * query.pageSize;
  return {
    Paging: {
      Page: query.page,
      TotalPages: Math.ceil(matching.length / query.pageSize),
      TotalRows: matching.length,
      PageSize: query.pageSize,
    },
    ErrorMessage: null,
    ErrorCode: 0,
    ErrorDescription: "NoError",
    Data: matching.slice(start, start + query.pageSize),
  };
}

function compareIds(a: unknown, b: unknown): number {
  const left = String(a ?? "");
  const right = String(b ?? "");
  return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
}

function dateOrNull(value: string): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
