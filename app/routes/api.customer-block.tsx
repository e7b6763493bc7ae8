import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseShopifyCustomerGid } from "../core/shopify-gid";
import { findCustomerBlockSummary } from "../services/customer-block.server";
import { requireShop } from "../services/shop-guard.server";

// GET /api/customer-block?customerId=gid://shopify/Customer/123 — read by the admin block on
// Shopify's customer page (extensions/customer-mail-block). The admin sends the request from
// another origin with `Authorization: Bearer <ID token>`; `authenticate.admin` (inside
// requireShop) checks it and answers the CORS preflight itself: Remix hands an OPTIONS request
// to the loader of a route without an action, and authenticate.admin throws a 204 for it.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, cors } = await requireShop(request).catch(redirectToUnauthorized);
  const customerId = new URL(request.url).searchParams.get("customerId");
  const shopifyCustomerId = parseShopifyCustomerGid(customerId);
  if (!shopifyCustomerId) {
    const reason = customerId === null ? "customerId is missing" : "customerId is not a Shopify customer GID (gid://shopify/Customer/<number>)";
    return cors(Response.json({ error: "VALIDATION", reason }, { status: 400, headers: NO_STORE }));
  }
  const summary = await findCustomerBlockSummary({ shopId: shop.id, shopifyCustomerId });
  return cors(Response.json(summary, { headers: NO_STORE }));
};

// Personal data: never kept by a browser or proxy cache.
const NO_STORE = { "Cache-Control": "private, no-store" };

/**
 * authenticate.admin takes a request without a bearer token for a browser navigation and
 * redirects it to the login page, which means nothing to the extension's fetch(); this JSON
 * endpoint says 401 instead, keeping the CORS headers the library set so the admin can read it.
 */
function redirectToUnauthorized(error: unknown): never {
  if (error instanceof Response && error.status >= 300 && error.status < 400) {
    const headers = new Headers(NO_STORE);
    error.headers.forEach((value, name) => {
      if (name.startsWith("access-control-")) headers.set(name, value);
    });
    throw Response.json({ error: "UNAUTHORIZED", reason: "a session token is required" }, { status: 401, headers });
  }
  throw error;
}
