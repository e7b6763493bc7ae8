import { createHash } from "node:crypto";
import { normalizeEmail } from "../core/customer-identity";
import { db as appDb, type Db } from "../db.server";
import { fileStore } from "../files/file-store.server";
import { webhookPayloadMentions, type ParsedComplianceWebhook } from "../integrations/shopify/compliance-payloads";
import {
  completeDataRequest,
  createDataRequest,
  deleteShopData,
  failDataRequest,
  findCustomerContacts,
  findCustomerIdsByShopifyId,
  findCustomersByEmail,
  findDataRequestByShopifyRequestId,
  findPersonFiles,
  findShopForCompliance,
  findShopifyIds,
  findWebhookEventsContaining,
  listDataRequests as listDataRequestRows,
  listShopFiles,
  loadPersonData,
  redactPerson,
  restartDataRequest,
  stopShop,
  type ComplianceShop,
  type PersonData,
  type PersonScope,
} from "../repositories/compliance-repository.server";
import { createDownloadUrl, storeFile } from "./stored-files.server";

export type ComplianceOutcome = { outcome: "done" | "no-shop" | "no-customer"; detail?: string };

/**
 * Carries out a parsed compliance webhook (PRODUCT.md E1) for the shop that sent it. Every
 * branch is safe to run again: a retried delivery finishes what a failed run left, and a
 * repeated one changes nothing. "no-shop" and "no-customer" are answers, not failures: Shopify
 * only needs the request honoured, and there may be nothing held.
 */
export async function applyComplianceRequest(
  db: Db,
  { shopDomain, request, now }: { shopDomain: string; request: ParsedComplianceWebhook; now: Date },
): Promise<ComplianceOutcome> {
  switch (request.kind) {
    case "customers-data-request":
      return answerDataRequest(db, { shopDomain, request, now });
    case "customers-redact":
      return redactCustomer(db, { shopDomain, request, now });
    case "shop-redact":
      return redactShop(db, { shopDomain });
  }
}

/**
 * app/uninstalled (E3): the shop is marked uninstalled, its sessions go, letters not yet handed
 * to a provider are cancelled and queued jobs removed. The shop's data stays until shop/redact,
 * which Shopify sends 48 hours later.
 */
export async function stopShopActivity(db: Db, { shopDomain, now }: { shopDomain: string; now: Date }): Promise<{ cancelledLetters: number; cancelledJobs: number }> {
  const shop = await findShopForCompliance(db, { domain: shopDomain });
  return stopShop(db, { shopId: shop?.id ?? null, shopDomain, now });
}

export type DataRequestListItem = {
  id: string;
  createdAt: string;
  completedAt: string | null;
  shopifyCustomerId: string | null;
  status: "PENDING" | "READY" | "FAILED";
  /** A signed, short-lived link to the export; null while pending, after a failure or once erased. */
  downloadUrl: string | null;
  /** The export existed but was deleted by a later customers/redact. */
  exportErased: boolean;
};

const DATA_REQUEST_LIST_SIZE = 50;

/** The shop's latest data requests for Settings, each READY one with a fresh download link. */
export async function listDataRequests({ shopId, now = new Date() }: { shopId: string; now?: Date }): Promise<DataRequestListItem[]> {
  const rows = await listDataRequestRows(appDb(), { shopId, take: DATA_REQUEST_LIST_SIZE });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    shopifyCustomerId: row.shopifyCustomerId,
    status: row.status,
    downloadUrl: row.status === "READY" && row.fileId ? createDownloadUrl({ shopId, fileId: row.fileId, now }) : null,
    exportErased: row.status === "READY" && row.fileId === null,
  }));
}

// ---------------------------------------------------------------------------
// Finding a person
// ---------------------------------------------------------------------------

type Person = {
  scope: PersonScope;
  emailNormalized: string | null;
  emailHash: string | null;
  contacts: Awaited<ReturnType<typeof findCustomerContacts>>;
};

