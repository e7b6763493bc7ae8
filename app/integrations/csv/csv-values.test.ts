import { describe, expect, it } from "vitest";
import { parseCsvAmount, parseCsvDate, parseCsvQuantity, type CsvDateOrder, type CsvDecimalSeparator } from "./csv-values";

describe("parseCsvAmount", () => {
  const cases: [text: string, separator: CsvDecimalSeparator, digits: number, minor: bigint | null][] = [
    ["12.50", ".", 2, 1250n],
    ["12,50", ",", 2, 1250n],
    ["12,5", ",", 2, 1250n],
    ["12", ".", 2, 1200n],
    ["0.99", ".", 2, 99n],
    ["1.234,56", ",", 2, 123456n],
    ["1.234,56", ".", 2, 123456n],
    ["1,234.56", ".", 2, 123456n],
    ["1,234.56", ",", 2, 123456n],
    ["1.234.567,89", ",", 2, 123456789n],
    ["1 234,56", ",", 2, 123456n],
    ["1'234.50", ".", 2, 123450n],
    ["1.234", ",", 2, 123400n],
    ["1,234", ".", 2, 123400n],
    ["1.234", ".", 2, 123n],
    ["12.5", ",", 2, 1250n],
    ["12,5", ".", 2, 1250n],
    ["€ 12,50", ",", 2, 1250n],
    ["12,50 €", ",", 2, 1250n],
    ["€12.50", ".", 2, 1250n],
    ["12.50 EUR", ".", 2, 1250n],
    ["EUR 1.234,56", ",", 2, 123456n],
    ["CHF 12.50", ".", 2, 1250n],
    ["Fr. 12.50", ".", 2, 1250n],
    ["-3,00", ",", 2, -300n],
    ["−3,00", ",", 2, -300n],
    ["3,00-", ",", 2, -300n],
    ["-€ 3,00", ",", 2, -300n],
    ["€ -3,00", ",", 2, -300n],
    ["(3.00)", ".", 2, -300n],
    ["+3.00", ".", 2, 300n],
    [".50", ".", 2, 50n],
    ["-0,00", ",", 2, 0n],
    ["1200", ".", 0, 1200n],
    ["1.200", ",", 0, 1200n],
    ["12.345", ".", 3, 12345n],
    ["12.6050", ".", 2, 1261n],
    ["12.6049", ".", 2, 1260n],
    ["-12.605", ".", 2, -1261n],
    ["  7,00  ", ",", 2, 700n],
    ["", ",", 2, null],
    ["   ", ".", 2, null],
  ];
  it.each(cases)("%j with %j (%i digits) → %s", (text, separator, digits, minor) => {
    expect(parseCsvAmount(text, separator, digits)).toEqual({ ok: true, value: minor });
  });

  const bad = ["twelve", "12,50,30", "1.23.4,5", "1,2345.6", "12..5", "1.2.3", "12 50", "€", "--3", "(3.00", "12,5x", "1.234,56.7", "n/a", "3,00- -"];
  it.each(bad)("rejects %j with a reason that quotes it", (text) => {
    const parsed = parseCsvAmount(text, ",", 2);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(JSON.stringify(text.trim()));
  });
});

