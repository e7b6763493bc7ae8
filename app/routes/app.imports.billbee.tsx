import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Page, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useFormat } from "../components/format";
import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import {
  describeBillbeeAccount,
  saveBillbeeCredentials,
  startBillbeeImport,
  testBillbeeConnection,
  type BillbeeAccountView,
  type BillbeeRunView,
} from "../services/billbee-import.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return { account: await describeBillbeeAccount({ shopId: shop.id, now: new Date() }) };
};

const Credentials = { apiKey: z.string().optional(), username: z.string().optional(), apiPassword: z.string().optional() };
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), ...Credentials }),
  z.object({ intent: z.literal("test"), ...Credentials }),
  z.object({ intent: z.literal("import") }),
]);

type Intent = z.infer<typeof ActionSchema>["intent"];
export type BillbeeActionData = {
  ok: boolean;
  intent: Intent | null;
  /** An i18n key under billbee.messages. */
  message: string;
  values?: Record<string, string | number>;
  fieldErrors?: Record<string, string[]>;
};

const reply = (data: BillbeeActionData, status = 200) => Response.json(data, { status });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return reply({ ok: false, intent: null, message: "badRequest" }, 400);
  const input = parsed.data;
  try {
    if (input.intent === "save") {
      await saveBillbeeCredentials({ shopId: shop.id, input });
      return reply({ ok: true, intent: input.intent, message: "saved" });
    }
    if (input.intent === "test") {
      const result = await testBillbeeConnection({ shopId: shop.id, input });
      return result.ok
        ? reply({ ok: true, intent: input.intent, message: "testOk", values: { count: result.totalOrders } })
        : reply({ ok: false, intent: input.intent, message: "testFailed", values: { message: result.message } }, result.problem === "AUTH" || result.problem === "API" ? 422 : 503);
    }
    await startBillbeeImport({ shopId: shop.id });
    return reply({ ok: true, intent: input.intent, message: "importQueued" }, 202);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message = error.code === "CONFLICT" ? "busy" : error.fieldErrors.form?.includes("notConfigured") ? "notConfigured" : "invalid";
    return reply({ ok: false, intent: input.intent, message, fieldErrors: error.fieldErrors }, HTTP_STATUS_BY_CODE[error.code]);
  }
};

