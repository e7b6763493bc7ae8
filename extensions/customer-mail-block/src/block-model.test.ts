import { describe, expect, it } from "vitest";
import de from "../locales/de.json";
import en from "../locales/en.default.json";
import {
  appHref,
  buildBlockView,
  customerBlockUrl,
  formatMoney,
  formatRelativeTime,
  letterStatus,
  loadBlockState,
  parseBlockResponse,
  type BlockSummary,
  type BlockView,
  type Translate,
} from "./block-model";

type Messages = { [key: string]: string | Messages };

/**
 * shopify.i18n.translate over one of our locale files, as the admin resolves it: dotted keys,
 * `{{name}}` replacements, and plural forms chosen by `count`. A missing key fails the test.
 */
function translator(messages: Messages, locale: string): Translate {
  const plurals = new Intl.PluralRules(locale);
  return (key, replacements = {}) => {
    let entry: string | Messages | undefined = messages;
    for (const part of key.split(".")) entry = typeof entry === "object" ? entry[part] : undefined;
    if (typeof entry === "object" && typeof replacements.count === "number") {
      entry = entry[plurals.select(replacements.count)] ?? entry.other;
    }
    if (typeof entry !== "string") throw new Error(`missing translation ${locale}:${key}`);
    return entry.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => String(replacements[name] ?? `{{${name}}}`));
  };
}

const NOW = new Date("2026-11-25T12:00:00Z");
const english = { t: translator(en, "en"), locale: "en", now: NOW, timeZone: "UTC" };
const german = { t: translator(de, "de"), locale: "de", now: NOW, timeZone: "UTC" };

const SUMMARY: BlockSummary = {
  found: true,
  customerId: "cus_1",
  profileUrl: "/app/customers/cus_1",
  redacted: false,
  name: "Anna Albers",
  email: "anna@example.com",
  lifetimeValue: { amount: "1234.50", currency: "EUR" },
  orderCount: 4,
  openAbandonedCheckouts: 1,
  optedOut: false,
  lastLetter: {
    status: "DELIVERED",
    campaign: "Autumn letters",
    automation: false,
    createdAt: "2026-10-01T08:00:00.000Z",
    mailedAt: "2026-10-02T10:00:00.000Z",
    firstScanAt: "2026-11-22T18:30:00.000Z",
    scanCount: 2,
  },
};

function summaryBody(view: BlockView) {
  if (view.body.kind !== "summary") throw new Error(`expected a summary, got ${view.body.kind}`);
  return view.body;
}

describe("the JSON contract with the app", () => {
  it.each([
    ["a summary", SUMMARY],
    ["a summary without a letter", { ...SUMMARY, lastLetter: null }],
    ["found: false", { found: false }],
  ])("parses %s unchanged", (_label, json) => {
    expect(parseBlockResponse(JSON.parse(JSON.stringify(json)))).toEqual(json);
  });

  it.each([
    ["null", null],
    ["a string", "<html>502 Bad Gateway</html>"],
    ["no found flag", { customerId: "cus_1" }],
    ["a missing field", { ...SUMMARY, orderCount: undefined }],
    ["a negative count", { ...SUMMARY, openAbandonedCheckouts: -1 }],
    ["an amount that is no decimal", { ...SUMMARY, lifetimeValue: { amount: "12,30", currency: "EUR" } }],
    ["money in minor units", { ...SUMMARY, lifetimeValue: 123450 }],
    ["a letter without status", { ...SUMMARY, lastLetter: { ...SUMMARY.lastLetter, status: undefined } }],
    ["a letter with a bad scan count", { ...SUMMARY, lastLetter: { ...SUMMARY.lastLetter, scanCount: "2" } }],
  ])("refuses %s", (_label, json) => {
    expect(parseBlockResponse(json)).toBeNull();
  });

  it("drops name and e-mail of a redacted customer even if they were sent", () => {
    expect(parseBlockResponse({ ...SUMMARY, redacted: true })).toMatchObject({ redacted: true, name: null, email: null });
  });
});

describe("loadBlockState", () => {
  const GID = "gid://shopify/Customer/7100000000001";

  it("asks the app route for the customer's GID, URL-encoded", async () => {
    const requested: string[] = [];
    const state = await loadBlockState(async (input) => {
      requested.push(String(input));
      return Response.json(SUMMARY);
    }, GID);
    expect(requested).toEqual(["/api/customer-block?customerId=gid%3A%2F%2Fshopify%2FCustomer%2F7100000000001"]);
    expect(customerBlockUrl(GID)).toBe(requested[0]);
    expect(state).toEqual({ kind: "loaded", response: SUMMARY });
  });

  it("passes found: false through", async () => {
    expect(await loadBlockState(async () => Response.json({ found: false }), GID)).toEqual({ kind: "loaded", response: { found: false } });
  });

  it.each([
    ["a 401", async () => new Response(null, { status: 401 }), "HTTP 401"],
    ["a 500", async () => new Response("oops", { status: 500 }), "HTTP 500"],
    ["HTML instead of JSON", async () => new Response("<html></html>", { status: 200 }), "JSON"],
    ["an unexpected shape", async () => Response.json({ hello: "world" }), "unexpected response"],
    [
      "a network failure",
      async () => {
        throw new TypeError("Failed to fetch");
      },
      "Failed to fetch",
    ],
  ])("turns %s into the error state", async (_label, fetchImpl, reason) => {
    const state = await loadBlockState(fetchImpl, GID);
    expect(state.kind).toBe("error");
    expect(state.kind === "error" && state.reason).toContain(reason);
  });

  it("does not fetch without a selected customer", async () => {
    let called = false;
    const state = await loadBlockState(async () => {
      called = true;
      return Response.json(SUMMARY);
    }, undefined);
    expect(state).toEqual({ kind: "error", reason: "no customer selected" });
    expect(called).toBe(false);
  });
});

