import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../app/db/client.server";
import type { Prisma } from "../../prisma/client/sqlite/client";

/**
 * Rows with sensible defaults for integration tests. Each factory takes the shop first and
 * any column as an override; unique columns (domains, source ids, tokens, dedupe keys) are
 * made unique per call so tests can seed the same shape many times in one database.
 */

let sequence = 0;
function nextNumber(): number {
  sequence += 1;
  return sequence;
}
const uniqueSuffix = () => `${nextNumber()}-${randomBytes(3).toString("hex")}`;
// Shopify REST ids are numbers; 13 digits like real ones, unique within a test run.
const shopifyId = () => String(7_000_000_000_000 + nextNumber() * 1_000 + Math.floor(Math.random() * 1_000));

/** Customer.emailHash as the app computes it: SHA-256 of `${salt}:${emailNormalized}`, hex. */
export function emailHashFor(salt: string, emailNormalized: string): string {
  return createHash("sha256").update(`${salt}:${emailNormalized}`, "utf8").digest("hex");
}

export async function createShop(db: Db, overrides: Partial<Prisma.ShopUncheckedCreateInput> = {}) {
  const suffix = uniqueSuffix();
  return db.shop.create({
    data: {
      domain: `shop-${suffix}.myshopify.com`,
      name: `Shop ${suffix}`,
      emailHashSalt: randomBytes(16).toString("hex"),
      ...overrides,
    },
  });
}

export type CustomerFactoryInput = Partial<Omit<Prisma.CustomerUncheckedCreateInput, "shopId">> & {
  /** Adds a SHOPIFY identity with this id; pass null for a customer without one. Default: a new id. */
  shopifyCustomerId?: string | null;
};

/** A customer with a complete postal address, its e-mail normalised and hashed with the shop's salt. */
export async function createCustomer(db: Db, { shopId, ...input }: { shopId: string } & CustomerFactoryInput) {
  const { shopifyCustomerId = shopifyId(), ...overrides } = input;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { emailHashSalt: true } });
  const n = nextNumber();
  const firstName = overrides.firstName === undefined ? `Erika${n}` : overrides.firstName;
  const lastName = overrides.lastName === undefined ? "Mustermann" : overrides.lastName;
  const email = overrides.email === undefined ? `customer${n}@example.com` : overrides.email;
  const emailNormalized = email ? email.trim().toLowerCase() : null;
  return db.customer.create({
    data: {
      shopId,
      email,
      emailNormalized,
      emailHash: emailNormalized ? emailHashFor(shop.emailHashSalt, emailNormalized) : null,
      firstName,
      lastName,
      salutation: "Frau",
      phone: "+49 30 1234567",
      company: null,
      language: "de",
      addressName: [firstName, lastName].filter(Boolean).join(" "),
      addressLine1: `Musterstraße ${n}`,
      postalCode: "10115",
      city: "Berlin",
      countryCode: "DE",
      searchText: [firstName, lastName, email].filter(Boolean).join(" ").toLocaleLowerCase("und"),
      ...overrides,
      ...(shopifyCustomerId !== null ? { identities: { create: [{ shopId, source: "SHOPIFY" as const, sourceId: shopifyCustomerId }] } } : {}),
    },
    include: { identities: true },
  });
}

/** A paid Shopify order with `lineItems` line items (default 1) at 24.95 each. */
export async function createOrder(
  db: Db,
  { shopId, lineItems = 1, ...overrides }: { shopId: string; lineItems?: number } & Partial<Omit<Prisma.OrderUncheckedCreateInput, "shopId" | "lineItems">>,
) {
  const n = nextNumber();
  const unitPriceMinor = 2495n;
  return db.order.create({
    data: {
      shopId,
      source: "SHOPIFY",
      sourceId: shopifyId(),
      number: `#${1000 + n}`,
      placedAt: new Date("2025-03-01T10:00:00Z"),
      currency: "EUR",
      totalMinor: unitPriceMinor * BigInt(lineItems),
      totalShopMinor: unitPriceMinor * BigInt(lineItems),
      financialState: "PAID",
      fulfilmentState: "FULFILLED",
      customerLocale: "de",
      shippingCountry: "DE",
      live: true,
      ...overrides,
      lineItems: {
        create: Array.from({ length: lineItems }, (_, position) => ({
          shopId,
          title: `Product ${position + 1}`,
          sku: `SKU-${position + 1}`,
          quantity: 1,
          unitPriceMinor,
          totalMinor: unitPriceMinor,
          position,
        })),
      },
    },
    include: { lineItems: true },
  });
}

/** An abandoned Shopify checkout with `lineItems` line items (default 1). */
export async function createCheckout(
  db: Db,
  { shopId, lineItems = 1, ...overrides }: { shopId: string; lineItems?: number } & Partial<Omit<Prisma.CheckoutUncheckedCreateInput, "shopId" | "lineItems">>,
) {
  const created = new Date("2025-02-20T18:00:00Z");
  return db.checkout.create({
    data: {
      shopId,
      token: `checkout-${uniqueSuffix()}`,
      currency: "EUR",
      valueMinor: 1990n * BigInt(lineItems),
      sourceCreatedAt: created,
      sourceUpdatedAt: created,
      lastActivityAt: created,
      abandonedAt: new Date(created.getTime() + 60 * 60_000),
      customerLocale: "de",
      ...overrides,
      lineItems: {
        create: Array.from({ length: lineItems }, (_, position) => ({ shopId, title: `Cart item ${position + 1}`, quantity: 1, unitPriceMinor: 1990n, position })),
      },
    },
    include: { lineItems: true },
  });
}

/** A letter to a customer (SCHEDULED unless overridden) with the address it would print. */
export async function createLetter(db: Db, { shopId, customerId, ...overrides }: { shopId: string; customerId: string } & Partial<Omit<Prisma.LetterUncheckedCreateInput, "shopId" | "customerId">>) {
  const suffix = uniqueSuffix();
  return db.letter.create({
    data: {
      shopId,
      customerId,
      dedupeKey: `test:${suffix}`,
      language: "de",
      scheduledFor: new Date("2025-03-04T09:00:00Z"),
      qrToken: `qr-${suffix}-${randomBytes(8).toString("hex")}`,
      recipientSnapshot: JSON.stringify({ name: "Erika Mustermann", line1: "Musterstraße 1", postalCode: "10115", city: "Berlin", countryCode: "DE" }),
      ...overrides,
    },
  });
}
