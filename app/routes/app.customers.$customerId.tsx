import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { KpiCard } from "../components/kpi-card";
import { LetterStatusBadge } from "../components/letter-status-badge";
import { orRespond } from "../http/errors.server";
import { findCustomerProfile } from "../services/customers.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const profile = await orRespond(() => findCustomerProfile({ shopId: shop.id, customerId: params.customerId ?? "" }));
  return { profile, currency: shop.currency };
};

export default function CustomerProfilePage() {
  const { profile, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const title = profile.redacted ? t("customer.anonymised") : profile.name || profile.email || "—";
  const address = profile.address;
  return (
    <Page
      backAction={{ content: t("customer.back"), url: "/app/customers" }}
      title={title}
      subtitle={profile.email ?? undefined}
      titleMetadata={
        <InlineStack gap="100">
          {profile.sources.map((source) => (
            <Badge key={source}>{t(`source.${source}`)}</Badge>
          ))}
          {profile.optedOut ? <Badge tone="critical">{t("customer.optedOut")}</Badge> : null}
        </InlineStack>
      }
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
            <KpiCard label={t("customer.ltv")} value={format.money(profile.stats.lifetimeValueMinor, currency)} />
            <KpiCard label={t("customer.orderCount")} value={String(profile.stats.orderCount)} />
            <KpiCard label={t("customer.aov")} value={format.money(profile.stats.averageOrderValueMinor, currency)} />
            <KpiCard label={t("customer.firstOrder")} value={format.date(profile.stats.firstOrderAt)} />
            <KpiCard label={t("customer.lastOrder")} value={format.date(profile.stats.lastOrderAt)} />
            <KpiCard label={t("customer.lastContacted")} value={profile.lastLetterAt ? format.date(profile.lastLetterAt) : t("customer.never")} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("customer.orders")}
              </Text>
              {profile.orders.length === 0 ? (
                <Text as="p">{t("customer.noOrders")}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={[t("customer.orderNumber"), t("customer.orderDate"), t("customer.orderTotal"), t("customer.orderStatus")]}
                  rows={profile.orders.map((order) => [
                    order.number,
                    format.date(order.placedAt),
                    format.money(order.totalMinor, order.currency),
                    order.cancelled ? t("customer.orderCancelled") : t(`orderState.${order.financialState}`),
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("customer.checkouts")}
              </Text>
              {!profile.hasCheckoutData ? (
                <Text as="p" tone="subdued">
                  {t("customer.checkoutsNotAvailable", { sources: profile.sources.map((s) => t(`source.${s}`)).join(", ") })}
                </Text>
              ) : (
                profile.checkouts.map((checkout) => (
                  <InlineStack key={checkout.id} gap="200">
                    {checkout.recoveredAt ? (
                      <Badge tone="success">{t("customer.recovered")}</Badge>
                    ) : (
                      <Badge>{t("customer.abandoned")}</Badge>
                    )}
                    <Text as="span">{format.date(checkout.abandonedAt)}</Text>
                    <Text as="span">{format.money(checkout.valueMinor, checkout.currency)}</Text>
                    {checkout.recoveredAt && checkout.recoveryKind ? (
                      <Text as="span" tone="subdued">
                        {t(checkout.recoveryKind === "CHECKOUT_COMPLETED" ? "customer.recoveredByCheckout" : "customer.recoveredBySameCustomer", {
                          date: format.date(checkout.recoveredAt),
                        })}
                      </Text>
                    ) : null}
                  </InlineStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("customer.letters")}
              </Text>
              {profile.letters.length === 0 ? (
                <Text as="p">{t("customer.noLetters")}</Text>
              ) : (
                profile.letters.map((letter) => (
                  <InlineStack key={letter.id} gap="200">
                    <LetterStatusBadge status={letter.status} />
                    <Text as="span">{letter.campaign ?? t("nav.afterPurchase")}</Text>
                    <Text as="span">{format.date(letter.createdAt)}</Text>
                    {letter.firstScanAt ? <Badge tone="success">{`QR ${format.date(letter.firstScanAt)}`}</Badge> : null}
                  </InlineStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("customer.address")}
              </Text>
              {address && address.line1 ? (
                <Text as="p">
                  {address.name}
                  <br />
                  {address.line1}
                  {address.line2 ? <><br />{address.line2}</> : null}
                  <br />
                  {address.postalCode} {address.city}
                  <br />
                  {address.countryCode}
                </Text>
              ) : (
                <Text as="p" tone="subdued">{t("customer.noAddress")}</Text>
              )}
              <Text as="p">
                {t("customer.language")}: {profile.language ?? "—"}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
