import { describe, expect, it } from "vitest";
import { convertMinorAmount, formatMoney, minorDigits, parseDecimalToMinor, toDecimalString } from "./money";

describe("money in minor units", () => {
  it.each([
    ["EUR", 2],
    ["JPY", 0],
    ["KWD", 3],
    ["IDR", 2],
  ])("%s has %i minor digits", (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });

  it.each([
    [{ amountMinor: 1230, currency: "EUR" }, "12.30"],
    [{ amountMinor: 5, currency: "EUR" }, "0.05"],
    [{ amountMinor: -199, currency: "EUR" }, "-1.99"],
    [{ amountMinor: 1200, currency: "JPY" }, "1200"],
    [{ amountMinor: 1234, currency: "KWD" }, "1.234"],
    [{ amountMinor: 1_000_000_000_000, currency: "IDR" }, "10000000000.00"],
  ])("writes %o as %s", (money, expected) => {
    expect(toDecimalString(money)).toBe(expected);
  });

  it.each([
    ["12.3", "EUR", 1230],
    ["12", "EUR", 1200],
    ["0.005", "EUR", 1],
    ["0.004", "EUR", 0],
    ["-4.50", "EUR", -450],
    ["1200", "JPY", 1200],
    ["12,30", "EUR", null],
    ["", "EUR", null],
    ["1e3", "EUR", null],
  ])("reads %s %s as %s", (value, currency, expected) => {
    expect(parseDecimalToMinor(value, currency)).toBe(expected);
  });

  it("formats for the admin language", () => {
    expect(formatMoney({ amountMinor: 123456, currency: "EUR" }, "de-DE").replace(/\s/g, " ")).toBe("1.234,56 €");
    expect(formatMoney({ amountMinor: 123456, currency: "EUR" }, "en-US")).toBe("€1,234.56");
  });
});

describe("convertMinorAmount", () => {
  it("keeps amounts already in the shop currency", () => {
    expect(convertMinorAmount(12_345n, "EUR", "eur", "9")).toBe(12_345n);
  });
  it("converts across minor units and rounds half away from zero", () => {
    expect(convertMinorAmount(10_000n, "USD", "EUR", "0.9215")).toBe(9_215n);
    expect(convertMinorAmount(1_000n, "JPY", "EUR", "0.0061")).toBe(610n);
    expect(convertMinorAmount(1_005n, "EUR", "JPY", "1")).toBe(10n);
    expect(convertMinorAmount(1_000n, "KWD", "EUR", "3")).toBe(300n);
    expect(convertMinorAmount(-1_005n, "EUR", "JPY", "1")).toBe(-10n);
  });
  it("refuses a rate that is not a positive decimal", () => {
    expect(convertMinorAmount(100n, "USD", "EUR", "0")).toBeNull();
    expect(convertMinorAmount(100n, "USD", "EUR", "-1.2")).toBeNull();
    expect(convertMinorAmount(100n, "USD", "EUR", "1,2")).toBeNull();
  });
});
