/**
 * How a person is recognised and found across sources: the normalised e-mail merges records
 * from Shopify, Billbee, CSV and the API into one customer; the search text makes name and
 * e-mail search case-insensitive beyond ASCII on SQLite and PostgreSQL alike.
 */

/** Trimmed and lower-cased; null for blanks and strings that are no e-mail at all. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase() ?? "";
  return /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : null;
}

/** Customer.searchText: "first last email", lower-cased beyond ASCII like the search input. */
export function buildSearchText(firstName: string | null, lastName: string | null, email: string | null): string {
  return [firstName, lastName, email]
    .filter((part): part is string => Boolean(part && part.trim()))
    .join(" ")
    // NFC: a name imported with a decomposed "ü" matches a search typed with the composed one.
    .normalize("NFC")
    .toLocaleLowerCase("und");
}

/**
 * A BCP 47 tag in its usual casing ("de", "de-CH", "zh-Hant-TW"), or null when the input is
 * no language tag. Shopify sends locales like "de", "de-DE" or "pt-BR"; imports send anything.
 */
export function normalizeLanguageTag(value: string | null | undefined): string | null {
  const raw = value?.trim().replace(/_/g, "-") ?? "";
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(raw)) return null;
  const [language, ...rest] = raw.split("-");
  const subtags = rest.map((part) =>
    part.length === 2 ? part.toUpperCase() : part.length === 4 ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part.toLowerCase(),
  );
  return [language!.toLowerCase(), ...subtags].join("-");
}

/**
 * A customer's personal fields as a redaction (customers/redact) leaves them. The e-mail hash,
 * the opt-out and the statistics are not among them: they stay.
 */
export const ERASED_PERSONAL_DETAILS = {
  email: null,
  emailNormalized: null,
  firstName: null,
  lastName: null,
  company: null,
  salutation: null,
  phone: null,
  addressName: null,
  addressLine1: null,
  addressLine2: null,
  postalCode: null,
  city: null,
  region: null,
  countryCode: null,
  searchText: "",
} as const;

/**
 * The name a merchant sees: "first last", or null when there is none or the customer's personal
 * data was erased (customers/redact), whatever the row still holds.
 */
export function customerDisplayName(customer: { firstName: string | null; lastName: string | null; redactedAt: Date | null }): string | null {
  if (customer.redactedAt !== null) return null;
  return [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
}
