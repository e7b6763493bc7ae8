import { describe, expect, it } from "vitest";
import type { CanonicalAddress, CanonicalCustomer } from "./canonical-records";
import { EMPTY_CUSTOMER_DETAILS, isNewerVersion, mergeCustomerDetails, type CustomerDetails } from "./customer-merge";

const address = (line1: string, city = "Berlin"): CanonicalAddress => ({
  name: null,
  company: null,
  line1,
  line2: null,
  postalCode: "10969",
  city,
  region: null,
  countryCode: "de",
});

const record = (fields: Partial<CanonicalCustomer> = {}): CanonicalCustomer => ({
  source: "SHOPIFY",
  sourceId: "1",
  sourceUpdatedAt: null,
  email: null,
  firstName: null,
  lastName: null,
  company: null,
  phone: null,
  language: null,
  address: null,
  ...fields,
});

const stored: CustomerDetails = {
  ...EMPTY_CUSTOMER_DETAILS,
  email: "Lena@Example.com",
  emailNormalized: "lena@example.com",
  firstName: "Lena",
  lastName: "Hoffmann",
  language: "de",
  addressName: "Lena Hoffmann",
  addressLine1: "Lindenstraße 12",
  postalCode: "10969",
  city: "Berlin",
  countryCode: "DE",
  searchText: "lena hoffmann lena@example.com",
};

describe("mergeCustomerDetails", () => {
  it("fills an empty customer from a new record, normalising e-mail, language, country and search text", () => {
    const merged = mergeCustomerDetails(
      EMPTY_CUSTOMER_DETAILS,
      { customer: record({ email: " JÜRGEN@Example.com ", firstName: "Jürgen", lastName: "Weiß", language: "de_ch", address: address("Hauptstr. 1") }) },
      { incomingIsNewer: true },
    );
    expect(merged).toMatchObject({
      email: "JÜRGEN@Example.com",
      emailNormalized: "jürgen@example.com",
      language: "de-CH",
      addressName: "Jürgen Weiß",
      addressLine1: "Hauptstr. 1",
      countryCode: "DE",
      searchText: "jürgen weiß jürgen@example.com",
    });
  });

  it("lets a newer record overwrite what it knows and keeps what it does not", () => {
    const merged = mergeCustomerDetails(stored, { customer: record({ lastName: "Berger", phone: "+49 30 1234" }) }, { incomingIsNewer: true });
    expect(merged).toMatchObject({ firstName: "Lena", lastName: "Berger", phone: "+49 30 1234", addressLine1: "Lindenstraße 12", searchText: "lena berger lena@example.com" });
  });

  it("lets an older record only fill gaps", () => {
    const merged = mergeCustomerDetails(stored, { customer: record({ lastName: "Alt", phone: "+49 30 9999", address: address("Altweg 3") }) }, { incomingIsNewer: false });
    expect(merged).toMatchObject({ lastName: "Hoffmann", phone: "+49 30 9999", addressLine1: "Lindenstraße 12" });
  });

  it("moves the address as one piece and ignores an unusable one", () => {
    const moved = mergeCustomerDetails(stored, { customer: record({ address: { ...address("Neue Str. 5", "Hamburg"), postalCode: "20095" } }) }, { incomingIsNewer: true });
    expect([moved.addressLine1, moved.postalCode, moved.city]).toEqual(["Neue Str. 5", "20095", "Hamburg"]);
    const unusable = mergeCustomerDetails(stored, { customer: record({ address: { ...address(""), city: "" } }) }, { incomingIsNewer: true });
    expect(unusable.addressLine1).toBe("Lindenstraße 12");
  });

  it("takes an order's language, e-mail and shipping address only where the customer has none", () => {
    const fromOrder = { customer: record(), email: "other@example.com", language: "fr", address: address("Rue 1", "Paris") };
    expect(mergeCustomerDetails(stored, fromOrder, { incomingIsNewer: true })).toMatchObject({ email: "Lena@Example.com", language: "de", addressLine1: "Lindenstraße 12" });
    expect(mergeCustomerDetails(EMPTY_CUSTOMER_DETAILS, fromOrder, { incomingIsNewer: true })).toMatchObject({ email: "other@example.com", language: "fr", city: "Paris" });
  });

  it("lets the customer's own locale win over an order's", () => {
    expect(mergeCustomerDetails(EMPTY_CUSTOMER_DETAILS, { customer: record({ language: "pl" }), language: "en" }, { incomingIsNewer: true }).language).toBe("pl");
  });
});

describe("isNewerVersion", () => {
  const at = (iso: string) => new Date(iso);
  it.each([
    [at("2026-11-02T00:00:00Z"), at("2026-11-01T00:00:00Z"), true],
    [at("2026-11-01T00:00:00Z"), at("2026-11-01T00:00:00Z"), false],
    [at("2026-10-31T00:00:00Z"), at("2026-11-01T00:00:00Z"), false],
    [null, at("2026-11-01T00:00:00Z"), false],
    [at("2026-11-01T00:00:00Z"), null, true],
    [null, null, true],
  ])("%s over %s → %s", (incoming, storedAt, expected) => {
    expect(isNewerVersion(incoming, storedAt)).toBe(expected);
  });
});
