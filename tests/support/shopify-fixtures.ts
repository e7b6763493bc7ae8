import { readFileSync } from "node:fs";
import { parseDecimalToMinor, toDecimalString } from "../../app/core/money";
import type appUninstalledJson from "../fixtures/shopify/app-uninstalled.json";
import type checkoutsUpdateJson from "../fixtures/shopify/checkouts-update.json";
import type customersDataRequestJson from "../fixtures/shopify/customers-data_request.json";
import type customersRedactJson from "../fixtures/shopify/customers-redact.json";
import type customersUpdateJson from "../fixtures/shopify/customers-update.json";
import type ordersCancelledJson from "../fixtures/shopify/orders-cancelled.json";
import type shopRedactJson from "../fixtures/shopify/shop-redact.json";

/**
 * Typed factories over the Shopify webhook fixtures (API 2026-07) for tests and
 * scripts/simulate-webhook.ts, so no vitest here. Every factory starts from a fresh copy of a
 * fixture, applies its options so the payload stays internally consistent (gid follows id,
 * money sets follow amounts, totals follow line items), then deep-merges raw overrides last.
 *
 * The fixtures tell one story: Lena Hoffmann opens checkout bd5a8aa1… (create, then update),
 * places order #9999 from it, is refunded the ink (updated), then cancels (cancelled).
 */

/** The ids, tokens and addresses the fixtures share, for assertions and chaining. */
export const SHOPIFY_FIXTURE = {
  shopDomain: "fixture-shop.myshopify.com",
  shopId: 68917231617,
  orderId: 5829416403213,
  orderName: "#9999",
  customerId: 7298374651234,
  email: "lena.hoffmann@example.com",
  phone: "+4915112345678",
  checkoutToken: "bd5a8aa1ecd019dd3520ff791ee3a24c",
  cartToken: "eeafa272cebfd4b22385bc4b645e762c",
  discountCode: "LETTER10",
  notebookLineItemId: 14523678901234,
  inkLineItemId: 14523678934002,
  dataRequestId: 9999,
} as const;

export const SHOPIFY_FIXTURE_NAMES = [
  "orders-create",
  "orders-updated",
  "orders-cancelled",
  "checkouts-create",
  "checkouts-update",
  "customers-create",
  "customers-update",
  "app-uninstalled",
  "customers-data_request",
  "customers-redact",
  "shop-redact",
] as const;
export type ShopifyFixtureName = (typeof SHOPIFY_FIXTURE_NAMES)[number];

const FIXTURE_DIR = new URL("../fixtures/shopify/", import.meta.url);

/** The fixture file's raw JSON text, as Shopify would send it (sign this, not a re-serialisation). */
export function fixtureBody(name: ShopifyFixtureName): string {
  return readFileSync(new URL(`${name}.json`, FIXTURE_DIR), "utf8");
}

/** "orders/create" or "ORDERS_CREATE" → "orders-create"; null for topics without a fixture. */
export function fixtureNameForTopic(topic: string): ShopifyFixtureName | null {
  const name = topic.trim().toLowerCase().replace("/", "-").replace(/^([a-z]+)_/, "$1-");
  return (SHOPIFY_FIXTURE_NAMES as readonly string[]).includes(name) ? (name as ShopifyFixtureName) : null;
}

// ---------------------------------------------------------------------------------------------
// Types

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A fixture's inferred JSON type, loosened where one fixture's null is another's value
 * (cancelled_at) and where an empty array says nothing about its items.
 */
type Loose<T> = [T] extends [null]
  ? JsonValue
  : T extends readonly (infer Item)[]
    ? [Item] extends [never]
      ? JsonValue[]
      : Loose<Item>[]
    : T extends object
      ? { [K in keyof T]: Loose<T[K]> }
      : T extends string
        ? string | null
        : T extends number
          ? number | null
          : T extends boolean
            ? boolean | null
            : T;

/** Raw overrides: known keys are checked, new keys (fields a later API version adds) are allowed. */
export type PayloadOverrides<T> = T extends readonly unknown[]
  ? JsonValue[] | null
  : T extends object
    ? ({ [K in keyof T]?: PayloadOverrides<T[K]> } & { [key: string]: unknown }) | null
    : JsonValue;

