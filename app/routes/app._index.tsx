import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, ResourceItem, ResourceList, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { KpiCard } from "../components/kpi-card";
import { LetterStatusBadge } from "../components/letter-status-badge";
import { loadDashboard } from "../services/dashboard.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const dashboard = await loadDashboard({ shopId: shop.id });
  return { ...dashboard, currency: shop.currency };
};

export default function Dashboard() {
  const { totals, recentLetters, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page title={t("dashboard.title")}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <KpiCard label={t("dashboard.customers")} value={format.number(totals.customers)} />
            <KpiCard label={t("dashboard.orders")} value={format.number(totals.orders)} />
            <KpiCard label={t("dashboard.revenue")} value={format.money(totals.revenueMinor, currency)} />
            <KpiCard label={t("dashboard.lettersSent")} value={format.number(totals.lettersSent)} />
            <KpiCard label={t("dashboard.abandonedOpen")} value={format.number(totals.openAbandoned)} />
            <KpiCard label={t("dashboard.recovered")} value={format.number(totals.recovered)} />
            <KpiCard label={t("dashboard.qrScans")} value={format.number(totals.scans)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("dashboard.recentLetters")}
              </Text>
              {recentLetters.length === 0 ? (
                <EmptyState heading={t("dashboard.noLetters")} image="" />
              ) : (
                <ResourceList
                  items={recentLetters}
                  renderItem={(letter) => (
                    <ResourceItem id={letter.id} url={`/app/customers/${letter.customerId}`}>
                      <InlineGrid columns={3} gap="200">
                        <Link to={`/app/customers/${letter.customerId}`}>{letter.customerName || "—"}</Link>
                        <Text as="span">{letter.campaign ?? t("nav.afterPurchase")}</Text>
                        <span>
                          <LetterStatusBadge status={letter.status} /> {format.date(letter.createdAt)}
                        </span>
                      </InlineGrid>
                    </ResourceItem>
                  )}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
