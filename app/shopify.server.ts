import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { db, type Db } from "./db.server";
import { env } from "./env.server";

/** One API version for the app, its webhooks (shopify.app.toml) and the extension. */
export const SHOPIFY_API_VERSION = ApiVersion.July26;

function createShopifyApp() {
  const config = env();
  // Sessions are read through db() at call time, so the storage always uses the current client.
  const currentDb = new Proxy({} as Db, { get: (_target, property) => Reflect.get(db(), property) });
  return shopifyApp({
    apiKey: config.shopifyApiKey,
    apiSecretKey: config.shopifyApiSecret,
    apiVersion: SHOPIFY_API_VERSION,
    scopes: config.scopes,
    appUrl: config.shopifyAppUrl,
    authPathPrefix: "/auth",
    // The generated client's type differs from @prisma/client's only by its import path.
    sessionStorage: new PrismaSessionStorage(currentDb as never, { connectionRetries: 3, connectionRetryIntervalMs: 1000 }),
    distribution: AppDistribution.AppStore,
    future: {
      unstable_newEmbeddedAuthStrategy: true,
      expiringOfflineAccessTokens: true,
    },
    ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
  });
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;
let instance: ShopifyApp | undefined;

/** Built on first use, after the environment (and in tests the database) is in place. */
export function shopify(): ShopifyApp {
  instance ??= createShopifyApp();
  return instance;
}

export const authenticate = {
  admin: (request: Request) => shopify().authenticate.admin(request),
  webhook: (request: Request) => shopify().authenticate.webhook(request),
};
export const unauthenticated = {
  admin: (shop: string) => shopify().unauthenticated.admin(shop),
};
export const login = (request: Request) => shopify().login(request);
export const addDocumentResponseHeaders = (request: Request, headers: Headers) =>
  shopify().addDocumentResponseHeaders(request, headers);
