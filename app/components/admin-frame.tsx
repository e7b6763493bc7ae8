import { Link as RemixLink, useLocation } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Banner, Box, Frame, Navigation, Text, TopBar } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { HomeIcon, PersonIcon, EmailIcon, OrderIcon, ImportIcon, SettingsIcon } from "@shopify/polaris-icons";
import type { ComponentProps, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { NavItem } from "./nav-items";

const ICONS = { home: HomeIcon, customers: PersonIcon, campaigns: EmailIcon, afterPurchase: OrderIcon, imports: ImportIcon, settings: SettingsIcon };

function PolarisLink({ url, children, external, ...rest }: LinkLikeComponentProps) {
  if (external) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <RemixLink to={url} {...rest}>
      {children}
    </RemixLink>
  );
}

/**
 * The admin outside Shopify (demo mode): Polaris' own frame and navigation instead of the
 * App Bridge nav, which needs Shopify's admin around it.
 */
export function StandaloneAdminFrame({
  items,
  polarisTranslations,
  shopName,
  children,
}: {
  items: NavItem[];
  polarisTranslations: ComponentProps<typeof PolarisAppProvider>["i18n"];
  shopName: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        items={items.map((item) => ({
          url: item.url,
          label: t(`nav.${item.key}`),
          icon: ICONS[item.key],
          exactMatch: item.exact,
          selected: item.exact ? location.pathname === item.path : location.pathname.startsWith(item.path),
        }))}
      />
    </Navigation>
  );
  return (
    <PolarisAppProvider i18n={polarisTranslations} linkComponent={PolarisLink}>
      <Frame
        navigation={navigation}
        topBar={
          <TopBar
            userMenu={
              <Box paddingInlineEnd="400">
                <Text as="span" tone="text-inverse" fontWeight="medium">
                  {shopName}
                </Text>
              </Box>
            }
          />
        }
        // The logo is a square icon: at 120 px wide it overflowed the 56 px top bar and covered
        // the first navigation links.
        logo={{ width: 32, topBarSource: "/favicon.svg", accessibilityLabel: t("app.name"), url: "/app" }}
      >
        <Box paddingBlockStart="400" paddingInline="400">
          <Banner tone="info">{t("app.demoBanner")}</Banner>
        </Box>
        {children}
      </Frame>
    </PolarisAppProvider>
  );
}
