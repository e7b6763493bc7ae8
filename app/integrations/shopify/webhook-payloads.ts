import { z } from "zod";
import type {
  CanonicalAddress,
  CanonicalCheckout,
  CanonicalCustomer,
  CanonicalLineItem,
  CanonicalOrder,
  CanonicalOrderFinancialState,
  CanonicalOrderFulfilmentState,
} from "../../core/canonical-records";
import { normalizeLanguageTag } from "../../core/customer-identity";
import { parseDecimalToMinor } from "../../core/money";
import { isLiveOrder } from "../../core/order-liveness";
import { describeZodIssues, readableIssueMessage } from "../../core/zod-issues";

/**
 * Shopify webhook payloads (REST-shaped JSON, API 2026-07) parsed at the edge and mapped to the
 * canonical records. Only the fields used are read; Shopify adds fields in every version, so
 * unknown keys are ignored. Pure: the delivery time comes in as `receivedAt`.
 */

export type ParsedShopifyWebhook =
  | { kind: "order"; order: CanonicalOrder }
  | { kind: "checkout"; checkout: CanonicalCheckout }
  | { kind: "customer"; customer: CanonicalCustomer }
  | { kind: "app-uninstalled" };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------
// Schemas

/** A schema-level message for a present but malformed value; a missing one still says "required". */
function unlessMissing(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message);
}

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** REST amounts are decimal strings in the currency's own precision ("199.00", "1200", "1.250"). */
const DecimalStringSchema = z.string({ error: unlessMissing("expected a decimal string") }).regex(DECIMAL_PATTERN, "expected a decimal string");

const TimestampSchema = z.iso.datetime({ offset: true, error: unlessMissing("expected an ISO 8601 date-time with offset") });

/** REST ids are JSON numbers; ids that went through other tools arrive as digit strings. */
const ShopifyIdSchema = z.union([z.number(), z.string()], { error: unlessMissing("expected a numeric id") }).refine(
  (id) => (typeof id === "number" ? Number.isInteger(id) && id > 0 : /^\d+$/.test(id)),
  "expected a numeric id",
);

const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code");

const QuantitySchema = z.number().int("expected a whole quantity").nonnegative("expected a quantity of 0 or more");

const OptionalTextSchema = z.string().nullish();

export const ShopifyAddressSchema = z.object({
  name: OptionalTextSchema,
  first_name: OptionalTextSchema,
  last_name: OptionalTextSchema,
  company: OptionalTextSchema,
  address1: OptionalTextSchema,
  address2: OptionalTextSchema,
  zip: OptionalTextSchema,
  city: OptionalTextSchema,
  province: OptionalTextSchema,
  country_code: OptionalTextSchema,
});
export type ShopifyAddress = z.infer<typeof ShopifyAddressSchema>;

export const ShopifyCustomerSchema = z.object({
  id: ShopifyIdSchema,
  admin_graphql_api_id: OptionalTextSchema,
  email: OptionalTextSchema,
  first_name: OptionalTextSchema,
  last_name: OptionalTextSchema,
  phone: OptionalTextSchema,
  locale: OptionalTextSchema,
  updated_at: TimestampSchema.nullish(),
  default_address: ShopifyAddressSchema.nullish(),
});
export type ShopifyCustomer = z.infer<typeof ShopifyCustomerSchema>;

/** What order and checkout lines have in common. */
const LineItemSchema = z.object({
  product_id: ShopifyIdSchema.nullish(),
  variant_id: ShopifyIdSchema.nullish(),
  sku: OptionalTextSchema,
  title: z.string(),
  variant_title: OptionalTextSchema,
  quantity: QuantitySchema,
  price: DecimalStringSchema,
});

const OrderLineItemSchema = LineItemSchema.extend({
  id: ShopifyIdSchema,
  admin_graphql_api_id: OptionalTextSchema,
  discount_allocations: z.array(z.object({ amount: DecimalStringSchema })).nullish(),
});

const RefundSchema = z.object({
  transactions: z
    .array(z.object({ kind: OptionalTextSchema, status: OptionalTextSchema, amount: DecimalStringSchema }))
    .nullish(),
});

