import { z } from "zod";
import type {
  CanonicalAddress,
  CanonicalCustomer,
  CanonicalLineItem,
  CanonicalOrder,
  CanonicalOrderFinancialState,
  CanonicalOrderFulfilmentState,
  RecordSource,
} from "../../core/canonical-records";
import { normalizeEmail, normalizeLanguageTag } from "../../core/customer-identity";
import { minorDigits, parseDecimalToMinor, toDecimalString } from "../../core/money";
import { readableIssueMessage } from "../../core/zod-issues";

/**
 * The import API's contract (PRODUCT.md A4): request bodies, responses and error bodies as zod
 * schemas. The same schemas validate requests, shape responses and generate the OpenAPI
 * document (openapi.ts), so the description can never drift from what the API does.
 *
 * Conventions: amounts are decimal strings with exactly the currency's minor digits ("49.90",
 * "1200" for JPY); instants are ISO 8601 with an offset; enum values are lower case.
 */

export const MAX_BATCH_ITEMS = 1_000;
export const MAX_LINE_ITEMS_PER_ORDER = 500;
/** The name every record pushed through the API carries as its source. */
export const API_SOURCE: RecordSource = "API";
/** An order's customer given by e-mail alone gets an API identity under this id (see the OpenAPI description). */
export const EMAIL_IDENTITY_PREFIX = "email:";

// ------------------------------------------------------------------------------------ building blocks

// Intl knows every ISO 4217 code; fixed once per process.
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

const SourceIdSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(255, "at most 255 characters")
  .meta({ description: "The record's id in the sending system; the key that makes a re-post idempotent.", example: "C-10024" });

const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "expected an ISO 4217 code in capitals, such as EUR", abort: true })
  .refine((code) => KNOWN_CURRENCIES.has(code), "is not an ISO 4217 currency code")
  .meta({ description: "ISO 4217 currency code.", example: "EUR" });

// At most 13 whole digits: the amount in minor units stays an exact integer in JavaScript.
const DecimalSchema = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,3})?$/, 'expected a decimal string such as "49.90"')
  .meta({ description: "A non-negative amount as a decimal string with the currency's minor digits.", example: "49.90" });

const InstantSchema = z.iso
  .datetime({ offset: true, message: "expected an ISO 8601 date and time with offset, such as 2025-03-01T10:15:00Z" })
  .meta({ example: "2025-03-01T10:15:00Z" });

const optionalText = (max: number, description: string) =>
  z.string().trim().max(max, `at most ${max} characters`).nullish().meta({ description });

export const AddressInputSchema = z
  .strictObject({
    name: optionalText(200, "Recipient line; defaults to the customer's name."),
    company: optionalText(200, "Company line."),
    line1: optionalText(200, "Street and number."),
    line2: optionalText(200, "Additional address line."),
    postalCode: optionalText(20, "Postal code."),
    city: optionalText(100, "City."),
    region: optionalText(100, "Region or state."),
    countryCode: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as DE")
      .nullish()
      .meta({ description: "ISO 3166-1 alpha-2 country code.", example: "DE" }),
  })
  .meta({ description: "Postal address; a letter needs at least line1, postalCode, city and countryCode." });

const customerFields = {
  email: z.email("expected an e-mail address").max(254).nullish().meta({ description: "E-mail; merges the person with the same customer from other sources.", example: "ada@example.com" }),
  firstName: optionalText(200, "First name."),
  lastName: optionalText(200, "Last name."),
  company: optionalText(200, "Company."),
  phone: optionalText(50, "Phone number."),
  language: z
    .string()
    .refine((tag) => normalizeLanguageTag(tag) !== null, "expected a language tag such as de or de-CH")
    .nullish()
    .meta({ description: "BCP 47 language tag; chooses the letter's language.", example: "de" }),
  address: AddressInputSchema.nullish(),
  updatedAt: InstantSchema.nullish().meta({
    description: "When the record last changed in the sending system. An older version never overwrites a newer one; without it, a re-post only fills gaps.",
  }),
};

export const CustomerInputSchema = z
  .strictObject({ sourceId: SourceIdSchema, ...customerFields })
  .meta({ description: "A customer as the sending system knows it." });