export type ShopifyOrderPayload = Loose<typeof ordersCancelledJson>;
export type ShopifyCheckoutPayload = Loose<typeof checkoutsUpdateJson>;
export type ShopifyCustomerPayload = Loose<typeof customersUpdateJson>;
export type ShopifyShopPayload = Loose<typeof appUninstalledJson>;
export type ShopifyCompliancePayloads = {
  "customers/data_request": Loose<typeof customersDataRequestJson>;
  "customers/redact": Loose<typeof customersRedactJson>;
  "shop/redact": Loose<typeof shopRedactJson>;
};
export type ShopifyComplianceTopic = keyof ShopifyCompliancePayloads;

type OrderLineItem = ShopifyOrderPayload["line_items"][number];
type OrderRefund = ShopifyOrderPayload["refunds"][number];
type CheckoutLineItem = ShopifyCheckoutPayload["line_items"][number];

// ---------------------------------------------------------------------------------------------
// Orders

export type OrderLineItemOption = {
  price: string;
  quantity?: number;
  title?: string;
  variantTitle?: string | null;
  sku?: string | null;
  id?: number;
  productId?: number | null;
  variantId?: number | null;
  /** The line's share of order discounts (one discount_allocation), in the order currency. */
  discount?: string;
};

export type RefundOption = {
  amount: string;
  kind?: string;
  status?: string;
  createdAt?: string;
};

export type OrderPayloadOptions = {
  /** Which fixture to start from; orders/create when omitted. */
  topic?: "orders/create" | "orders/updated" | "orders/cancelled";
  id?: number;
  /** "#1234"; order_number and number follow. */
  name?: string;
  /** null: an order without a customer. */
  customerId?: number | null;
  email?: string | null;
  checkoutToken?: string | null;
  createdAt?: string;
  processedAt?: string;
  updatedAt?: string;
  /**
   * Rewrites every currency on the payload; amounts stay as written, so give lineItems or
   * totalPrice in the new currency's precision too ("1200" for JPY, "12.345" for KWD).
   */
  currency?: string;
  customerLocale?: string | null;
  /** The one shipping line's price; null: no shipping lines. total_price follows with lineItems. */
  shippingPrice?: string | null;
  /** Replaces the lines; subtotal and totals follow, taxes become zero. */
  lineItems?: OrderLineItemOption[];
  totalPrice?: string;
  /** Replaces the refunds, one transaction each; financial_status follows unless given. */
  refunds?: RefundOption[];
  cancelledAt?: string | null;
  cancelReason?: string | null;
  financialStatus?: string | null;
  fulfillmentStatus?: string | null;
};

const ORDER_FIXTURE_BY_TOPIC = {
  "orders/create": "orders-create",
  "orders/updated": "orders-updated",
  "orders/cancelled": "orders-cancelled",
} as const;

