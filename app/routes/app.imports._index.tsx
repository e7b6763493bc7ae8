import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, DataTable, EmptyState, Page } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { listImportRuns } from "../services/imports.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return { runs: await listImportRuns({ shopId: shop.id }) };
};

export default function Imports() {
  const { runs } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page title={t("imports.title")}>
      <Card>
        {runs.length === 0 ? (
          <EmptyState heading={t("imports.empty")} image="">
            <p>{t("imports.emptyHelp")}</p>
          </EmptyState>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "numeric"]}
            headings={[t("imports.kind"), t("imports.status"), t("imports.started"), t("imports.counts"), t("imports.errors")]}
            rows={runs.map((run) => [
              run.kind,
              <Badge key={run.id} tone={run.status === "SUCCEEDED" ? "success" : run.status === "FAILED" ? "critical" : undefined}>
                {run.status}
              </Badge>,
              format.date(run.startedAt),
              `${run.createdCount} / ${run.updatedCount} / ${run.skippedCount}`,
              run.errorCount,
            ])}
          />
        )}
      </Card>
    </Page>
  );
}
