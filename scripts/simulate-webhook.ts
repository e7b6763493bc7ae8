// `npm run webhook:simulate -- <topic> [--set path=value ...]`: sends a signed Shopify webhook,
// built from the fixture for that topic, to a running app (the demo by default).
// `npm run webhook:simulate -- scenario abandon-recover [--email …]`: a checkout that is
// abandoned at once, then the order that recovers it.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildDemoData, defaultDemoNow } from "../app/demo/seed-demo.server";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../app/env.server";
import {
  SHOPIFY_FIXTURE,
  SHOPIFY_FIXTURE_NAMES,
  checkoutPayload,
  fixtureBody,
  fixtureNameForTopic,
  orderPayload,
  type PayloadOverrides,
  type ShopifyCheckoutPayload,
  type ShopifyFixtureName,
  type ShopifyOrderPayload,
} from "../tests/support/shopify-fixtures";
import { webhookHeaders } from "../tests/support/shopify-webhooks";

const MINUTE = 60_000;

export type Target = { url: string; shop: string; secret: string };

export function defaultTarget(environment: NodeJS.ProcessEnv = process.env): Target {
  return {
    url: environment.APP_URL || "http://127.0.0.1:3000",
    shop: DEMO_SHOP_DOMAIN,
    secret: environment.SHOPIFY_API_SECRET || DEMO_API_SECRET,
  };
}

/** Thrown for failures the command reports in one line and exits 1 on. */
export class SimulatorError extends Error {
  override name = "SimulatorError";
}

// ---------------------------------------------------------------------------------- payloads

/** Topics with a fixture, as Shopify names them ("orders/create", "customers/data_request"). */
export function availableTopics(): string[] {
  return SHOPIFY_FIXTURE_NAMES.map((name) => name.replace("-", "/"));
}

function fixtureNameOf(topic: string): ShopifyFixtureName {
  const name = fixtureNameForTopic(topic);
  if (!name) throw new SimulatorError(`No fixture for "${topic}". Topics: ${availableTopics().join(", ")}.`);
  return name;
}

/**
 * The fixture's JSON text for a topic, with `--set` changes. Top-level shop fields name the
 * fixture's shop; they are pointed at the target shop, since the app may compare them with
 * X-Shopify-Shop-Domain. Unchanged fixtures go out byte for byte, as Shopify would send them.
 */
export function buildBody(topic: string, sets: string[], shop: string): string {
  const raw = fixtureBody(fixtureNameOf(topic));
  const payload = JSON.parse(raw) as Record<string, unknown>;
  let changed = sets.length > 0;
  for (const key of ["shop_domain", "myshopify_domain", "domain"]) {
    if (payload[key] === SHOPIFY_FIXTURE.shopDomain && shop !== SHOPIFY_FIXTURE.shopDomain) {
      payload[key] = shop;
      changed = true;
    }
  }
  return changed ? JSON.stringify(applySets(payload, sets)) : raw;
}

/**
 * `--set` values are JSON when they parse (42, true, null, {"a":1}, "\"quoted\""), text otherwise.
 * Shopify sends prices and similar as strings ("403.00"), so a bare number or boolean replacing
 * a string keeps being a string: `--set total_price=12.50` stays "12.50".
 */
export function parseSetValue(raw: string, current: unknown): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (typeof current === "string" && (typeof parsed === "number" || typeof parsed === "boolean")) return raw;
  return parsed;
}

/** Sets a dot path ("customer.email", "line_items.0.quantity"), creating objects on the way. */
export function setPath(target: Record<string, unknown>, dotPath: string, raw: string): void {
  const keys = dotPath.split(".");
  if (keys.some((key) => key === "")) throw new SimulatorError(`--set ${dotPath}: empty segment in the path.`);
  let node: Record<string, unknown> | unknown[] = target;
  for (const [index, key] of keys.entries()) {
    const last = index === keys.length - 1;
    const container = node as Record<string, unknown>;
    if (Array.isArray(node) && !/^\d+$/.test(key)) {
      throw new SimulatorError(`--set ${dotPath}: "${keys.slice(0, index).join(".")}" is a list; use an index such as ${keys.slice(0, index).join(".")}.0`);
    }
    if (last) {
      container[key] = parseSetValue(raw, container[key]);
      return;
    }
    const next = container[key];
    if (next === null || next === undefined || typeof next !== "object") container[key] = /^\d+$/.test(keys[index + 1]!) ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  }
}

