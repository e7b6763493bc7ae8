import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Link, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useFormat } from "../components/format";
import { AppError, HTTP_STATUS_BY_CODE } from "../core/app-error";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys.server";
import { listDataRequests } from "../services/compliance.server";
import { deleteExchangeRate, listExchangeRates, setExchangeRate } from "../services/exchange-rates.server";
import { importApiDocumentUrl } from "../services/import-api.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return {
    settings: {
      domain: shop.domain,
      currency: shop.currency,
      abandonmentThresholdMinutes: shop.abandonmentThresholdMinutes,
      recoveryWindowDays: shop.recoveryWindowDays,
      attributionWindowDays: shop.attributionWindowDays,
      contactCapLetters: shop.contactCapLetters,
      contactCapDays: shop.contactCapDays,
    },
    // Download links are signed and short-lived, so they are made fresh on every page load.
    dataRequests: await listDataRequests({ shopId: shop.id }),
    apiKeys: await listApiKeys({ shopId: shop.id }),
    openApiUrl: importApiDocumentUrl(),
    exchangeRates: await listExchangeRates({ shopId: shop.id }),
  };
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create-api-key"), name: z.string() }),
  z.object({ intent: z.literal("revoke-api-key"), keyId: z.string().min(1) }),
  z.object({ intent: z.literal("set-exchange-rate"), currency: z.string(), rateToShop: z.string() }),
  z.object({ intent: z.literal("delete-exchange-rate"), currency: z.string().min(1) }),
]);

type ActionFailure = { ok: false; intent: string | null; message: string; fieldErrors: Record<string, string[]> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionFailure>({ ok: false, intent: null, message: "Unknown or incomplete request", fieldErrors: {} }, { status: 400 });
  const input = parsed.data;
  const now = new Date();
  try {
    switch (input.intent) {
      case "create-api-key":
        // The key itself is in this answer only: it is never stored and never shown again.
        return { ok: true as const, intent: input.intent, createdKey: await createApiKey({ shopId: shop.id, name: input.name, now }) };
      case "revoke-api-key":
        await revokeApiKey({ shopId: shop.id, keyId: input.keyId, now });
        return { ok: true as const, intent: input.intent };
      case "set-exchange-rate":
        return { ok: true as const, intent: input.intent, rate: await setExchangeRate({ shopId: shop.id, currency: input.currency, rateToShop: input.rateToShop, now }) };
      case "delete-exchange-rate":
        return { ok: true as const, intent: input.intent, rate: await deleteExchangeRate({ shopId: shop.id, currency: input.currency, now }) };
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === "VALIDATION" || error.code === "NOT_FOUND")) {
      return data<ActionFailure>({ ok: false, intent: input.intent, message: error.message, fieldErrors: error.fieldErrors }, { status: HTTP_STATUS_BY_CODE[error.code] });
    }
    throw error;
  }
};

type ActionResult = Awaited<ReturnType<typeof action>>;
type ActionData = ActionResult extends infer R ? (R extends { data: infer D } ? D : R) : never;

