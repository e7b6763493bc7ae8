import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { db } from "../db.server";
import { DEMO_SHOP_DOMAIN, env } from "../env.server";
import { pickLocale, type Locale } from "../i18n/i18n";
import { ensureInstalledShop, findShopByDomain, type ShopRow } from "../repositories/shop-repository.server";
import { authenticate } from "../shopify.server";

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
  const shop = await ensureInstalledShop(db(), { domain: session.shop });
  return {
    shop,
    // Shopify appends the admin user's `locale` to every embedded app URL.
    locale: pickLocale(url.searchParams.get("locale") ?? session.onlineAccessInfo?.associated_user.locale ?? shop.locale),
    demo: false,
    admin,
    cors,
  };
}