/** "path=value" pairs applied in order. */
export function applySets(payload: Record<string, unknown>, sets: string[]): Record<string, unknown> {
  for (const assignment of sets) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new SimulatorError(`--set ${assignment}: expected path=value, for example --set customer.email=ada@example.com`);
    setPath(payload, assignment.slice(0, at), assignment.slice(at + 1));
  }
  return payload;
}

// ---------------------------------------------------------------------------------- delivery

export type Delivery = { topic: string; webhookId: string; status: number; body: string };

/** Signs and posts one delivery the way Shopify does (raw body HMAC, the X-Shopify-* headers). */
export async function sendWebhook(
  target: Target,
  topic: string,
  payload: unknown,
  { webhookId = randomUUID() }: { webhookId?: string } = {},
): Promise<Delivery> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const endpoint = `${target.url.replace(/\/+$/, "")}/webhooks/${topic}`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      body,
      headers: webhookHeaders({ topic, shop: target.shop, body, secret: target.secret, webhookId }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new SimulatorError(connectionProblem(error, target.url));
  }
  return { topic, webhookId, status: response.status, body: await response.text() };
}

function connectionProblem(error: unknown, url: string): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return `The app is not running at ${url} (connection refused). Start it with \`npm run demo\`, or pass --url.`;
  if (code === "ENOTFOUND") return `Cannot resolve the host of ${url}.`;
  if ((error as Error).name === "TimeoutError") return `${url} did not answer within 15 s.`;
  return `Cannot reach ${url}: ${(error as Error).message}${code ? ` (${code})` : ""}`;
}

/** A delivery the app did not accept, with the status and what it said. */
export function assertAccepted(delivery: Delivery, target: Target): Delivery {
  if (delivery.status >= 200 && delivery.status < 300) return delivery;
  const hint =
    delivery.status === 401
      ? `\nThe signature was rejected: the app's SHOPIFY_API_SECRET is not the secret used here (--secret, or SHOPIFY_API_SECRET; demo: ${DEMO_API_SECRET}).`
      : delivery.status === 404
        ? `\nNo route for /webhooks/${delivery.topic} at ${target.url}.`
        : "";
  const body = delivery.body.trim().slice(0, 2_000);
  throw new SimulatorError(`${delivery.topic} answered ${delivery.status}${body ? `:\n${body}` : " with an empty body"}${hint}`);
}

// ---------------------------------------------------------------------------------- scenario

type ShopifyAddress = {
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  province: string | null;
  country_code: string | null;
  phone: string | null;
};

export type ScenarioCustomer = {
  email: string;
  firstName: string | null;
  lastName: string | null;
  /** The Shopify customer id, so the app links the checkout to the existing profile. */
  shopifyCustomerId: number;
  /** The customer's id in the demo database, when the e-mail belongs to a demo customer. */
  demoCustomerId: string | null;
  /**
   * Sent as the customer's, billing and shipping address. A demo customer's own, so processing
   * the payloads never gives the profile the fixture shopper's address.
   */
  address: ShopifyAddress | null;
};

/**
 * A demo customer by e-mail (the seed is deterministic, so ids and e-mails match a demo database
 * seeded on any day), or a new shopper for any other address. Without an e-mail: the demo's
 * featured customer, the one with the long order history.
 */
export function scenarioCustomer(email?: string): ScenarioCustomer {
  const demo = buildDemoData(defaultDemoNow());
  const wanted = email?.trim().toLowerCase();
  const customer = wanted ? demo.customers.find((candidate) => candidate.emailNormalized === wanted) : demo.customers[0];
  const shopifyId = customer && demo.identities.find((identity) => identity.customerId === customer.id && identity.source === "SHOPIFY")?.sourceId;
  if (customer && shopifyId) {
    const firstName = customer.firstName ?? null;
    const lastName = customer.lastName ?? null;
    return {
      email: customer.email!,
      firstName,
      lastName,
      shopifyCustomerId: Number(shopifyId),
      demoCustomerId: customer.id,
      address: {
        first_name: firstName,
        last_name: lastName,
        name: customer.addressName ?? null,
        company: customer.company ?? null,
        address1: customer.addressLine1 ?? null,
        address2: customer.addressLine2 ?? null,
        city: customer.city ?? null,
        zip: customer.postalCode ?? null,
        province: customer.region ?? null,
        country_code: customer.countryCode ?? null,
        phone: customer.phone ?? null,
      },
    };
  }
  if (!wanted) throw new SimulatorError("The demo seed has no Shopify customer to use; pass --email.");
  // A shopper the shop has not seen: only the e-mail is known, as for a guest checkout.
  return { email: wanted, firstName: null, lastName: null, shopifyCustomerId: 8_000_000_000_000 + randomInt(1, 999_999_999), demoCustomerId: null, address: null };
}