/** Customer.emailHash: salted so the hashes of two shops cannot be compared. */
function hashEmail(salt: string, emailNormalized: string): string {
  return createHash("sha256").update(`${salt}:${emailNormalized}`, "utf8").digest("hex");
}

/**
 * Everyone in the shop this request is about: the Shopify identity and the e-mail are both
 * used, because Shopify sometimes sends only one of them and one person may exist as more than
 * one customer record (a source whose e-mail differed at import time). The hash finds customers
 * already redacted.
 */
async function resolvePerson(
  db: Db,
  shop: ComplianceShop,
  { shopifyCustomerId, email, shopifyOrderIds }: { shopifyCustomerId: string | null; email: string | null; shopifyOrderIds: string[] },
): Promise<Person> {
  const emailNormalized = normalizeEmail(email);
  const emailHash = emailNormalized ? hashEmail(shop.emailHashSalt, emailNormalized) : null;
  const [byIdentity, byEmail] = await Promise.all([
    shopifyCustomerId ? findCustomerIdsByShopifyId(db, { shopId: shop.id, shopifyCustomerId }) : Promise.resolve([]),
    emailNormalized && emailHash ? findCustomersByEmail(db, { shopId: shop.id, emailNormalized, emailHash }) : Promise.resolve([]),
  ]);
  const customerIds = unique([...byIdentity, ...byEmail.map((row) => row.id)]);
  const contacts = customerIds.length > 0 ? await findCustomerContacts(db, { shopId: shop.id, customerIds }) : [];
  const emails = unique([email?.trim(), emailNormalized, ...contacts.flatMap((contact) => [contact.email, contact.emailNormalized])]);
  return { scope: { customerIds, emails, shopifyOrderIds }, emailNormalized, emailHash, contacts };
}

function unique(values: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length > 0))];
}

/**
 * Export file names, which tie an export to its person even if its DataRequest row was never
 * updated (a crash between storing the file and marking the request READY).
 */
function exportFilename(key: { shopifyCustomerId?: string | null; customerId?: string | null; emailHash?: string | null }): string | null {
  if (key.shopifyCustomerId) return `customer-${key.shopifyCustomerId}-data-export.json`;
  if (key.customerId) return `customer-${key.customerId}-data-export.json`;
  if (key.emailHash) return `customer-email-${key.emailHash.slice(0, 16)}-data-export.json`;
  return null;
}

// ---------------------------------------------------------------------------
// customers/data_request
// ---------------------------------------------------------------------------

async function answerDataRequest(
  db: Db,
  { shopDomain, request, now }: { shopDomain: string; request: Extract<ParsedComplianceWebhook, { kind: "customers-data-request" }>; now: Date },
): Promise<ComplianceOutcome> {
  const shop = await findShopForCompliance(db, { domain: shopDomain });
  if (!shop) return { outcome: "no-shop" };

  // Shopify may deliver the same request more than once (and under a new webhook id when it is
  // sent again): one row per data_request id. A row left PENDING or FAILED is completed now.
  const existing = request.dataRequestId ? await findDataRequestByShopifyRequestId(db, { shopId: shop.id, shopifyRequestId: request.dataRequestId }) : null;
  if (existing?.status === "READY") {
    return { outcome: existing.customerId ? "done" : "no-customer", detail: `data request ${request.dataRequestId} was already answered` };
  }

  const person = await resolvePerson(db, shop, { shopifyCustomerId: request.shopifyCustomerId, email: request.email, shopifyOrderIds: request.ordersRequested });
  const customerId = person.scope.customerIds[0] ?? null;
  let dataRequestId: string;
  if (existing) {
    await restartDataRequest(db, { shopId: shop.id, dataRequestId: existing.id, customerId });
    dataRequestId = existing.id;
  } else {
    const created = await createDataRequest(db, {
      shopId: shop.id,
      request: { customerId, shopifyCustomerId: request.shopifyCustomerId, shopifyRequestId: request.dataRequestId, createdAt: now },
    });
    dataRequestId = created.id;
  }

  let held: boolean;
  try {
    const data = await loadPersonData(db, { shopId: shop.id, scope: person.scope });
    const document = buildDataExport({ shop, request, data, now });
    held = document.dataHeld;
    const filename = exportFilename({ shopifyCustomerId: request.shopifyCustomerId, customerId, emailHash: person.emailHash }) ?? `data-request-${dataRequestId}-data-export.json`;
    const file = await storeFile({
      shopId: shop.id,
      kind: "DATA_EXPORT",
      filename,
      contentType: "application/json; charset=utf-8",
      bytes: Buffer.from(`${JSON.stringify(document, exportReplacer, 2)}\n`, "utf8"),
    });
    await completeDataRequest(db, { shopId: shop.id, dataRequestId, fileId: file.id, completedAt: now });
  } catch (error) {
    // Visible as FAILED in Settings; the processor's retry finds this row and completes it.
    await failDataRequest(db, { shopId: shop.id, dataRequestId }).catch(() => undefined);
    throw error;
  }

  if (customerId === null) return { outcome: "no-customer", detail: held ? "no customer record; orders or checkouts matched and were exported" : "nothing held; an export saying so was stored" };
  return { outcome: "done", detail: `exported ${person.scope.customerIds.length} customer record(s)` };
}

