import { describe, expect, it } from "vitest";
import { de } from "./de";
import { en } from "./en";
import { createI18n, pickLocale } from "./i18n";

function keys(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === "string" ? [`${prefix}${key}`] : keys(child as object, `${prefix}${key}.`),
  );
}

function placeholders(value: object): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const walk = (node: object, prefix: string) => {
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === "string") result[`${prefix}${key}`] = [...child.matchAll(/{{(\w+)}}/g)].map((m) => m[1]!).sort();
      else walk(child as object, `${prefix}${key}.`);
    }
  };
  walk(value, "");
  return result;
}

describe("admin UI text", () => {
  it("has the same keys and placeholders in German and English", () => {
    expect(keys(de).sort()).toEqual(keys(en).sort());
    expect(placeholders(de)).toEqual(placeholders(en));
  });

  it("picks German for any German admin locale and English otherwise", () => {
    expect(pickLocale("de")).toBe("de");
    expect(pickLocale("de-CH")).toBe("de");
    expect(pickLocale("en-US")).toBe("en");
    expect(pickLocale("fr")).toBe("en");
    expect(pickLocale(null)).toBe("en");
  });

  it("interpolates in the chosen language", () => {
    expect(createI18n("de").t("customers.count", { count: 1200, formatted: "1.200" })).toBe("1.200 Kunden");
    expect(createI18n("en").t("customers.count", { count: 1, formatted: "1" })).toBe("1 customer");
    expect(createI18n("en").t("afterPurchase.frequencyCap", { days: 90 })).toBe("At most one letter per customer every 90 days");
  });
});
