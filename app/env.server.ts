import { z } from "zod";

/**
 * The environment, parsed once. Demo mode (LETTERLOOP_DEMO=1) runs without Shopify credentials
 * on loopback only and is refused in production; production names every missing variable.
 */

export const DEMO_SHOP_DOMAIN = "letterloop-demo.myshopify.com";
// Documented in README.md so anyone can sign webhooks for the demo; never valid in production.
export const DEMO_API_SECRET = "letterloop-demo-secret";
const DEMO_APP_SECRET = "letterloop-demo-app-secret-not-for-production";

const BaseSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  LETTERLOOP_DEMO: z
    .enum(["0", "1", "true", "false", ""])
    .default("0")
    .transform((value) => value === "1" || value === "true"),
  DATABASE_URL: z.string().default("file:./prisma/dev.db"),
  FILE_STORE_DIR: z.string().default("./storage"),
  HOST: z.string().optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  // Where webhook processing and jobs run: inside the web process (one process does it all), or
  // in `npm run jobs:work` beside it (the web process then only verifies and records deliveries).
  LETTERLOOP_BACKGROUND: z.enum(["in-process", "worker"]).default("in-process"),
  // Billbee's REST API; the demo defaults to its own stand-in (app/routes/demo.billbee.api.v1.orders.tsx).
  BILLBEE_API_URL: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })]).optional(),
});

const ProductionSchema = z.object({
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: or postgresql:// URL"),
  SHOPIFY_API_KEY: z.string().min(1, "is required"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: z.string().min(1, "is required"),
  // Signs download links and encrypts stored credentials; at least 32 characters.
  APP_SECRET: z.string().min(32, "must be at least 32 characters"),
});

export type AppEnv = {
  nodeEnv: "production" | "development" | "test";
  demo: boolean;
  background: "in-process" | "worker";
  databaseUrl: string;
  fileStoreDir: string;
  host: string | undefined;
  port: number;
  shopifyApiKey: string;
  shopifyApiSecret: string;
  shopifyAppUrl: string;
  scopes: string[];
  appSecret: string;
  /** Billbee's API base, without a trailing slash (e.g. https://api.billbee.io/api/v1). */
  billbeeApiUrl: string;
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
const DEFAULT_SCOPES = "read_customers,read_orders,read_all_orders,read_products";
export const BILLBEE_DEFAULT_API_URL = "https://api.billbee.io/api/v1";
/** Where the demo's stand-in for Billbee answers, under the app's own URL. */
export const DEMO_BILLBEE_API_PATH = "/demo/billbee/api/v1";

export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  const base = BaseSchema.safeParse(source);
  if (!base.success) {
    throw new EnvError(base.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const { NODE_ENV, LETTERLOOP_DEMO, DATABASE_URL, FILE_STORE_DIR, HOST, PORT, LETTERLOOP_BACKGROUND } = base.data;
  const billbeeApiUrl = (base.data.BILLBEE_API_URL || BILLBEE_DEFAULT_API_URL).replace(/\/+$/, "");

  if (LETTERLOOP_DEMO) {
    if (NODE_ENV === "production") {
      throw new EnvError(["LETTERLOOP_DEMO is set but NODE_ENV=production: demo mode never runs in production"]);
    }
    if (HOST !== undefined && !LOOPBACK_HOSTS.has(HOST)) {
      throw new EnvError([`HOST=${HOST}: demo mode serves on loopback only (127.0.0.1)`]);
    }
    const appUrl = source.SHOPIFY_APP_URL || `http://127.0.0.1:${PORT}`;
    return {
      nodeEnv: NODE_ENV,
      demo: true,
      background: LETTERLOOP_BACKGROUND,
      databaseUrl: DATABASE_URL,
      fileStoreDir: FILE_STORE_DIR,
      host: HOST ?? "127.0.0.1",
      port: PORT,
      shopifyApiKey: source.SHOPIFY_API_KEY || "letterloop-demo-key",
      shopifyApiSecret: source.SHOPIFY_API_SECRET || DEMO_API_SECRET,
      shopifyAppUrl: appUrl,
      scopes: (source.SCOPES || DEFAULT_SCOPES).split(","),
      appSecret: source.APP_SECRET || DEMO_APP_SECRET,
      billbeeApiUrl: base.data.BILLBEE_API_URL ? billbeeApiUrl : `${appUrl.replace(/\/+$/, "")}${DEMO_BILLBEE_API_PATH}`,
    };
  }

  if (NODE_ENV !== "production") {
    // Development against a dev store (`shopify app dev` provides the Shopify variables) and tests.
    return {
      nodeEnv: NODE_ENV,
      demo: false,
      background: LETTERLOOP_BACKGROUND,
      databaseUrl: DATABASE_URL,
      fileStoreDir: FILE_STORE_DIR,
      host: HOST,
      port: PORT,
      shopifyApiKey: source.SHOPIFY_API_KEY || "",
      shopifyApiSecret: source.SHOPIFY_API_SECRET || DEMO_API_SECRET,
      shopifyAppUrl: source.SHOPIFY_APP_URL || `http://127.0.0.1:${PORT}`,
      scopes: (source.SCOPES || DEFAULT_SCOPES).split(","),
      appSecret: source.APP_SECRET || DEMO_APP_SECRET,
      billbeeApiUrl,
    };
  }

  const production = ProductionSchema.safeParse(source);
  if (!production.success) {
    throw new EnvError(
      production.error.issues.map((issue) =>
        source[String(issue.path[0])] === undefined
          ? `${String(issue.path[0])} is missing`
          : `${String(issue.path[0])} ${issue.message}`,
      ),
    );
  }
  const p = production.data;
  return {
    nodeEnv: NODE_ENV,
    demo: false,
    background: LETTERLOOP_BACKGROUND,
    databaseUrl: p.DATABASE_URL,
    fileStoreDir: FILE_STORE_DIR,
    host: HOST,
    port: PORT,
    shopifyApiKey: p.SHOPIFY_API_KEY,
    shopifyApiSecret: p.SHOPIFY_API_SECRET,
    shopifyAppUrl: p.SHOPIFY_APP_URL,
    scopes: p.SCOPES.split(",").map((scope) => scope.trim()),
    appSecret: p.APP_SECRET,
    billbeeApiUrl,
  };
}

let cached: AppEnv | undefined;

/** The process environment, parsed on first use. */
export function env(): AppEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
