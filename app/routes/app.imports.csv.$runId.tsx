import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useFormat } from "../components/format";
import { KpiCard } from "../components/kpi-card";
import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import { orRespond } from "../http/errors.server";
import { describeCsvImport, saveCsvMapping, startCsvImport, type CsvImportView } from "../services/csv-import.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const run = await orRespond(() => describeCsvImport({ shopId: shop.id, runId: params.runId ?? "", now: new Date() }));
  return { run };
};

const ActionSchema = z.object({ intent: z.enum(["save-mapping", "start"]) });

type ActionData = { ok: true; intent: "save-mapping" | "start" } | { ok: false; message: string; fieldErrors: Record<string, string[]> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const fields: Record<string, string> = {};
  for (const [name, value] of await request.formData()) if (typeof value === "string") fields[name] = value;
  const parsed = ActionSchema.safeParse(fields);
  if (!parsed.success) {
    return Response.json({ ok: false, message: "Unknown or incomplete request", fieldErrors: {} } satisfies ActionData, { status: 400 });
  }
  const { intent } = parsed.data;
  const runId = params.runId ?? "";
  try {
    if (intent === "save-mapping") await saveCsvMapping({ shopId: shop.id, runId, form: fields });
    else await startCsvImport({ shopId: shop.id, runId, form: fields });
    return { ok: true, intent } satisfies ActionData;
  } catch (error) {
    // A mapping the merchant can fix comes back to the form; an unknown run is a 404 page.
    if (error instanceof AppError) {
      const answer = Response.json({ ok: false, message: error.message, fieldErrors: error.fieldErrors } satisfies ActionData, { status: HTTP_STATUS_BY_CODE[error.code] });
      if (error.code === "NOT_FOUND") throw answer;
      return answer;
    }
    throw error;
  }
};

const REFRESH_MS = 1_500;

export default function CsvImportRun() {
  const { run } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <Page
      title={run.filename ?? t("csvImport.run.untitled")}
      titleMetadata={<StatusBadge status={run.status} />}
      backAction={{ content: t("csvImport.backToImports"), url: "/app/imports" }}
    >
      {run.draft ? <DraftView run={run} draft={run.draft} /> : run.status === "QUEUED" || run.status === "RUNNING" ? <ProgressView run={run} /> : <FinishedView run={run} />}
    </Page>
  );
}

function StatusBadge({ status }: { status: CsvImportView["status"] }) {
  const { t } = useTranslation();
  const tone = status === "SUCCEEDED" ? "success" : status === "FAILED" ? "critical" : status === "RUNNING" || status === "QUEUED" ? "attention" : undefined;
  return <Badge tone={tone}>{t(`csvImport.status.${status}`)}</Badge>;
}

// ------------------------------------------------------------------------------- mapping

type Draft = NonNullable<CsvImportView["draft"]>;

