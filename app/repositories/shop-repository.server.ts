import { randomBytes } from "node:crypto";
import type { Db } from "../db.server";

export function findShopByDomain(db: Db, { domain }: { domain: string }) {
  return db.shop.findUnique({ where: { domain } });
}

/**
 * The shop row for an authenticated session: created on first install, marked installed again
 * after a reinstall. Shopify-managed install has no callback of ours, so the first admin request
 * is where a shop appears.
 */
export async function ensureInstalledShop(db: Db, { domain }: { domain: string }) {
  return db.shop.upsert({
    where: { domain },
    create: {
      domain,
      name: domain.replace(/\.myshopify\.com$/, ""),
      emailHashSalt: randomBytes(16).toString("hex"),
    },
    update: { uninstalledAt: null },
  });
}

export type ShopRow = NonNullable<Awaited<ReturnType<typeof findShopByDomain>>>;
