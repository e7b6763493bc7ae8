import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, InlineStack, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { listCustomers } from "../services/customers.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const url = new URL(request.url);
  const page = Math.max(0, Number.parseInt(url.searchParams.get("page") ?? "0", 10) || 0);
  const search = url.searchParams.get("q");
  const result = await listCustomers({ shopId: shop.id, search, page });
  return { ...result, search: search ?? "", currency: shop.currency };
};

export default function Customers() {
  const { customers, total, page, pageSize, search, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [query, setQuery] = useState(search);

  // Debounced search: the list follows the field 300 ms after the last keystroke.
  useEffect(() => {
    if (query === search) return;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(params);
      if (query) next.set("q", query);
      else next.delete("q");
      next.delete("page");
      navigate(`?${next.toString()}`, { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [query, search, params, navigate]);

  const pageUrl = (target: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(target));
    return `?${next.toString()}`;
  };

  return (
    <Page title={t("customers.title")} subtitle={t("customers.count", { count: total })}>
      <Card padding="0">
        <Form method="get" role="search">
          <div style={{ padding: "12px" }}>
            <TextField
              label={t("customers.searchLabel")}
              labelHidden
              name="q"
              value={query}
              onChange={setQuery}
              placeholder={t("customers.searchPlaceholder")}
              autoComplete="off"
              clearButton
              onClearButtonClick={() => setQuery("")}
            />
          </div>
        </Form>
        {total === 0 && !search ? (
          <EmptyState heading={t("customers.empty")} image="">
            <p>{t("customers.emptyHelp")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("customers.name"), plural: t("customers.title") }}
            itemCount={customers.length}
            selectable={false}
            emptyState={<Text as="p">{t("customers.noResults")}</Text>}
            headings={[
              { title: t("customers.name") },
              { title: t("customers.sources") },
              { title: t("customers.ltv"), alignment: "end" },
              { title: t("customers.orders"), alignment: "end" },
              { title: t("customers.lastOrder") },
              { title: t("customers.lastLetter") },
            ]}
          >
            {customers.map((customer, index) => (
              <IndexTable.Row id={customer.id} key={customer.id} position={index}>
                <IndexTable.Cell>
                  <Link to={`/app/customers/${customer.id}`} data-testid="customer-link">
                    {customer.redacted ? t("customer.anonymised") : customer.name || customer.email || "—"}
                  </Link>
                  {customer.email && customer.name ? (
                    <Text as="p" tone="subdued" variant="bodySm">
                      {customer.email}
                    </Text>
                  ) : null}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="100">
                    {customer.sources.map((source) => (
                      <Badge key={source}>{t(`source.${source}`)}</Badge>
                    ))}
                    {customer.scanned ? <Badge tone="success">QR</Badge> : null}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.money(customer.lifetimeValueMinor, currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {customer.orderCount}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{format.date(customer.lastOrderAt)}</IndexTable.Cell>
                <IndexTable.Cell>{format.date(customer.lastLetterAt)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
          <Pagination
            hasPrevious={page > 0}
            onPrevious={() => navigate(pageUrl(page - 1))}
            hasNext={(page + 1) * pageSize < total}
            onNext={() => navigate(pageUrl(page + 1))}
          />
        </div>
      </Card>
    </Page>
  );
}