export const OrderCustomerInputSchema = z
  .strictObject({ sourceId: SourceIdSchema.optional(), ...customerFields })
  .superRefine((customer, ctx) => {
    if (!customer.sourceId && !customer.email) ctx.addIssue({ code: "custom", path: ["email"], message: "required when sourceId is missing" });
  })
  .meta({
    description:
      "The buyer: their sourceId (with any fields), or just their e-mail. A buyer given by e-mail alone is filed under the API sourceId `email:<e-mail>` and joins the customer with that e-mail from any source; when there is none, a customer is created.",
  });

export const LineItemInputSchema = z
  .strictObject({
    sourceId: SourceIdSchema.nullish(),
    title: z.string().trim().min(1, "must not be empty").max(500).meta({ example: "Espresso beans 1 kg" }),
    sku: optionalText(100, "Stock keeping unit."),
    variant: optionalText(200, "Variant title, such as a size or colour."),
    quantity: z.int("expected a whole number").min(1, "at least 1").max(1_000_000).meta({ example: 2 }),
    unitPrice: DecimalSchema.meta({ description: "Price of one unit in the order's currency.", example: "24.95" }),
  })
  .meta({ description: "One order line." });

export const FINANCIAL_STATUSES = ["pending", "authorized", "paid", "partially_paid", "partially_refunded", "refunded", "voided"] as const;
export const FULFILMENT_STATUSES = ["unfulfilled", "partial", "fulfilled", "restocked"] as const;

export const OrderStatusInputSchema = z
  .strictObject({
    financial: z.enum(FINANCIAL_STATUSES).optional().meta({ description: "Payment state." }),
    fulfilment: z.enum(FULFILMENT_STATUSES).optional().meta({ description: "Shipping state." }),
  })
  .meta({ description: "Payment and shipping state; a cancellation is given by cancelledAt." });

export const OrderInputSchema = z
  .strictObject({
    sourceId: SourceIdSchema,
    number: z.string().trim().min(1, "must not be empty").max(100).meta({ description: "What the shop calls the order.", example: "2025-1042" }),
    placedAt: InstantSchema.meta({ description: "When the order was placed." }),
    currency: CurrencySchema,
    total: DecimalSchema.meta({ description: "Order total in its currency.", example: "49.90" }),
    subtotal: DecimalSchema.nullish(),
    refunded: DecimalSchema.nullish().meta({ description: "Amount refunded so far; reduces the lifetime value." }),
    status: OrderStatusInputSchema.nullish(),
    cancelledAt: InstantSchema.nullish().meta({ description: "Set when the order was cancelled; cancelled orders never count in the statistics." }),
    cancelReason: optionalText(200, "Why it was cancelled."),
    customer: OrderCustomerInputSchema,
    items: z.array(LineItemInputSchema).max(MAX_LINE_ITEMS_PER_ORDER, `at most ${MAX_LINE_ITEMS_PER_ORDER} items per order`),
    live: z.boolean().default(false).meta({
      description:
        "True only for an order that is happening now: it may trigger the after-purchase letter. History pushed with false (the default) never mails anyone. Once live, an order stays live.",
    }),
    updatedAt: InstantSchema.nullish().meta({ description: "When the order last changed in the sending system; an older version never overwrites a newer one." }),
  })
  .superRefine((order, ctx) => {
    // Amounts must fit the currency's minor unit: "49.905" EUR is a mistake, not a rounding job.
    const digits = minorDigits(order.currency);
    const check = (value: string | null | undefined, path: (string | number)[]) => {
      if (!value) return;
      const fraction = value.split(".")[1] ?? "";
      if (fraction.length > digits) {
        ctx.addIssue({ code: "custom", path, message: `${order.currency} has ${digits} decimal${digits === 1 ? "" : "s"}; got ${fraction.length}` });
      }
    };
    check(order.total, ["total"]);
    check(order.subtotal, ["subtotal"]);
    check(order.refunded, ["refunded"]);
    order.items.forEach((item, index) => check(item.unitPrice, ["items", index, "unitPrice"]));
    if (order.refunded && KNOWN_CURRENCIES.has(order.currency)) {
      const refunded = parseDecimalToMinor(order.refunded, order.currency);
      const total = parseDecimalToMinor(order.total, order.currency);
      if (refunded !== null && total !== null && refunded > total) ctx.addIssue({ code: "custom", path: ["refunded"], message: "exceeds the total" });
    }
  })
  .meta({ description: "An order with its buyer and lines." });

