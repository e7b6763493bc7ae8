import { describe, expect, it } from "vitest";
import { appJobRegistry } from "./app-jobs.server";

describe("the app's job registry", () => {
  it("holds every recurring and Shopify job under its own name", () => {
    for (const [name, definition] of appJobRegistry) expect(definition.name).toBe(name);
    expect([...appJobRegistry.keys()]).toEqual(
      expect.arrayContaining(["shopify.sweep", "shopify.backfill", "billbee.import", "csv-import", "imports.retention"]),
    );
  });
});
