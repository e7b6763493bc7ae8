import { describe, expect, it } from "vitest";
import { buildSearchText, customerDisplayName, normalizeEmail, normalizeLanguageTag } from "./customer-identity";
import { isLiveOrder } from "./order-liveness";

describe("normalizeEmail", () => {
  it.each([
    [" Lena@Example.COM ", "lena@example.com"],
    ["jürgen@müller.de", "jürgen@müller.de"],
    ["", null],
    ["   ", null],
    ["no-at-sign", null],
    ["two words@example.com", null],
    [null, null],
  ])("%j → %j", (input, expected) => expect(normalizeEmail(input)).toBe(expected));
});

describe("normalizeLanguageTag", () => {
  it.each([
    ["de", "de"],
    ["DE-de", "de-DE"],
    ["pt_br", "pt-BR"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["", null],
    ["deutsch!", null],
    [null, null],
  ])("%j → %j", (input, expected) => expect(normalizeLanguageTag(input)).toBe(expected));
});

describe("buildSearchText", () => {
  it("lower-cases beyond ASCII and skips blanks", () => {
    expect(buildSearchText("Ärger", "ЖУКОВ", "X@Y.de")).toBe("ärger жуков x@y.de");
    expect(buildSearchText(null, " ", "a@b.c")).toBe("a@b.c");
  });

  it("stores a decomposed umlaut composed, as the search is normalised", () => {
    const decomposed = "Mu\u0308ller";
    expect(decomposed).not.toBe("Müller");
    expect(buildSearchText("Jörg", decomposed, null)).toBe("jörg müller");
  });
});

describe("customerDisplayName", () => {
  it.each([
    [{ firstName: "Anna", lastName: "Müller", redactedAt: null }, "Anna Müller"],
    [{ firstName: null, lastName: "Жуков", redactedAt: null }, "Жуков"],
    [{ firstName: "", lastName: null, redactedAt: null }, null],
    // A redacted row shows no name even if one was left behind.
    [{ firstName: "Anna", lastName: "Müller", redactedAt: new Date("2026-01-01T00:00:00Z") }, null],
  ])("%j → %j", (customer, expected) => {
    expect(customerDisplayName(customer)).toBe(expected);
  });
});

describe("isLiveOrder", () => {
  const received = new Date("2026-11-25T12:00:00Z");
  it.each([
    ["2026-11-25T11:59:00Z", true],
    ["2026-11-24T12:00:00Z", true],
    ["2026-11-24T11:59:59Z", false],
    ["2024-01-01T00:00:00Z", false],
  ])("processed %s, delivered 2026-11-25T12:00Z → live %s", (processed, expected) => {
    expect(isLiveOrder({ processedAt: new Date(processed), receivedAt: received })).toBe(expected);
  });
});
