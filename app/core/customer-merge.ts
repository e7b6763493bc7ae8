import type { CanonicalAddress, CanonicalCustomer } from "./canonical-records";
import { buildSearchText, ERASED_PERSONAL_DETAILS, normalizeEmail, normalizeLanguageTag } from "./customer-identity";

/**
 * How a customer's stored details change when a record about them arrives (from any source).
 * A newer record overwrites what it knows; an older or undated one only fills gaps, so a late
 * delivery or a back-fill never rolls a customer back. The postal address moves as one piece:
 * mixing lines of two addresses would print a letter to nowhere.
 */

export type CustomerDetails = {
  email: string | null;
  emailNormalized: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  language: string | null;
  addressName: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  countryCode: string | null;
  searchText: string;
};

export type IncomingCustomerDetails = {
  customer: CanonicalCustomer | null;
  /** From the order or checkout that named the customer: used only where the customer record is silent. */
  email?: string | null;
  language?: string | null;
  address?: CanonicalAddress | null;
};

// A customer nobody has told anything yet: the erased fields, with a language slot and no salutation.
const { salutation: _salutation, ...erasedDetails } = ERASED_PERSONAL_DETAILS;
export const EMPTY_CUSTOMER_DETAILS: CustomerDetails = { ...erasedDetails, language: null };

export function mergeCustomerDetails(existing: CustomerDetails, incoming: IncomingCustomerDetails, { incomingIsNewer }: { incomingIsNewer: boolean }): CustomerDetails {
  const record = incoming.customer;
  const take = <T>(current: T | null, next: T | null | undefined): T | null =>
    next === null || next === undefined || next === "" ? current : incomingIsNewer || current === null ? next : current;
  const fill = <T>(current: T | null, next: T | null | undefined): T | null => current ?? next ?? null;

  const email = fill(take(existing.email, record?.email?.trim()), incoming.email?.trim());
  const merged: CustomerDetails = {
    ...existing,
    email,
    emailNormalized: normalizeEmail(email),
    firstName: take(existing.firstName, record?.firstName?.trim()),
    lastName: take(existing.lastName, record?.lastName?.trim()),
    company: take(existing.company, record?.company?.trim()),
    phone: take(existing.phone, record?.phone?.trim()),
    // The customer's own locale wins; an order's or checkout's language fills a gap.
    language: fill(take(existing.language, normalizeLanguageTag(record?.language)), normalizeLanguageTag(incoming.language)),
  };

  const ownAddress = usable(record?.address) ? record!.address! : null;
  const fallbackAddress = usable(incoming.address) ? incoming.address! : null;
  const replaceAddress = ownAddress ? incomingIsNewer || existing.addressLine1 === null : existing.addressLine1 === null && fallbackAddress !== null;
  const address = ownAddress ?? fallbackAddress;
  if (replaceAddress && address) {
    merged.addressName = address.name ?? ([merged.firstName, merged.lastName].filter(Boolean).join(" ") || null);
    merged.addressLine1 = address.line1;
    merged.addressLine2 = address.line2;
    merged.postalCode = address.postalCode;
    merged.city = address.city;
    merged.region = address.region;
    merged.countryCode = address.countryCode?.toUpperCase() ?? null;
    merged.company ??= address.company;
  }
  merged.searchText = buildSearchText(merged.firstName, merged.lastName, merged.email);
  return merged;
}

function usable(address: CanonicalAddress | null | undefined): boolean {
  return Boolean(address?.line1?.trim() && address.city?.trim());
}

/** True when `incoming` is strictly newer than `stored`; an undated record is never newer than a dated one. */
export function isNewerVersion(incoming: Date | null, stored: Date | null): boolean {
  if (stored === null) return true;
  if (incoming === null) return false;
  return incoming.getTime() > stored.getTime();
}