export default function Settings() {
  const { settings, dataRequests, apiKeys, openApiUrl, exchangeRates } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const rows: Array<[string, string]> = [
    [t("settings.shop"), settings.domain],
    [t("settings.currency"), settings.currency],
    [t("settings.abandonmentThreshold"), String(settings.abandonmentThresholdMinutes)],
    [t("settings.recoveryWindow"), String(settings.recoveryWindowDays)],
    [t("settings.attributionWindow"), String(settings.attributionWindowDays)],
    [t("settings.contactCap"), t("settings.contactCapValue", { letters: settings.contactCapLetters, days: settings.contactCapDays })],
  ];
  return (
    <Page title={t("settings.title")}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            {rows.map(([label, value]) => (
              <Text as="p" key={label}>
                <Text as="span" fontWeight="semibold">
                  {label}:
                </Text>{" "}
                {value}
              </Text>
            ))}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("settings.dataRequests.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("settings.dataRequests.description")}
            </Text>
            {dataRequests.length === 0 ? (
              <Text as="p">{t("settings.dataRequests.empty")}</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={[
                  t("settings.dataRequests.date"),
                  t("settings.dataRequests.customer"),
                  t("settings.dataRequests.status"),
                  t("settings.dataRequests.export"),
                ]}
                rows={dataRequests.map((request) => [
                  format.date(request.createdAt),
                  request.shopifyCustomerId ?? "—",
                  t(`settings.dataRequests.state.${request.status}`),
                  request.downloadUrl ? (
                    <Link key={request.id} url={request.downloadUrl} target="_blank">
                      {t("settings.dataRequests.download")}
                    </Link>
                  ) : request.exportErased ? (
                    t("settings.dataRequests.erased")
                  ) : (
                    "—"
                  ),
                ])}
              />
            )}
          </BlockStack>
        </Card>
        <ApiKeysCard keys={apiKeys} openApiUrl={openApiUrl} />
        <ExchangeRatesCard rates={exchangeRates} currency={settings.currency} />
      </BlockStack>
    </Page>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function fieldError(result: ActionData | undefined, field: string): string | undefined {
  return result && !result.ok ? result.fieldErrors[field]?.[0] : undefined;
}

function ApiKeysCard({ keys, openApiUrl }: { keys: LoaderData["apiKeys"]; openApiUrl: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const create = useFetcher<ActionData>();
  const revoke = useFetcher<ActionData>();
  const [name, setName] = useState("");
  const [dismissedKeyId, setDismissedKeyId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const created = create.data?.ok && create.data.intent === "create-api-key" && "createdKey" in create.data ? create.data.createdKey : null;
  const showCreated = created && created.id !== dismissedKeyId ? created : null;
  const confirmingKey = keys.find((key) => key.id === confirming) ?? null;
  const [revoking, setRevoking] = useState<string | null>(null);
  const revokedName = revoke.state === "idle" && revoke.data?.ok ? revoking : null;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("importApi.title")}
          </Text>
          <Link url={openApiUrl} target="_blank">
            {t("importApi.docsLink")}
          </Link>
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("importApi.description")}
        </Text>
        {showCreated ? (
          <Banner tone="success" title={t("importApi.createdTitle", { name: showCreated.name })} onDismiss={() => setDismissedKeyId(showCreated.id)}>
            <BlockStack gap="200">
              <p>{t("importApi.createdHelp")}</p>
              <TextField label={t("importApi.createdLabel")} value={showCreated.key} readOnly selectTextOnFocus monospaced autoComplete="off" />
              <InlineStack>
                <Button onClick={() => setDismissedKeyId(showCreated.id)}>{t("importApi.dismiss")}</Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : null}
        {revokedName && !confirmingKey ? <Banner tone="info">{t("importApi.revoked", { name: revokedName })}</Banner> : null}
        <create.Form
          method="post"
          onSubmit={() => {
            setName("");
            setDismissedKeyId(null);
          }}
        >
          <input type="hidden" name="intent" value="create-api-key" />
          <InlineStack gap="200" blockAlign="end">
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t("importApi.keyName")}
                helpText={t("importApi.keyNameHelp")}
                name="name"
                value={name}
                onChange={setName}
                maxLength={100}
                autoComplete="off"
                error={fieldError(create.data, "name")}
              />
            </div>
            <Button submit loading={create.state !== "idle"}>
              {t("importApi.createKey")}
            </Button>
          </InlineStack>
        </create.Form>
        {confirmingKey ? (
          <Banner tone="warning">
            <BlockStack gap="200">
              <p>{t("importApi.revokeConfirm", { name: confirmingKey.name })}</p>
              <revoke.Form
                method="post"
                onSubmit={() => {
                  setRevoking(confirmingKey.name);
                  setConfirming(null);
                }}
              >
                <input type="hidden" name="intent" value="revoke-api-key" />
                <input type="hidden" name="keyId" value={confirmingKey.id} />
                <InlineStack gap="200">
                  <Button onClick={() => setConfirming(null)}>{t("importApi.cancel")}</Button>
                  <Button submit variant="primary" tone="critical">
                    {t("importApi.revokeConfirmAction")}
                  </Button>
                </InlineStack>
              </revoke.Form>
            </BlockStack>
          </Banner>
        ) : null}
        {keys.length === 0 ? (
          <Text as="p">{t("importApi.noKeys")}</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text"]}
            headings={[
              t("importApi.columnName"),
              t("importApi.columnPrefix"),
              t("importApi.columnCreated"),
              t("importApi.columnLastUsed"),
              t("importApi.columnStatus"),
              "",
            ]}
            rows={keys.map((key) => [
              key.name,
              <Text as="span" key={`prefix-${key.id}`} fontWeight="medium">
                <code>{key.prefix}…</code>
              </Text>,
              format.date(key.createdAt),
              key.lastUsedAt ? format.date(key.lastUsedAt) : t("importApi.neverUsed"),
              key.revokedAt ? (
                <Badge key={`status-${key.id}`}>{t("importApi.revokedOn", { date: format.date(key.revokedAt) })}</Badge>
              ) : (
                <Badge key={`status-${key.id}`} tone="success">
                  {t("importApi.active")}
                </Badge>
              ),
              key.revokedAt ? (
                ""
              ) : (
                <Button key={`revoke-${key.id}`} variant="plain" tone="critical" onClick={() => setConfirming(key.id)}>
                  {t("importApi.revoke")}
                </Button>
              ),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function ExchangeRatesCard({ rates, currency }: { rates: LoaderData["exchangeRates"]; currency: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const save = useFetcher<ActionData>();
  const remove = useFetcher<ActionData>();
  const [code, setCode] = useState("");
  const [rate, setRate] = useState("");
  const saved = save.state === "idle" && save.data?.ok && "rate" in save.data ? save.data.rate : null;
  // A saved rate shows in the table; the form is ready for the next one.
  useEffect(() => {
    if (saved) {
      setCode("");
      setRate("");
    }
  }, [saved]);
  const deleted = remove.state === "idle" && remove.data?.ok && "rate" in remove.data ? remove.data.rate : null;

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("importApi.exchangeRates.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("importApi.exchangeRates.description", { currency })}
        </Text>
        {saved ? (
          <Banner tone="success">{t("importApi.exchangeRates.saved", { code: saved.currency, count: saved.ordersConverted })}</Banner>
        ) : null}
        {deleted ? <Banner tone="info">{t("importApi.exchangeRates.deleted", { code: deleted.currency, count: deleted.ordersConverted })}</Banner> : null}
        {rates.length === 0 ? (
          <Text as="p">{t("importApi.exchangeRates.empty")}</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("importApi.exchangeRates.currency"), t("importApi.exchangeRates.rate"), t("importApi.exchangeRates.updated"), ""]}
            rows={rates.map((row) => [
              row.currency,
              t("importApi.exchangeRates.rateValue", { code: row.currency, rate: row.rateToShop, currency }),
              format.date(row.updatedAt),
              <remove.Form method="post" key={`delete-${row.currency}`}>
                <input type="hidden" name="intent" value="delete-exchange-rate" />
                <input type="hidden" name="currency" value={row.currency} />
                <Button submit variant="plain" tone="critical" loading={remove.state !== "idle" && remove.formData?.get("currency") === row.currency}>
                  {t("importApi.exchangeRates.delete")}
                </Button>
              </remove.Form>,
            ])}
          />
        )}
        <save.Form method="post">
          <input type="hidden" name="intent" value="set-exchange-rate" />
          <InlineStack gap="200" blockAlign="start" wrap={false}>
            <TextField
              label={t("importApi.exchangeRates.currency")}
              helpText={t("importApi.exchangeRates.currencyHelp")}
              name="currency"
              value={code}
              onChange={(value) => setCode(value.toUpperCase())}
              maxLength={3}
              autoComplete="off"
              error={fieldError(save.data, "currency")}
            />
            <TextField
              label={t("importApi.exchangeRates.rate")}
              helpText={t("importApi.exchangeRates.rateHelp", { currency })}
              name="rateToShop"
              value={rate}
              onChange={setRate}
              inputMode="decimal"
              autoComplete="off"
              error={fieldError(save.data, "rateToShop")}
            />
            <div style={{ paddingTop: "1.5rem" }}>
              <Button submit loading={save.state !== "idle"}>
                {t("importApi.exchangeRates.save")}
              </Button>
            </div>
          </InlineStack>
        </save.Form>
      </BlockStack>
    </Card>
  );
}