/** Refuses the same sourceId twice in one batch: which of the two should win would be a guess. */
function uniqueSourceIds<T extends { sourceId: string }>(items: T[], ctx: z.RefinementCtx, key: string) {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const first = seen.get(item.sourceId);
    if (first === undefined) seen.set(item.sourceId, index);
    else ctx.addIssue({ code: "custom", path: [key, index, "sourceId"], message: `repeats ${key}.${first}.sourceId` });
  });
}

const batchOf = <T extends z.ZodType<{ sourceId: string }>>(item: T, key: string) =>
  z
    .array(item)
    .min(1, "send at least one item")
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per request`)
    .meta({ description: `1 to ${MAX_BATCH_ITEMS} ${key}, written in one transaction (all or nothing).` });

export const CustomersBatchSchema = z
  .strictObject({ customers: batchOf(CustomerInputSchema, "customers") })
  .superRefine((body, ctx) => uniqueSourceIds(body.customers, ctx, "customers"));

export const OrdersBatchSchema = z
  .strictObject({ orders: batchOf(OrderInputSchema, "orders") })
  .superRefine((body, ctx) => uniqueSourceIds(body.orders, ctx, "orders"));

export type CustomerInput = z.infer<typeof CustomerInputSchema>;
export type OrderInput = z.infer<typeof OrderInputSchema>;
export type CustomersBatch = z.infer<typeof CustomersBatchSchema>;
export type OrdersBatch = z.infer<typeof OrdersBatchSchema>;

export const API_SOURCES = ["shopify", "billbee", "csv", "api"] as const;
export type ApiSource = (typeof API_SOURCES)[number];

export type FindCustomersQuery = { by: "email"; email: string } | { by: "source"; source: ApiSource; sourceId: string };

// ------------------------------------------------------------------------------------ responses

const DecimalOutSchema = z.string().regex(/^-?\d+(\.\d+)?$/).meta({ example: "49.90" });
const InstantOutSchema = z.iso.datetime({ offset: true });

export const MoneySchema = z
  .strictObject({ amount: DecimalOutSchema, currency: z.string().regex(/^[A-Z]{3}$/).meta({ example: "EUR" }) })
  .meta({ description: "An amount with its currency.", example: { amount: "49.90", currency: "EUR" } });

export const OUTCOMES = ["created", "updated", "skipped"] as const;

export const CountsSchema = z
  .strictObject({ created: z.int().min(0), updated: z.int().min(0), skipped: z.int().min(0) })
  .meta({ description: "What the request changed: new records, changed records, and records already stored exactly so." });

export const CustomerPushResultSchema = z
  .strictObject({
    importRunId: z.string().meta({ description: "The run in the shop's import history." }),
    counts: CountsSchema,
    results: z.array(
      z.strictObject({
        index: z.int().min(0),
        sourceId: z.string(),
        id: z.string().meta({ description: "LetterLoop's customer id (GET /api/v1/customers/{id})." }),
        outcome: z.enum(OUTCOMES),
      }),
    ),
  })
  .meta({ description: "One entry per pushed customer, in request order." });

export const OrderPushResultSchema = z
  .strictObject({
    importRunId: z.string(),
    counts: CountsSchema,
    results: z.array(
      z.strictObject({
        index: z.int().min(0),
        sourceId: z.string(),
        id: z.string().meta({ description: "LetterLoop's order id." }),
        customerId: z.string().nullable(),
        outcome: z.enum(OUTCOMES),
        live: z.boolean().meta({ description: "Whether the order counts as live for the after-purchase letter." }),
      }),
    ),
  })
  .meta({ description: "One entry per pushed order, in request order." });

export const IdentitySchema = z.strictObject({ source: z.enum(API_SOURCES), sourceId: z.string() });

export const CustomerSummarySchema = z
  .strictObject({
    id: z.string(),
    source: z.enum(API_SOURCES).nullable().meta({ description: "The source the customer was first known from (their oldest identity)." }),
    sourceId: z.string().nullable(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    identities: z.array(IdentitySchema).meta({ description: "Every source that knows this person." }),
  })
  .meta({ description: "A customer found by e-mail or by source id." });

export const FindCustomersResultSchema = z.strictObject({ customers: z.array(CustomerSummarySchema) });

export const CHECKOUT_STATES = ["open", "abandoned", "recovered", "completed"] as const;
export const ORDER_STATUSES = [
  "cancelled",
  "refunded",
  "partially_refunded",
  "fulfilled",
  "partially_fulfilled",
  "paid",
  "partially_paid",
  "authorized",
  "pending",
  "voided",
  "open",
] as const;
export const LETTER_STATUSES = ["scheduled", "rendered", "submitted", "printed", "mailed", "delivered", "returned", "failed", "cancelled"] as const;

export const CustomerProfileSchema = z
  .strictObject({
    id: z.string(),
    source: z.enum(API_SOURCES).nullable().meta({ description: "The source the customer was first known from (their oldest identity)." }),
    sourceId: z.string().nullable().meta({ description: "The customer's id in that source." }),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    language: z.string().nullable(),
    optedOut: z.boolean(),
    stats: z
      .strictObject({
        lifetimeValue: MoneySchema,
        orderCount: z.int().min(0),
        averageOrderValue: MoneySchema,
        firstOrderAt: InstantOutSchema.nullable(),
        lastOrderAt: InstantOutSchema.nullable(),
      })
      .meta({ description: "In the shop currency; cancelled orders and orders in a currency without an exchange rate do not count." }),
    orders: z
      .array(
        z.strictObject({
          id: z.string(),
          sourceId: z.string(),
          number: z.string(),
          placedAt: InstantOutSchema,
          total: MoneySchema,
          status: z.enum(ORDER_STATUSES),
          items: z.array(
            z.strictObject({
              title: z.string(),
              sku: z.string().nullable(),
              quantity: z.int(),
              unitPrice: DecimalOutSchema.meta({ description: "In the order's currency." }),
            }),
          ),
        }),
      )
      .meta({ description: "All orders, newest first." }),
    checkouts: z
      .array(
        z.strictObject({
          token: z.string(),
          createdAt: InstantOutSchema,
          value: MoneySchema,
          state: z.enum(CHECKOUT_STATES),
          abandonedAt: InstantOutSchema.nullable(),
          recoveredByOrderId: z.string().nullable(),
        }),
      )
      .meta({ description: "Shopify checkouts, newest first; always empty for customers known only from other sources (they have no checkout data)." }),
    letters: z
      .array(
        z.strictObject({
          id: z.string(),
          campaign: z.strictObject({ id: z.string(), name: z.string() }).nullable().meta({ description: "Null for the after-purchase letter." }),
          status: z.enum(LETTER_STATUSES),
          sentAt: InstantOutSchema.nullable(),
          pdfUrl: z.url().nullable().meta({ description: "A signed link to the PDF exactly as sent, valid for a few minutes." }),
          firstScanAt: InstantOutSchema.nullable(),
          scanCount: z.int().min(0),
        }),
      )
      .meta({ description: "Every letter sent or scheduled, newest first." }),
  })
  .meta({ description: "Everything known about one customer." });

export type CustomerProfileResponse = z.infer<typeof CustomerProfileSchema>;
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const API_ERROR_CODES = [
  "BAD_REQUEST",
  "MALFORMED_JSON",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "VALIDATION",
  "UNAVAILABLE",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ApiErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(API_ERROR_CODES),
      message: z.string(),
      fields: z
        .record(z.string(), z.array(z.string()))
        .meta({ description: "Each bad field by its path, with what is wrong.", example: { "orders.3.total": ['expected a decimal string such as "49.90"'] } }),
    }),
  })
  .meta({ description: "Every error answer has this shape." });

export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

// ------------------------------------------------------------------------------------ parsing

export type Parsed<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string[]> };

/** zod issues as the error body's `fields`: one entry per bad field path ("orders.3.total"). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (path: string, message: string) => {
    const list = (fields[path || "body"] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    // An unknown key is reported on its parent; name the key itself, which is what is wrong.
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) add(path ? `${path}.${key}` : key, "unknown field");
    else add(path, issue.message);
  }
  return fields;
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input, { error: readableIssueMessage });
  return result.success ? { ok: true, value: result.data } : { ok: false, fields: fieldErrorsOf(result.error) };
}

export const parseCustomersBatch = (body: unknown) => parseWith(CustomersBatchSchema, body);
export const parseOrdersBatch = (body: unknown) => parseWith(OrdersBatchSchema, body);

const EmailQuerySchema = z.strictObject({ email: z.email("expected an e-mail address") });
const SourceQuerySchema = z.strictObject({
  source: z.enum(API_SOURCES, "expected one of shopify, billbee, csv, api"),
  sourceId: z.string().min(1, "must not be empty").max(255, "at most 255 characters"),
});

/**
 * GET /api/v1/customers takes either ?email=… or ?source=…&sourceId=… (source case-insensitive).
 * `missing` when neither was given: a bad request rather than a list of every customer.
 */
export function parseFindCustomersQuery(params: URLSearchParams): Parsed<FindCustomersQuery> | { ok: false; missing: true } {
  const email = params.get("email");
  const source = params.get("source");
  const sourceId = params.get("sourceId");
  if (email === null && source === null && sourceId === null) return { ok: false, missing: true };
  if (email !== null && (source !== null || sourceId !== null)) {
    return { ok: false, fields: { email: ["give either email, or source and sourceId"] } };
  }
  if (email !== null) {
    const parsed = parseWith(EmailQuerySchema, { email: email.trim() });
    return parsed.ok ? { ok: true, value: { by: "email", email: parsed.value.email } } : parsed;
  }
  const parsed = parseWith(SourceQuerySchema, { source: source?.toLowerCase() ?? undefined, sourceId: sourceId ?? undefined });
  return parsed.ok ? { ok: true, value: { by: "source", ...parsed.value } } : parsed;
}

/** The query parameters as OpenAPI describes them (same rules as parseFindCustomersQuery). */
export const FIND_QUERY_PARAMETER_SCHEMAS = {
  email: EmailQuerySchema.shape.email,
  source: SourceQuerySchema.shape.source,
  sourceId: SourceQuerySchema.shape.sourceId,
};

// ------------------------------------------------------------------------------------ mapping

const blankToNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === "" ? null : value.trim());

function toCanonicalAddress(address: z.infer<typeof AddressInputSchema> | null | undefined): CanonicalAddress | null {
  if (!address) return null;
  const mapped: CanonicalAddress = {
    name: blankToNull(address.name),
    company: blankToNull(address.company),
    line1: blankToNull(address.line1),
    line2: blankToNull(address.line2),
    postalCode: blankToNull(address.postalCode),
    city: blankToNull(address.city),
    region: blankToNull(address.region),
    countryCode: address.countryCode ? address.countryCode.toUpperCase() : null,
  };
  return Object.values(mapped).every((value) => value === null) ? null : mapped;
}

type CustomerFields = Omit<CustomerInput, "sourceId">;

function canonicalCustomer(sourceId: string, input: CustomerFields): CanonicalCustomer {
  return {
    source: API_SOURCE,
    sourceId,
    sourceUpdatedAt: input.updatedAt ? new Date(input.updatedAt) : null,
    email: blankToNull(input.email),
    firstName: blankToNull(input.firstName),
    lastName: blankToNull(input.lastName),
    company: blankToNull(input.company),
    phone: blankToNull(input.phone),
    language: normalizeLanguageTag(input.language),
    address: toCanonicalAddress(input.address),
  };
}

/** A validated customer as the one ingestion path takes it (source "API"). */
export function toCanonicalCustomer(input: CustomerInput): CanonicalCustomer {
  return canonicalCustomer(input.sourceId, input);
}

/** The API identity an order's customer is stored under: their sourceId, or `email:<e-mail>` when only the e-mail was given. */
export function orderCustomerSourceId(customer: OrderInput["customer"]): string {
  return customer.sourceId ?? `${EMAIL_IDENTITY_PREFIX}${normalizeEmail(customer.email)}`;
}

const FINANCIAL: Record<(typeof FINANCIAL_STATUSES)[number], CanonicalOrderFinancialState> = {
  pending: "PENDING",
  authorized: "AUTHORIZED",
  paid: "PAID",
  partially_paid: "PARTIALLY_PAID",
  partially_refunded: "PARTIALLY_REFUNDED",
  refunded: "REFUNDED",
  voided: "VOIDED",
};
const FULFILMENT: Record<(typeof FULFILMENT_STATUSES)[number], CanonicalOrderFulfilmentState> = {
  unfulfilled: "UNFULFILLED",
  partial: "PARTIAL",
  fulfilled: "FULFILLED",
  restocked: "RESTOCKED",
};

/** Minor units of a validated decimal string (the schema already checked its digits). */
function minor(value: string, currency: string): bigint {
  const amount = parseDecimalToMinor(value, currency);
  if (amount === null) throw new Error(`not a decimal amount: ${value}`);
  return BigInt(amount);
}

/** A validated order as the one ingestion path takes it (source "API"); live only when the sender said so. */
export function toCanonicalOrder(input: OrderInput): CanonicalOrder {
  const customer = canonicalCustomer(orderCustomerSourceId(input.customer), input.customer);
  const lineItems: CanonicalLineItem[] = input.items.map((item) => {
    const unitPriceMinor = minor(item.unitPrice, input.currency);
    return {
      sourceId: blankToNull(item.sourceId),
      productId: null,
      variantId: null,
      sku: blankToNull(item.sku),
      title: item.title.trim(),
      variantTitle: blankToNull(item.variant),
      quantity: item.quantity,
      unitPriceMinor,
      totalMinor: unitPriceMinor * BigInt(item.quantity),
    };
  });
  return {
    source: API_SOURCE,
    sourceId: input.sourceId,
    number: input.number.trim(),
    placedAt: new Date(input.placedAt),
    sourceUpdatedAt: input.updatedAt ? new Date(input.updatedAt) : null,
    currency: input.currency,
    totalMinor: minor(input.total, input.currency),
    subtotalMinor: input.subtotal ? minor(input.subtotal, input.currency) : null,
    refundedMinor: input.refunded ? minor(input.refunded, input.currency) : 0n,
    financialState: input.status?.financial ? FINANCIAL[input.status.financial] : "UNKNOWN",
    fulfilmentState: input.status?.fulfilment ? FULFILMENT[input.status.fulfilment] : "UNKNOWN",
    cancelledAt: input.cancelledAt ? new Date(input.cancelledAt) : null,
    cancelReason: blankToNull(input.cancelReason),
    checkoutToken: null,
    email: customer.email,
    customerLocale: customer.language,
    shippingAddress: customer.address,
    discountCodes: [],
    customer,
    lineItems,
    live: input.live === true,
  };
}

// ------------------------------------------------------------------------------------ response pieces

/** An amount in minor units as the API writes it: a decimal string with the currency's digits. */
export function toApiMoney(amountMinor: bigint, currency: string): { amount: string; currency: string } {
  return { amount: toApiDecimal(amountMinor, currency), currency: currency.toUpperCase() };
}

export function toApiDecimal(amountMinor: bigint, currency: string): string {
  return toDecimalString({ amountMinor: Number(amountMinor), currency });
}

export function toApiSource(source: RecordSource): ApiSource {
  return source.toLowerCase() as ApiSource;
}

export function fromApiSource(source: ApiSource): RecordSource {
  return source.toUpperCase() as RecordSource;
}

/** The lower-case status names of the API ("PARTIALLY_FULFILLED" → "partially_fulfilled"). */
export function toApiEnum<T extends string>(value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower)) throw new Error(`unexpected value ${value}`);
  return lower as T;
}

/**
 * A checkout's state as the API reports it: recovered (abandoned, then bought), abandoned (not
 * bought yet), completed (bought before it counted as abandoned), or open (still in progress).
 */
export function checkoutState(checkout: { abandonedAt: Date | null; recoveredAt: Date | null; completedAt: Date | null }): (typeof CHECKOUT_STATES)[number] {
  if (checkout.recoveredAt) return "recovered";
  if (checkout.abandonedAt) return "abandoned";
  if (checkout.completedAt) return "completed";
  return "open";
}
