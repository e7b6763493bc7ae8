import { z } from "zod";

/** Columns the customer list can be sorted by (B1). */
export const CUSTOMER_SORT_KEYS = ["ltv", "orders", "lastOrder", "lastLetter"] as const;
export type CustomerSortKey = (typeof CUSTOMER_SORT_KEYS)[number];

export const CUSTOMER_SOURCES = ["SHOPIFY", "BILLBEE", "CSV", "API"] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

export const CUSTOMER_PAGE_SIZE = 50;
// Longer searches match nothing useful and only cost a scan; 200 covers any name or e-mail.
const MAX_SEARCH_LENGTH = 200;
const MAX_WRITTEN_WITHIN_DAYS = 3_650;

export type CustomerListQuery = {
  /** Normalised search text (see normalizeSearchText), or null for no search. */
  search: string | null;
  source: CustomerSource | null;
  /** Only customers with an abandoned checkout that is still open. */
  abandoned: boolean;
  /** Only customers who must not be written to (E2). */
  optedOut: boolean;
  /** Only customers written to within this many days. */
  writtenWithinDays: number | null;
  sort: CustomerSortKey;
  direction: "asc" | "desc";
  /** 0-based page of CUSTOMER_PAGE_SIZE rows. */
  page: number;
};

export const DEFAULT_CUSTOMER_LIST_QUERY: CustomerListQuery = {
  search: null,
  source: null,
  abandoned: false,
  optedOut: false,
  writtenWithinDays: null,
  sort: "ltv",
  direction: "desc",
  page: 0,
};

/**
 * Search text as Customer.searchText stores it: Unicode-normalised (NFC, so a decomposed "ü"
 * typed on some keyboards equals the stored one) and lower-cased beyond ASCII, because SQLite's
 * LIKE folds ASCII only and PostgreSQL's LIKE folds nothing ("Жуков" → "жуков").
 */
export function normalizeSearchText(value: string | null | undefined): string | null {
  const normalised = (value ?? "").normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("und");
  return normalised.length > 0 ? normalised : null;
}

const flag = z
  .enum(["1", "0", "true", "false"], { error: "must be 1 or 0" })
  .optional()
  .transform((value) => value === "1" || value === "true");

const CustomerListParamsSchema = z.object({
  q: z.string().max(MAX_SEARCH_LENGTH, { error: `is longer than ${MAX_SEARCH_LENGTH} characters` }).optional(),
  source: z.enum(CUSTOMER_SOURCES, { error: `must be one of ${CUSTOMER_SOURCES.join(", ")}` }).optional(),
  abandoned: flag,
  optedOut: flag,
  writtenWithinDays: z
    .string()
    .regex(/^\d{1,5}$/, { error: "must be a whole number of days" })
    .transform(Number)
    .refine((days) => days >= 1 && days <= MAX_WRITTEN_WITHIN_DAYS, { error: `must be between 1 and ${MAX_WRITTEN_WITHIN_DAYS}` })
    .optional(),
  sort: z.enum(CUSTOMER_SORT_KEYS, { error: `must be one of ${CUSTOMER_SORT_KEYS.join(", ")}` }).optional(),
  direction: z.enum(["asc", "desc"], { error: "must be asc or desc" }).optional(),
  page: z
    .string()
    .regex(/^\d{1,7}$/, { error: "must be a page number from 0" })
    .transform(Number)
    .optional(),
});

export type CustomerListQueryResult = { ok: true; query: CustomerListQuery } | { ok: false; reason: string };

/**
 * The list's URL parameters (q, source, abandoned, optedOut, writtenWithinDays, sort, direction,
 * page) as a query. Empty parameters count as absent (an emptied search field submits `q=`);
 * anything else that does not fit is refused with a reason naming the parameter.
 */
export function parseCustomerListQuery(params: URLSearchParams): CustomerListQueryResult {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(CustomerListParamsSchema.shape)) {
    const value = params.get(key);
    if (value !== null && value.trim() !== "") raw[key] = value.trim();
  }
  if (params.has("q")) raw.q = params.get("q") ?? "";
  const parsed = CustomerListParamsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    };
  }
  const values = parsed.data;
  const sort = values.sort ?? DEFAULT_CUSTOMER_LIST_QUERY.sort;
  return {
    ok: true,
    query: {
      search: normalizeSearchText(values.q),
      source: values.source ?? null,
      abandoned: values.abandoned,
      optedOut: values.optedOut,
      writtenWithinDays: values.writtenWithinDays ?? null,
      sort,
      direction: values.direction ?? "desc",
      page: values.page ?? 0,
    },
  };
}

/** The URL parameters for a query: the inverse of parseCustomerListQuery, defaults left out. */
export function customerListParams(query: CustomerListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.source) params.set("source", query.source);
  if (query.abandoned) params.set("abandoned", "1");
  if (query.optedOut) params.set("optedOut", "1");
  if (query.writtenWithinDays !== null) params.set("writtenWithinDays", String(query.writtenWithinDays));
  if (query.sort !== DEFAULT_CUSTOMER_LIST_QUERY.sort) params.set("sort", query.sort);
  if (query.direction !== DEFAULT_CUSTOMER_LIST_QUERY.direction) params.set("direction", query.direction);
  if (query.page > 0) params.set("page", String(query.page));
  return params;
}
