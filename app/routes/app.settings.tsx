import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return {
    settings: {
      domain: shop.domain,
      currency: shop.currency,
      abandonmentThresholdMinutes: shop.abandonmentThresholdMinutes,
      recoveryWindowDays: shop.recoveryWindowDays,
      attributionWindowDays: shop.attributionWindowDays,
      contactCapLetters: shop.contactCapLetters,
      contactCapDays: shop.contactCapDays,
    },
  };
};

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const rows: Array<[string, string]> = [
    [t("settings.shop"), settings.domain],
    [t("settings.currency"), settings.currency],
    [t("settings.abandonmentThreshold"), String(settings.abandonmentThresholdMinutes)],
    [t("settings.recoveryWindow"), String(settings.recoveryWindowDays)],
    [t("settings.attributionWindow"), String(settings.attributionWindowDays)],
    [t("settings.contactCap"), t("settings.contactCapValue", { letters: settings.contactCapLetters, days: settings.contactCapDays })],
  ];
  return (
    <Page title={t("settings.title")}>
      <Card>
        <BlockStack gap="200">
          {rows.map(([label, value]) => (
            <Text as="p" key={label}>
              <Text as="span" fontWeight="semibold">
                {label}:
              </Text>{" "}
              {value}
            </Text>
          ))}
        </BlockStack>
      </Card>
    </Page>
  );
}