function DraftView({ run, draft }: { run: CsvImportView; draft: Draft }) {
  const { t } = useTranslation();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  // The saved mapping's own problems, unless the last submit brought newer ones.
  const saved: Record<string, string[]> = {};
  for (const problem of draft.mappingProblems) (saved[problem.field ? `column.${problem.field}` : "mapping"] ??= []).push(problem.reason);
  const problems: Record<string, string[]> = { ...saved, ...fieldErrors };

  const [columns, setColumns] = useState<Record<string, string>>(() => columnState(draft));
  const [dateOrder, setDateOrder] = useState<string>(draft.mapping.dateOrder);
  const [decimalSeparator, setDecimalSeparator] = useState<string>(draft.mapping.decimalSeparator);
  const [defaultCurrency, setDefaultCurrency] = useState<string>(draft.mapping.defaultCurrency ?? "");
  // A saved mapping comes back from the loader: show what is stored.
  useEffect(() => {
    setColumns(columnState(draft));
    setDateOrder(draft.mapping.dateOrder);
    setDecimalSeparator(draft.mapping.decimalSeparator);
    setDefaultCurrency(draft.mapping.defaultCurrency ?? "");
  }, [draft]);

  const send = (intent: "save-mapping" | "start") => {
    const form = new FormData();
    form.set("intent", intent);
    for (const field of run.fields) form.set(`column.${field}`, columns[field] ?? "");
    form.set("dateOrder", dateOrder);
    form.set("decimalSeparator", decimalSeparator);
    form.set("defaultCurrency", defaultCurrency);
    submit(form, { method: "post" });
  };

  const headerOptions = [
    { label: t("csvImport.mapping.notInFile"), value: "" },
    ...draft.headers.map((header, index) => ({ label: header.trim() || t("csvImport.mapping.unnamedColumn", { number: index + 1 }), value: String(index) })),
  ];

  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          {actionData && !actionData.ok ? (
            <Banner tone="critical" title={t("csvImport.mapping.invalid")}>
              <p>{actionData.message}</p>
            </Banner>
          ) : problems.mapping ? (
            <Banner tone="warning" title={t("csvImport.mapping.invalid")}>
              <p>{problems.mapping.join(" ")}</p>
            </Banner>
          ) : null}
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("csvImport.mapping.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("csvImport.mapping.help", { encoding: draft.encoding === "utf-8" ? "UTF-8" : "Windows-1252", delimiter: delimiterName(draft.delimiter, t) })}
                </Text>
              </BlockStack>
              {groupFields(run.fields).map(({ group, fields }) => (
                <BlockStack key={group} gap="200">
                  <Text as="h3" variant="headingSm">
                    {t(`csvImport.groups.${group}`)}
                  </Text>
                  <FormLayout>
                    <FormLayout.Group condensed>
                      {fields.map((field) => (
                        <Select
                          key={field}
                          label={t(`csvImport.fields.${field}`)}
                          options={headerOptions}
                          value={columns[field] ?? ""}
                          onChange={(value) => setColumns((current) => ({ ...current, [field]: value }))}
                          error={problems[`column.${field}`]?.join(" ")}
                        />
                      ))}
                    </FormLayout.Group>
                  </FormLayout>
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
          <PreviewCard run={run} draft={draft} />
        </BlockStack>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              {t("csvImport.mapping.formatsTitle")}
            </Text>
            <Select
              label={t("csvImport.mapping.dateOrder")}
              options={[
                { label: t("csvImport.mapping.dateDMY"), value: "DMY" },
                { label: t("csvImport.mapping.dateMDY"), value: "MDY" },
                { label: t("csvImport.mapping.dateYMD"), value: "YMD" },
              ]}
              value={dateOrder}
              onChange={setDateOrder}
              error={problems.dateOrder?.join(" ")}
            />
            <Select
              label={t("csvImport.mapping.decimalSeparator")}
              options={[
                { label: t("csvImport.mapping.decimalComma"), value: "," },
                { label: t("csvImport.mapping.decimalPoint"), value: "." },
              ]}
              value={decimalSeparator}
              onChange={setDecimalSeparator}
              error={problems.decimalSeparator?.join(" ")}
            />
            <TextField
              label={t("csvImport.mapping.defaultCurrency")}
              helpText={t("csvImport.mapping.defaultCurrencyHelp")}
              autoComplete="off"
              maxLength={3}
              value={defaultCurrency}
              onChange={(value) => setDefaultCurrency(value.toUpperCase())}
              error={problems.defaultCurrency?.join(" ")}
            />
            <InlineStack gap="200" align="end">
              <Button onClick={() => send("save-mapping")} loading={busyIntent === "save-mapping"} disabled={Boolean(busyIntent)}>
                {t("csvImport.mapping.updatePreview")}
              </Button>
              <Button variant="primary" onClick={() => send("start")} loading={busyIntent === "start"} disabled={Boolean(busyIntent)}>
                {t("csvImport.mapping.start")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </Layout.Section>
    </Layout>
  );
}

// Which fields are shown together; a field not listed here (a new one) lands under "other".
const FIELD_GROUPS: { group: string; fields: readonly string[] }[] = [
  {
    group: "order",
    fields: ["orderNumber", "orderId", "orderDate", "currency", "orderTotal", "subtotal", "refundedAmount", "financialStatus", "fulfillmentStatus", "cancelledAt", "discountCode"],
  },
  { group: "customer", fields: ["email", "customerId", "firstName", "lastName", "fullName", "company", "phone", "language"] },
  { group: "item", fields: ["itemTitle", "itemVariant", "itemSku", "itemQuantity", "itemUnitPrice", "itemTotal", "itemDiscount"] },
  { group: "address", fields: ["addressName", "addressLine1", "addressHouseNumber", "addressLine2", "postalCode", "city", "region", "countryCode"] },
];

function groupFields(fields: readonly string[]): { group: string; fields: string[] }[] {
  const grouped = FIELD_GROUPS.map(({ group, fields: members }) => ({ group, fields: members.filter((field) => fields.includes(field)) }));
  const listed = new Set(FIELD_GROUPS.flatMap((entry) => entry.fields));
  grouped.push({ group: "other", fields: fields.filter((field) => !listed.has(field)) });
  return grouped.filter((entry) => entry.fields.length > 0);
}

function columnState(draft: Draft): Record<string, string> {
  const columns = draft.mapping.columns as Record<string, number | undefined>;
  return Object.fromEntries(Object.entries(columns).flatMap(([field, index]) => (index === undefined ? [] : [[field, String(index)]])));
}

function delimiterName(delimiter: string, t: (key: string) => string): string {
  if (delimiter === ",") return t("csvImport.mapping.delimiterComma");
  if (delimiter === ";") return t("csvImport.mapping.delimiterSemicolon");
  if (delimiter === "\t") return t("csvImport.mapping.delimiterTab");
  return `"${delimiter}"`;
}

function PreviewCard({ run, draft }: { run: CsvImportView; draft: Draft }) {
  const { t } = useTranslation();
  const columns = draft.mapping.columns as Record<string, number | undefined>;
  const mapped = run.fields.filter((field) => columns[field] !== undefined);
  const withProblems = draft.preview.filter((row) => row.problems.length > 0).length;
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("csvImport.preview.title")}
          </Text>
          <Text as="p" tone={withProblems > 0 ? "critical" : "subdued"}>
            {withProblems > 0 ? t("csvImport.preview.problems", { count: withProblems, rows: draft.preview.length }) : t("csvImport.preview.allGood", { count: draft.preview.length })}
          </Text>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: t("csvImport.preview.row"), plural: t("csvImport.preview.rows") }}
        itemCount={draft.preview.length}
        selectable={false}
        headings={[
          { title: t("csvImport.preview.line") },
          // Before the values: a wide file scrolls sideways, and the problems must stay in view.
          { title: t("csvImport.preview.problemsColumn") },
          ...mapped.map((field) => ({ title: t(`csvImport.fields.${field}`) })),
        ] as [{ title: string }, ...{ title: string }[]]}
      >
        {draft.preview.map((row, position) => (
          <IndexTable.Row id={String(row.line)} key={row.line} position={position} tone={row.problems.length > 0 ? "critical" : undefined}>
            <IndexTable.Cell>{row.line}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050">
                {row.problems.map((problem, index) => (
                  <Text key={index} as="span" tone="critical">
                    {problem.column ? `${problem.column}: ${problem.reason}` : problem.reason}
                  </Text>
                ))}
              </BlockStack>
            </IndexTable.Cell>
            {mapped.map((field) => {
              const problem = row.problems.find((entry) => entry.column !== null && entry.column === draft.headers[columns[field]!]);
              return (
                <IndexTable.Cell key={field}>
                  <Text as="span" tone={problem ? "critical" : undefined} fontWeight={problem ? "semibold" : undefined}>
                    {row.values[columns[field]!] ?? ""}
                  </Text>
                </IndexTable.Cell>
              );
            })}
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

// ------------------------------------------------------------------------------ progress

function ProgressView({ run }: { run: CsvImportView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const revalidator = useRevalidator();
  // Polls the loader while the job runs; the page shows the finished view by itself.
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <Layout>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {run.status === "QUEUED" ? t("csvImport.run.queued") : t("csvImport.run.running")}
            </Text>
            <ProgressBar progress={run.percent} tone="primary" />
            <Text as="p" tone="subdued">
              {t("csvImport.run.progress", { percent: run.percent, rows: format.number(run.processedRows), count: run.processedRows })}
            </Text>
            {run.failureReason ? (
              <Banner tone="warning">
                <p>{t("csvImport.run.retrying", { reason: run.failureReason })}</p>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <Counts run={run} />
      </Layout.Section>
    </Layout>
  );
}

// ------------------------------------------------------------------------------ finished

function FinishedView({ run }: { run: CsvImportView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const imported = run.counts.created + run.counts.updated + run.counts.skipped;
  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">
          {run.status === "FAILED" ? (
            <Banner tone="critical" title={t("csvImport.run.failedTitle")}>
              <p>{run.failureReason}</p>
            </Banner>
          ) : imported === 0 && run.counts.errors > 0 ? (
            <Banner tone="critical" title={t("csvImport.run.nothingImportedTitle")}>
              <p>{t("csvImport.run.nothingImported", { count: run.counts.errors, formatted: format.number(run.counts.errors) })}</p>
            </Banner>
          ) : run.counts.errors > 0 ? (
            <Banner tone="warning" title={t("csvImport.run.doneWithErrorsTitle")}>
              <p>{t("csvImport.run.doneWithErrors", { count: run.counts.errors, formatted: format.number(run.counts.errors) })}</p>
            </Banner>
          ) : (
            <Banner tone="success" title={t("csvImport.run.doneTitle")}>
              <p>{t("csvImport.run.done", { count: run.processedRows, formatted: format.number(run.processedRows) })}</p>
            </Banner>
          )}
          <Counts run={run} />
          {run.reportUrl ? (
            <InlineStack>
              <Button url={run.reportUrl} target="_blank">
                {t("csvImport.run.downloadReport")}
              </Button>
            </InlineStack>
          ) : null}
        </BlockStack>
      </Layout.Section>
    </Layout>
  );
}

function Counts({ run }: { run: CsvImportView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
      <KpiCard label={t("csvImport.run.created")} value={format.number(run.counts.created)} />
      <KpiCard label={t("csvImport.run.updated")} value={format.number(run.counts.updated)} />
      <KpiCard label={t("csvImport.run.skipped")} value={format.number(run.counts.skipped)} />
      <KpiCard label={t("csvImport.run.errors")} value={format.number(run.counts.errors)} />
    </InlineGrid>
  );
}