export default function BillbeeImportPage() {
  const { account } = useLoaderData<typeof loader>();
  const actionData = useActionData<BillbeeActionData>();
  const { t } = useTranslation();
  const { search } = useLocation();

  return (
    <Page title={t("billbee.title")} subtitle={t("billbee.intro")} backAction={{ content: t("billbee.back"), url: `/app/imports${search}` }}>
      <Layout>
        {actionData ? (
          <Layout.Section>
            <Banner tone={actionData.ok ? "success" : "critical"}>
              <p>{t(`billbee.messages.${actionData.message}`, actionData.values ?? {})}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {!account.secretsReadable ? (
          <Layout.Section>
            <Banner tone="warning">
              <p>{t("billbee.messages.secretsUnreadable")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <CredentialsCard account={account} actionData={actionData} />
        </Layout.Section>
        <Layout.Section>
          <RunCard account={account} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function CredentialsCard({ account, actionData }: { account: BillbeeAccountView; actionData: BillbeeActionData | undefined }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const [apiKey, setApiKey] = useState("");
  const [username, setUsername] = useState(account.username ?? "");
  const [apiPassword, setApiPassword] = useState("");
  // Secrets never stay in the form once saved: the page shows only that they are set.
  useEffect(() => {
    if (actionData?.ok && actionData.intent === "save") {
      setApiKey("");
      setApiPassword("");
    }
  }, [actionData]);
  const fieldError = (name: string) => {
    const code = actionData?.fieldErrors?.[name]?.[0];
    return code ? t(`billbee.fieldErrors.${code}`, { defaultValue: code }) : undefined;
  };
  const send = (intent: "save" | "test") => submit({ intent, apiKey, username, apiPassword }, { method: "post" });

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("billbee.credentials.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("billbee.credentials.help")}
        </Text>
        <TextField
          label={t("billbee.credentials.apiKey")}
          name="apiKey"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={setApiKey}
          helpText={account.apiKeySet ? t("billbee.credentials.keepSaved") : undefined}
          error={fieldError("apiKey")}
        />
        <TextField
          label={t("billbee.credentials.username")}
          name="username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
          helpText={t("billbee.credentials.usernameHelp")}
          error={fieldError("username")}
        />
        <TextField
          label={t("billbee.credentials.apiPassword")}
          name="apiPassword"
          type="password"
          autoComplete="new-password"
          value={apiPassword}
          onChange={setApiPassword}
          helpText={account.apiPasswordSet ? t("billbee.credentials.keepSaved") : undefined}
          error={fieldError("apiPassword")}
        />
        <InlineStack gap="200">
          <Button variant="primary" onClick={() => send("save")} loading={busyIntent === "save"}>
            {t("billbee.credentials.save")}
          </Button>
          <Button onClick={() => send("test")} loading={busyIntent === "test"}>
            {t("billbee.credentials.test")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function RunCard({ account }: { account: BillbeeAccountView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const submit = useSubmit();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const run = account.latestRun;
  const importing = navigation.state !== "idle" && navigation.formData?.get("intent") === "import";

  // While an import runs, the page follows it.
  useEffect(() => {
    if (!account.running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2_000);
    return () => clearInterval(timer);
  }, [account.running, revalidator]);

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("billbee.run.title")}
          </Text>
          <Button
            variant="primary"
            onClick={() => submit({ intent: "import" }, { method: "post" })}
            disabled={!account.configured || account.running}
            loading={importing}
          >
            {t("billbee.run.importNow")}
          </Button>
        </InlineStack>
        {run ? <RunDetails run={run} /> : <Text as="p">{t("billbee.run.none")}</Text>}
        {account.lastSyncedAt ? <Text as="p" tone="subdued">{t("billbee.run.lastSynced", { date: format.date(account.lastSyncedAt) })}</Text> : null}
        {account.configured ? (
          <Text as="p" tone="subdued">
            {account.changesSince ? t("billbee.run.nextChanges", { date: format.date(account.changesSince) }) : t("billbee.run.nextFull")}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function RunDetails({ run }: { run: BillbeeRunView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const active = run.status === "QUEUED" || run.status === "RUNNING";
  const tone = run.status === "SUCCEEDED" ? "success" : run.status === "FAILED" ? "critical" : active ? "info" : undefined;
  const percent = run.totalRows ? Math.min(100, Math.round((run.processedRows / run.totalRows) * 100)) : 0;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={tone}>{t(`billbee.run.status.${run.status}`)}</Badge>
        <Badge>{run.incremental ? t("billbee.run.kindChanges") : t("billbee.run.kindFull")}</Badge>
        <Text as="span" tone="subdued">
          {t("billbee.run.started", { date: format.date(run.startedAt ?? run.createdAt) })}
        </Text>
      </InlineStack>
      {active ? (
        <Box maxWidth="28rem">
          <ProgressBar progress={run.status === "QUEUED" ? 0 : percent} size="small" />
        </Box>
      ) : null}
      <Text as="p">
        {run.totalRows !== null
          ? t("billbee.run.progress", { processed: format.number(run.processedRows), total: format.number(run.totalRows) })
          : t("billbee.run.progressUnknown", { processed: format.number(run.processedRows) })}
      </Text>
      <Text as="p">
        {t("billbee.run.counts", { created: format.number(run.createdCount), updated: format.number(run.updatedCount), skipped: format.number(run.skippedCount) })}
      </Text>
      {run.errorCount > 0 ? (
        <InlineStack gap="200">
          <Text as="span" tone="caution">
            {t("billbee.run.errors", { count: run.errorCount })}
          </Text>
          {run.errorReportUrl ? (
            <Link url={run.errorReportUrl} target="_blank">
              {t("billbee.run.downloadReport")}
            </Link>
          ) : null}
        </InlineStack>
      ) : null}
      {run.failureReason ? (
        <Text as="p" tone={run.status === "FAILED" ? "critical" : "caution"}>
          {run.status === "FAILED" ? t("billbee.run.failed", { reason: run.failureReason }) : t("billbee.run.retrying", { reason: run.failureReason })}
        </Text>
      ) : null}
    </BlockStack>
  );
}
