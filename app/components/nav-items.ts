export type NavItem = {
  key: "home" | "customers" | "campaigns" | "afterPurchase" | "imports" | "settings";
  path: string;
  url: string;
  exact?: boolean;
};

/** The admin's sections, in menu order; `query` keeps Shopify's parameters (shop, host, locale). */
export function navItems(query: string): NavItem[] {
  const withQuery = (path: string) => (query ? `${path}?${query}` : path);
  return [
    { key: "home", path: "/app", url: withQuery("/app"), exact: true },
    { key: "customers", path: "/app/customers", url: withQuery("/app/customers") },
    { key: "campaigns", path: "/app/campaigns", url: withQuery("/app/campaigns") },
    { key: "afterPurchase", path: "/app/after-purchase", url: withQuery("/app/after-purchase") },
    { key: "imports", path: "/app/imports", url: withQuery("/app/imports") },
    { key: "settings", path: "/app/settings", url: withQuery("/app/settings") },
  ];
}