export function customerProfileUrl(target: Target, customer: ScenarioCustomer): string {
  const base = target.url.replace(/\/+$/, "");
  return customer.demoCustomerId
    ? `${base}/app/customers/${customer.demoCustomerId}`
    : `${base}/app/customers?q=${encodeURIComponent(customer.email)}`;
}

/** Shopify's timestamp shape: seconds, with an offset ("2026-11-20T10:05:11+00:00"). */
export function shopifyTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/**
 * The customer-related fields both payloads share, replacing the fixture shopper's. The
 * factories' override types have no null for objects; deepMerge replaces with null all the same.
 */
function customerFields<T>(customer: ScenarioCustomer, extra: Record<string, unknown> = {}): PayloadOverrides<T> {
  const address = customer.address;
  return {
    ...extra,
    customer: {
      first_name: customer.firstName,
      last_name: customer.lastName,
      phone: address?.phone ?? null,
      default_address: address ? { ...address, customer_id: customer.shopifyCustomerId, default: true } : null,
    },
    billing_address: address,
    shipping_address: address,
  } as unknown as PayloadOverrides<T>;
}

/**
 * checkouts/create whose last update lies `minutesAgo` in the past: past the default 60-minute
 * threshold, the app marks it abandoned as soon as it arrives.
 */
export function abandonedCheckoutPayload(customer: ScenarioCustomer, { now = new Date(), minutesAgo = 180 } = {}) {
  const token = randomBytes(16).toString("hex");
  const payload = checkoutPayload(
    {
      token,
      cartToken: randomBytes(16).toString("hex"),
      email: customer.email,
      customerId: customer.shopifyCustomerId,
      createdAt: shopifyTime(new Date(now.getTime() - (minutesAgo + 15) * MINUTE)),
      updatedAt: shopifyTime(new Date(now.getTime() - minutesAgo * MINUTE)),
      completedAt: null,
    },
    customerFields<ShopifyCheckoutPayload>(customer),
  );
  return { token, payload };
}

/** orders/create completing the checkout with `checkoutToken`: the app marks that checkout recovered. */
export function recoveringOrderPayload(customer: ScenarioCustomer, checkoutToken: string, { now = new Date() } = {}) {
  const at = shopifyTime(now);
  return orderPayload(
    {
      id: 7_000_000_000_000 + randomInt(1, 999_999_999),
      // Shopify numbers from #1001; far above the demo's own orders.
      name: `#${randomInt(50_000, 99_999)}`,
      customerId: customer.shopifyCustomerId,
      email: customer.email,
      checkoutToken,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
    },
    customerFields<ShopifyOrderPayload>(customer, { token: randomBytes(16).toString("hex"), cart_token: randomBytes(16).toString("hex") }),
  );
}

export type ScenarioLog = (line: string) => void;

/**
 * abandon-recover: (1) an abandoned checkout for the customer, (2) after `waitBeforeRecovery`
 * (Enter, or a pause), the order that recovers it. Returns both deliveries and the token.
 */
export async function runAbandonRecover({
  target,
  email,
  waitBeforeRecovery,
  log = console.log,
}: {
  target: Target;
  email?: string;
  /** Between the two deliveries: the command waits for Enter, a test for the abandonment. */
  waitBeforeRecovery: (abandoned: { customer: ScenarioCustomer; checkoutToken: string; profileUrl: string }) => Promise<void>;
  log?: ScenarioLog;
}) {
  const customer = scenarioCustomer(email);
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  log(`Customer: ${name ? `${name} <${customer.email}>` : customer.email}${customer.demoCustomerId ? "" : " (not a demo customer: a new profile)"}`);

  const checkout = abandonedCheckoutPayload(customer);
  const abandoned = assertAccepted(await sendWebhook(target, "checkouts/create", checkout.payload), target);
  log(`1. checkouts/create → ${abandoned.status} (webhook id ${abandoned.webhookId}), token ${checkout.token}, last update 3 h ago (past the 60-minute default threshold): abandoned on arrival`);
  const profileUrl = customerProfileUrl(target, customer);
  log(`   open the customer profile: ${profileUrl}`);

  await waitBeforeRecovery({ customer, checkoutToken: checkout.token, profileUrl });

  const order = recoveringOrderPayload(customer, checkout.token);
  const recovered = assertAccepted(await sendWebhook(target, "orders/create", order), target);
  log(`2. orders/create ${String(order.name)} → ${recovered.status} (webhook id ${recovered.webhookId}) with checkout_token ${checkout.token}: recovers the checkout`);
  log(`   reload the profile: ${profileUrl}`);
  return { customer, checkoutToken: checkout.token, orderId: order.id as number, deliveries: [abandoned, recovered] };
}