describe("appHref", () => {
  it.each([
    ["/app/customers/cus_1", "app:app/customers/cus_1"],
    ["app/customers/cus_1", "app:app/customers/cus_1"],
    ["//app/customers/cus_1", "app:app/customers/cus_1"],
  ])("%s → %s", (path, href) => expect(appHref(path)).toBe(href));
});

describe("formatMoney", () => {
  it.each([
    ["1234.50", "EUR", "en", "€1,234.50"],
    ["1234.50", "EUR", "de", "1.234,50\u00a0€"],
    ["0.00", "EUR", "de", "0,00\u00a0€"],
    ["9999.99", "USD", "en", "$9,999.99"],
    ["1200", "JPY", "en", "¥1,200"],
    ["12.345", "KWD", "en", "KWD\u00a012.345"],
    ["-5.00", "CHF", "de", "-5,00\u00a0CHF"],
    ["12.30", "EURO", "en", "12.30 EURO"],
  ])("%s %s in %s → %j", (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });
});

describe("formatRelativeTime", () => {
  const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
  const minute = 60_000;
  const day = 24 * 60 * minute;
  it.each([
    [ago(30_000), "en", "now"],
    [ago(-5 * minute), "en", "now"],
    [ago(5 * minute), "en", "5 minutes ago"],
    [ago(3 * 60 * minute), "en", "3 hours ago"],
    [ago(23 * 60 * minute), "en", "23 hours ago"],
    [ago(day), "en", "yesterday"],
    // 2 days and 17.5 hours, but three calendar days back.
    ["2026-11-22T18:30:00.000Z", "en", "3 days ago"],
    ["2026-11-23T00:00:00.000Z", "en", "2 days ago"],
    [ago(29 * day), "en", "29 days ago"],
    [ago(45 * day), "en", "last month"],
    [ago(200 * day), "en", "6 months ago"],
    [ago(400 * day), "en", "last year"],
    [ago(3 * day), "de", "vor 3 Tagen"],
    [ago(2 * day), "de", "vorgestern"],
    [ago(day), "de", "gestern"],
    [ago(800 * day), "de", "vor 2 Jahren"],
  ])("%s in %s → %j", (iso, locale, expected) => {
    expect(formatRelativeTime(iso, NOW, locale, "UTC")).toBe(expected);
  });

  it("counts calendar days in the given time zone", () => {
    // 23:30 in Berlin on the 23rd is already the 24th in Tokyo.
    const scanned = "2026-11-23T22:30:00.000Z";
    const now = new Date("2026-11-25T08:00:00.000Z");
    expect(formatRelativeTime(scanned, now, "en", "Europe/Berlin")).toBe("2 days ago");
    expect(formatRelativeTime(scanned, now, "en", "Asia/Tokyo")).toBe("yesterday");
  });
});

describe("letterStatus", () => {
  it.each([
    ["SCHEDULED", "Scheduled", "neutral"],
    ["MAILED", "Mailed", "success"],
    ["DELIVERED", "Delivered", "success"],
    ["RETURNED", "Returned", "warning"],
    ["FAILED", "Failed", "critical"],
    ["CANCELLED", "Cancelled", "neutral"],
    ["LOST_IN_SPACE", "Status LOST_IN_SPACE", "neutral"],
  ])("%s → %s (%s)", (status, label, tone) => {
    expect(letterStatus(status, english.t)).toEqual({ label, tone });
  });
});

