import { describe, expect, it } from "vitest";
import { DEMO_API_SECRET, EnvError, parseEnv } from "./env.server";

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app@db.internal:5432/letterloop",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://letters.example.com",
  SCOPES: "read_customers,read_orders,read_all_orders,read_products",
  APP_SECRET: "x".repeat(40),
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("refuses demo mode in production", () => {
    expect(problemsOf({ ...PRODUCTION, LETTERLOOP_DEMO: "1" })).toEqual([
      expect.stringContaining("demo mode never runs in production"),
    ]);
  });

  it("keeps demo mode on loopback", () => {
    expect(problemsOf({ LETTERLOOP_DEMO: "1", HOST: "0.0.0.0" })).toEqual([expect.stringContaining("loopback only")]);
    expect(parseEnv({ LETTERLOOP_DEMO: "1", HOST: "127.0.0.1" }).host).toBe("127.0.0.1");
  });

  it("runs the demo without Shopify credentials, with the documented signing secret", () => {
    const env = parseEnv({ LETTERLOOP_DEMO: "1", PORT: "3100" });
    expect(env.demo).toBe(true);
    expect(env.shopifyApiSecret).toBe(DEMO_API_SECRET);
    expect(env.port).toBe(3100);
    expect(env.host).toBe("127.0.0.1");
  });

  it("names every missing production variable", () => {
    expect(problemsOf({ NODE_ENV: "production" })).toEqual([
      "DATABASE_URL is missing",
      "SHOPIFY_API_KEY is missing",
      "SHOPIFY_API_SECRET is missing",
      "SHOPIFY_APP_URL is missing",
      "SCOPES is missing",
      "APP_SECRET is missing",
    ]);
  });

  it("says what is wrong with a present but bad production variable", () => {
    expect(problemsOf({ ...PRODUCTION, APP_SECRET: "short", DATABASE_URL: "mysql://x" })).toEqual([
      "DATABASE_URL must be a file: or postgresql:// URL",
      "APP_SECRET must be at least 32 characters",
    ]);
  });

  it("accepts a complete production environment", () => {
    const env = parseEnv(PRODUCTION);
    expect(env.demo).toBe(false);
    expect(env.scopes).toEqual(["read_customers", "read_orders", "read_all_orders", "read_products"]);
  });

  it("processes in the web process unless told a worker does it", () => {
    expect(parseEnv(PRODUCTION).background).toBe("in-process");
    expect(parseEnv({ ...PRODUCTION, LETTERLOOP_BACKGROUND: "worker" }).background).toBe("worker");
    expect(problemsOf({ ...PRODUCTION, LETTERLOOP_BACKGROUND: "elsewhere" })).toEqual([expect.stringContaining("LETTERLOOP_BACKGROUND")]);
  });

  it("talks to Billbee's API unless told otherwise; the demo talks to its own stand-in", () => {
    expect(parseEnv(PRODUCTION).billbeeApiUrl).toBe("https://api.billbee.io/api/v1");
    expect(parseEnv({ ...PRODUCTION, BILLBEE_API_URL: "https://billbee.proxy.example.com/api/v1/" }).billbeeApiUrl).toBe(
      "https://billbee.proxy.example.com/api/v1",
    );
    expect(parseEnv({ LETTERLOOP_DEMO: "1", PORT: "3100" }).billbeeApiUrl).toBe("http://127.0.0.1:3100/demo/billbee/api/v1");
    expect(parseEnv({ LETTERLOOP_DEMO: "1", BILLBEE_API_URL: "http://127.0.0.1:9999/api/v1" }).billbeeApiUrl).toBe("http://127.0.0.1:9999/api/v1");
    expect(problemsOf({ ...PRODUCTION, BILLBEE_API_URL: "ftp://billbee.example.com" })).toEqual([expect.stringContaining("BILLBEE_API_URL")]);
  });
});
