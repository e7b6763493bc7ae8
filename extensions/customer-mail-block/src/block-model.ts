/**
 * Everything the customer-details block decides, apart from drawing it: the request URL, reading
 * the app's JSON, and the texts, badges and link it shows. No `shopify` global and no clock in
 * here (the caller passes `translate`, the locale and `now`), so it is tested without a host.
 */

/** The app route behind the block; a relative URL, which the admin resolves against app_url. */
export const CUSTOMER_BLOCK_PATH = "/api/customer-block";

// The app route's answer, typed by the service that builds it (a type-only import: nothing of
// the server is bundled into the extension).
export type {
  CustomerBlockLetter as BlockLetter,
  CustomerBlockResponse as BlockResponse,
  CustomerBlockSummary as BlockSummary,
} from "../../../app/services/customer-block.server";
import type { CustomerBlockLetter as BlockLetter, CustomerBlockResponse as BlockResponse } from "../../../app/services/customer-block.server";

export type BlockState = { kind: "loading" } | { kind: "error"; reason: string } | { kind: "loaded"; response: BlockResponse };

/** shopify.i18n.translate, narrowed to plain-text replacements. */
export type Translate = (key: string, replacements?: Record<string, string | number>) => string;

export type Tone = "auto" | "neutral" | "info" | "success" | "caution" | "warning" | "critical";

export type BlockView = {
  heading: string;
  /** Shown while the merchant has the block collapsed. */
  collapsedSummary: string;
  body:
    | { kind: "loading"; text: string }
    | { kind: "error"; text: string; retryLabel: string }
    | { kind: "not-found"; text: string }
    | {
        kind: "summary";
        badges: Array<{ label: string; tone: Tone }>;
        stats: Array<{ label: string; value: string }>;
        letterHeading: string;
        letter: LetterView | null;
        noLetterText: string;
        profile: { href: string; label: string };
      };
};

export type LetterView = {
  source: string;
  status: { label: string; tone: Tone };
  date: string;
  scan: { text: string; tone: Tone };
};

export function customerBlockUrl(customerGid: string): string {
  return `${CUSTOMER_BLOCK_PATH}?${new URLSearchParams({ customerId: customerGid })}`;
}

/**
 * Loads the block's data with the admin's fetch (which adds the Bearer ID token for the app's
 * domain). Every failure becomes an error state; the block never throws into the admin.
 */
export async function loadBlockState(fetchImpl: typeof fetch, customerGid: string | undefined): Promise<BlockState> {
  if (!customerGid) return { kind: "error", reason: "no customer selected" };
  try {
    const response = await fetchImpl(customerBlockUrl(customerGid), { headers: { Accept: "application/json" } });
    if (!response.ok) return { kind: "error", reason: `HTTP ${response.status}` };
    const parsed = parseBlockResponse(await response.json());
    return parsed ? { kind: "loaded", response: parsed } : { kind: "error", reason: "unexpected response" };
  } catch (error) {
    return { kind: "error", reason: error instanceof Error ? error.message : String(error) };
  }
}

const isString = (value: unknown): value is string => typeof value === "string";
const isNullableString = (value: unknown): value is string | null => value === null || typeof value === "string";
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/**
 * Checks the shape of the app's answer before showing it (a proxy's error page or an older
 * app version must end in the error state, not in "undefined" on the merchant's screen).
 * Hand-written rather than zod: the whole extension has to stay under 64 KB compressed.
 */
