import { useTranslation } from "react-i18next";
import { formatMoney } from "../core/money";

/** Locale-aware formatting for the admin language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === "de" ? "de-DE" : "en-US";
  return {
    money: (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale),
    date: (iso: string | null) => (iso ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso)) : "—"),
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
  };
}
