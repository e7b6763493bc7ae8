import { z } from "zod";

/**
 * The three mandatory compliance webhooks (integrations.md 1.4), parsed at the edge. Only the
 * fields the app acts on are read; `shop_id` and `shop_domain` are left out because the shop is
 * taken from the verified X-Shopify-Shop-Domain header, never from the body.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 */

export type ParsedComplianceWebhook =
  | { kind: "customers-data-request"; shopifyCustomerId: string | null; email: string | null; ordersRequested: string[]; dataRequestId: string | null }
  | { kind: "customers-redact"; shopifyCustomerId: string | null; email: string | null; ordersToRedact: string[] }
  | { kind: "shop-redact" };

export type ComplianceKind = ParsedComplianceWebhook["kind"];

// Shopify sends REST ids as JSON numbers; ids are kept as decimal strings everywhere else
// (CustomerIdentity.sourceId, Order.sourceId). Numeric strings are accepted too.
// One message for every wrong shape (a union would report its last branch's complaint).
const ShopifyIdSchema = z.unknown().transform((value, context) => {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return value.trim();
  context.addIssue({ code: "custom", message: "must be a numeric Shopify id" });
  return z.NEVER;
});

// Blank e-mails count as absent; redaction payloads sometimes carry only one of id and e-mail.
const OptionalEmailSchema = z
  .string({ error: "must be a string" })
  .nullish()
  .transform((value) => {
    const trimmed = value?.trim() ?? "";
    return trimmed.length > 0 ? trimmed : null;
  });

const ComplianceCustomerSchema = z.object(
  {
    id: ShopifyIdSchema.nullish().transform((value) => value ?? null),
    email: OptionalEmailSchema,
  },
  { error: "must be an object" },
);

const OrderIdsSchema = z
  .array(ShopifyIdSchema, { error: "must be an array of order ids" })
  .nullish()
  .transform((ids) => [...new Set(ids ?? [])]);

export const CustomersDataRequestPayloadSchema = z.object(
  {
    customer: ComplianceCustomerSchema,
    orders_requested: OrderIdsSchema,
    data_request: z
      .object({ id: ShopifyIdSchema.nullish().transform((value) => value ?? null) }, { error: "must be an object" })
      .nullish()
      .transform((value) => value ?? null),
  },
  { error: "must be an object" },
);
export type CustomersDataRequestPayload = z.infer<typeof CustomersDataRequestPayloadSchema>;

export const CustomersRedactPayloadSchema = z.object(
  {
    customer: ComplianceCustomerSchema,
    orders_to_redact: OrderIdsSchema,
  },
  { error: "must be an object" },
);
export type CustomersRedactPayload = z.infer<typeof CustomersRedactPayloadSchema>;

// shop/redact carries nothing the app needs beyond the (header) shop; it must still be an object.
export const ShopRedactPayloadSchema = z.object({}, { error: "must be an object" });

const TOPICS: Record<string, ComplianceKind> = {
  customers_data_request: "customers-data-request",
  customers_redact: "customers-redact",
  shop_redact: "shop-redact",
};

/**
 * The compliance kind of a topic as authenticate.webhook returns it ("CUSTOMERS_REDACT") or as
 * the X-Shopify-Topic header spells it ("customers/redact"); null for any other topic.
 */
export function complianceKindOf(topic: string): ComplianceKind | null {
  return TOPICS[topic.trim().toLowerCase().replace("/", "_")] ?? null;
}

/**
 * A compliance delivery as the data the app acts on. null when the topic is not a compliance
 * topic; `{ ok: false, reason }` naming every bad field when the payload does not fit.
 */
export function parseComplianceWebhook(input: {
  topic: string;
  payload: unknown;
}): { ok: true; value: ParsedComplianceWebhook } | { ok: false; reason: string } | null {
  const kind = complianceKindOf(input.topic);
  if (kind === null) return null;

  if (kind === "shop-redact") {
    const parsed = ShopRedactPayloadSchema.safeParse(input.payload);
    return parsed.success ? { ok: true, value: { kind } } : { ok: false, reason: describeIssues(parsed.error) };
  }

  if (kind === "customers-data-request") {
    const parsed = CustomersDataRequestPayloadSchema.safeParse(input.payload);
    if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
    const { customer, orders_requested, data_request } = parsed.data;
    if (customer.id === null && customer.email === null) return { ok: false, reason: "customer: has neither an id nor an email" };
    return {
      ok: true,
      value: { kind, shopifyCustomerId: customer.id, email: customer.email, ordersRequested: orders_requested, dataRequestId: data_request?.id ?? null },
    };
  }

  const parsed = CustomersRedactPayloadSchema.safeParse(input.payload);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const { customer, orders_to_redact } = parsed.data;
  // Without an id or e-mail there may still be orders to anonymise; with none of the three
  // there is nothing to act on.
  if (customer.id === null && customer.email === null && orders_to_redact.length === 0) {
    return { ok: false, reason: "customer: has neither an id nor an email, and orders_to_redact is empty" };
  }
  return { ok: true, value: { kind, shopifyCustomerId: customer.id, email: customer.email, ordersToRedact: orders_to_redact } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(payload)"}: ${issue.message}`).join("; ");
}

export type PersonReference = {
  /** As given and as stored; compared trimmed and case-insensitively. */
  emails: readonly string[];
  shopifyCustomerIds: readonly string[];
  shopifyOrderIds: readonly string[];
};

/**
 * Whether a stored webhook payload carries data about this person: any string equal to one of
 * their e-mails (email, contact_email, customer.email, …), a `customer` object with their id,
 * or, for customer and order topics, their customer or order id at the top level. Used to
 * scrub recorded deliveries on customers/redact.
 */
export function webhookPayloadMentions({ topic, payload }: { topic: string; payload: unknown }, person: PersonReference): boolean {
  const emails = new Set(person.emails.map((email) => email.trim().toLowerCase()).filter(Boolean));
  const customerIds = new Set(person.shopifyCustomerIds);
  const orderIds = new Set(person.shopifyOrderIds);
  const normalisedTopic = topic.trim().toLowerCase().replace("/", "_");

  if (isRecord(payload)) {
    const topId = idString(payload.id);
    if (topId !== null && normalisedTopic.startsWith("customers_") && customerIds.has(topId)) return true;
    if (topId !== null && normalisedTopic.startsWith("orders_") && orderIds.has(topId)) return true;
  }

  const visit = (value: unknown, key: string | null): boolean => {
    if (typeof value === "string") return emails.has(value.trim().toLowerCase());
    if (Array.isArray(value)) return value.some((item) => visit(item, null));
    if (!isRecord(value)) return false;
    if (key === "customer") {
      const id = idString(value.id);
      if (id !== null && customerIds.has(id)) return true;
    }
    return Object.entries(value).some(([childKey, child]) => visit(child, childKey));
  };
  return visit(payload, null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Ids appear as numbers in REST payloads and as GraphQL gids ("gid://shopify/Customer/1") elsewhere.
function idString(value: unknown): string | null {
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value !== "string") return null;
  const match = /^(?:gid:\/\/shopify\/\w+\/)?(\d+)$/.exec(value.trim());
  return match ? match[1]! : null;
}
