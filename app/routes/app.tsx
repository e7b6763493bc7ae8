import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import deTranslations from "@shopify/polaris/locales/de.json";
import enTranslations from "@shopify/polaris/locales/en.json";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useMemo } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { StandaloneAdminFrame } from "../components/admin-frame";
import { navItems } from "../components/nav-items";
import { createI18n } from "../i18n/i18n";
import { requireShop } from "../services/shop-guard.server";
import { env } from "../env.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale, demo } = await requireShop(request);
  return { apiKey: env().shopifyApiKey, demo, locale, shopName: shop.name };
};

/** Shopify's embedded parameters (host, shop, locale…) carried over to every menu link. */
function useEmbeddedQuery(): string {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const key of ["shop", "host", "locale", "embedded"]) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  return kept.toString();
}

export default function AdminLayout() {
  const { apiKey, demo, locale, shopName } = useLoaderData<typeof loader>();
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const query = useEmbeddedQuery();
  const items = navItems(query);
  const polarisTranslations = locale === "de" ? deTranslations : enTranslations;

  return (
    <I18nextProvider i18n={i18n}>
      {demo ? (
        <StandaloneAdminFrame items={items} polarisTranslations={polarisTranslations} shopName={shopName}>
          <Outlet />
        </StandaloneAdminFrame>
      ) : (
        <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations}>
          <EmbeddedNav items={items} />
          <Outlet />
        </AppProvider>
      )}
    </I18nextProvider>
  );
}

function EmbeddedNav({ items }: { items: ReturnType<typeof navItems> }) {
  const { t } = useTranslation();
  return (
    <NavMenu>
      {items.map((item) => (
        <Link key={item.key} to={item.url} rel={item.key === "home" ? "home" : undefined}>
          {t(`nav.${item.key}`)}
        </Link>
      ))}
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