export function orderPayload(options: OrderPayloadOptions = {}, overrides: PayloadOverrides<ShopifyOrderPayload> = {}): ShopifyOrderPayload {
  const order = readFixture<ShopifyOrderPayload>(ORDER_FIXTURE_BY_TOPIC[options.topic ?? "orders/create"]);
  if (options.currency !== undefined) rewriteCurrency(order, options.currency);
  const amounts = amountsIn(order.currency ?? "EUR");

  if (options.id !== undefined) {
    order.id = options.id;
    order.admin_graphql_api_id = `gid://shopify/Order/${options.id}`;
    for (const refund of order.refunds) {
      refund.order_id = options.id;
      for (const transaction of refund.transactions) transaction.order_id = options.id;
      for (const adjustment of refund.order_adjustments) adjustment.order_id = options.id;
    }
  }
  if (options.name !== undefined) {
    order.name = options.name;
    const orderNumber = /^#(\d+)$/.exec(options.name)?.[1];
    if (orderNumber) {
      // Shopify numbers orders from 1001: order_number = number + 1000.
      order.order_number = Number(orderNumber);
      order.number = Number(orderNumber) - 1000;
    }
  }
  if (options.customerId === null) {
    (order as { customer: unknown }).customer = null;
  } else if (options.customerId !== undefined) {
    setCustomerId(order.customer, options.customerId);
  }
  if (options.email !== undefined) {
    order.email = options.email;
    order.contact_email = options.email;
    if (order.customer) order.customer.email = options.email;
  }
  if (options.checkoutToken !== undefined) order.checkout_token = options.checkoutToken;
  if (options.createdAt !== undefined) order.created_at = options.createdAt;
  if (options.processedAt !== undefined) order.processed_at = options.processedAt;
  if (options.updatedAt !== undefined) order.updated_at = options.updatedAt;
  if (options.customerLocale !== undefined) order.customer_locale = options.customerLocale;

  if (options.shippingPrice === null) {
    order.shipping_lines = [];
    setAmount(order, "total_shipping_price_set", amounts.format(0n));
  } else if (options.shippingPrice !== undefined) {
    const price = options.shippingPrice;
    order.shipping_lines = order.shipping_lines.slice(0, 1).map((shipping) => ({
      ...shipping,
      price,
      price_set: moneySet(price, order.currency ?? "EUR"),
      discounted_price: price,
      discounted_price_set: moneySet(price, order.currency ?? "EUR"),
      current_discounted_price_set: moneySet(price, order.currency ?? "EUR"),
      tax_lines: [],
    }));
    setAmount(order, "total_shipping_price_set", price);
  }
  if (options.lineItems !== undefined) replaceOrderLines(order, options.lineItems, amounts);
  if (options.totalPrice !== undefined) setAmount(order, "total_price", options.totalPrice);
  if (options.refunds !== undefined) {
    const template = readFixture<ShopifyOrderPayload>("orders-updated").refunds[0]!;
    order.refunds = options.refunds.map((refund, index) => buildRefund(template, refund, index, order));
    if (options.financialStatus === undefined) {
      const refunded = sumRefunded(order, amounts);
      const total = amounts.toMinor(order.total_price);
      if (refunded > 0n) order.financial_status = refunded >= total ? "refunded" : "partially_refunded";
    }
  }
  if (options.lineItems !== undefined || options.totalPrice !== undefined || options.refunds !== undefined) {
    const remaining = amounts.toMinor(order.total_price) - sumRefunded(order, amounts);
    setAmount(order, "current_total_price", amounts.format(remaining > 0n ? remaining : 0n));
  }

  if (options.cancelledAt !== undefined) {
    order.cancelled_at = options.cancelledAt;
    order.closed_at = options.cancelledAt;
    order.cancel_reason = options.cancelledAt === null ? null : (order.cancel_reason ?? "customer");
  }
  if (options.cancelReason !== undefined) order.cancel_reason = options.cancelReason;
  if (options.financialStatus !== undefined) order.financial_status = options.financialStatus;
  if (options.fulfillmentStatus !== undefined) order.fulfillment_status = options.fulfillmentStatus;

  return deepMerge(order, overrides);
}

function replaceOrderLines(order: ShopifyOrderPayload, lines: OrderLineItemOption[], amounts: Amounts): void {
  const template = order.line_items[0]!;
  const currency = order.currency ?? "EUR";
  order.line_items = lines.map((line, index) => {
    const id = line.id ?? 14523678901234 + index * 101;
    const quantity = line.quantity ?? 1;
    const title = line.title ?? template.title ?? "Item";
    const variantTitle = line.variantTitle === undefined ? template.variant_title : line.variantTitle;
    const item: OrderLineItem = {
      ...clone(template),
      id,
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      title,
      variant_title: variantTitle,
      name: variantTitle ? `${title} - ${variantTitle}` : title,
      sku: line.sku === undefined ? template.sku : line.sku,
      product_id: line.productId === undefined ? template.product_id : line.productId,
      variant_id: line.variantId === undefined ? template.variant_id : line.variantId,
      quantity,
      current_quantity: quantity,
      fulfillable_quantity: quantity,
      price: line.price,
      price_set: moneySet(line.price, currency),
      tax_lines: [],
      discount_allocations: line.discount
        ? [{ amount: line.discount, amount_set: moneySet(line.discount, currency), discount_application_index: 0 }]
        : [],
    };
    return item;
  });

  const itemsMinor = sum(lines.map((line) => amounts.toMinor(line.price) * BigInt(line.quantity ?? 1)));
  const discountsMinor = sum(lines.map((line) => (line.discount ? amounts.toMinor(line.discount) : 0n)));
  const shippingMinor = sum(order.shipping_lines.map((shipping) => amounts.toMinor(shipping.price)));
  const subtotalMinor = itemsMinor - discountsMinor;
  setAmount(order, "total_line_items_price", amounts.format(itemsMinor));
  setAmount(order, "total_discounts", amounts.format(discountsMinor));
  setAmount(order, "current_total_discounts", amounts.format(discountsMinor));
  setAmount(order, "subtotal_price", amounts.format(subtotalMinor));
  setAmount(order, "current_subtotal_price", amounts.format(subtotalMinor));
  setAmount(order, "total_price", amounts.format(subtotalMinor + shippingMinor));
  // Made-up prices carry made-up taxes otherwise: the order becomes tax-free instead.
  setAmount(order, "total_tax", amounts.format(0n));
  setAmount(order, "current_total_tax", amounts.format(0n));
  order.tax_lines = [];
  for (const shipping of order.shipping_lines) shipping.tax_lines = [];
  if (discountsMinor === 0n) {
    order.discount_codes = [];
    order.discount_applications = [];
  } else {
    for (const code of order.discount_codes) code.amount = amounts.format(discountsMinor);
  }
  const lineIds = new Set(order.line_items.map((item) => item.id));
  for (const refund of order.refunds) {
    refund.refund_line_items = refund.refund_line_items.filter((refundLine) => lineIds.has(refundLine.line_item_id));
  }
}

