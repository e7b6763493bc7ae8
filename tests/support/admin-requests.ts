import type { Db } from "../../app/db/client.server";
import { sessionToken } from "./shopify-session-token";

// shopify-app-remix answers 410 to bot-like user agents on its auth routes.
export const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/** The offline session a Shopify-managed install leaves behind (expiring token + refresh token). */
export async function createOfflineSession(db: Db, shop: string) {
  const far = new Date(Date.now() + 86_400_000);
  await db.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      scope: "read_customers,read_orders,read_all_orders,read_products",
      accessToken: "shpat_test",
      expires: far,
      refreshToken: "shprt_test",
      refreshTokenExpires: far,
    },
  });
}

/**
 * A request from the embedded admin: Bearer session token signed with the test app's secret,
 * as App Bridge sends it. `path` may carry a query; `shop` is added to it.
 */
export function adminRequest(
  path: string,
  shop: string,
  { token = sessionToken({ shop, apiKey: "test-api-key", secret: "test-api-secret" }), method = "GET", form, headers = {} }: {
    token?: string;
    method?: string;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Request {
  const url = new URL(path, "http://127.0.0.1:3000");
  url.searchParams.set("shop", shop);
  return new Request(url, {
    method: form ? "POST" : method,
    headers: { authorization: `Bearer ${token}`, "user-agent": BROWSER_USER_AGENT, ...headers },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
}

/** What a loader or action returned or threw: thrown Responses are how Remix loaders answer 4xx. */
export async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return error;
  }
}
