import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Page, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { findAutomationSummary } from "../services/automation.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return { automation: await findAutomationSummary({ shopId: shop.id }), currency: shop.currency };
};

export default function AfterPurchase() {
  const { automation, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const status = automation?.status ?? "DRAFT";
  return (
    <Page title={t("afterPurchase.title")} titleMetadata={<Badge tone={status === "ACTIVE" ? "success" : undefined}>{t(`afterPurchase.${status}`)}</Badge>}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{t("afterPurchase.help")}</Text>
          {automation ? (
            <>
              <Text as="p">{t("afterPurchase.frequencyCap", { days: automation.frequencyCapDays })}</Text>
              <Text as="h2" variant="headingMd">
                {t("afterPurchase.tiers")}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={[t("afterPurchase.tiers"), t("campaigns.letters")]}
                rows={automation.tiers.map((tier) => [
                  `${format.money(tier.minMinor, currency)} – ${tier.maxMinor === null ? "∞" : format.money(tier.maxMinor, currency)}`,
                  tier.letters,
                ])}
              />
            </>
          ) : null}
        </BlockStack>
      </Card>
    </Page>
  );
}