function buildRefund(template: OrderRefund, option: RefundOption, index: number, order: ShopifyOrderPayload): OrderRefund {
  const refundId = 1023456789012 + index * 1111;
  const transactionId = 7012345678912 + index * 1111;
  const createdAt = option.createdAt ?? order.updated_at ?? order.created_at;
  const transactionTemplate = template.transactions[0]!;
  return {
    ...clone(template),
    id: refundId,
    admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
    order_id: order.id,
    created_at: createdAt,
    processed_at: createdAt,
    note: null,
    order_adjustments: [],
    refund_line_items: [],
    transactions: [
      {
        ...clone(transactionTemplate),
        id: transactionId,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${transactionId}`,
        order_id: order.id,
        amount: option.amount,
        currency: order.currency,
        kind: option.kind ?? "refund",
        status: option.status ?? "success",
        created_at: createdAt,
        processed_at: createdAt,
      },
    ],
  };
}

function sumRefunded(order: ShopifyOrderPayload, amounts: Amounts): bigint {
  return sum(
    order.refunds.flatMap((refund) =>
      refund.transactions
        .filter((transaction) => transaction.kind === "refund" && transaction.status === "success")
        .map((transaction) => amounts.toMinor(transaction.amount)),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Checkouts

export type CheckoutLineItemOption = {
  price: string;
  quantity?: number;
  title?: string;
  variantTitle?: string | null;
  sku?: string | null;
  key?: string;
  productId?: number | null;
  variantId?: number | null;
};

export type CheckoutPayloadOptions = {
  /** Which fixture to start from; checkouts/create when omitted. */
  topic?: "checkouts/create" | "checkouts/update";
  /** The recovery URL follows. */
  token?: string;
  cartToken?: string | null;
  email?: string | null;
  /** null: a checkout without a customer (a guest who typed only an e-mail). */
  customerId?: number | null;
  createdAt?: string;
  updatedAt?: string;
  completedAt?: string | null;
  currency?: string;
  customerLocale?: string | null;
  /** Replaces the lines; subtotal and total follow, discounts and taxes become zero. */
  lineItems?: CheckoutLineItemOption[];
  totalPrice?: string;
};

export function checkoutPayload(
  options: CheckoutPayloadOptions = {},
  overrides: PayloadOverrides<ShopifyCheckoutPayload> = {},
): ShopifyCheckoutPayload {
  const checkout = readFixture<ShopifyCheckoutPayload>(options.topic === "checkouts/update" ? "checkouts-update" : "checkouts-create");
  if (options.currency !== undefined) rewriteCurrency(checkout, options.currency);
  const amounts = amountsIn(checkout.currency ?? checkout.presentment_currency ?? "EUR");

  if (options.token !== undefined) {
    const previous = checkout.token ?? "";
    checkout.token = options.token;
    if (previous && checkout.abandoned_checkout_url) {
      checkout.abandoned_checkout_url = checkout.abandoned_checkout_url.replace(previous, options.token);
    }
  }
  if (options.cartToken !== undefined) checkout.cart_token = options.cartToken;
  if (options.customerId === null) {
    (checkout as { customer: unknown }).customer = null;
  } else if (options.customerId !== undefined) {
    setCustomerId(checkout.customer, options.customerId);
  }
  if (options.email !== undefined) {
    checkout.email = options.email;
    if (checkout.customer) checkout.customer.email = options.email;
  }
  if (options.createdAt !== undefined) checkout.created_at = options.createdAt;
  if (options.updatedAt !== undefined) checkout.updated_at = options.updatedAt;
  if (options.completedAt !== undefined) checkout.completed_at = options.completedAt;
  if (options.customerLocale !== undefined) checkout.customer_locale = options.customerLocale;

  if (options.lineItems !== undefined) {
    const template = checkout.line_items[0]!;
    checkout.line_items = options.lineItems.map((line, index): CheckoutLineItem => {
      const quantity = line.quantity ?? 1;
      return {
        ...clone(template),
        key: line.key ?? `line-${index + 1}-${checkout.token}`,
        title: line.title ?? template.title,
        presentment_title: line.title ?? template.title,
        variant_title: line.variantTitle === undefined ? template.variant_title : line.variantTitle,
        presentment_variant_title: line.variantTitle === undefined ? template.variant_title : line.variantTitle,
        sku: line.sku === undefined ? template.sku : line.sku,
        product_id: line.productId === undefined ? template.product_id : line.productId,
        variant_id: line.variantId === undefined ? template.variant_id : line.variantId,
        quantity,
        price: line.price,
        variant_price: line.price,
        line_price: amounts.format(amounts.toMinor(line.price) * BigInt(quantity)),
        discount_allocations: [],
        tax_lines: [],
      };
    });
    const itemsMinor = sum(checkout.line_items.map((item) => amounts.toMinor(item.line_price)));
    const shippingMinor = sum(checkout.shipping_lines.map((shipping) => amounts.toMinor(shipping.price)));
    checkout.total_line_items_price = amounts.format(itemsMinor);
    checkout.subtotal_price = amounts.format(itemsMinor);
    checkout.total_discounts = amounts.format(0n);
    checkout.discount_codes = [];
    checkout.total_tax = amounts.format(0n);
    checkout.tax_lines = [];
    checkout.total_price = amounts.format(itemsMinor + shippingMinor);
  }
  if (options.totalPrice !== undefined) checkout.total_price = options.totalPrice;

  return deepMerge(checkout, overrides);
}

// ---------------------------------------------------------------------------------------------
// Customers, shop, compliance

export type CustomerPayloadOptions = {
  /** Which fixture to start from; customers/create when omitted. */
  topic?: "customers/create" | "customers/update";
  id?: number;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  /** Shopify's customer locale ("de", "pt-BR"); null sends it as null. */
  locale?: string | null;
  createdAt?: string;
  updatedAt?: string;
  company?: string | null;
  /** null: a customer without any address. */
  address?: null | {
    address1?: string | null;
    address2?: string | null;
    zip?: string | null;
    city?: string | null;
    province?: string | null;
    countryCode?: string | null;
  };
};

export function customerPayload(
  options: CustomerPayloadOptions = {},
  overrides: PayloadOverrides<ShopifyCustomerPayload> = {},
): ShopifyCustomerPayload {
  const customer = readFixture<ShopifyCustomerPayload>(options.topic === "customers/update" ? "customers-update" : "customers-create");
  if (options.id !== undefined) setCustomerId(customer, options.id);
  if (options.email !== undefined) customer.email = options.email;
  if (options.firstName !== undefined) customer.first_name = options.firstName;
  if (options.lastName !== undefined) customer.last_name = options.lastName;
  if (options.phone !== undefined) customer.phone = options.phone;
  if (options.locale !== undefined) customer.locale = options.locale;
  if (options.createdAt !== undefined) customer.created_at = options.createdAt;
  if (options.updatedAt !== undefined) customer.updated_at = options.updatedAt;

  if (options.address === null) {
    (customer as { default_address: unknown }).default_address = null;
    customer.addresses = [];
  } else {
    const address = customer.default_address;
    const change = options.address ?? {};
    if (change.address1 !== undefined) address.address1 = change.address1;
    if (change.address2 !== undefined) address.address2 = change.address2;
    if (change.zip !== undefined) address.zip = change.zip;
    if (change.city !== undefined) address.city = change.city;
    if (change.province !== undefined) address.province = change.province;
    if (change.countryCode !== undefined) address.country_code = change.countryCode;
    if (options.company !== undefined) address.company = options.company;
    if (options.firstName !== undefined) address.first_name = options.firstName;
    if (options.lastName !== undefined) address.last_name = options.lastName;
    if (options.firstName !== undefined || options.lastName !== undefined) {
      address.name = [address.first_name, address.last_name].filter(Boolean).join(" ");
    }
    // The default address is also the first entry of `addresses`.
    customer.addresses = [clone(address), ...customer.addresses.slice(1)];
  }
  return deepMerge(customer, overrides);
}

export function appUninstalledPayload(overrides: PayloadOverrides<ShopifyShopPayload> = {}): ShopifyShopPayload {
  return deepMerge(readFixture<ShopifyShopPayload>("app-uninstalled"), overrides);
}

const COMPLIANCE_FIXTURE_BY_TOPIC = {
  "customers/data_request": "customers-data_request",
  "customers/redact": "customers-redact",
  "shop/redact": "shop-redact",
} as const;

export function compliancePayload<T extends ShopifyComplianceTopic>(
  topic: T,
  overrides?: PayloadOverrides<ShopifyCompliancePayloads[T]>,
): ShopifyCompliancePayloads[T] {
  return deepMerge(readFixture<ShopifyCompliancePayloads[T]>(COMPLIANCE_FIXTURE_BY_TOPIC[topic]), overrides);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Objects merge key by key; arrays and everything else are replaced; undefined changes nothing. */
export function deepMerge<T>(base: T, overrides: unknown): T {
  if (overrides === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) merged[key] = deepMerge(merged[key], value);
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readFixture<T>(name: ShopifyFixtureName): T {
  return JSON.parse(fixtureBody(name)) as T;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

type CustomerWithId = {
  id: number | null;
  admin_graphql_api_id: string | null;
  default_address: { customer_id: number | null } | null;
  addresses?: { customer_id: number | null }[];
};

function setCustomerId(customer: CustomerWithId | null, id: number): void {
  if (!customer) return;
  customer.id = id;
  customer.admin_graphql_api_id = `gid://shopify/Customer/${id}`;
  if (customer.default_address) customer.default_address.customer_id = id;
  for (const address of customer.addresses ?? []) address.customer_id = id;
}

/** Every currency field on the payload (currency, presentment_currency, money sets' currency_code). */
function rewriteCurrency(value: unknown, currency: string): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteCurrency(item, currency);
  } else if (isPlainObject(value)) {
    for (const [key, field] of Object.entries(value)) {
      if ((key === "currency" || key === "presentment_currency" || key === "currency_code") && typeof field === "string") {
        value[key] = currency;
      } else {
        rewriteCurrency(field, currency);
      }
    }
  }
}

type Amounts = { toMinor: (amount: string | null) => bigint; format: (minor: bigint) => string };

function amountsIn(currency: string): Amounts {
  return {
    toMinor: (amount) => BigInt(parseDecimalToMinor(amount ?? "0", currency) ?? 0),
    format: (minor) => toDecimalString({ amountMinor: Number(minor), currency }),
  };
}

function moneySet(amount: string, currency: string) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

/**
 * Sets `field` and, when the payload has it, `field_set` (shop and presentment money); a field
 * named `…_set` is a money set itself.
 */
function setAmount(target: Record<string, unknown> | ShopifyOrderPayload, field: string, amount: string): void {
  const record = target as Record<string, unknown>;
  const isSet = field.endsWith("_set");
  if (!isSet) record[field] = amount;
  const set = record[isSet ? field : `${field}_set`];
  if (isPlainObject(set)) {
    for (const money of Object.values(set)) {
      if (isPlainObject(money)) money.amount = amount;
    }
  }
}

function sum(values: bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
