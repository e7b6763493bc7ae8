import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../core/money";

// One set of Intl formatters per admin language: creating them is the costly part, and long
// lists (thousands of orders) format every row.
const formatters = new Map<string, { date: Intl.DateTimeFormat; number: Intl.NumberFormat }>();
function formattersFor(locale: string) {
  let entry = formatters.get(locale);
  if (!entry) {
    entry = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
      number: new Intl.NumberFormat(locale),
    };
    formatters.set(locale, entry);
  }
  return entry;
}

/** Locale-aware formatting for the admin language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === "de" ? "de-DE" : "en-US";
  return useMemo(() => {
    const { date, number } = formattersFor(locale);
    return {
      money: (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale),
      date: (iso: string | null) => (iso ? date.format(new Date(iso)) : "—"),
      number: (value: number) => number.format(value),
    };
  }, [locale]);
}
