import { z } from "zod";

/** The Admin GraphQL call as `authenticate.admin` and `unauthenticated.admin` hand it out. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

const SHOP_PROFILE_QUERY = `#graphql
  query LetterLoopShopProfile {
    shop { name currencyCode ianaTimezone }
  }`;

const ShopProfileSchema = z.object({
  data: z.object({
    shop: z.object({ name: z.string().min(1), currencyCode: z.string().length(3), ianaTimezone: z.string().min(1) }),
  }),
});

export type ShopProfile = { name: string; currency: string; timezone: string };

/**
 * Name, currency and time zone of the shop. The currency matters most: statistics are kept in
 * it, and Shopify's order amounts come in it.
 */
export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const response = await graphql(SHOP_PROFILE_QUERY);
  const parsed = ShopProfileSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`Unexpected shop profile response: ${parsed.error.issues.map((issue) => issue.path.join(".")).join(", ")}`);
  const { name, currencyCode, ianaTimezone } = parsed.data.data.shop;
  return { name, currency: currencyCode.toUpperCase(), timezone: ianaTimezone };
}
