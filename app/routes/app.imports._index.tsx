import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
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

type ImportRunRow = Awaited<ReturnType<typeof listImportRuns>>[number];

const REFRESH_MS = 2_000;

export default function Imports() {
  const { runs, backfill } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const active = runs.some((run) => run.status === "QUEUED" || run.status === "RUNNING") || backfill?.status === "RUNNING";
  useRefreshWhile(active);
  return (
    <Page title={t("imports.title")}>
      <BlockStack gap="400">
        {backfill ? <BackfillBanner backfill={backfill} /> : null}
        <ImportSources />
        <Card padding="0">
          <Box padding="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {t("imports.historyTitle")}
              </Text>
              {active ? (
                <Text as="p" tone="subdued">
                  {t("imports.refreshing")}
                </Text>
              ) : null}
            </BlockStack>
          </Box>
          {runs.length === 0 ? (
            <EmptyState heading={t("imports.empty")} image="">
              <p>{t("imports.emptyHelp")}</p>
            </EmptyState>
          ) : (
            <ImportHistory runs={runs} />
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

/** Re-reads the page every few seconds while something is importing, so progress moves by itself. */
function useRefreshWhile(active: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);
}

function ImportSources() {
  const { t } = useTranslation();
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      <SourceCard title={t("imports.sources.billbee.title")} description={t("imports.sources.billbee.description")}>
        <Button url="/app/imports/billbee">{t("imports.sources.billbee.action")}</Button>
      </SourceCard>
      <SourceCard title={t("imports.sources.csv.title")} description={t("imports.sources.csv.description")}>
        <Button url="/app/imports/csv" variant="primary">
          {t("imports.sources.csv.action")}
        </Button>
      </SourceCard>
      <SourceCard title={t("imports.sources.api.title")} description={t("imports.sources.api.description")}>
        <InlineStack gap="300" blockAlign="center">
          <Button url="/app/settings">{t("imports.sources.api.keys")}</Button>
          <Link url="/api/v1/openapi.json" target="_blank">
            {t("imports.sources.api.docs")}
          </Link>
        </InlineStack>
      </SourceCard>
    </InlineGrid>
  );
}

function SourceCard({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {description}
        </Text>
        <div>{children}</div>
      </BlockStack>
    </Card>
  );
}

function ImportHistory({ runs }: { runs: ImportRunRow[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
      headings={[
        t("imports.kind"),
        t("imports.status"),
        t("imports.started"),
        t("imports.created"),
        t("imports.updated"),
        t("imports.skipped"),
        t("imports.errors"),
      ]}
      rows={runs.map((run) => [
        <RunSource key="source" run={run} />,
        <RunStatus key="status" run={run} />,
        format.date(run.startedAt),
        format.number(run.createdCount),
        format.number(run.updatedCount),
        format.number(run.skippedCount),
        run.errorReportUrl ? (
          <BlockStack key="errors" gap="100" inlineAlign="end">
            <Text as="span">{format.number(run.errorCount)}</Text>
            <Link url={run.errorReportUrl} target="_blank">
              {t("imports.downloadReport")}
            </Link>
          </BlockStack>
        ) : (
          format.number(run.errorCount)
        ),
      ])}
    />
  );
}

function RunSource({ run }: { run: ImportRunRow }) {
  const { t } = useTranslation();
  const label = t(`imports.kinds.${run.kind}`);
  const page = run.kind === "CSV" ? `/app/imports/csv/${run.id}` : run.kind === "BILLBEE" ? "/app/imports/billbee" : null;
  return (
    <BlockStack gap="050">
      {page ? (
        <RemixLink to={page} style={{ color: "inherit" }}>
          <Text as="span" fontWeight="semibold">
            {label}
          </Text>
        </RemixLink>
      ) : (
        <Text as="span" fontWeight="semibold">
          {label}
        </Text>
      )}
      {run.filename ? (
        <Text as="span" tone="subdued" truncate>
          {run.filename}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function RunStatus({ run }: { run: ImportRunRow }) {
  const { t } = useTranslation();
  const tone = run.status === "SUCCEEDED" ? "success" : run.status === "FAILED" ? "critical" : run.status === "DRAFT" ? "attention" : "info";
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={tone}>{t(`imports.statuses.${run.status}`)}</Badge>
        {run.status === "DRAFT" ? (
          <RemixLink to={`/app/imports/csv/${run.id}`}>{t("imports.continueMapping")}</RemixLink>
        ) : null}
      </InlineStack>
      {(run.status === "RUNNING" || run.status === "QUEUED") && run.percent !== null ? (
        <Box minWidth="120px">
          <ProgressBar progress={run.percent} size="small" />
        </Box>
      ) : null}
      {run.status === "FAILED" && run.failureReason ? (
        <Text as="span" tone="critical">
          {run.failureReason}
        </Text>
      ) : null}
    </BlockStack>
  );
}

type BackfillStatus = NonNullable<Awaited<ReturnType<typeof findShopifyBackfillStatus>>>;

function BackfillBanner({ backfill }: { backfill: BackfillStatus }) {
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