export const ShopifyOrderSchema = z.object({
  id: ShopifyIdSchema,
  admin_graphql_api_id: OptionalTextSchema,
  name: z.string(),
  created_at: TimestampSchema,
  processed_at: TimestampSchema.nullish(),
  updated_at: TimestampSchema.nullish(),
  currency: CurrencyCodeSchema,
  total_price: DecimalStringSchema,
  subtotal_price: DecimalStringSchema.nullish(),
  financial_status: OptionalTextSchema,
  fulfillment_status: OptionalTextSchema,
  cancelled_at: TimestampSchema.nullish(),
  cancel_reason: OptionalTextSchema,
  checkout_token: OptionalTextSchema,
  email: OptionalTextSchema,
  contact_email: OptionalTextSchema,
  customer_locale: OptionalTextSchema,
  shipping_address: ShopifyAddressSchema.nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  line_items: z.array(OrderLineItemSchema),
  refunds: z.array(RefundSchema).nullish(),
  customer: ShopifyCustomerSchema.nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrderSchema>;

const CheckoutLineItemSchema = LineItemSchema.extend({
  key: OptionalTextSchema,
  line_price: DecimalStringSchema.nullish(),
});

// No `id`: API 2026-04 removed it from checkout webhooks; `token` is the key.
export const ShopifyCheckoutSchema = z.object({
  token: z.string().min(1, "required"),
  cart_token: OptionalTextSchema,
  email: OptionalTextSchema,
  customer_locale: OptionalTextSchema,
  abandoned_checkout_url: OptionalTextSchema,
  currency: CurrencyCodeSchema.nullish(),
  presentment_currency: CurrencyCodeSchema.nullish(),
  total_price: DecimalStringSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  completed_at: TimestampSchema.nullish(),
  customer: ShopifyCustomerSchema.nullish(),
  shipping_address: ShopifyAddressSchema.nullish(),
  line_items: z.array(CheckoutLineItemSchema).nullish(),
});
export type ShopifyCheckout = z.infer<typeof ShopifyCheckoutSchema>;

// ---------------------------------------------------------------------------------------------
// Topics

type PayloadKind = "order" | "checkout" | "customer" | "app-uninstalled";

const KIND_BY_TOPIC: ReadonlyMap<string, PayloadKind> = new Map([
  ["ORDERS_CREATE", "order"],
  ["ORDERS_UPDATED", "order"],
  ["ORDERS_CANCELLED", "order"],
  ["CHECKOUTS_CREATE", "checkout"],
  ["CHECKOUTS_UPDATE", "checkout"],
  ["CUSTOMERS_CREATE", "customer"],
  ["CUSTOMERS_UPDATE", "customer"],
  ["APP_UNINSTALLED", "app-uninstalled"],
]);

/** `authenticate.webhook` gives "ORDERS_CREATE"; the header and shopify.app.toml say "orders/create". */
export function normalizeWebhookTopic(topic: string): string {
  return topic.trim().toUpperCase().replace(/\//g, "_");
}

/** null when the topic is not one of the above (compliance topics are parsed elsewhere). */
export function parseShopifyWebhook(input: {
  topic: string;
  payload: unknown;
  receivedAt: Date;
}): ParseResult<ParsedShopifyWebhook> | null {
  const kind = KIND_BY_TOPIC.get(normalizeWebhookTopic(input.topic));
  switch (kind) {
    case undefined:
      return null;
    case "order":
      return mapResult(parseShopifyOrder(input.payload, input.receivedAt), (order) => ({ kind, order }));
    case "checkout":
      return mapResult(parseShopifyCheckout(input.payload), (checkout) => ({ kind, checkout }));
    case "customer":
      return mapResult(parseShopifyCustomer(input.payload), (customer) => ({ kind, customer }));
    case "app-uninstalled":
      // Nothing in the Shop object is used, and an uninstall must never fail on its shape.
      return { ok: true, value: { kind } };
  }
}

export function parseShopifyOrder(payload: unknown, receivedAt: Date): ParseResult<CanonicalOrder> {
  return parseThenMap(ShopifyOrderSchema, payload, (order, problems) => mapOrder(order, receivedAt, problems));
}

export function parseShopifyCheckout(payload: unknown): ParseResult<CanonicalCheckout> {
  return parseThenMap(ShopifyCheckoutSchema, payload, mapCheckout);
}

export function parseShopifyCustomer(payload: unknown): ParseResult<CanonicalCustomer> {
  return parseThenMap(ShopifyCustomerSchema, payload, (customer, problems) => mapCustomer(customer, null, problems, ""));
}

// ---------------------------------------------------------------------------------------------
// Mapping

/** What the schema cannot see (ids that lost precision, amounts beyond range), as "path: message". */
type Problems = string[];

function parseThenMap<S extends z.ZodType, T>(
  schema: S,
  payload: unknown,
  map: (parsed: z.infer<S>, problems: Problems) => T,
): ParseResult<T> {
  const parsed = schema.safeParse(payload, { error: readableIssueMessage });
  if (!parsed.success) return { ok: false, reason: describeZodIssues(parsed.error) };
  const problems: Problems = [];
  const value = map(parsed.data, problems);
  return problems.length > 0 ? { ok: false, reason: problems.join("; ") } : { ok: true, value };
}

function mapResult<T, U>(result: ParseResult<T>, map: (value: T) => U): ParseResult<U> {
  return result.ok ? { ok: true, value: map(result.value) } : result;
}

function mapOrder(order: ShopifyOrder, receivedAt: Date, problems: Problems): CanonicalOrder {
  const currency = order.currency;
  const placedAt = new Date(order.processed_at ?? order.created_at);
  const refundedMinor = (order.refunds ?? [])
    .flatMap((refund, refundIndex) =>
      (refund.transactions ?? []).map((transaction, transactionIndex) => ({ transaction, path: `refunds.${refundIndex}.transactions.${transactionIndex}.amount` })),
    )
    .filter(({ transaction }) => transaction.kind === "refund" && transaction.status === "success")
    .reduce((sum, { transaction, path }) => sum + toMinor(transaction.amount, currency, path, problems), 0n);
  const customerLocale = normalizeLanguageTag(order.customer_locale);

  return {
    source: "SHOPIFY",
    sourceId: requiredSourceId(order.id, order.admin_graphql_api_id, "id", problems),
    number: order.name,
    placedAt,
    sourceUpdatedAt: toDateOrNull(order.updated_at),
    currency,
    totalMinor: toMinor(order.total_price, currency, "total_price", problems),
    subtotalMinor: order.subtotal_price == null ? null : toMinor(order.subtotal_price, currency, "subtotal_price", problems),
    refundedMinor,
    financialState: mapFinancialState(order.financial_status),
    fulfilmentState: mapFulfilmentState(order.fulfillment_status),
    cancelledAt: toDateOrNull(order.cancelled_at),
    cancelReason: textOrNull(order.cancel_reason),
    checkoutToken: textOrNull(order.checkout_token),
    email: textOrNull(order.email) ?? textOrNull(order.contact_email),
    customerLocale,
    shippingAddress: mapAddress(order.shipping_address),
    discountCodes: (order.discount_codes ?? []).map((discount) => discount.code),
    customer: order.customer ? mapCustomer(order.customer, customerLocale, problems, "customer.") : null,
    lineItems: order.line_items.map((item, index) => mapOrderLineItem(item, currency, `line_items.${index}.`, problems)),
    // The same rule for every order topic: the ingestion keeps `live` once it was true.
    live: isLiveOrder({ processedAt: placedAt, receivedAt }),
  };
}

function mapOrderLineItem(
  item: z.infer<typeof OrderLineItemSchema>,
  currency: string,
  path: string,
  problems: Problems,
): CanonicalLineItem {
  const unitPriceMinor = toMinor(item.price, currency, `${path}price`, problems);
  const discountMinor = (item.discount_allocations ?? []).reduce(
    (sum, allocation, index) => sum + toMinor(allocation.amount, currency, `${path}discount_allocations.${index}.amount`, problems),
    0n,
  );
  const totalMinor = unitPriceMinor * BigInt(item.quantity) - discountMinor;
  return {
    sourceId: sourceIdOf(item.id, item.admin_graphql_api_id),
    productId: optionalSourceId(item.product_id),
    variantId: optionalSourceId(item.variant_id),
    sku: textOrNull(item.sku),
    title: item.title,
    variantTitle: textOrNull(item.variant_title),
    quantity: item.quantity,
    unitPriceMinor,
    totalMinor: totalMinor > 0n ? totalMinor : 0n,
  };
}

function mapCheckout(checkout: ShopifyCheckout, problems: Problems): CanonicalCheckout {
  const currency = checkout.currency ?? checkout.presentment_currency ?? "";
  if (!currency) problems.push("currency: required (neither currency nor presentment_currency is set)");
  const customerLocale = normalizeLanguageTag(checkout.customer_locale);
  return {
    token: checkout.token,
    graphqlId: null,
    cartToken: textOrNull(checkout.cart_token),
    email: textOrNull(checkout.email),
    customerLocale,
    abandonedCheckoutUrl: textOrNull(checkout.abandoned_checkout_url),
    currency,
    valueMinor: toMinor(checkout.total_price, currency, "total_price", problems),
    createdAt: new Date(checkout.created_at),
    updatedAt: new Date(checkout.updated_at),
    completedAt: toDateOrNull(checkout.completed_at),
    customer: checkout.customer ? mapCustomer(checkout.customer, customerLocale, problems, "customer.") : null,
    shippingAddress: mapAddress(checkout.shipping_address),
    lineItems: (checkout.line_items ?? []).map((item, index) => {
      const path = `line_items.${index}.`;
      const unitPriceMinor = toMinor(item.price, currency, `${path}price`, problems);
      return {
        sourceId: textOrNull(item.key),
        productId: optionalSourceId(item.product_id),
        variantId: optionalSourceId(item.variant_id),
        sku: textOrNull(item.sku),
        title: item.title,
        variantTitle: textOrNull(item.variant_title),
        quantity: item.quantity,
        unitPriceMinor,
        totalMinor:
          item.line_price == null ? unitPriceMinor * BigInt(item.quantity) : toMinor(item.line_price, currency, `${path}line_price`, problems),
      };
    }),
  };
}

/** `fallbackLanguage`: the order's or checkout's customer_locale, for customers without a locale. */
function mapCustomer(customer: ShopifyCustomer, fallbackLanguage: string | null, problems: Problems, path: string): CanonicalCustomer {
  return {
    source: "SHOPIFY",
    sourceId: requiredSourceId(customer.id, customer.admin_graphql_api_id, `${path}id`, problems),
    sourceUpdatedAt: toDateOrNull(customer.updated_at),
    email: textOrNull(customer.email),
    firstName: textOrNull(customer.first_name),
    lastName: textOrNull(customer.last_name),
    company: textOrNull(customer.default_address?.company),
    phone: textOrNull(customer.phone),
    language: normalizeLanguageTag(customer.locale) ?? fallbackLanguage,
    address: mapAddress(customer.default_address),
  };
}

function mapAddress(address: ShopifyAddress | null | undefined): CanonicalAddress | null {
  if (!address) return null;
  const mapped: CanonicalAddress = {
    name: textOrNull(address.name) ?? textOrNull([address.first_name, address.last_name].filter(Boolean).join(" ")),
    company: textOrNull(address.company),
    line1: textOrNull(address.address1),
    line2: textOrNull(address.address2),
    postalCode: textOrNull(address.zip),
    city: textOrNull(address.city),
    region: textOrNull(address.province),
    countryCode: textOrNull(address.country_code)?.toUpperCase() ?? null,
  };
  return Object.values(mapped).some((value) => value !== null) ? mapped : null;
}

const FINANCIAL_STATES: ReadonlyMap<string, CanonicalOrderFinancialState> = new Map([
  ["pending", "PENDING"],
  ["authorized", "AUTHORIZED"],
  ["paid", "PAID"],
  ["partially_paid", "PARTIALLY_PAID"],
  ["partially_refunded", "PARTIALLY_REFUNDED"],
  ["refunded", "REFUNDED"],
  ["voided", "VOIDED"],
]);

function mapFinancialState(status: string | null | undefined): CanonicalOrderFinancialState {
  return (status && FINANCIAL_STATES.get(status)) || "UNKNOWN";
}

// REST reports an order with nothing fulfilled as null, not "unfulfilled".
const FULFILMENT_STATES: ReadonlyMap<string, CanonicalOrderFulfilmentState> = new Map([
  ["partial", "PARTIAL"],
  ["fulfilled", "FULFILLED"],
  ["restocked", "RESTOCKED"],
]);

function mapFulfilmentState(status: string | null | undefined): CanonicalOrderFulfilmentState {
  if (status == null) return "UNFULFILLED";
  return FULFILMENT_STATES.get(status) ?? "UNKNOWN";
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * JSON.parse rounds integers above 2^53, and Shopify's own sample payloads use such ids
 * (820982911946154508); the GraphQL id carries the same number as text, so it is the fallback.
 * null when the id cannot be recovered exactly.
 */
function sourceIdOf(id: number | string, graphqlId: string | null | undefined): string | null {
  if (typeof id === "string") return id;
  if (Number.isSafeInteger(id)) return String(id);
  return graphqlId?.match(/\/(\d+)$/)?.[1] ?? null;
}

function requiredSourceId(id: number | string, graphqlId: string | null | undefined, path: string, problems: Problems): string {
  const sourceId = sourceIdOf(id, graphqlId);
  if (sourceId === null) {
    problems.push(`${path}: ${id} is beyond exact integer range and no admin_graphql_api_id recovers it`);
    return "";
  }
  return sourceId;
}

/** Product and variant references carry no GraphQL id; a rounded one would point elsewhere, so it is dropped. */
function optionalSourceId(id: number | string | null | undefined): string | null {
  return id == null ? null : sourceIdOf(id, null);
}

function toMinor(value: string, currency: string, path: string, problems: Problems): bigint {
  const minor = parseDecimalToMinor(value, currency);
  if (minor === null || !Number.isSafeInteger(minor)) {
    problems.push(`${path}: "${value}" is not an amount in ${currency}`);
    return 0n;
  }
  return BigInt(minor);
}

function toDateOrNull(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(value);
}

function textOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