export function parseBlockResponse(json: unknown): BlockResponse | null {
  if (!isRecord(json)) return null;
  if (json.found === false) return { found: false };
  if (json.found !== true) return null;
  const money = json.lifetimeValue;
  if (!isRecord(money) || !isString(money.amount) || !/^-?\d+(\.\d+)?$/.test(money.amount) || !isString(money.currency)) return null;
  if (
    !isString(json.customerId) ||
    !isString(json.profileUrl) ||
    typeof json.redacted !== "boolean" ||
    !isNullableString(json.name) ||
    !isNullableString(json.email) ||
    !isCount(json.orderCount) ||
    !isCount(json.openAbandonedCheckouts) ||
    typeof json.optedOut !== "boolean"
  ) {
    return null;
  }
  let lastLetter: BlockLetter | null = null;
  if (json.lastLetter !== null) {
    const letter = json.lastLetter;
    if (
      !isRecord(letter) ||
      !isString(letter.status) ||
      !isNullableString(letter.campaign) ||
      typeof letter.automation !== "boolean" ||
      !isString(letter.createdAt) ||
      !isNullableString(letter.mailedAt) ||
      !isNullableString(letter.firstScanAt) ||
      !isCount(letter.scanCount)
    ) {
      return null;
    }
    lastLetter = {
      // Kept as sent: a status added to the app later still shows (letterStatus has a fallback).
      status: letter.status as BlockLetter["status"],
      campaign: letter.campaign,
      automation: letter.automation,
      createdAt: letter.createdAt,
      mailedAt: letter.mailedAt,
      firstScanAt: letter.firstScanAt,
      scanCount: letter.scanCount,
    };
  }
  return {
    found: true,
    customerId: json.customerId,
    profileUrl: json.profileUrl,
    redacted: json.redacted,
    name: json.redacted ? null : json.name,
    email: json.redacted ? null : json.email,
    lifetimeValue: { amount: money.amount, currency: money.currency },
    orderCount: json.orderCount,
    openAbandonedCheckouts: json.openAbandonedCheckouts,
    optedOut: json.optedOut,
    lastLetter,
  };
}

/**
 * The href that opens a page of our own embedded app from an admin extension. Shopify's
 * "Custom protocols" for admin UI extensions: "Use the app: protocol to construct a URL for your
 * app. Shopify will handle constructing the base URL for your app. This works for both embedded
 * and non-embedded apps." (https://shopify.dev/docs/api/admin-extensions/latest/network-features#custom-protocols;
 * the Link example there is `href="app:bar"`, https://shopify.dev/docs/api/admin-extensions/2024-01/components/link).
 * The path after `app:` is taken relative to application_url, so the profile route
 * /app/customers/<id> becomes `app:app/customers/<id>`, opened inside the admin like any page
 * of the embedded app.
 */
export function appHref(path: string): string {
  return `app:${path.replace(/^\/+/, "")}`;
}

/** A decimal amount ("1234.50") in the currency's conventions, keeping the digits the app sent. */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const fractionDigits = amount.split(".")[1]?.length ?? 0;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    }).format(Number(amount));
  } catch {
    // An unknown currency code: the amount as sent, with its code.
    return `${amount} ${currency}`;
  }
}

