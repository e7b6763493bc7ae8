import type { RecordSource } from "../core/canonical-records";
import type { Db } from "../db.server";

/**
 * Reads behind the import API (A4): the whole customer profile for GET /api/v1/customers/{id}
 * in a fixed number of statements whatever the history (a customer with thousands of orders
 * costs the same five queries), finding customers by e-mail or source id, and the before/after
 * states of pushed records that tell each one's outcome. Every call is scoped by shop.
 */

const identitiesInOrder = { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }], select: { source: true, sourceId: true } };

export function findProfileCustomer(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.customer.findFirst({
    where: { id: customerId, shopId },
    select: {
      id: true,
      email: true,
      firstName: true,
      lastName: true,
      language: true,
      optedOut: true,
      redactedAt: true,
      lifetimeValueMinor: true,
      orderCount: true,
      averageOrderValueMinor: true,
      firstOrderAt: true,
      lastOrderAt: true,
      identities: identitiesInOrder,
      shop: { select: { currency: true } },
    },
  });
}

/** All of the customer's orders, newest first (no items: those come in one query of their own). */
export function findProfileOrders(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.order.findMany({
    where: { shopId, customerId },
    orderBy: [{ placedAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      sourceId: true,
      number: true,
      placedAt: true,
      currency: true,
      totalMinor: true,
      financialState: true,
      fulfilmentState: true,
      cancelledAt: true,
    },
  });
}

/** Every line of every order of the customer, in one statement (not one per order). */
export function findProfileLineItems(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.orderLineItem.findMany({
    where: { shopId, order: { shopId, customerId } },
    orderBy: [{ orderId: "asc" }, { position: "asc" }],
    select: { orderId: true, title: true, sku: true, quantity: true, unitPriceMinor: true },
  });
}

export function findProfileCheckouts(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.checkout.findMany({
    where: { shopId, customerId },
    orderBy: [{ sourceCreatedAt: "desc" }, { id: "asc" }],
    select: {
      token: true,
      sourceCreatedAt: true,
      currency: true,
      valueMinor: true,
      abandonedAt: true,
      recoveredAt: true,
      completedAt: true,
      recoveredByOrderId: true,
    },
  });
}

export function findProfileLetters(db: Db, { shopId, customerId }: { shopId: string; customerId: string }) {
  return db.letter.findMany({
    where: { shopId, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      createdAt: true,
      submittedAt: true,
      fileId: true,
      firstScanAt: true,
      scanCount: true,
      campaign: { select: { id: true, name: true } },
    },
  });
}

const summarySelect = { id: true, email: true, firstName: true, lastName: true, identities: identitiesInOrder } as const;

/** Customers with this (normalised) e-mail; redacted customers have none, so they never match. */
export function findCustomersByEmail(db: Db, { shopId, emailNormalized }: { shopId: string; emailNormalized: string }) {
  return db.customer.findMany({
    where: { shopId, emailNormalized, redactedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 50,
    select: summarySelect,
  });
}

export function findCustomerBySourceId(db: Db, { shopId, source, sourceId }: { shopId: string; source: RecordSource; sourceId: string }) {
  return db.customer.findFirst({
    where: { shopId, identities: { some: { shopId, source, sourceId } } },
    select: summarySelect,
  });
}
