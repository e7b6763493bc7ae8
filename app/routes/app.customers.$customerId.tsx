import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import { memo, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useFormat } from "../components/format";
import { KpiCard } from "../components/kpi-card";
import { LetterStatusBadge } from "../components/letter-status-badge";
import { orRespond } from "../http/errors.server";
import { createLetterPdfLink, findCustomerProfile, setCustomerOptOut, type CustomerProfile } from "../services/customers.server";
import { requireShop } from "../services/shop-guard.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const url = new URL(request.url);
  const showAllOrders = url.searchParams.get("orders") === "all";
  const profile = await orRespond(() =>
    findCustomerProfile({ shopId: shop.id, customerId: params.customerId ?? "", showAllOrders, now: new Date() }),
  );
  // The list's filters, carried over so "back" returns to the same page of the list.
  const from = url.searchParams.get("from");
  return { profile, currency: shop.currency, backUrl: `/app/customers${from && /^[\w=&%.+-]*$/.test(from) ? `?${from}` : ""}` };
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("opt-out"), reason: z.string().optional() }),
  z.object({ intent: z.literal("opt-in"), reason: z.string().optional() }),
  z.object({ intent: z.literal("letter-pdf"), letterId: z.string().min(1) }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return Response.json({ ok: false as const, message: "Unknown or incomplete request", intent: null }, { status: 400 });
  }
  const input = parsed.data;
  const customerId = params.customerId ?? "";
  const now = new Date();
  if (input.intent === "letter-pdf") {
    const link = await orRespond(() => createLetterPdfLink({ shopId: shop.id, letterId: input.letterId, now }));
    return { ok: true as const, intent: input.intent, pdfUrl: link.url };
  }
  await orRespond(() =>
    setCustomerOptOut({ shopId: shop.id, customerId, optedOut: input.intent === "opt-out", reason: input.reason ?? null, now }),
  );
  return { ok: true as const, intent: input.intent };
};

// Minting a PDF link changes nothing on the page: no reason to reload a 2,000-order profile.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "letter-pdf" ? false : defaultShouldRevalidate;

type Timeline = CustomerProfile["orders"]["timeline"];
type OrderEntry = Extract<Timeline[number], { kind: "order" }>["order"];
type CheckoutEntry = Extract<Timeline[number], { kind: "checkout" }>["checkout"];
type LetterEntry = CustomerProfile["letters"][number];