export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatDate(iso: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Days between the calendar dates of two instants in a time zone (the browser's if none given). */
function calendarDaysBetween(from: Date, to: Date, timeZone?: string): number {
  const dayNumber = (date: Date) => {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(date);
    const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
    return Date.UTC(part("year"), part("month") - 1, part("day")) / DAY;
  };
  return dayNumber(to) - dayNumber(from);
}

/**
 * "5 minutes ago", "yesterday", "vor 3 Tagen": how long ago `iso` was. Within a day by the
 * clock; beyond that by calendar days, so "yesterday" means the calendar day before today.
 */
export function formatRelativeTime(iso: string, now: Date, locale: string, timeZone?: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const then = new Date(iso);
  // A timestamp slightly ahead of the browser's clock still reads as "now", not "in 2 minutes".
  const elapsed = Math.max(0, now.getTime() - then.getTime());
  if (elapsed < MINUTE) return format.format(0, "second");
  if (elapsed < HOUR) return format.format(-Math.floor(elapsed / MINUTE), "minute");
  if (elapsed < DAY) return format.format(-Math.floor(elapsed / HOUR), "hour");
  const days = Math.max(1, calendarDaysBetween(then, now, timeZone));
  if (days < 30) return format.format(-days, "day");
  const months = Math.floor(days / 30.4375);
  if (months < 12) return format.format(-months, "month");
  return format.format(-Math.floor(days / 365.25), "year");
}

// The same tones as the letter badges inside the app (app/components/letter-status-badge.tsx).
const STATUS_TONES: Record<string, Tone> = {
  SCHEDULED: "neutral",
  RENDERED: "info",
  SUBMITTED: "info",
  PRINTED: "info",
  MAILED: "success",
  DELIVERED: "success",
  RETURNED: "warning",
  FAILED: "critical",
  CANCELLED: "neutral",
};

export function letterStatus(status: string, t: Translate): { label: string; tone: Tone } {
  const tone = STATUS_TONES[status];
  return tone ? { label: t(`status.${status}`), tone } : { label: t("status.unknown", { status }), tone: "neutral" };
}

function letterView(letter: BlockLetter, { t, locale, now, timeZone }: ViewContext): LetterView {
  const source = letter.campaign !== null
    ? t("letter.campaign", { name: letter.campaign })
    : letter.automation
      ? t("letter.afterPurchase")
      : t("letter.other");
  const date = letter.mailedAt
    ? t("letter.mailedOn", { date: formatDate(letter.mailedAt, locale, timeZone) })
    : t("letter.createdOn", { date: formatDate(letter.createdAt, locale, timeZone) });
  const scan = letter.firstScanAt
    ? {
        text: t("letter.scanned", {
          // firstScanAt set means at least one scan, whatever the counter says.
          count: Math.max(1, letter.scanCount),
          when: formatRelativeTime(letter.firstScanAt, now, locale, timeZone),
          date: formatDate(letter.firstScanAt, locale, timeZone),
        }),
        tone: "success" as const,
      }
    : { text: t("letter.notScanned"), tone: "neutral" as const };
  return { source, status: letterStatus(letter.status, t), date, scan };
}

export type ViewContext = {
  t: Translate;
  /** BCP 47 tag for numbers and dates; the block passes the language its texts are in. */
  locale: string;
  now: Date;
  /** Defaults to the browser's; tests pin it. */
  timeZone?: string;
};

/** The block as texts, badges and a link, for each state of loading its data. */
export function buildBlockView(state: BlockState, context: ViewContext): BlockView {
  const { t, locale } = context;
  const heading = t("heading");
  if (state.kind === "loading") {
    return { heading, collapsedSummary: t("loading"), body: { kind: "loading", text: t("loading") } };
  }
  if (state.kind === "error") {
    return { heading, collapsedSummary: t("error"), body: { kind: "error", text: t("error"), retryLabel: t("retry") } };
  }
  const response = state.response;
  if (!response.found) {
    return { heading, collapsedSummary: t("notFound.summary"), body: { kind: "not-found", text: t("notFound.text") } };
  }

  const badges: Array<{ label: string; tone: Tone }> = [];
  if (response.optedOut) badges.push({ label: t("badge.optedOut"), tone: "warning" });
  if (response.redacted) badges.push({ label: t("badge.redacted"), tone: "neutral" });

  const lifetimeValue = formatMoney(response.lifetimeValue.amount, response.lifetimeValue.currency, locale);
  const letter = response.lastLetter ? letterView(response.lastLetter, context) : null;
  return {
    heading,
    collapsedSummary: letter
      ? t("collapsed.withLetter", { ltv: lifetimeValue, status: letter.status.label })
      : t("collapsed.noLetter", { ltv: lifetimeValue }),
    body: {
      kind: "summary",
      badges,
      stats: [
        { label: t("stats.lifetimeValue"), value: lifetimeValue },
        { label: t("stats.orders"), value: formatCount(response.orderCount, locale) },
        { label: t("stats.abandonedCheckouts"), value: formatCount(response.openAbandonedCheckouts, locale) },
      ],
      letterHeading: t("letter.heading"),
      letter,
      noLetterText: t("letter.none"),
      profile: { href: appHref(response.profileUrl), label: t("profileLink") },
    },
  };
}
