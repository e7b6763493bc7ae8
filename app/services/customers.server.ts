import { AppError } from "../core/app-error";
import { db } from "../db.server";
import {
  CUSTOMER_PAGE_SIZE,
  findCustomerForProfile,
  listCustomersPage,
} from "../repositories/customer-repository.server";
import type { DataSource } from "../../prisma/client/sqlite/enums";

/** Search text as stored in Customer.searchText: lower-cased beyond ASCII ("Жуков" → "жуков"). */
export function normaliseSearch(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim().toLocaleLowerCase("und");
  return trimmed.length > 0 ? trimmed : null;
}

export async function listCustomers({ shopId, search, page }: { shopId: string; search: string | null; page: number }) {
  const normalised = normaliseSearch(search);
  const [rows, total] = await listCustomersPage(db(), { shopId, search: normalised, page });
  return {
    total,
    page,
    pageSize: CUSTOMER_PAGE_SIZE,
    customers: rows.map((row) => ({
      id: row.id,
      name: row.redactedAt ? null : [row.firstName, row.lastName].filter(Boolean).join(" ") || null,
      email: row.redactedAt ? null : row.email,
      redacted: row.redactedAt !== null,
      sources: [...new Set(row.identities.map((identity) => identity.source))] as DataSource[],
      lifetimeValueMinor: Number(row.lifetimeValueMinor),
      orderCount: row.orderCount,
      lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
      lastLetterAt: row.lastLetterAt?.toISOString() ?? null,
      scanned: row.lastScanAt !== null,
    })),
  };
}

export async function findCustomerProfile({ shopId, customerId }: { shopId: string; customerId: string }) {
  const customer = await findCustomerForProfile(db(), { shopId, customerId });
  if (!customer) throw new AppError("NOT_FOUND", "Customer not found");
  const redacted = customer.redactedAt !== null;
  const sources = [...new Set(customer.identities.map((identity) => identity.source))];
  return {
    id: customer.id,
    redacted,
    name: redacted ? null : [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null,
    email: redacted ? null : customer.email,
    language: customer.language,
    address: redacted
      ? null
      : {
          name: customer.addressName,
          line1: customer.addressLine1,
          line2: customer.addressLine2,
          postalCode: customer.postalCode,
          city: customer.city,
          countryCode: customer.countryCode,
        },
    optedOut: customer.optedOut,
    optedOutAt: customer.optedOutAt?.toISOString() ?? null,
    sources,
    // Checkout data exists only for Shopify customers (A5).
    hasCheckoutData: sources.includes("SHOPIFY"),
    stats: {
      lifetimeValueMinor: Number(customer.lifetimeValueMinor),
      orderCount: customer.orderCount,
      averageOrderValueMinor: Number(customer.averageOrderValueMinor),
      firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
      lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
      typicalDaysBetweenOrders: customer.typicalDaysBetweenOrders,
    },
    lastLetterAt: customer.lastLetterAt?.toISOString() ?? null,
    orders: customer.orders.map((order) => ({
      id: order.id,
      number: order.number,
      placedAt: order.placedAt.toISOString(),
      totalMinor: Number(order.totalMinor),
      currency: order.currency,
      financialState: order.financialState,
      cancelled: order.cancelledAt !== null,
      items: order.lineItems.map((item) => ({
        title: item.title,
        sku: item.sku,
        variantTitle: item.variantTitle,
        quantity: item.quantity,
        unitPriceMinor: Number(item.unitPriceMinor),
        totalMinor: Number(item.totalMinor),
      })),
    })),
    checkouts: customer.checkouts.map((checkout) => ({
      id: checkout.id,
      abandonedAt: checkout.abandonedAt?.toISOString() ?? null,
      recoveredAt: checkout.recoveredAt?.toISOString() ?? null,
      recoveryKind: checkout.recoveryKind,
      valueMinor: Number(checkout.valueMinor),
      currency: checkout.currency,
      items: checkout.lineItems.map((item) => ({ title: item.title, quantity: item.quantity })),
    })),
    letters: customer.letters.map((letter) => ({
      id: letter.id,
      campaign: letter.campaign?.name ?? null,
      automation: letter.automationId !== null,
      status: letter.status,
      createdAt: letter.createdAt.toISOString(),
      mailedAt: letter.mailedAt?.toISOString() ?? null,
      firstScanAt: letter.firstScanAt?.toISOString() ?? null,
      scanCount: letter.scanCount,
      hasFile: letter.fileId !== null,
    })),
  };
}

export type CustomerProfile = Awaited<ReturnType<typeof findCustomerProfile>>;
