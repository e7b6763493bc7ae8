import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Link, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { listDataRequests } from "../services/compliance.server";
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
    // Download links are signed and short-lived, so they are made fresh on every page load.
    dataRequests: await listDataRequests({ shopId: shop.id }),
  };
};

export default function Settings() {
  const { settings, dataRequests } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
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
      <BlockStack gap="400">
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
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("settings.dataRequests.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("settings.dataRequests.description")}
            </Text>
            {dataRequests.length === 0 ? (
              <Text as="p">{t("settings.dataRequests.empty")}</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={[
                  t("settings.dataRequests.date"),
                  t("settings.dataRequests.customer"),
                  t("settings.dataRequests.status"),
                  t("settings.dataRequests.export"),
                ]}
                rows={dataRequests.map((request) => [
                  format.date(request.createdAt),
                  request.shopifyCustomerId ?? "—",
                  t(`settings.dataRequests.state.${request.status}`),
                  request.downloadUrl ? (
                    <Link key={request.id} url={request.downloadUrl} target="_blank">
                      {t("settings.dataRequests.download")}
                    </Link>
                  ) : request.exportErased ? (
                    t("settings.dataRequests.erased")
                  ) : (
                    "—"
                  ),
                ])}
              />
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
