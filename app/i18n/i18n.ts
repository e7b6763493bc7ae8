import i18next, { type i18n as I18n } from "i18next";
import { de } from "./de";
import { en } from "./en";

export const SUPPORTED_LOCALES = ["en", "de"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/**
 * The admin language from Shopify's `locale` ("de", "de-CH", "en-US"): German for any German
 * variant, English otherwise.
 */
export function pickLocale(requested: string | null | undefined): Locale {
  const language = (requested ?? "").toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language ?? "") ? (language as Locale) : "en";
}

/** A ready i18next instance for one locale (both catalogues are small and bundled). */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: "en",
    resources: { en: { translation: en }, de: { translation: de } },
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // i18next otherwise logs an advertisement to every browser console and server log.
    showSupportNotice: false,
  });
  return instance;
}
