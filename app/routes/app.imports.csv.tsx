import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useNavigation, useOutlet, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DropZone, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import { uploadCsvImport } from "../services/csv-import.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await requireShop(request);
  return null;
};

// Its loader only guards the page; the run page below it polls its own loader while importing.
export const shouldRevalidate = () => false;

// The demo files in public/samples/, for trying the import without an export at hand.
const CSV_SAMPLE_LINKS = [
  { file: "shopify-orders-export.csv", key: "shopifyOrders" },
  { file: "bestellungen-de.csv", key: "germanOrders" },
  { file: "customers-orders-simple.csv", key: "simpleOrders" },
] as const;

type ActionData = { ok: false; message: string; reason: string | null };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  try {
    const { runId } = await uploadCsvImport({ shopId: shop.id, request });
    return redirect(`/app/imports/csv/${encodeURIComponent(runId)}${embeddedQuery(request)}`);
  } catch (error) {
    // A refused file is the form's answer (shown above the drop zone), never an error page.
    if (error instanceof AppError) {
      const answer: ActionData = { ok: false, message: error.message, reason: error.fieldErrors.file?.[0] ?? null };
      return Response.json(answer, { status: HTTP_STATUS_BY_CODE[error.code] });
    }
    throw error;
  }
};

/** Shopify's embedded parameters, kept on the redirect so the next page loads inside the admin. */
function embeddedQuery(request: Request): string {
  const from = new URL(request.url).searchParams;
  const kept = new URLSearchParams();
  for (const key of ["shop", "host", "locale", "embedded"]) {
    const value = from.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `?${query}` : "";
}

// This file's name makes the run page (app.imports.csv.$runId.tsx) its child route: the run
// page shows in its place.
export default function CsvImports() {
  const outlet = useOutlet();
  return outlet ?? <CsvUpload />;
}

function CsvUpload() {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [file, setFile] = useState<File | null>(null);
  const uploading = navigation.state === "submitting";

  // The service's reason code in the admin's language; its English message for anything else.
  const refusalText = (refused: ActionData, name: string) => {
    const key = `csvImport.upload.reasons.${refused.reason ?? ""}`;
    return refused.reason && i18n.exists(key) ? t(key, { name }) : refused.message;
  };

  const upload = () => {
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    submit(form, { method: "post", encType: "multipart/form-data" });
  };

  return (
    <Page title={t("csvImport.upload.title")} backAction={{ content: t("csvImport.backToImports"), url: "/app/imports" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {actionData && !actionData.ok ? (
              <Banner tone="critical" title={t("csvImport.upload.refused")}>
                <p>{refusalText(actionData, file?.name ?? "")}</p>
              </Banner>
            ) : null}
            <Card>
              <BlockStack gap="400">
                <DropZone
                  label={t("csvImport.upload.dropLabel")}
                  accept=".csv,.txt,text/csv,text/plain,application/vnd.ms-excel"
                  allowMultiple={false}
                  onDrop={(_all, accepted) => setFile(accepted[0] ?? null)}
                  disabled={uploading}
                >
                  {file ? (
                    <BlockStack gap="100" inlineAlign="center">
                      <Text as="p" variant="bodyMd" fontWeight="semibold">
                        {file.name}
                      </Text>
                      <Text as="p" tone="subdued">
                        {formatBytes(file.size)}
                      </Text>
                    </BlockStack>
                  ) : (
                    <DropZone.FileUpload actionTitle={t("csvImport.upload.choose")} actionHint={t("csvImport.upload.hint")} />
                  )}
                </DropZone>
                <InlineStack align="end">
                  <Button variant="primary" onClick={upload} disabled={!file} loading={uploading}>
                    {t("csvImport.upload.submit")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("csvImport.upload.formatsTitle")}
                </Text>
                <List>
                  <List.Item>{t("csvImport.upload.formatRows")}</List.Item>
                  <List.Item>{t("csvImport.upload.formatHeaders")}</List.Item>
                  <List.Item>{t("csvImport.upload.formatEncoding")}</List.Item>
                  <List.Item>{t("csvImport.upload.formatNumbers")}</List.Item>
                  <List.Item>{t("csvImport.upload.formatSize")}</List.Item>
                </List>
              </BlockStack>
            </Card>
            <SamplesCard />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function SamplesCard() {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("csvImport.upload.samplesTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("csvImport.upload.samplesHelp")}
        </Text>
        <List>
          {CSV_SAMPLE_LINKS.map((sample) => (
            <List.Item key={sample.file}>
              <a href={`/samples/${sample.file}`} download>
                {t(`csvImport.samples.${sample.key}`)}
              </a>
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </Card>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}