export const DATA_EXPORT_FORMAT = "letterloop.customer-data-export";

// Internal keys that tell the person nothing: the tenant id, and the QR token (a credential
// for the landing page, printed on the letter they already hold).
const OMITTED_KEYS = new Set(["shopId", "qrToken"]);

/**
 * The export the merchant hands to the customer: every row held about them in this shop, with
 * money as decimal strings of minor units (exact beyond 2^53) and dates as ISO 8601.
 */
export function buildDataExport({
  shop,
  request,
  data,
  now,
}: {
  shop: { domain: string; name: string };
  request: Extract<ParsedComplianceWebhook, { kind: "customers-data-request" }>;
  data: PersonData;
  now: Date;
}) {
  const customers = data.customers.map(({ letters, campaignRecipient, ...customer }) => ({
    ...customer,
    letters: letters.map(({ recipientSnapshot, senderSnapshot, ...letter }) => ({
      ...letter,
      recipientSnapshot: parseJsonText(recipientSnapshot),
      senderSnapshot: parseJsonText(senderSnapshot),
    })),
    campaignMemberships: campaignRecipient.map(({ campaign, ...membership }) => ({ ...membership, campaignName: campaign.name })),
  }));
  const dataHeld = customers.length > 0 || data.orders.length > 0 || data.checkouts.length > 0;
  return {
    format: DATA_EXPORT_FORMAT,
    version: 1,
    generatedAt: now.toISOString(),
    shop: { domain: shop.domain, name: shop.name },
    request: {
      shopifyDataRequestId: request.dataRequestId,
      shopifyCustomerId: request.shopifyCustomerId,
      ordersRequested: request.ordersRequested,
    },
    dataHeld,
    summary: dataHeld
      ? `${customers.length} customer record(s), ${data.orders.length} order(s), ${data.checkouts.length} checkout(s) held by LetterLoop for this shop.`
      : "LetterLoop holds no data about this customer for this shop.",
    customers,
    orders: data.orders,
    checkouts: data.checkouts,
  };
}

function exportReplacer(key: string, value: unknown): unknown {
  if (OMITTED_KEYS.has(key)) return undefined;
  if (typeof value === "bigint") return value.toString();
  return value;
}

function parseJsonText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------
// customers/redact
// ---------------------------------------------------------------------------

