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
import { localeFromAbandonedCheckoutUrl, tokenFromAbandonedCheckoutUrl, type CheckoutUrlToken } from "./abandoned-checkout-url";

/**
 * Bulk-operation JSONL lines (and the same objects from paginated queries) mapped to canonical
 * records. Every Shopify record is keyed by the numeric tail of its GID, the id webhooks carry,
 * so a back-filled order and its orders/updated webhook land on the same row. Back-filled
 * records are history: never live.
 */

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

/** "gid://shopify/Order/450789469" → "450789469"; also drops a GID's query ("…/123?checkout=…"). */
export function sourceIdFromGid(gid: string): string {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/([^/?#]+)/.exec(gid.trim());
  if (!match) throw new Error(`Not a Shopify GID: ${gid}`);
  return match[1]!;
}

/** "gid://shopify/LineItem/1" → "LineItem". */
export function typeOfGid(gid: string): string | null {
  return /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Line schemas (only the fields the mappers read)
// ---------------------------------------------------------------------------------------------

const Gid = z.string().regex(/^gid:\/\/shopify\/[A-Za-z]+\/[^/?#]+/, "not a Shopify GID");
const IsoDate = z.iso.datetime({ offset: true });
const OptionalText = z.string().nullish();

const MoneySchema = z.object({ amount: z.string().regex(/^-?\d+(\.\d+)?$/), currencyCode: z.string().length(3) });
const MoneyBagSchema = z.object({ shopMoney: MoneySchema });

const AddressSchema = z.object({
  name: OptionalText,
  firstName: OptionalText,
  lastName: OptionalText,
  company: OptionalText,
  address1: OptionalText,
  address2: OptionalText,
  zip: OptionalText,
  city: OptionalText,
  province: OptionalText,
  provinceCode: OptionalText,
  countryCodeV2: OptionalText,
});

export const BulkCustomerSchema = z.object({
  id: Gid,
  firstName: OptionalText,
  lastName: OptionalText,
  defaultEmailAddress: z.object({ emailAddress: OptionalText }).nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: OptionalText }).nullish(),
  locale: OptionalText,
  updatedAt: IsoDate,
  defaultAddress: AddressSchema.nullish(),
});

export const BulkOrderSchema = z.object({
  id: Gid,
  name: z.string().min(1),
  processedAt: IsoDate.nullish(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  cancelledAt: IsoDate.nullish(),
  cancelReason: OptionalText,
  currencyCode: z.string().length(3),
  totalPriceSet: MoneyBagSchema,
  subtotalPriceSet: MoneyBagSchema.nullish(),
  totalRefundedSet: MoneyBagSchema.nullish(),
  displayFinancialStatus: OptionalText,
  displayFulfillmentStatus: OptionalText,
  checkoutToken: OptionalText,
  email: OptionalText,
  customerLocale: OptionalText,
  discountCodes: z.array(z.string()).nullish(),
  customer: z.object({ id: Gid }).nullish(),
  shippingAddress: AddressSchema.nullish(),
});

export const BulkOrderLineItemSchema = z.object({
  id: Gid,
  sku: OptionalText,
  title: z.string(),
  variantTitle: OptionalText,
  quantity: z.number().int(),
  originalUnitPriceSet: MoneyBagSchema,
  discountedTotalSet: MoneyBagSchema,
  product: z.object({ id: Gid }).nullish(),
  variant: z.object({ id: Gid }).nullish(),
});

export const BulkAbandonedCheckoutSchema = z.object({
  id: Gid,
  abandonedCheckoutUrl: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  completedAt: IsoDate.nullish(),
  customer: z
    .object({
      id: Gid,
      firstName: OptionalText,
      lastName: OptionalText,
      locale: OptionalText,
      defaultEmailAddress: z.object({ emailAddress: OptionalText }).nullish(),
    })
    .nullish(),
  totalPriceSet: MoneyBagSchema,
  shippingAddress: AddressSchema.nullish(),
});

export const BulkCheckoutLineItemSchema = z.object({
  id: Gid,
  sku: OptionalText,
  // AbandonedCheckoutLineItem.title is nullable (a deleted product).
  title: OptionalText,
  variantTitle: OptionalText,
  quantity: z.number().int(),
  originalUnitPriceSet: MoneyBagSchema,
  discountedTotalPriceSet: MoneyBagSchema.nullish(),
  product: z.object({ id: Gid }).nullish(),
  variant: z.object({ id: Gid }).nullish(),
});

export type BulkCustomer = z.infer<typeof BulkCustomerSchema>;
export type BulkOrder = z.infer<typeof BulkOrderSchema>;
export type BulkOrderLineItem = z.infer<typeof BulkOrderLineItemSchema>;
export type BulkAbandonedCheckout = z.infer<typeof BulkAbandonedCheckoutSchema>;
export type BulkCheckoutLineItem = z.infer<typeof BulkCheckoutLineItemSchema>;

// ---------------------------------------------------------------------------------------------
// Mappers
// ---------------------------------------------------------------------------------------------

/** A line that could not be mapped; the import records it and goes on. */
export type BulkRowError = { line: number; reason: string };
export type MapResult<T> = { ok: true; record: T } | { ok: false; error: BulkRowError };

export function mapBulkCustomer(line: number, raw: unknown): MapResult<CanonicalCustomer> {
  const parsed = BulkCustomerSchema.safeParse(raw);
  if (!parsed.success) return rowError(line, "customer", parsed.error);
  const customer = parsed.data;
  return {
    ok: true,
    record: {
      source: "SHOPIFY",
      sourceId: sourceIdFromGid(customer.id),
      sourceUpdatedAt: new Date(customer.updatedAt),
      email: text(customer.defaultEmailAddress?.emailAddress),
      firstName: text(customer.firstName),
      lastName: text(customer.lastName),
      company: text(customer.defaultAddress?.company),
      phone: text(customer.defaultPhoneNumber?.phoneNumber),
      language: normalizeLanguageTag(customer.locale),
      address: mapAddress(customer.defaultAddress),
    },
  };
}

export function mapBulkOrder(line: number, raw: unknown, children: readonly unknown[]): MapResult<CanonicalOrder> {
  const parsed = BulkOrderSchema.safeParse(raw);
  if (!parsed.success) return rowError(line, "order", parsed.error);
  const order = parsed.data;
  const lineItems: CanonicalLineItem[] = [];
  for (const child of children) {
    // Only line items are queried under an order; anything else would be a query change.
    if (!isRecord(child) || typeof child.id !== "string" || typeOfGid(child.id) !== "LineItem") continue;
    const item = BulkOrderLineItemSchema.safeParse(child);
    if (!item.success) return rowError(line, `line item ${String(child.id)} of order`, item.error);
    lineItems.push({
      sourceId: sourceIdFromGid(item.data.id),
      productId: item.data.product ? sourceIdFromGid(item.data.product.id) : null,
      variantId: item.data.variant ? sourceIdFromGid(item.data.variant.id) : null,
      sku: text(item.data.sku),
      title: item.data.title,
      variantTitle: text(item.data.variantTitle),
      quantity: item.data.quantity,
      unitPriceMinor: toMinor(item.data.originalUnitPriceSet),
      totalMinor: toMinor(item.data.discountedTotalSet),
    });
  }
  const currency = order.totalPriceSet.shopMoney.currencyCode;
  return {
    ok: true,
    record: {
      source: "SHOPIFY",
      sourceId: sourceIdFromGid(order.id),
      number: order.name,
      placedAt: new Date(order.processedAt ?? order.createdAt),
      sourceUpdatedAt: new Date(order.updatedAt),
      currency,
      totalMinor: toMinor(order.totalPriceSet),
      subtotalMinor: order.subtotalPriceSet ? toMinor(order.subtotalPriceSet) : null,
      refundedMinor: order.totalRefundedSet ? toMinor(order.totalRefundedSet) : 0n,
      financialState: financialStateOf(order.displayFinancialStatus),
      fulfilmentState: fulfilmentStateOf(order.displayFulfillmentStatus),
      cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
      // Webhooks send cancel_reason in lower case ("customer"); GraphQL sends the enum.
      cancelReason: order.cancelReason ? order.cancelReason.toLowerCase() : null,
      checkoutToken: text(order.checkoutToken),
      email: text(order.email),
      customerLocale: normalizeLanguageTag(order.customerLocale),
      shippingAddress: mapAddress(order.shippingAddress),
      discountCodes: order.discountCodes ?? [],
      customer: order.customer ? customerReference(order.customer.id) : null,
      lineItems,
      live: false,
    },
  };
}

/**
 * A back-filled abandoned checkout before its token is settled: the token comes from the URL,
 * from a stored webhook checkout or from the order the checkout became (resolveCheckoutToken).
 */
export type CheckoutDraft = {
  checkout: Omit<CanonicalCheckout, "token" | "cartToken">;
  urlToken: CheckoutUrlToken | null;
  /** The numeric tail of the AbandonedCheckout GID (stable; names the fallback token). */
  sourceId: string;
};

export function mapBulkAbandonedCheckout(line: number, raw: unknown, children: readonly unknown[]): MapResult<CheckoutDraft> {
  const parsed = BulkAbandonedCheckoutSchema.safeParse(raw);
  if (!parsed.success) return rowError(line, "abandoned checkout", parsed.error);
  const checkout = parsed.data;
  const lineItems: CanonicalLineItem[] = [];
  for (const child of children) {
    if (!isRecord(child) || typeof child.id !== "string" || typeOfGid(child.id) !== "AbandonedCheckoutLineItem") continue;
    const item = BulkCheckoutLineItemSchema.safeParse(child);
    if (!item.success) return rowError(line, `line item ${String(child.id)} of abandoned checkout`, item.error);
    const unitPriceMinor = toMinor(item.data.originalUnitPriceSet);
    lineItems.push({
      sourceId: sourceIdFromGid(item.data.id),
      productId: item.data.product ? sourceIdFromGid(item.data.product.id) : null,
      variantId: item.data.variant ? sourceIdFromGid(item.data.variant.id) : null,
      sku: text(item.data.sku),
      title: item.data.title ?? "",
      variantTitle: text(item.data.variantTitle),
      quantity: item.data.quantity,
      unitPriceMinor,
      totalMinor: item.data.discountedTotalPriceSet
        ? toMinor(item.data.discountedTotalPriceSet)
        : unitPriceMinor * BigInt(item.data.quantity),
    });
  }
  const buyer = checkout.customer;
  const customer: CanonicalCustomer | null = buyer
    ? {
        ...customerReference(buyer.id),
        email: text(buyer.defaultEmailAddress?.emailAddress),
        firstName: text(buyer.firstName),
        lastName: text(buyer.lastName),
        language: normalizeLanguageTag(buyer.locale),
      }
    : null;
  return {
    ok: true,
    record: {
      sourceId: sourceIdFromGid(checkout.id),
      urlToken: tokenFromAbandonedCheckoutUrl(checkout.abandonedCheckoutUrl),
      checkout: {
        graphqlId: checkout.id,
        // AbandonedCheckout has no e-mail of its own; without a customer it stays unknown.
        email: customer?.email ?? null,
        customerLocale:
          normalizeLanguageTag(localeFromAbandonedCheckoutUrl(checkout.abandonedCheckoutUrl)) ?? customer?.language ?? null,
        abandonedCheckoutUrl: checkout.abandonedCheckoutUrl,
        currency: checkout.totalPriceSet.shopMoney.currencyCode,
        valueMinor: toMinor(checkout.totalPriceSet),
        createdAt: new Date(checkout.createdAt),
        updatedAt: new Date(checkout.updatedAt),
        completedAt: checkout.completedAt ? new Date(checkout.completedAt) : null,
        customer,
        shippingAddress: mapAddress(checkout.shippingAddress),
        lineItems,
      },
    },
  };
}

/** What is already known about a checkout under a token (from webhooks), keyed by cart token. */
export type KnownCheckout = { token: string; cartToken: string | null; email: string | null; customerLocale: string | null };

export type CheckoutTokenMatch =
  /** The URL carried the checkout token itself (legacy checkouts). */
  | "URL_CHECKOUT_TOKEN"
  /** The URL's cart token belongs to a checkout a webhook already stored. */
  | "STORED_CART_TOKEN"
  /** The URL's cart token belongs to an order: the checkout took the order's checkout token. */
  | "ORDER_CART_TOKEN"
  /** Nothing matched: a stable token of our own, derived from the AbandonedCheckout id. */
  | "FALLBACK";

/** The prefix of tokens that no Shopify checkout has; see 0006-abandoned-checkout-matching.md. */
export const FALLBACK_CHECKOUT_TOKEN_PREFIX = "abandoned-checkout:";

/**
 * Settles a back-filled checkout's token: the URL's checkout token; else, for a cart token, the
 * token of a stored checkout of that cart, or the checkout token of the order placed from it;
 * else a token of our own that stays the same on every back-fill. Known values fill the
 * e-mail and language the AbandonedCheckout lacks (it has no e-mail without a customer).
 */
export function resolveCheckoutToken(
  draft: CheckoutDraft,
  known: {
    storedByToken: ReadonlyMap<string, KnownCheckout>;
    storedByCartToken: ReadonlyMap<string, KnownCheckout>;
    orderCheckoutTokenByCartToken: ReadonlyMap<string, string>;
  },
): { checkout: CanonicalCheckout; matchedBy: CheckoutTokenMatch } {
  const { urlToken } = draft;
  let token: string;
  let cartToken: string | null = null;
  let matchedBy: CheckoutTokenMatch;
  if (urlToken?.kind === "checkout") {
    token = urlToken.token;
    matchedBy = "URL_CHECKOUT_TOKEN";
  } else if (urlToken?.kind === "cart" && known.storedByCartToken.has(urlToken.token)) {
    token = known.storedByCartToken.get(urlToken.token)!.token;
    cartToken = urlToken.token;
    matchedBy = "STORED_CART_TOKEN";
  } else if (urlToken?.kind === "cart" && known.orderCheckoutTokenByCartToken.has(urlToken.token)) {
    token = known.orderCheckoutTokenByCartToken.get(urlToken.token)!;
    cartToken = urlToken.token;
    matchedBy = "ORDER_CART_TOKEN";
  } else {
    token = `${FALLBACK_CHECKOUT_TOKEN_PREFIX}${draft.sourceId}`;
    cartToken = urlToken?.kind === "cart" ? urlToken.token : null;
    matchedBy = "FALLBACK";
  }
  const stored = known.storedByToken.get(token);
  return {
    matchedBy,
    checkout: {
      ...draft.checkout,
      token,
      cartToken: cartToken ?? stored?.cartToken ?? null,
      email: draft.checkout.email ?? stored?.email ?? null,
      customerLocale: draft.checkout.customerLocale ?? stored?.customerLocale ?? null,
    },
  };
}

function customerReference(gid: string): CanonicalCustomer {
  return {
    source: "SHOPIFY",
    sourceId: sourceIdFromGid(gid),
    // Only the id is known here; the full record comes from the customers back-fill.
    sourceUpdatedAt: null,
    email: null,
    firstName: null,
    lastName: null,
    company: null,
    phone: null,
    language: null,
    address: null,
  };
}

function mapAddress(address: z.infer<typeof AddressSchema> | null | undefined): CanonicalAddress | null {
  if (!address) return null;
  const name = text(address.name) ?? (text([address.firstName, address.lastName].filter(Boolean).join(" ")) || null);
  const mapped: CanonicalAddress = {
    name,
    company: text(address.company),
    line1: text(address.address1),
    line2: text(address.address2),
    postalCode: text(address.zip),
    city: text(address.city),
    // The name, as webhooks send it (they carry no code), so both sources store the same value.
    region: text(address.province) ?? text(address.provinceCode),
    countryCode: text(address.countryCodeV2)?.toUpperCase() ?? null,
  };
  return Object.values(mapped).some((value) => value !== null) ? mapped : null;
}

const FINANCIAL_STATES: Record<string, CanonicalOrderFinancialState> = {
  PENDING: "PENDING",
  AUTHORIZED: "AUTHORIZED",
  PAID: "PAID",
  PARTIALLY_PAID: "PARTIALLY_PAID",
  PARTIALLY_REFUNDED: "PARTIALLY_REFUNDED",
  REFUNDED: "REFUNDED",
  VOIDED: "VOIDED",
};

function financialStateOf(status: string | null | undefined): CanonicalOrderFinancialState {
  return (status && FINANCIAL_STATES[status]) || "UNKNOWN";
}

// OrderDisplayFulfillmentStatus has more states than we keep; "in progress" means some items
// went out or were requested, which is partial as far as letters care.
const FULFILMENT_STATES: Record<string, CanonicalOrderFulfilmentState> = {
  FULFILLED: "FULFILLED",
  PARTIALLY_FULFILLED: "PARTIAL",
  IN_PROGRESS: "PARTIAL",
  UNFULFILLED: "UNFULFILLED",
  OPEN: "UNFULFILLED",
  PENDING_FULFILLMENT: "UNFULFILLED",
  SCHEDULED: "UNFULFILLED",
  ON_HOLD: "UNFULFILLED",
  REQUEST_DECLINED: "UNFULFILLED",
  RESTOCKED: "RESTOCKED",
};

function fulfilmentStateOf(status: string | null | undefined): CanonicalOrderFulfilmentState {
  return (status && FULFILMENT_STATES[status]) || "UNKNOWN";
}

function toMinor(bag: z.infer<typeof MoneyBagSchema>): bigint {
  const minor = parseDecimalToMinor(bag.shopMoney.amount, bag.shopMoney.currencyCode);
  // The schema only lets plain decimals through, which always parse.
  return BigInt(minor ?? 0);
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rowError(line: number, what: string, error: z.ZodError): { ok: false; error: BulkRowError } {
  const issues = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`)
    .join("; ");
  return { ok: false, error: { line, reason: `Invalid ${what}: ${issues}` } };
}

// ---------------------------------------------------------------------------------------------
// Streaming assembly of parents and their child lines
// ---------------------------------------------------------------------------------------------

/**
 * What the assembler relies on (https://shopify.dev/docs/api/usage/bulk-operations/queries):
 * - A child line (one carrying `__parentId`) comes after its parent's line. Shopify documents
 *   that children follow their parent, not that they follow it directly.
 * - With `groupObjects: true` (we ask for it on orders and checkouts; the default became false
 *   in 2026-01) all children of a parent come directly after it, before the next parent.
 * The assembler holds a window of the most recent parents, so children that arrive a little
 * out of place still find their parent; a child whose parent has already left the window is
 * an error rather than a silently dropped line item.
 */

export type BulkSourceLine = { line: number; text: string };

export type BulkGroup = {
  parent: Record<string, unknown>;
  children: Record<string, unknown>[];
  /** 0-based line of the parent. */
  line: number;
  /**
   * Where to pick the file up again once this group and every group before it are stored:
   * read from `resumeLine`, and ignore children of unknown parents up to `skipOrphansThrough`
   * (their parents were stored before, with them).
   */
  checkpoint: { resumeLine: number; skipOrphansThrough: number };
};

export class BulkFileError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(`Bulk result line ${line + 1}: ${message}`);
    this.name = "BulkFileError";
  }
}

export async function* assembleBulkGroups(
  lines: AsyncIterable<BulkSourceLine>,
  options: { maxPendingParents?: number; skipOrphansThrough?: number } = {},
): AsyncGenerator<BulkGroup> {
  const maxPending = Math.max(1, options.maxPendingParents ?? 16);
  const skipOrphansThrough = options.skipOrphansThrough ?? -1;
  // Insertion-ordered, so the first entry is always the oldest parent.
  const pending = new Map<string, Omit<BulkGroup, "checkpoint">>();
  let lastLine = -1;

  const release = (current: number): BulkGroup => {
    const [id, group] = pending.entries().next().value as [string, Omit<BulkGroup, "checkpoint">];
    pending.delete(id);
    const oldest = pending.values().next().value as Omit<BulkGroup, "checkpoint"> | undefined;
    return { ...group, checkpoint: { resumeLine: oldest?.line ?? current + 1, skipOrphansThrough: current } };
  };

  for await (const { line, text: raw } of lines) {
    lastLine = line;
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new BulkFileError(line, "not JSON");
    }
    if (!isRecord(value)) throw new BulkFileError(line, "not a JSON object");
    const parentId = value.__parentId;
    if (typeof parentId === "string") {
      const parent = pending.get(parentId);
      if (parent) {
        const { __parentId: _ignored, ...child } = value;
        parent.children.push(child);
      } else if (line > skipOrphansThrough) {
        throw new BulkFileError(line, `child of ${parentId} came after its parent had been released`);
      }
      continue;
    }
    if (typeof value.id !== "string") throw new BulkFileError(line, "object without an id");
    pending.set(value.id, { parent: value, children: [], line });
    if (pending.size > maxPending) yield release(line);
  }
  while (pending.size > 0) yield release(lastLine);
}
