import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { CUSTOMER_SORT_KEYS, customerListParams, parseCustomerListQuery, type CustomerSortKey } from "../core/customer-list-query";
import { DebouncedSearchField } from "../components/debounced-search-field";
import { useFormat } from "../components/format";
import { KpiCard } from "../components/kpi-card";
import { QrScanIcon } from "../components/qr-scan-icon";
import { listCustomers } from "../services/customers.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const parsed = parseCustomerListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw Response.json({ error: "VALIDATION", message: `Invalid customer list parameters: ${parsed.reason}` }, { status: 400 });
  const list = await listCustomers({ shopId: shop.id, query: parsed.query, now: new Date() });
  return { ...list, currency: shop.currency };
};

// Heading order of the table; the sortable ones map to the list's sort keys.
const COLUMNS: Array<{ key: string; sort?: CustomerSortKey; numeric?: boolean }> = [
  { key: "name" },
  { key: "sources" },
  { key: "ltv", sort: "ltv", numeric: true },
  { key: "orders", sort: "orders", numeric: true },
  { key: "lastOrder", sort: "lastOrder" },
  { key: "lastLetter", sort: "lastLetter" },
];

const WRITTEN_WITHIN_CHOICES = ["7", "30", "90", "365"];

export default function Customers() {
  const { customers, totals, query, pageSize, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/customers";

  const go = (changes: Record<string, string | null>, { keepPage = false } = {}) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (!keepPage) next.delete("page");
    navigate(`?${next.toString()}`, { replace: true, preventScrollReset: true });
  };

  const appliedSearch = params.get("q") ?? "";
  const applySearch = useCallback(
    (text: string) => {
      const next = new URLSearchParams(window.location.search);
      if (text.trim()) next.set("q", text);
      else next.delete("q");
      next.delete("page");
      navigate(`?${next.toString()}`, { replace: true, preventScrollReset: true });
    },
    [navigate],
  );

  const filtered = Boolean(query.search || query.source || query.abandoned || query.optedOut || query.writtenWithinDays);
  const pageCount = Math.max(1, Math.ceil(totals.customers / pageSize));
  const sortColumnIndex = COLUMNS.findIndex((column) => column.sort === query.sort);
  const profileSearch = customerListParams(query).toString();

  if (totals.customers === 0 && !filtered) {
    return (
      <Page title={t("customers.title")}>
        <Card>
          <EmptyState heading={t("customers.empty")} action={{ content: t("customers.emptyAction"), url: "/app/imports" }} image="">
            <p>{t("customers.emptyHelp")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page title={t("customers.title")} subtitle={t("customers.count", { count: totals.customers, formatted: format.number(totals.customers) })}>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <KpiCard label={t("customers.kpiCustomers")} value={format.number(totals.customers)} />
          <KpiCard label={t("customers.kpiRevenue")} value={format.money(totals.revenueMinor, currency)} />
          <KpiCard label={t("customers.kpiAverageLtv")} value={format.money(totals.averageLifetimeValueMinor, currency)} />
          <KpiCard label={t("customers.kpiLettersSent")} value={format.number(totals.lettersSent)} />
        </InlineGrid>
        <Card padding="0">
          <Box padding="300">
            <BlockStack gap="300">
              <DebouncedSearchField
                label={t("customers.searchLabel")}
                placeholder={t("customers.searchPlaceholder")}
                value={appliedSearch}
                onSearch={applySearch}
              />
              <InlineStack gap="400" blockAlign="center" wrap>
                <Select
                  label={t("customers.filterSource")}
                  labelInline
                  value={query.source ?? ""}
                  onChange={(value) => go({ source: value })}
                  options={[
                    { label: t("customers.filterAny"), value: "" },
                    ...(["SHOPIFY", "BILLBEE", "CSV", "API"] as const).map((source) => ({ label: t(`source.${source}`), value: source })),
                  ]}
                />
                <Select
                  label={t("customers.filterWritten")}
                  labelInline
                  value={query.writtenWithinDays === null ? "" : String(query.writtenWithinDays)}
                  onChange={(value) => go({ writtenWithinDays: value })}
                  options={[
                    { label: t("customers.filterAny"), value: "" },
                    ...WRITTEN_WITHIN_CHOICES.map((days) => ({ label: t("customers.filterWrittenDays", { count: Number(days) }), value: days })),
                    ...(query.writtenWithinDays !== null && !WRITTEN_WITHIN_CHOICES.includes(String(query.writtenWithinDays))
                      ? [{ label: t("customers.filterWrittenDays", { count: query.writtenWithinDays }), value: String(query.writtenWithinDays) }]
                      : []),
                  ]}
                />
                <Checkbox label={t("customers.filterAbandoned")} checked={query.abandoned} onChange={(checked) => go({ abandoned: checked ? "1" : null })} />
                <Checkbox label={t("customers.filterOptedOut")} checked={query.optedOut} onChange={(checked) => go({ optedOut: checked ? "1" : null })} />
                {filtered ? (
                  <Button
                    variant="plain"
                    onClick={() => navigate("?", { replace: true })}
                  >
                    {t("customers.clearFilters")}
                  </Button>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Box>
          <IndexTable
            resourceName={{ singular: t("customers.resourceSingular"), plural: t("customers.resourcePlural") }}
            itemCount={customers.length}
            selectable={false}
            loading={loading}
            sortable={COLUMNS.map((column) => Boolean(column.sort))}
            sortColumnIndex={sortColumnIndex}
            sortDirection={query.direction === "asc" ? "ascending" : "descending"}
            defaultSortDirection="descending"
            onSort={(index, direction) => {
              const sort = COLUMNS[index]?.sort;
              if (sort && CUSTOMER_SORT_KEYS.includes(sort)) go({ sort, direction: direction === "ascending" ? "asc" : "desc" });
            }}
            emptyState={
              <Box padding="600">
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="p" variant="headingMd">
                    {t("customers.noResults")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("customers.noResultsHelp")}
                  </Text>
                </BlockStack>
              </Box>
            }
            headings={
              COLUMNS.map((column) => ({
                title: t(`customers.${column.key}`),
                ...(column.numeric ? { alignment: "end" as const } : {}),
              })) as [{ title: string }, ...Array<{ title: string }>]
            }
          >
            {customers.map((customer, index) => (
              <IndexTable.Row id={customer.id} key={customer.id} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <InlineStack gap="100" blockAlign="center" wrap={false}>
                      <Link to={`/app/customers/${customer.id}${profileSearch ? `?from=${encodeURIComponent(profileSearch)}` : ""}`} data-testid="customer-link">
                        {customer.redacted ? t("customer.anonymised") : customer.name || customer.email || t("customers.unnamed")}
                      </Link>
                      {customer.scanned ? <QrScanIcon label={t("customers.scanned")} /> : null}
                    </InlineStack>
                    {customer.email && customer.name ? (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {customer.email}
                      </Text>
                    ) : null}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="100">
                    {customer.sources.map((source) => (
                      <Badge key={source}>{t(`source.${source}`)}</Badge>
                    ))}
                    {customer.openAbandonedCheckouts > 0 ? <Badge>{t("customer.abandoned")}</Badge> : null}
                    {customer.optedOut ? <Badge tone="critical">{t("customer.optedOut")}</Badge> : null}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.money(customer.lifetimeValueMinor, currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.number(customer.orderCount)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{format.date(customer.lastOrderAt)}</IndexTable.Cell>
                <IndexTable.Cell>{format.date(customer.lastLetterAt)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <Box padding="300">
            <InlineStack align="center" blockAlign="center" gap="300">
              <Pagination
                hasPrevious={query.page > 0}
                onPrevious={() => go({ page: String(query.page - 1) }, { keepPage: true })}
                hasNext={query.page + 1 < pageCount}
                onNext={() => go({ page: String(query.page + 1) }, { keepPage: true })}
                label={t("customers.pageOf", { page: query.page + 1, pages: pageCount })}
              />
            </InlineStack>
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}
