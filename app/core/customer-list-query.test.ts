import { describe, expect, it } from "vitest";
import { customerListParams, DEFAULT_CUSTOMER_LIST_QUERY, normalizeSearchText, parseCustomerListQuery } from "./customer-list-query";

const parse = (query: string) => parseCustomerListQuery(new URLSearchParams(query));

describe("normalizeSearchText", () => {
  it.each([
    ["Жуков", "жуков"],
    ["  MÜLLER ", "müller"],
    ["mu\u0308ller", "müller"],
    ["Anna   Maria", "anna maria"],
    ["İstanbul", "i̇stanbul"],
    ["", null],
    ["   ", null],
    [null, null],
  ])("%j → %j", (input, expected) => {
    expect(normalizeSearchText(input)).toBe(expected);
  });
});

describe("parseCustomerListQuery", () => {
  it("gives the defaults for no parameters and for empty ones", () => {
    expect(parse("")).toEqual({ ok: true, query: DEFAULT_CUSTOMER_LIST_QUERY });
    expect(parse("q=&source=&sort=&writtenWithinDays=&page=")).toEqual({ ok: true, query: DEFAULT_CUSTOMER_LIST_QUERY });
  });

  it("reads every parameter", () => {
    expect(parse("q=M%C3%BCller&source=BILLBEE&abandoned=1&optedOut=true&writtenWithinDays=30&sort=lastLetter&direction=asc&page=3")).toEqual({
      ok: true,
      query: { search: "müller", source: "BILLBEE", abandoned: true, optedOut: true, writtenWithinDays: 30, sort: "lastLetter", direction: "asc", page: 3 },
    });
    expect(parse("abandoned=0&optedOut=false")).toMatchObject({ ok: true, query: { abandoned: false, optedOut: false } });
  });

  it.each([
    ["sort=email", /^sort: must be one of ltv, orders, lastOrder, lastLetter$/],
    ["direction=up", /^direction: must be asc or desc$/],
    ["source=shopify", /^source: must be one of/],
    ["writtenWithinDays=0", /^writtenWithinDays: must be between 1 and 3650$/],
    ["writtenWithinDays=3651", /^writtenWithinDays: must be between 1 and 3650$/],
    ["writtenWithinDays=1.5", /^writtenWithinDays: must be a whole number of days$/],
    ["writtenWithinDays=-3", /^writtenWithinDays: must be a whole number of days$/],
    ["page=-1", /^page: must be a page number from 0$/],
    ["page=99999999", /^page: must be a page number from 0$/],
    ["abandoned=yes", /^abandoned: must be 1 or 0$/],
    [`q=${"a".repeat(201)}`, /^q: is longer than 200 characters$/],
    ["sort=email&page=x", /sort: .*; page: /],
  ])("refuses %s", (query, reason) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("round-trips through customerListParams, leaving defaults out", () => {
    const query = { ...DEFAULT_CUSTOMER_LIST_QUERY, search: "жуков", source: "CSV" as const, writtenWithinDays: 7, sort: "orders" as const, page: 2 };
    const params = customerListParams(query);
    expect(params.toString()).toBe("q=%D0%B6%D1%83%D0%BA%D0%BE%D0%B2&source=CSV&writtenWithinDays=7&sort=orders&page=2");
    expect(parseCustomerListQuery(params)).toEqual({ ok: true, query });
    expect(customerListParams(DEFAULT_CUSTOMER_LIST_QUERY).toString()).toBe("");
  });
});