// ---------------------------------------------------------------------------------- command

const USAGE = `Usage:
  npm run webhook:simulate -- <topic> [--set path=value ...] [--webhook-id id] [--url URL] [--shop DOMAIN] [--secret SECRET]
  npm run webhook:simulate -- scenario abandon-recover [--email someone@example.com] [--pause-seconds N] [--url …]

  <topic>    e.g. orders/create, checkouts/update (a fixture in tests/fixtures/shopify/)
  --set      dot path into the fixture's JSON, value as JSON when it parses:
             --set email=ada@example.com --set line_items.0.quantity=3 --set customer=null
  Defaults: --url $APP_URL or http://127.0.0.1:3000, --shop ${DEMO_SHOP_DOMAIN},
            --secret $SHOPIFY_API_SECRET or the demo secret.`;

function waitForEnter(prompt: string): Promise<void> {
  return new Promise((resolve) => {
    const input = createInterface({ input: process.stdin, output: process.stdout });
    // End of input (a closed pipe) continues as Enter would.
    input.once("close", () => resolve());
    input.question(prompt, () => {
      // Piped input is not echoed: end the prompt's line.
      if (!process.stdin.isTTY) process.stdout.write("\n");
      input.close();
      resolve();
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      set: { type: "string", multiple: true, default: [] },
      url: { type: "string" },
      shop: { type: "string" },
      secret: { type: "string" },
      "webhook-id": { type: "string" },
      email: { type: "string" },
      "pause-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const defaults = defaultTarget();
  const target: Target = { url: values.url ?? defaults.url, shop: values.shop ?? defaults.shop, secret: values.secret ?? defaults.secret };

  if (positionals[0] === "scenario") {
    if (positionals[1] !== "abandon-recover") throw new SimulatorError(`Unknown scenario "${positionals[1] ?? ""}". Scenarios: abandon-recover.`);
    const pause = values["pause-seconds"] === undefined ? null : Number(values["pause-seconds"]);
    if (pause !== null && !(Number.isFinite(pause) && pause >= 0)) throw new SimulatorError(`--pause-seconds ${values["pause-seconds"]}: expected seconds ≥ 0.`);
    await runAbandonRecover({
      target,
      email: values.email,
      waitBeforeRecovery: () =>
        pause === null
          ? waitForEnter("   Press Enter to send the order that recovers it… ")
          : new Promise((resolve) => setTimeout(resolve, pause * 1000)),
    });
    return 0;
  }

  const [given, ...extra] = positionals;
  if (extra.length > 0) throw new SimulatorError(`Unexpected arguments: ${extra.join(" ")} (one topic per run; values go in --set).`);
  // "ORDERS_CREATE" works too; the route and the header want Shopify's spelling.
  const topic = fixtureNameOf(given!).replace("-", "/");
  const body = buildBody(topic, values.set, target.shop);
  const delivery = assertAccepted(await sendWebhook(target, topic, body, { webhookId: values["webhook-id"] }), target);
  console.log(`${topic} → ${delivery.status}, webhook id ${delivery.webhookId} (${target.shop} at ${target.url})`);
  if (delivery.topic === "app/uninstalled" || delivery.topic === "shop/redact") {
    console.log("Note: the app now treats the shop as uninstalled (shop/redact: its data is erased). Re-seed the demo with `npm run db:seed-demo`.");
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // parseArgs reports unknown options as ERR_PARSE_ARGS_* errors: their message is enough.
      const expected = error instanceof SimulatorError || String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
      const message = expected ? (error as Error).message : String((error as Error).stack ?? error);
      console.error(`webhook:simulate: ${message}`);
      process.exit(1);
    },
  );
}