describe("buildBlockView", () => {
  it("shows the summary with the last letter and its scan", () => {
    const view = buildBlockView({ kind: "loaded", response: SUMMARY }, english);
    expect(view.heading).toBe("LetterLoop letters");
    expect(view.collapsedSummary).toBe("€1,234.50 · last letter: Delivered");
    expect(summaryBody(view)).toEqual({
      kind: "summary",
      badges: [],
      stats: [
        { label: "Lifetime value", value: "€1,234.50" },
        { label: "Orders", value: "4" },
        { label: "Open abandoned checkouts", value: "1" },
      ],
      letterHeading: "Last letter",
      letter: {
        source: "Campaign “Autumn letters”",
        status: { label: "Delivered", tone: "success" },
        date: "Mailed Oct 2, 2026",
        scan: { text: "QR code first scanned 3 days ago (Nov 22, 2026), 2 scans", tone: "success" },
      },
      noLetterText: "No letter sent yet.",
      profile: { href: "app:app/customers/cus_1", label: "Open full profile in LetterLoop" },
    });
  });

  it("speaks German with German numbers and dates", () => {
    const view = buildBlockView({ kind: "loaded", response: SUMMARY }, german);
    const body = summaryBody(view);
    expect(view.heading).toBe("LetterLoop-Briefe");
    expect(body.stats[0]).toEqual({ label: "Customer Lifetime Value", value: "1.234,50\u00a0€" });
    expect(body.letter).toEqual({
      source: "Kampagne „Autumn letters“",
      status: { label: "Zugestellt", tone: "success" },
      date: "Eingeliefert am 02.10.2026",
      scan: { text: "QR-Code erstmals vor 3 Tagen gescannt (22.11.2026), 2 Scans", tone: "success" },
    });
    expect(body.profile.label).toBe("Vollständiges Profil in LetterLoop öffnen");
  });

  it("names the after-purchase letter, a letter not yet mailed and a single unscanned letter", () => {
    const response = {
      ...SUMMARY,
      lastLetter: { ...SUMMARY.lastLetter!, status: "SCHEDULED" as const, campaign: null, automation: true, mailedAt: null, firstScanAt: null, scanCount: 0 },
    };
    expect(summaryBody(buildBlockView({ kind: "loaded", response }, english)).letter).toEqual({
      source: "After-purchase letter",
      status: { label: "Scheduled", tone: "neutral" },
      date: "Created Oct 1, 2026",
      scan: { text: "QR code not scanned yet", tone: "neutral" },
    });
  });

  it("uses the singular for one scan", () => {
    const response = { ...SUMMARY, lastLetter: { ...SUMMARY.lastLetter!, firstScanAt: "2026-11-24T09:00:00.000Z", scanCount: 1 } };
    expect(summaryBody(buildBlockView({ kind: "loaded", response }, english)).letter?.scan.text).toBe("QR code scanned yesterday (Nov 24, 2026)");
    expect(summaryBody(buildBlockView({ kind: "loaded", response }, german)).letter?.scan.text).toBe("QR-Code gestern gescannt (24.11.2026)");
  });

  it("says when there is no letter yet", () => {
    const view = buildBlockView({ kind: "loaded", response: { ...SUMMARY, lastLetter: null } }, english);
    expect(view.collapsedSummary).toBe("€1,234.50 · no letter yet");
    expect(summaryBody(view).letter).toBeNull();
  });

  it("marks opted-out and anonymised customers", () => {
    const view = buildBlockView({ kind: "loaded", response: { ...SUMMARY, optedOut: true, redacted: true, name: null, email: null } }, english);
    expect(summaryBody(view).badges).toEqual([
      { label: "Opted out of letters", tone: "warning" },
      { label: "Anonymised", tone: "neutral" },
    ]);
  });

  it("shows the customer's name and e-mail nowhere", () => {
    // The Shopify page above the block already shows them; the block repeats no personal data.
    const text = JSON.stringify(buildBlockView({ kind: "loaded", response: SUMMARY }, english));
    expect(text).not.toContain("Anna");
    expect(text).not.toContain("anna@example.com");
  });

  it.each([
    [{ kind: "loading" } as const, english, { kind: "loading", text: "Loading letters…" }],
    [{ kind: "error", reason: "HTTP 500" } as const, english, { kind: "error", text: "LetterLoop could not load this customer's letters.", retryLabel: "Try again" }],
    [{ kind: "error", reason: "HTTP 500" } as const, german, { kind: "error", text: "LetterLoop konnte die Briefe dieses Kunden nicht laden.", retryLabel: "Erneut versuchen" }],
  ])("shows the %j state", (state, context, body) => {
    expect(buildBlockView(state, context).body).toEqual(body);
  });

  it("says when the customer is not in LetterLoop yet", () => {
    const view = buildBlockView({ kind: "loaded", response: { found: false } }, english);
    expect(view.collapsedSummary).toBe("Not in LetterLoop yet");
    expect(view.body).toEqual({ kind: "not-found", text: expect.stringContaining("not in LetterLoop yet") });
    expect(buildBlockView({ kind: "loaded", response: { found: false } }, german).collapsedSummary).toBe("Noch nicht in LetterLoop");
  });
});

describe("locales", () => {
  const keys = (messages: Messages, prefix = ""): string[] =>
    Object.entries(messages).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`)));

  it("German has exactly the English keys", () => {
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });

  it("keeps the same replacements in both languages", () => {
    const placeholders = (messages: Messages) =>
      Object.fromEntries(
        keys(messages).map((key) => {
          let entry: string | Messages | undefined = messages;
          for (const part of key.split(".")) entry = typeof entry === "object" ? entry[part] : undefined;
          return [key, [...String(entry).matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort()];
        }),
      );
    expect(placeholders(de)).toEqual(placeholders(en));
  });

  it("names its locale for number and date formatting", () => {
    expect([en.locale, de.locale]).toEqual(["en", "de"]);
  });
});
