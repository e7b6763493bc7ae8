import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DataTable, EmptyState, Page, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/format";
import { findShopifyBackfillStatus, listImportRuns } from "../services/imports.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return {
    runs: await listImportRuns({ shopId: shop.id }),
    backfill: await findShopifyBackfillStatus({ shopId: shop.id }),
  };
};

export default function Imports() {
  const { runs, backfill } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Page title={t("imports.title")}>
      {backfill ? <BackfillBanner backfill={backfill} /> : null}
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

type BackfillStatus = NonNullable<Awaited<ReturnType<typeof findShopifyBackfillStatus>>>;

function BackfillBanner({ backfill }: { backfill: BackfillStatus }) {
  return (
    <Box paddingBlockEnd="400">
      <BackfillBannerContent backfill={backfill} />
    </Box>
  );
}

function BackfillBannerContent({ backfill }: { backfill: BackfillStatus }) {
  const { t } = useTranslation();
  if (backfill.status === "FAILED") {
    return (
      <Banner tone="critical" title={t("imports.backfill.failedTitle")}>
        <p>{backfill.failureReason}</p>
      </Banner>
    );
  }
  if (backfill.status === "SUCCEEDED") {
    return (
      <Banner tone="success" title={t("imports.backfill.doneTitle")}>
        <p>{t("imports.backfill.done", { count: backfill.processedRows })}</p>
      </Banner>
    );
  }
  const phase = backfill.phase ?? "customers";
  return (
    <Banner tone={backfill.failureReason ? "warning" : "info"} title={t("imports.backfill.title")}>
      <BlockStack gap="200">
        <ProgressBar progress={backfill.percent} size="small" />
        <Text as="p">
          {backfill.status === "QUEUED"
            ? t("imports.backfill.queued")
            : t("imports.backfill.progress", { count: backfill.processedRows, phase: t(`imports.backfill.phases.${phase}`) })}
        </Text>
        {backfill.failureReason ? <Text as="p">{t("imports.backfill.retrying", { reason: backfill.failureReason })}</Text> : null}
      </BlockStack>
    </Banner>
  );
}