async function redactCustomer(
  db: Db,
  { shopDomain, request, now }: { shopDomain: string; request: Extract<ParsedComplianceWebhook, { kind: "customers-redact" }>; now: Date },
): Promise<ComplianceOutcome> {
  const shop = await findShopForCompliance(db, { domain: shopDomain });
  if (!shop) return { outcome: "no-shop" };

  const person = await resolvePerson(db, shop, { shopifyCustomerId: request.shopifyCustomerId, email: request.email, shopifyOrderIds: request.ordersToRedact });
  const { customerIds } = person.scope;

  const exportFilenames = unique([
    exportFilename({ shopifyCustomerId: request.shopifyCustomerId }),
    ...customerIds.map((customerId) => exportFilename({ customerId })),
    exportFilename({ emailHash: person.emailHash }),
  ]);
  const files = await findPersonFiles(db, { shopId: shop.id, customerIds, shopifyCustomerId: request.shopifyCustomerId, exportFilenames });

  const known = await findShopifyIds(db, { shopId: shop.id, scope: person.scope });
  const mentions = {
    emails: person.scope.emails,
    shopifyCustomerIds: unique([request.shopifyCustomerId, ...known.customerIds]),
    shopifyOrderIds: unique([...request.ordersToRedact, ...known.orderIds]),
  };
  const candidates = await findWebhookEventsContaining(db, {
    shopDomain,
    needles: unique([...mentions.emails, ...mentions.shopifyCustomerIds, ...mentions.shopifyOrderIds]),
  });
  const webhookEventIds = candidates.filter((event) => payloadMentions(event.topic, event.payload, mentions)).map((event) => event.id);

  // The hash outlives the e-mail so an opted-out person is recognised if they come back.
  const emailHashes = new Map(
    person.contacts.map((contact) => [contact.id, contact.emailHash ?? (contact.emailNormalized ? hashEmail(shop.emailHashSalt, contact.emailNormalized) : null)]),
  );

  // Bytes first, rows second: if anything fails in between, the rows still point at the files
  // and a retry finds and finishes them. The other order could leave letter PDFs on disk that
  // no row leads to any more.
  const store = fileStore();
  for (const file of files) await store.delete(file.key);

  const result = await redactPerson(db, {
    shopId: shop.id,
    shopDomain,
    redaction: { customerIds, emailHashes, scope: person.scope, shopifyCustomerId: request.shopifyCustomerId, fileIds: files.map((file) => file.id), webhookEventIds, now },
  });

  const detail =
    `${customerIds.length} customer record(s); removed ${result.identities} identities, ${result.checkouts} checkouts, ${result.files} files, ` +
    `${result.scans} QR scans; anonymised ${result.orders} orders and ${result.letters} letters (${result.cancelledLetters} cancelled); ` +
    `emptied ${result.webhookEvents} recorded deliveries`;
  return { outcome: customerIds.length > 0 ? "done" : "no-customer", detail };
}

function payloadMentions(topic: string, payload: string, person: Parameters<typeof webhookPayloadMentions>[1]): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload) as unknown;
  } catch {
    // Not JSON, yet it contains one of the person's e-mails or ids: emptied to be safe.
    return true;
  }
  return webhookPayloadMentions({ topic, payload: parsed }, person);
}

// ---------------------------------------------------------------------------
// shop/redact
// ---------------------------------------------------------------------------

/**
 * Erases the shop: its stored files, then in one transaction the Shop row (whose cascade takes
 * every shop-scoped table), its jobs, sessions and recorded deliveries except shop/redact's own.
 * Sessions and deliveries are removed even when no Shop row exists (a shop that never opened
 * the app has a session but no row).
 */
async function redactShop(db: Db, { shopDomain }: { shopDomain: string }): Promise<ComplianceOutcome> {
  const shop = await findShopForCompliance(db, { domain: shopDomain });
  let removedFiles = 0;
  if (shop) {
    const store = fileStore();
    // Bytes before rows, for the same reason as in redactCustomer.
    for (const file of await listShopFiles(db, { shopId: shop.id })) {
      await store.delete(file.key);
      removedFiles++;
    }
  }
  const removed = await deleteShopData(db, { shopId: shop?.id ?? null, shopDomain });
  const detail = `removed ${removed.shops} shop, ${removedFiles} files, ${removed.jobs} jobs, ${removed.sessions} sessions, ${removed.webhookEvents} recorded deliveries`;
  return { outcome: shop ? "done" : "no-shop", detail };
}
