/**
 * Admin GraphQL documents for the install back-fill (bulk operations) and the hourly order
 * reconciliation, for API 2026-07 (SHOPIFY_API_VERSION). Field names checked against the
 * 2026-07 reference:
 * - Customer.email and Customer.phone are deprecated since 2025-04; their replacements are
 *   defaultEmailAddress.emailAddress and defaultPhoneNumber.phoneNumber.
 * - Order.checkoutToken exists from 2026-07 (the join to checkouts, as checkout_token in webhooks).
 * - AbandonedCheckout has no token or e-mail field: the token travels in abandonedCheckoutUrl
 *   (see abandoned-checkout-url.ts), the e-mail in its customer.
 * - MailingAddress.countryCode is deprecated; countryCodeV2 is the ISO code.
 *
 * Bulk queries: one top-level connection, at most five connections, nesting depth two, no
 * `first` arguments (Shopify pages internally). https://shopify.dev/docs/api/usage/bulk-operations/queries
 */

const ADDRESS_FIELDS = `
  name
  firstName
  lastName
  company
  address1
  address2
  zip
  city
  province
  provinceCode
  countryCodeV2
`;

const MONEY_BAG = `shopMoney { amount currencyCode }`;

const BULK_CUSTOMER_FIELDS = `
  id
  firstName
  lastName
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }
  locale
  updatedAt
  defaultAddress { ${ADDRESS_FIELDS} }
`;

const ORDER_FIELDS = `
  id
  name
  processedAt
  createdAt
  updatedAt
  cancelledAt
  cancelReason
  currencyCode
  totalPriceSet { ${MONEY_BAG} }
  subtotalPriceSet { ${MONEY_BAG} }
  totalRefundedSet { ${MONEY_BAG} }
  displayFinancialStatus
  displayFulfillmentStatus
  checkoutToken
  email
  customerLocale
  discountCodes
  customer { id }
  shippingAddress { ${ADDRESS_FIELDS} }
`;

const ORDER_LINE_ITEM_FIELDS = `
  id
  sku
  title
  variantTitle
  quantity
  originalUnitPriceSet { ${MONEY_BAG} }
  discountedTotalSet { ${MONEY_BAG} }
  product { id }
  variant { id }
`;

const CHECKOUT_LINE_ITEM_FIELDS = `
  id
  sku
  title
  variantTitle
  quantity
  originalUnitPriceSet { ${MONEY_BAG} }
  discountedTotalPriceSet { ${MONEY_BAG} }
  product { id }
  variant { id }
`;

export const BULK_CUSTOMERS_QUERY = `{
  customers {
    edges {
      node { ${BULK_CUSTOMER_FIELDS} }
    }
  }
}`;

export const BULK_ORDERS_QUERY = `{
  orders {
    edges {
      node {
        ${ORDER_FIELDS}
        lineItems {
          edges {
            node { ${ORDER_LINE_ITEM_FIELDS} }
          }
        }
      }
    }
  }
}`;

export const BULK_ABANDONED_CHECKOUTS_QUERY = `{
  abandonedCheckouts {
    edges {
      node {
        id
        abandonedCheckoutUrl
        createdAt
        updatedAt
        completedAt
        customer {
          id
          firstName
          lastName
          locale
          defaultEmailAddress { emailAddress }
        }
        totalPriceSet { ${MONEY_BAG} }
        shippingAddress { ${ADDRESS_FIELDS} }
        lineItems {
          edges {
            node { ${CHECKOUT_LINE_ITEM_FIELDS} }
          }
        }
      }
    }
  }
}`;

export type BulkQueryKind = "customers" | "orders" | "checkouts";

export const BULK_QUERIES: Record<BulkQueryKind, string> = {
  customers: BULK_CUSTOMERS_QUERY,
  orders: BULK_ORDERS_QUERY,
  checkouts: BULK_ABANDONED_CHECKOUTS_QUERY,
};

/**
 * groupObjects defaults to false from 2026-01. Grouped output puts every child line directly
 * after its parent, which is what lets the assembler stream with a small window; customers have
 * no child lines, so they skip the (slower) grouping.
 */
export const BULK_GROUP_OBJECTS: Record<BulkQueryKind, boolean> = {
  customers: false,
  orders: true,
  checkouts: true,
};

export const BULK_OPERATION_RUN_QUERY = `mutation RunBulkQuery($query: String!, $groupObjects: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { id status createdAt }
    userErrors { field message code }
  }
}`;

export const BULK_OPERATION_STATUS_QUERY = `query BulkOperationStatus($id: ID!) {
  node(id: $id) {
    ... on BulkOperation {
      id
      status
      errorCode
      createdAt
      completedAt
      objectCount
      rootObjectCount
      url
      partialDataUrl
    }
  }
}`;

/**
 * Reconciliation lists changed orders cheaply first (scalars cost nothing, so 250 nodes stay far
 * below the 1,000-point single-query limit) and loads full details only for orders whose stored
 * version is older.
 */
export const ORDER_CHANGES_QUERY = `query OrderChanges($query: String!, $after: String) {
  orders(first: 250, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id updatedAt }
  }
}`;

/** Line items per order in a details query; more are paged in with ORDER_LINE_ITEMS_QUERY. */
export const ORDER_DETAIL_LINE_ITEMS = 25;
/** Orders per details query: about 4 × (10 + 25 × 7) points, well under the 1,000 limit. */
export const ORDER_DETAIL_BATCH = 4;

export const ORDER_DETAILS_QUERY = `query OrderDetails($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Order {
      ${ORDER_FIELDS}
      lineItems(first: ${ORDER_DETAIL_LINE_ITEMS}) {
        pageInfo { hasNextPage endCursor }
        nodes { ${ORDER_LINE_ITEM_FIELDS} }
      }
    }
  }
}`;

export const ORDER_LINE_ITEMS_QUERY = `query OrderLineItems($id: ID!, $after: String) {
  node(id: $id) {
    ... on Order {
      lineItems(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ${ORDER_LINE_ITEM_FIELDS} }
      }
    }
  }
}`;

/**
 * The checkout token of orders placed from given carts: a back-filled AbandonedCheckout whose
 * URL carries only a cart token gets its checkout token from the order it became.
 */
export const ORDERS_BY_CART_TOKEN_QUERY = `query OrdersByCartToken($query: String!) {
  orders(first: 250, query: $query) {
    nodes { id cartToken checkoutToken }
  }
}`;
