import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobRegistry, defineJob, describeIssues } from "./job-definitions";

describe("job registry", () => {
  it("refuses two definitions with one name", () => {
    const twin = () => defineJob({ name: "twin", payload: z.null(), handler: async () => undefined });
    expect(() => createJobRegistry([twin(), twin()])).toThrow(/"twin" is defined twice/);
  });

  it("looks definitions up by name", () => {
    const a = defineJob({ name: "a", payload: z.null(), handler: async () => undefined });
    const b = defineJob({ name: "b", payload: z.object({ n: z.number() }), handler: async () => undefined });
    const registry = createJobRegistry([a, b]);
    expect([...registry.keys()]).toEqual(["a", "b"]);
    expect(registry.get("b")).toBe(b);
  });
});

describe("describeIssues", () => {
  it("names the path of every issue, or the payload itself", () => {
    const schema = z.object({ who: z.string(), times: z.number() });
    const nested = schema.safeParse({ who: 1 });
    expect(nested.success).toBe(false);
    expect(describeIssues(nested.error!)).toBe(
      "who: Invalid input: expected string, received number; times: Invalid input: expected number, received undefined",
    );
    const top = schema.safeParse("text");
    expect(describeIssues(top.error!)).toBe("(payload): Invalid input: expected object, received string");
  });
});
