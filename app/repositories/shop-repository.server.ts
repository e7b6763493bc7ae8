import { randomBytes } from "node:crypto";
import type { Db } from "../db.server";

export function findShopByDomain(db: Db, { domain }: { domain: string }) {
  return db.shop.findUnique({ where: { domain } });
}

/**
 * The shop row for an authenticated session: created on first install, marked installed again
 * after a reinstall. Shopify-managed install has no callback of ours, so the first admin request
 * is where a shop appears; `installed` says this request was that moment.
 */
export async function ensureInstalledShop(db: Db, { domain }: { domain: string }) {
  const existing = await db.shop.findUnique({ where: { domain } });
  if (existing && existing.uninstalledAt === null) return { shop: existing, installed: false };
  const shop = await db.shop.upsert({
    where: { domain },
    create: {
      domain,
      name: domain.replace(/\.myshopify\.com$/, ""),
      emailHashSalt: randomBytes(16).toString("hex"),
    },
    update: { uninstalledAt: null },
  });
  return { shop, installed: true };
}

export function updateShopProfile(db: Db, { shopId, name, currency, timezone }: { shopId: string; name: string; currency: string; timezone: string }) {
  return db.shop.update({ where: { id: shopId }, data: { name, currency, timezone } });
}

export type ShopRow = NonNullable<Awaited<ReturnType<typeof findShopByDomain>>>;

/**
 * The shop a webhook is for. A delivery can come before the first admin request created the
 * shop; it is created then (without touching an existing shop's install state).
 */
export async function ensureShopForWebhook(db: Db, { domain, currency }: { domain: string; currency: string | null }) {
  const existing = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (existing) return existing;
  return db.shop.upsert({
    where: { domain },
    create: {
      domain,
      name: domain.replace(/\.myshopify\.com$/, ""),
      emailHashSalt: randomBytes(16).toString("hex"),
      ...(currency ? { currency: currency.toUpperCase() } : {}),
    },
    update: {},
    select: { id: true, uninstalledAt: true },
  });
}

/** The shop's rules the customer screens apply: contact cap and attribution window. */
export function findShopRules(db: Db, { shopId }: { shopId: string }) {
  return db.shop.findUnique({
    where: { id: shopId },
    select: { currency: true, contactCapLetters: true, contactCapDays: true, attributionWindowDays: true },
  });
}