export default function CustomerProfilePage() {
  const { profile, currency, backUrl } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const title = profile.redacted ? t("customer.anonymised") : profile.name || profile.email || t("customers.unnamed");

  return (
    <Page
      backAction={{ content: t("customer.back"), url: backUrl }}
      title={title}
      subtitle={profile.email ?? undefined}
      titleMetadata={
        <InlineStack gap="100">
          {profile.sources.map((source) => (
            <Badge key={source}>{t(`source.${source}`)}</Badge>
          ))}
          {profile.language ? <Badge tone="info">{profile.language}</Badge> : null}
          {profile.optOut.optedOut ? <Badge tone="critical">{t("customer.optedOut")}</Badge> : null}
        </InlineStack>
      }
    >
      <Layout>
        {profile.redacted ? (
          <Layout.Section>
            <Banner tone="info" title={t("customer.redactedTitle")}>
              <p>{t("customer.redactedHelp")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
              <KpiCard label={t("customer.ltv")} value={format.money(profile.stats.lifetimeValueMinor, currency)} />
              <KpiCard label={t("customer.orderCount")} value={format.number(profile.stats.orderCount)} />
              <KpiCard label={t("customer.aov")} value={format.money(profile.stats.averageOrderValueMinor, currency)} />
              <KpiCard label={t("customer.firstOrder")} value={format.date(profile.stats.firstOrderAt)} />
              <KpiCard label={t("customer.lastOrder")} value={format.date(profile.stats.lastOrderAt)} />
              <KpiCard
                label={t("customer.typicalGap")}
                value={profile.stats.typicalDaysBetweenOrders === null ? "—" : t("customer.days", { count: profile.stats.typicalDaysBetweenOrders, formatted: format.number(profile.stats.typicalDaysBetweenOrders) })}
              />
            </InlineGrid>
            {profile.stats.unconvertedOrderCount > 0 ? (
              <Banner tone="warning">
                <p>{t("customer.unconvertedNotice", { count: profile.stats.unconvertedOrderCount })}</p>
              </Banner>
            ) : null}
            {/* A fresh table when switching to all orders: those come without items, loaded on opening. */}
            <OrdersCard key={`${profile.id}-${profile.orders.showingAll}`} profile={profile} />
            <LettersCard letters={profile.letters} attributionWindowDays={profile.attributionWindowDays} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <AddressCard profile={profile} />
            <ContactGuardCard guard={profile.contactGuard} />
            <OptOutCard optOut={profile.optOut} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type OrderItems = NonNullable<OrderEntry["items"]>;

function OrdersCard({ profile }: { profile: CustomerProfile }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigation = useNavigation();
  const { orders } = profile;
  const loadingAll = navigation.state === "loading" && navigation.location.search.includes("orders=all");
  // The current query plus orders=all, so "back" keeps returning to the same list page.
  const [searchParams] = useSearchParams();
  const showAllSearch = new URLSearchParams(searchParams);
  showAllSearch.set("orders", "all");
  const orderCount = orders.timeline.filter((entry) => entry.kind === "order").length;
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("customer.orders")}
            </Text>
            <Text as="span" tone="subdued">
              {t("customer.ordersShown", { shown: format.number(orderCount), total: format.number(orders.total) })}
            </Text>
          </InlineStack>
          {profile.hasCheckoutData && profile.sourcesWithoutCheckouts.length === 0 ? null : (
            <Text as="p" tone="subdued" variant="bodySm">
              {t("customer.checkoutsNotAvailable", { sources: profile.sourcesWithoutCheckouts.map((source) => t(`source.${source}`)).join(", ") })}
            </Text>
          )}
        </BlockStack>
      </Box>
      {orders.timeline.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p" tone="subdued">
            {t("customer.noOrders")}
          </Text>
        </Box>
      ) : (
        // Block rows, not a <table>: with content-visibility the browser skips rows out of view,
        // so opening one order in a 2,000-order history does not lay out every other row.
        <div className="ll-timeline" role="table" aria-label={t("customer.orders")} data-testid="order-timeline">
          <div className="ll-grid ll-head" role="row">
            <span role="columnheader">{t("customer.orderNumber")}</span>
            <span role="columnheader">{t("customer.orderDate")}</span>
            <span role="columnheader" className="ll-numeric">
              {t("customer.orderTotal")}
            </span>
            <span role="columnheader">{t("customer.orderStatus")}</span>
          </div>
          {orders.timeline.map((entry) =>
              entry.kind === "order" ? (
                <OrderRows key={`o-${entry.order.id}`} customerId={profile.id} order={entry.order} />
              ) : (
                <CheckoutRows key={`c-${entry.checkout.id}`} checkout={entry.checkout} />
              ),
            )}
        </div>
      )}
      {orders.showingAll ? null : (
        <Box padding="400">
          <InlineStack align="center">
            <Link to={`?${showAllSearch}`} preventScrollReset data-testid="show-all-orders">
              {loadingAll ? <Spinner size="small" accessibilityLabel={t("customer.loading")} /> : t("customer.showAllOrders", { count: orders.total, formatted: format.number(orders.total) })}
            </Link>
          </InlineStack>
        </Box>
      )}
      <TimelineStyles />
    </Card>
  );
}

/**
 * One order and, when opened, its items. Each row keeps its own state, so opening an order
 * re-renders that row only, not the thousands of others in a long history.
 */
const OrderRows = memo(function OrderRows({ customerId, order }: { customerId: string; order: OrderEntry }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<OrderItems | null>(null);
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const items = order.items ?? loaded;
  const toggle = () => {
    setOpen(!open);
    if (open || items || state === "loading") return;
    setState("loading");
    // A resource route answering JSON; inside the admin, App Bridge adds the session token to fetch.
    fetch(`/app/customers/${encodeURIComponent(customerId)}/orders/${encodeURIComponent(order.id)}`, { headers: { Accept: "application/json" } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        setLoaded(((await response.json()) as { items: OrderItems }).items);
        setState("idle");
      })
      .catch(() => setState("failed"));
  };
  const panelId = `order-items-${order.id}`;
  return (
    <div className="ll-entry" role="rowgroup">
      <div className="ll-grid ll-row" role="row" data-testid="order-row">
        <span role="cell">
          <button type="button" className="ll-toggle" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
            <span aria-hidden="true">{open ? "▾" : "▸"}</span> {order.number}
          </button>
        </span>
        <span role="cell">{format.date(order.placedAt)}</span>
        <span role="cell" className="ll-numeric">
          {format.money(order.totalMinor, order.currency)}
          {order.unconverted ? (
            <span className="ll-note" title={t("customer.unconvertedOrder")}>
              {" "}
              *
            </span>
          ) : null}
        </span>
        <span role="cell">
          <Badge tone={ORDER_STATUS_TONE[order.status]}>{t(`orderStatus.${order.status}`)}</Badge>
        </span>
      </div>
      {open ? (
        <div id={panelId} className="ll-detail" role="row">
          <div role="cell">
            {items ? (
              <ItemTable items={items} currency={order.currency} />
            ) : state === "failed" ? (
              <Text as="p" tone="critical">
                {t("customer.itemsFailed")}
              </Text>
            ) : (
              <Spinner size="small" accessibilityLabel={t("customer.loading")} />
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
});

const ORDER_STATUS_TONE: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  CANCELLED: "critical",
  REFUNDED: "warning",
  PARTIALLY_REFUNDED: "warning",
  VOIDED: "critical",
  FULFILLED: "success",
  PARTIALLY_FULFILLED: "info",
  PAID: "success",
};

function ItemTable({
  items,
  currency,
}: {
  items: Array<{ title: string; variantTitle: string | null; sku: string | null; quantity: number; unitPriceMinor: number; totalMinor?: number }>;
  currency: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (items.length === 0) return <Text as="p" tone="subdued">{t("customer.noItems")}</Text>;
  return (
    <table className="ll-items" data-testid="order-items">
      <thead>
        <tr>
          <th scope="col">{t("customer.itemTitle")}</th>
          <th scope="col">{t("customer.itemVariant")}</th>
          <th scope="col" className="ll-numeric">
            {t("customer.itemQuantity")}
          </th>
          <th scope="col" className="ll-numeric">
            {t("customer.itemUnitPrice")}
          </th>
          <th scope="col" className="ll-numeric">
            {t("customer.itemTotal")}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, index) => (
          <tr key={index}>
            <td>{item.title}</td>
            <td>{[item.variantTitle, item.sku].filter(Boolean).join(" · ") || "—"}</td>
            <td className="ll-numeric">{item.quantity}</td>
            <td className="ll-numeric">{format.money(item.unitPriceMinor, currency)}</td>
            <td className="ll-numeric">{format.money(item.totalMinor ?? item.unitPriceMinor * item.quantity, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CheckoutRows({ checkout }: { checkout: CheckoutEntry }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const recovered = checkout.recoveredAt !== null;
  const panelId = `checkout-items-${checkout.id}`;
  return (
    <div className="ll-entry" role="rowgroup">
      <div className="ll-grid ll-row ll-checkout" role="row" data-testid="checkout-row">
        <span role="cell">
          <button type="button" className="ll-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? "▾" : "▸"}</span> {t("customer.checkout")}
          </button>
        </span>
        <span role="cell">{format.date(checkout.abandonedAt)}</span>
        <span role="cell" className="ll-numeric">
          {format.money(checkout.valueMinor, checkout.currency)}
        </span>
        <span role="cell">
          <InlineStack gap="100" blockAlign="center">
            {recovered ? <Badge tone="success">{t("customer.recovered")}</Badge> : <Badge>{t("customer.abandoned")}</Badge>}
            {recovered && checkout.recoveryKind ? (
              <Text as="span" tone="subdued" variant="bodySm">
                {t(checkout.recoveryKind === "CHECKOUT_COMPLETED" ? "customer.recoveredByCheckout" : "customer.recoveredBySameCustomer", {
                  date: format.date(checkout.recoveredAt),
                  order: checkout.recoveredByOrder?.number ?? "",
                })}
              </Text>
            ) : null}
          </InlineStack>
        </span>
      </div>
      {open ? (
        <div id={panelId} className="ll-detail" role="row">
          <div role="cell">
            <ItemTable items={checkout.items} currency={checkout.currency} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function LettersCard({ letters, attributionWindowDays }: { letters: LetterEntry[]; attributionWindowDays: number }) {
  const { t } = useTranslation();
  const pdf = useLetterPdfOpener();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("customer.letters")}
        </Text>
        {pdf.error ? (
          <Banner tone="critical" onDismiss={pdf.dismiss}>
            <p>{pdf.error}</p>
          </Banner>
        ) : null}
        {letters.length === 0 ? (
          <EmptyState heading={t("customer.noLetters")} action={{ content: t("customer.noLettersAction"), url: "/app/campaigns" }} image="">
            <p>{t("customer.noLettersHelp")}</p>
          </EmptyState>
        ) : (
          <BlockStack gap="300">
            {letters.map((letter) => (
              <LetterItem
                key={letter.id}
                letter={letter}
                attributionWindowDays={attributionWindowDays}
                opening={pdf.openingId === letter.id}
                onOpen={() => pdf.open(letter.id)}
              />
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

/**
 * Opens a letter's stored PDF in a new tab. The tab is opened during the click (so no popup
 * blocker stops it) and sent to the signed link once the app has made one.
 */
function useLetterPdfOpener() {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ ok: true; pdfUrl: string } | { message?: string }>();
  const pending = useRef<Window | null>(null);
  const [openingId, setOpeningId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !openingId) return;
    const data = fetcher.data;
    const target = pending.current;
    pending.current = null;
    setOpeningId(null);
    if (data && "pdfUrl" in data) {
      const url = new URL(data.pdfUrl, window.location.href).href;
      if (target && !target.closed) target.location.href = url;
      else window.open(url, "_blank", "noopener");
    } else {
      target?.close();
      setError((data && "message" in data && data.message) || t("customer.pdfFailed"));
    }
  }, [fetcher.state, fetcher.data, openingId, t]);
  return {
    openingId,
    error,
    dismiss: () => setError(null),
    open: (letterId: string) => {
      setError(null);
      const target = window.open("", "_blank");
      if (target) target.opener = null;
      pending.current = target;
      setOpeningId(letterId);
      fetcher.submit({ intent: "letter-pdf", letterId }, { method: "post" });
    },
  };
}

function LetterItem({
  letter,
  attributionWindowDays,
  opening,
  onOpen,
}: {
  letter: LetterEntry;
  attributionWindowDays: number;
  opening: boolean;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const purpose = letter.campaign
    ? letter.campaign.name
    : letter.automation
      ? letter.triggerOrder
        ? t("customer.letterAfterOrder", { order: letter.triggerOrder.number })
        : t("nav.afterPurchase")
      : t("customer.letterOther");
  return (
    <div data-testid="letter-item">
    <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <LetterStatusBadge status={letter.status} />
            <Text as="span" fontWeight="semibold">
              {purpose}
            </Text>
          </InlineStack>
          {letter.hasPdf ? (
            <span data-testid="open-pdf">
              <Button onClick={onOpen} loading={opening} accessibilityLabel={t("customer.openPdfFor", { purpose })}>
                {t("customer.openPdf")}
              </Button>
            </span>
          ) : (
            <Text as="span" tone="subdued" variant="bodySm">
              {t("customer.noPdf")}
            </Text>
          )}
        </InlineStack>
        <Text as="p" tone="subdued" variant="bodySm">
          {[
            letter.sentAt ? t("customer.letterSent", { date: format.date(letter.sentAt) }) : t("customer.letterScheduled", { date: format.date(letter.scheduledFor) }),
            letter.mailedAt ? t("customer.letterMailed", { date: format.date(letter.mailedAt) }) : null,
            letter.deliveredAt ? t("customer.letterDelivered", { date: format.date(letter.deliveredAt) }) : null,
            letter.discountCode ? t("customer.letterCode", { code: letter.discountCode }) : null,
          ]
            .filter(Boolean)
            .join(" · ")}
        </Text>
        {letter.failureReason ? (
          <Text as="p" tone="critical" variant="bodySm">
            {letter.failureReason}
          </Text>
        ) : null}
        <InlineStack gap="200" blockAlign="center">
          {letter.firstScanAt ? (
            <Badge tone="success">{t("customer.scannedOn", { date: format.date(letter.firstScanAt), count: letter.scanCount })}</Badge>
          ) : letter.sentAt ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {t("customer.notScanned")}
            </Text>
          ) : null}
        </InlineStack>
        {letter.sentAt ? (
          <Text as="p" variant="bodySm">
            <span data-testid="letter-next-order">
            {letter.nextOrder ? (
              <>
                {t("customer.nextOrder", { order: letter.nextOrder.number, count: letter.nextOrder.daysAfter, date: format.date(letter.nextOrder.placedAt) })}{" "}
                {letter.nextOrder.withinAttributionWindow ? (
                  <Badge tone="success">{t("customer.withinWindow", { days: attributionWindowDays })}</Badge>
                ) : (
                  <Badge>{t("customer.outsideWindow", { days: attributionWindowDays })}</Badge>
                )}
              </>
            ) : (
              t("customer.noOrderSince")
            )}
            </span>
          </Text>
        ) : null}
      </BlockStack>
    </Box>
    </div>
  );
}

function AddressCard({ profile }: { profile: CustomerProfile }) {
  const { t } = useTranslation();
  const address = profile.address;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("customer.address")}
        </Text>
        {address && address.line1 ? (
          <Text as="p">
            {address.name}
            {address.company ? <><br />{address.company}</> : null}
            <br />
            {address.line1}
            {address.line2 ? <><br />{address.line2}</> : null}
            <br />
            {[address.postalCode, address.city].filter(Boolean).join(" ")}
            {address.region ? <><br />{address.region}</> : null}
            <br />
            {address.countryCode}
          </Text>
        ) : null}
        {!address || !address.complete ? (
          <Text as="p" tone="subdued">
            {t("customer.noAddress")}
          </Text>
        ) : null}
        <Text as="p">
          {t("customer.language")}: {profile.language ?? "—"}
        </Text>
      </BlockStack>
    </Card>
  );
}

function ContactGuardCard({ guard }: { guard: CustomerProfile["contactGuard"] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("customer.lastContacted")}
        </Text>
        <Text as="p">
          <span data-testid="contact-guard">
          {guard.lastWrittenAt
            ? t("customer.lastWrittenOn", { date: format.date(guard.lastWrittenAt), count: guard.daysSinceLastLetter ?? 0 })
            : t("customer.neverWritten")}
          </span>
        </Text>
        {guard.capReached ? (
          <Banner tone="warning">
            <p>
              {t("customer.capReached", {
                letters: guard.capLetters,
                days: guard.capDays,
                date: format.date(guard.nextContactAllowedAt),
              })}
            </p>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function OptOutCard({ optOut }: { optOut: CustomerProfile["optOut"] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigation = useNavigation();
  const result = useActionData<typeof action>();
  const [reason, setReason] = useState("");
  const submitting = navigation.state === "submitting" && ["opt-out", "opt-in"].includes(String(navigation.formData?.get("intent")));
  useEffect(() => {
    if (result && "intent" in result && result.ok && (result.intent === "opt-out" || result.intent === "opt-in")) setReason("");
  }, [result]);
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("customer.optOutTitle")}
          </Text>
          {optOut.optedOut ? (
            <Banner tone="critical">
              <p data-testid="opt-out-state">
                {t("customer.optedOutSince", { date: format.date(optOut.at) })}
                {optOut.reason ? ` — ${optOut.reason}` : ""}
              </p>
            </Banner>
          ) : (
            <Text as="p" tone="subdued">
              <span data-testid="opt-out-state">{t("customer.optedInState")}</span>
            </Text>
          )}
          <TextField
            label={optOut.optedOut ? t("customer.optInReason") : t("customer.optOutReason")}
            name="reason"
            value={reason}
            onChange={setReason}
            autoComplete="off"
            maxLength={500}
          />
          <input type="hidden" name="intent" value={optOut.optedOut ? "opt-in" : "opt-out"} />
          <InlineStack>
            <Button submit loading={submitting} tone={optOut.optedOut ? undefined : "critical"}>
              {optOut.optedOut ? t("customer.optInAction") : t("customer.optOutAction")}
            </Button>
          </InlineStack>
          {optOut.log.length > 0 ? (
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t("customer.optOutLog")}
              </Text>
              {optOut.log.map((event) => (
                <Text as="p" variant="bodySm" tone="subdued" key={event.id}>
                  {t(event.optedOut ? "customer.logOptedOut" : "customer.logOptedIn", {
                    date: format.date(event.at),
                    actor: t(`customer.actor.${event.actor}`, { defaultValue: event.actor }),
                  })}
                  {event.reason ? ` — ${event.reason}` : ""}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Form>
    </Card>
  );
}

// Plain rows, not Polaris tables: the full history of a large customer is thousands
// of rows, and each must stay cheap to render for the page to respond quickly.
function TimelineStyles() {
  // Set as HTML: React would escape the ">" of a child combinator in text, and the browser
  // keeps a style element's text as written, so server and client text would differ.
  return <style dangerouslySetInnerHTML={{ __html: TIMELINE_CSS }} />;
}

const TIMELINE_CSS = `
.ll-timeline, .ll-items { font-size: var(--p-font-size-325); }
.ll-items { width: 100%; border-collapse: collapse; }
.ll-grid { display: grid; grid-template-columns: 28% 20% 20% 1fr; align-items: center; }
.ll-grid > span { padding: var(--p-space-200) var(--p-space-400); }
.ll-head { font-weight: var(--p-font-weight-medium); color: var(--p-color-text-secondary); background: var(--p-color-bg-surface-secondary); }
.ll-entry { border-top: var(--p-border-width-025) solid var(--p-color-border-secondary); content-visibility: auto; contain-intrinsic-size: auto 41px; }
.ll-numeric { text-align: right; font-variant-numeric: tabular-nums; }
.ll-checkout { background: var(--p-color-bg-surface-secondary); }
.ll-detail { background: var(--p-color-bg-surface-tertiary); padding: var(--p-space-200) var(--p-space-400); }
.ll-items th, .ll-items td { padding: var(--p-space-100) var(--p-space-200); text-align: left; }
.ll-items .ll-numeric { text-align: right; }
.ll-toggle { background: none; border: 0; padding: 0; font: inherit; color: var(--p-color-text-link); cursor: pointer; }
.ll-toggle:focus-visible { outline: var(--p-border-width-050) solid var(--p-color-border-focus); outline-offset: 2px; }
.ll-note { color: var(--p-color-text-caution); }
`;
