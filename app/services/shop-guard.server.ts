import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { db } from "../db.server";
import { DEMO_SHOP_DOMAIN, env } from "../env.server";
import { pickLocale, type Locale } from "../i18n/i18n";
import { fetchShopProfile } from "../integrations/shopify/shop-profile.server";
import { ensureInstalledShop, findShopByDomain, updateShopProfile, type ShopRow } from "../repositories/shop-repository.server";
import { authenticate } from "../shopify.server";
import { scheduleInstallBackfill } from "./shopify-backfill.server";

export type ShopContext = {
  shop: ShopRow;
  locale: Locale;
  demo: boolean;
  /** Admin GraphQL client; null in demo mode, where there is no Shopify. */
  admin: AdminApiContext | null;
  /** Adds CORS headers for requests from admin extensions; identity in demo mode. */
  cors: (response: Response) => Response;
};

/**
 * The one guard in front of every admin route and every read or write of shop data from the
 * embedded UI. In demo mode it answers with the seeded demo shop (loopback only, never in
 * production: see env.server.ts); otherwise it runs Shopify's `authenticate.admin`, which
 * redirects or answers 401 when the request carries no valid session.
 */
export async function requireShop(request: Request): Promise<ShopContext> {
  const url = new URL(request.url);
  if (env().demo) {
    const shop = await findShopByDomain(db(), { domain: DEMO_SHOP_DOMAIN });
    if (!shop) {
      throw new Response("The demo shop is not seeded yet: run `npm run demo`.", { status: 503 });
    }
    return {
      shop,
      locale: pickLocale(url.searchParams.get("locale") ?? shop.locale),
      demo: true,
      admin: null,
      cors: (response) => response,
    };
  }

  const { session, admin, cors } = await authenticate.admin(request);
  const { shop: stored, installed } = await ensureInstalledShop(db(), { domain: session.shop });
  const shop = installed ? await completeInstall(stored, admin) : stored;
  return {
    shop,
    // Shopify appends the admin user's `locale` to every embedded app URL.
    locale: pickLocale(url.searchParams.get("locale") ?? session.onlineAccessInfo?.associated_user.locale ?? shop.locale),
    demo: false,
    admin,
    cors,
  };
}

/**
 * First request after an install or reinstall: take the shop's name, currency and time zone
 * from Shopify, and book the back-fill of its customers, orders and abandoned checkouts.
 * Neither may keep the merchant out of the app: a failure is logged and retried by the next
 * install request (the shop row says installed, so the back-fill job's own retries take over).
 */
async function completeInstall(shop: ShopRow, admin: AdminApiContext): Promise<ShopRow> {
  let current = shop;
  try {
    const profile = await fetchShopProfile(admin.graphql);
    current = await updateShopProfile(db(), { shopId: shop.id, ...profile });
  } catch (error) {
    console.warn(`Shop profile of ${shop.domain} not read: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await scheduleInstallBackfill({ shopId: shop.id });
  } catch (error) {
    console.warn(`Back-fill of ${shop.domain} not scheduled: ${error instanceof Error ? error.message : String(error)}`);
  }
  return current;
}
