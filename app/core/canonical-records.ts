/**
 * The one shape every source is translated into before it reaches the database: Shopify
 * webhooks and bulk back-fills, Billbee, CSV files and the import API all map to these records,
 * and one ingestion path writes them (upserts keyed by shop, source and source id).
 *
 * Amounts are minor units of the record's own currency; dates are instants. Fields a source
 * does not know are null, never guessed.
 */

export type RecordSource = "SHOPIFY" | "BILLBEE" | "CSV" | "API";

export type CanonicalAddress = {
  name: string | null;
  company: string | null;
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string | null;
};

export type CanonicalCustomer = {
  source: RecordSource;
  sourceId: string;
  /** The source's own last change; an older record never overwrites a newer one. */
  sourceUpdatedAt: Date | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  /** BCP 47 tag as the source gave it ("de", "de-CH"); see normalizeLanguageTag. */
  language: string | null;
  address: CanonicalAddress | null;
};

export type CanonicalLineItem = {
  sourceId: string | null;
  productId: string | null;
  variantId: string | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  unitPriceMinor: bigint;
  totalMinor: bigint;
};

export type CanonicalOrderFinancialState =
  | "PENDING"
  | "AUTHORIZED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED"
  | "VOIDED"
  | "UNKNOWN";

export type CanonicalOrderFulfilmentState = "UNFULFILLED" | "PARTIAL" | "FULFILLED" | "RESTOCKED" | "UNKNOWN";

export type CanonicalOrder = {
  source: RecordSource;
  sourceId: string;
  /** What the merchant calls it ("#1001"). */
  number: string;
  placedAt: Date;
  sourceUpdatedAt: Date | null;
  currency: string;
  totalMinor: bigint;
  subtotalMinor: bigint | null;
  refundedMinor: bigint;
  financialState: CanonicalOrderFinancialState;
  fulfilmentState: CanonicalOrderFulfilmentState;
  cancelledAt: Date | null;
  cancelReason: string | null;
  /** Shopify's checkout_token: the join to the checkout it completed. */
  checkoutToken: string | null;
  email: string | null;
  /** The language the buyer used (Shopify's customer_locale). */
  customerLocale: string | null;
  shippingAddress: CanonicalAddress | null;
  discountCodes: string[];
  /** The buyer, when the source names one; the order's e-mail is the fallback for matching. */
  customer: CanonicalCustomer | null;
  lineItems: CanonicalLineItem[];
  /**
   * Arrived as it happened (a live webhook, an API push that says so), so it may trigger the
   * after-purchase letter. History (back-fills, files, migrated orders) is never live.
   */
  live: boolean;
};

/** A Shopify checkout (A5: other sources have none). */
export type CanonicalCheckout = {
  token: string;
  /** The Admin GraphQL AbandonedCheckout id, when the record came from a back-fill. */
  graphqlId: string | null;
  cartToken: string | null;
  email: string | null;
  customerLocale: string | null;
  abandonedCheckoutUrl: string | null;
  currency: string;
  valueMinor: bigint;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  customer: CanonicalCustomer | null;
  shippingAddress: CanonicalAddress | null;
  lineItems: CanonicalLineItem[];
};

/** What one ingestion call writes, in one transaction. */
export type CanonicalBatch = {
  customers?: CanonicalCustomer[];
  orders?: CanonicalOrder[];
  checkouts?: CanonicalCheckout[];
};