describe("parseCsvDate", () => {
  const utc = (text: string) => new Date(text);
  const cases: [text: string, order: CsvDateOrder, expected: Date][] = [
    // Shopify's export format, with its offset.
    ["2024-03-05 14:22:10 +0100", "YMD", utc("2024-03-05T13:22:10Z")],
    ["2024-07-05 14:22:10 +0200", "DMY", utc("2024-07-05T12:22:10Z")],
    ["2024-03-05 14:22:10 -0500", "MDY", utc("2024-03-05T19:22:10Z")],
    // ISO 8601 with and without a zone; without one it is UTC.
    ["2024-03-05T14:22:10Z", "DMY", utc("2024-03-05T14:22:10Z")],
    ["2024-03-05T14:22:10.250+01:00", "DMY", utc("2024-03-05T13:22:10.250Z")],
    ["2024-03-05T14:22:10", "MDY", utc("2024-03-05T14:22:10Z")],
    ["2024-03-05T14:22", "DMY", utc("2024-03-05T14:22:00Z")],
    ["2024-03-05", "MDY", utc("2024-03-05T00:00:00Z")],
    ["2024-03-05 14:22:10 UTC", "DMY", utc("2024-03-05T14:22:10Z")],
    // German.
    ["05.03.2024", "DMY", utc("2024-03-05T00:00:00Z")],
    ["05.03.2024 14:22", "DMY", utc("2024-03-05T14:22:00Z")],
    ["05.03.2024, 14:22:10", "DMY", utc("2024-03-05T14:22:10Z")],
    ["05.03.2024 14:22 Uhr", "DMY", utc("2024-03-05T14:22:00Z")],
    ["5.3.24", "DMY", utc("2024-03-05T00:00:00Z")],
    ["5.3.99", "DMY", utc("1999-03-05T00:00:00Z")],
    // Slashes, per the date order.
    ["03/05/2024", "DMY", utc("2024-05-03T00:00:00Z")],
    ["03/05/2024", "MDY", utc("2024-03-05T00:00:00Z")],
    ["3/5/2024 2:22 PM", "MDY", utc("2024-03-05T14:22:00Z")],
    ["3/5/2024 12:05 AM", "MDY", utc("2024-03-05T00:05:00Z")],
    ["03/05/2024", "YMD", utc("2024-03-05T00:00:00Z")],
    ["05.03.2024", "YMD", utc("2024-03-05T00:00:00Z")],
    ["2024/03/05", "DMY", utc("2024-03-05T00:00:00Z")],
    ["24-03-05", "YMD", utc("2024-03-05T00:00:00Z")],
    ["05-03-2024", "DMY", utc("2024-03-05T00:00:00Z")],
    // Month names, English and German.
    ["5 Mar 2024", "MDY", utc("2024-03-05T00:00:00Z")],
    ["05-Mar-2024", "DMY", utc("2024-03-05T00:00:00Z")],
    ["5. März 2024", "DMY", utc("2024-03-05T00:00:00Z")],
    ["5. Dezember 2024 18:30", "DMY", utc("2024-12-05T18:30:00Z")],
    ["March 5, 2024", "DMY", utc("2024-03-05T00:00:00Z")],
    ["Sept 30 2024", "DMY", utc("2024-09-30T00:00:00Z")],
    // Leap day.
    ["29.02.2024", "DMY", utc("2024-02-29T00:00:00Z")],
  ];
  it.each(cases)("%j (%s) → %s", (text, order, expected) => {
    expect(parseCsvDate(text, order)).toEqual({ ok: true, value: expected });
  });

  it("reads a blank cell as no date", () => {
    expect(parseCsvDate("  ", "DMY")).toEqual({ ok: true, value: null });
  });

  const bad: [string, CsvDateOrder][] = [
    ["31.02.2024", "DMY"],
    ["29.02.2023", "DMY"],
    ["13/05/2024", "MDY"],
    ["2024-13-01", "DMY"],
    ["2024-03-05 25:00", "DMY"],
    ["2024-03-05 14:60", "DMY"],
    ["5 Foo 2024", "DMY"],
    ["yesterday", "DMY"],
    ["2024", "DMY"],
    ["05.03.202", "DMY"],
    ["13:22 PM 05.03.2024", "DMY"],
    ["3/5/2024 13:22 PM", "MDY"],
    ["2024-03-05T10:00:00+15:00", "DMY"],
  ];
  it.each(bad)("rejects %j (%s) and names the expected format", (text, order) => {
    const parsed = parseCsvDate(text, order);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/^not a date \(expected e\.g\. (DD\.MM\.YYYY|MM\/DD\/YYYY|YYYY-MM-DD)\): /);
  });
});

describe("parseCsvQuantity", () => {
  it.each([
    ["2", 2],
    [" 3 ", 3],
    ["2,0", 2],
    ["2.00", 2],
    ["3 Stk.", 3],
    ["1 pcs", 1],
    ["4x", 4],
    ["0", 0],
  ] as const)("%j → %i", (text, quantity) => {
    expect(parseCsvQuantity(text)).toEqual({ ok: true, value: quantity });
  });

  it("reads a blank cell as no quantity", () => {
    expect(parseCsvQuantity("")).toEqual({ ok: true, value: null });
  });

  it.each([
    ["1.5", "not a whole number of items"],
    ["-1", "a negative quantity"],
    ["zwei", "not a quantity"],
    ["2 boxes", "not a quantity"],
    ["5000000", "an implausibly large quantity"],
  ])("rejects %j: %s", (text, reason) => {
    expect(parseCsvQuantity(text)).toEqual({ ok: false, reason: `${reason}: ${JSON.stringify(text)}` });
  });
});
