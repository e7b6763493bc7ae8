import { ERASED_PERSONAL_DETAILS } from "../core/customer-identity";
import type { Db } from "../db.server";
import type { Prisma } from "../../prisma/client/sqlite/client";

/** The app's client or the client of an interactive transaction. */
type Client = Db | Prisma.TransactionClient;

/**
 * Which rows belong to one person in one shop: their customer records, plus orders and
 * checkouts that carry their e-mail or that Shopify named, even when no customer is linked
 * (guest checkouts, orders imported before the customer).
 */
export type PersonScope = {
  customerIds: string[];
  /** Every spelling seen (as sent, normalised, as stored): SQLite has no case-insensitive equality. */
  emails: string[];
  shopifyOrderIds: string[];
};

// Customer columns that name or locate a person; emptied on redaction.
const PERSONAL_FIELDS = [
  "email",
  "emailNormalized",
  "firstName",
  "lastName",
  "company",
  "salutation",
  "phone",
  "addressName",
  "addressLine1",
  "addressLine2",
  "postalCode",
  "city",
  "region",
  "countryCode",
] as const satisfies ReadonlyArray<keyof Prisma.CustomerWhereInput>;

// Letters not yet handed to a print-and-mail provider; later ones are the provider's now.
const NOT_YET_SUBMITTED = ["SCHEDULED", "RENDERED"] as const;

// Topics of shop/redact as recorded by the intake (authenticate.webhook's enum) or a header.
const SHOP_REDACT_TOPICS = ["SHOP_REDACT", "shop/redact"];

export function findShopForCompliance(db: Client, { domain }: { domain: string }) {
  return db.shop.findUnique({ where: { domain }, select: { id: true, domain: true, name: true, emailHashSalt: true } });
}

export type ComplianceShop = NonNullable<Awaited<ReturnType<typeof findShopForCompliance>>>;

/** Customers holding a Shopify identity with this id (stored as "123"; gids accepted too). */
export async function findCustomerIdsByShopifyId(db: Client, { shopId, shopifyCustomerId }: { shopId: string; shopifyCustomerId: string }) {
  const rows = await db.customerIdentity.findMany({
    where: { shopId, source: "SHOPIFY", sourceId: { in: [shopifyCustomerId, `gid://shopify/Customer/${shopifyCustomerId}`] } },
    select: { customerId: true },
  });
  return rows.map((row) => row.customerId);
}

/** Customers by normalised e-mail, or by the salted hash that outlives a redaction. */
export function findCustomersByEmail(db: Client, { shopId, emailNormalized, emailHash }: { shopId: string; emailNormalized: string; emailHash: string }) {
  return db.customer.findMany({
    where: { shopId, OR: [{ emailNormalized }, { emailHash }] },
    select: { id: true },
  });
}

export function findCustomerContacts(db: Client, { shopId, customerIds }: { shopId: string; customerIds: string[] }) {
  return db.customer.findMany({
    where: { shopId, id: { in: customerIds } },
    select: { id: true, email: true, emailNormalized: true, emailHash: true, redactedAt: true },
  });
}

function orderWhere(shopId: string, scope: PersonScope): Prisma.OrderWhereInput {
  const or: Prisma.OrderWhereInput[] = [];
  if (scope.customerIds.length > 0) or.push({ customerId: { in: scope.customerIds } });
  if (scope.shopifyOrderIds.length > 0) {
    const ids = scope.shopifyOrderIds.flatMap((id) => [id, `gid://shopify/Order/${id}`]);
    or.push({ source: "SHOPIFY", sourceId: { in: ids } });
  }
  if (scope.emails.length > 0) or.push({ email: { in: scope.emails } });
  return { shopId, ...(or.length > 0 ? { OR: or } : { id: { in: [] } }) };
}

function checkoutWhere(shopId: string, scope: PersonScope): Prisma.CheckoutWhereInput {
  const or: Prisma.CheckoutWhereInput[] = [];
  if (scope.customerIds.length > 0) or.push({ customerId: { in: scope.customerIds } });
  if (scope.emails.length > 0) or.push({ email: { in: scope.emails } });
  return { shopId, ...(or.length > 0 ? { OR: or } : { id: { in: [] } }) };
}

// ---------------------------------------------------------------------------
// customers/data_request
// ---------------------------------------------------------------------------

export function findDataRequestByShopifyRequestId(db: Client, { shopId, shopifyRequestId }: { shopId: string; shopifyRequestId: string }) {
  return db.dataRequest.findFirst({ where: { shopId, shopifyRequestId }, orderBy: { createdAt: "asc" } });
}

export function createDataRequest(
  db: Client,
  { shopId, request }: { shopId: string; request: { customerId: string | null; shopifyCustomerId: string | null; shopifyRequestId: string | null; createdAt: Date } },
) {
  return db.dataRequest.create({ data: { shopId, ...request, status: "PENDING" } });
}

/** Points a retried request at the customer found this time; it stays PENDING until the export is stored. */
export function restartDataRequest(db: Client, { shopId, dataRequestId, customerId }: { shopId: string; dataRequestId: string; customerId: string | null }) {
  return db.dataRequest.updateMany({ where: { id: dataRequestId, shopId }, data: { customerId, status: "PENDING" } });
}

export function completeDataRequest(db: Client, { shopId, dataRequestId, fileId, completedAt }: { shopId: string; dataRequestId: string; fileId: string; completedAt: Date }) {
  return db.dataRequest.updateMany({ where: { id: dataRequestId, shopId }, data: { status: "READY", fileId, completedAt } });
}

export function failDataRequest(db: Client, { shopId, dataRequestId }: { shopId: string; dataRequestId: string }) {
  return db.dataRequest.updateMany({ where: { id: dataRequestId, shopId }, data: { status: "FAILED" } });
}

/** Everything held on one person in one shop, for the export. */
export async function loadPersonData(db: Client, { shopId, scope }: { shopId: string; scope: PersonScope }) {
  const [customers, orders, checkouts] = await Promise.all([
    db.customer.findMany({
      where: { shopId, id: { in: scope.customerIds } },
      orderBy: { createdAt: "asc" },
      include: {
        identities: { orderBy: { createdAt: "asc" } },
        optOutEvents: { orderBy: { createdAt: "asc" } },
        letters: {
          orderBy: { createdAt: "asc" },
          include: {
            events: { orderBy: { at: "asc" } },
            scans: { orderBy: { scannedAt: "asc" } },
            discountUse: { select: { code: true, assignedAt: true } },
            campaign: { select: { name: true } },
            file: { select: { filename: true, createdAt: true } },
          },
        },
        campaignRecipient: { orderBy: { createdAt: "asc" }, include: { campaign: { select: { name: true } } } },
      },
    }),
    db.order.findMany({
      where: orderWhere(shopId, scope),
      orderBy: [{ placedAt: "asc" }, { id: "asc" }],
      include: { lineItems: { orderBy: { position: "asc" } } },
    }),
    db.checkout.findMany({
      where: checkoutWhere(shopId, scope),
      orderBy: [{ sourceCreatedAt: "asc" }, { id: "asc" }],
      include: { lineItems: { orderBy: { position: "asc" } } },
    }),
  ]);
  return { customers, orders, checkouts };
}

export type PersonData = Awaited<ReturnType<typeof loadPersonData>>;

/** Shopify ids known for these customers and orders, to recognise them in recorded deliveries. */
export async function findShopifyIds(db: Client, { shopId, scope }: { shopId: string; scope: PersonScope }) {
  const [identities, orders] = await Promise.all([
    db.customerIdentity.findMany({ where: { shopId, source: "SHOPIFY", customerId: { in: scope.customerIds } }, select: { sourceId: true } }),
    db.order.findMany({ where: { ...orderWhere(shopId, scope), source: "SHOPIFY" }, select: { sourceId: true } }),
  ]);
  const plain = (id: string) => /(\d+)$/.exec(id)?.[1] ?? id;
  return { customerIds: identities.map((row) => plain(row.sourceId)), orderIds: orders.map((row) => plain(row.sourceId)) };
}

/** The shop's data requests, newest first, for Settings. */
export function listDataRequests(db: Client, { shopId, take }: { shopId: string; take: number }) {
  return db.dataRequest.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, createdAt: true, completedAt: true, shopifyCustomerId: true, status: true, fileId: true },
  });
}

// ---------------------------------------------------------------------------
// customers/redact
// ---------------------------------------------------------------------------

/**
 * The stored files that hold this person's data: their letters' PDFs and the exports made for
 * their data requests (linked by customer or Shopify id, or, for an export whose request row
 * was never updated, by its file name).
 */
export async function findPersonFiles(
  db: Client,
  { shopId, customerIds, shopifyCustomerId, exportFilenames }: { shopId: string; customerIds: string[]; shopifyCustomerId: string | null; exportFilenames: string[] },
) {
  const [letters, requests] = await Promise.all([
    db.letter.findMany({ where: { shopId, customerId: { in: customerIds }, fileId: { not: null } }, select: { fileId: true } }),
    db.dataRequest.findMany({ where: { shopId, fileId: { not: null }, OR: dataRequestOwnership(customerIds, shopifyCustomerId) }, select: { fileId: true } }),
  ]);
  const ids = [...letters, ...requests].map((row) => row.fileId).filter((id): id is string => id !== null);
  return db.storedFile.findMany({
    where: {
      shopId,
      OR: [{ id: { in: ids } }, ...(exportFilenames.length > 0 ? [{ kind: "DATA_EXPORT" as const, filename: { in: exportFilenames } }] : [])],
    },
    select: { id: true, key: true },
  });
}

function dataRequestOwnership(customerIds: string[], shopifyCustomerId: string | null): Prisma.DataRequestWhereInput[] {
  return [{ customerId: { in: customerIds } }, ...(shopifyCustomerId !== null ? [{ shopifyCustomerId }] : [])];
}

export type CustomerRedaction = {
  customerIds: string[];
  /** emailHash to store per customer; a customer missing from the map keeps the one it has. */
  emailHashes: Map<string, string | null>;
  scope: PersonScope;
  shopifyCustomerId: string | null;
  fileIds: string[];
  /** Recorded webhook deliveries to empty (their payloads carry the person's data). */
  webhookEventIds: string[];
  now: Date;
};

/**
 * Removes one person's personal data in one transaction. What stays is what a shop's totals
 * and an opt-out need: the customer row (statistics, opt-out state, emailHash), order amounts,
 * letter rows (status, cost, scan counts) and campaign memberships.
 */
export async function redactPerson(db: Db, { shopId, shopDomain, redaction }: { shopId: string; shopDomain: string; redaction: CustomerRedaction }) {
  const { customerIds, scope, fileIds, now } = redaction;
  return db.$transaction(
    async (tx) => {
      const cancelled = await tx.letter.updateManyAndReturn({
        where: { shopId, customerId: { in: customerIds }, status: { in: [...NOT_YET_SUBMITTED] } },
        data: { status: "CANCELLED" },
        select: { id: true },
      });
      if (cancelled.length > 0) {
        await tx.letterStatusEvent.createMany({
          data: cancelled.map((letter) => ({ shopId, letterId: letter.id, status: "CANCELLED" as const, reason: "Customer data erased (customers/redact)", actor: "system", at: now })),
        });
      }
      const letterIds = (await tx.letter.findMany({ where: { shopId, customerId: { in: customerIds } }, select: { id: true } })).map((row) => row.id);
      // The printed address, the PDF and its hash go; status, cost and scan counts stay for the reports.
      await tx.letter.updateMany({
        where: { shopId, id: { in: letterIds }, OR: [{ recipientSnapshot: { not: null } }, { fileId: { not: null } }, { contentHash: { not: null } }] },
        data: { recipientSnapshot: null, fileId: null, contentHash: null },
      });
      const scans = await tx.qrScan.deleteMany({ where: { shopId, letterId: { in: letterIds } } });

      await tx.dataRequest.updateMany({
        where: {
          shopId,
          AND: [
            { OR: [...dataRequestOwnership(customerIds, redaction.shopifyCustomerId), { fileId: { in: fileIds } }] },
            { OR: [{ fileId: { not: null } }, { shopifyCustomerId: { not: null } }] },
          ],
        },
        data: { fileId: null, shopifyCustomerId: null },
      });
      const files = await tx.storedFile.deleteMany({ where: { shopId, id: { in: fileIds } } });

      const checkouts = await tx.checkout.deleteMany({ where: checkoutWhere(shopId, scope) });
      // Amounts, country and locale stay so the shop's revenue and statistics do not change.
      const orders = await tx.order.updateMany({ where: { AND: [orderWhere(shopId, scope), { email: { not: null } }] }, data: { email: null } });
      const identities = await tx.customerIdentity.deleteMany({ where: { shopId, customerId: { in: customerIds } } });

      for (const customerId of customerIds) {
        await tx.customer.updateMany({
          where: { id: customerId, shopId, OR: [...PERSONAL_FIELDS.map((field) => ({ [field]: { not: null } })), { searchText: { not: "" } }] },
          data: {
            ...ERASED_PERSONAL_DETAILS,
            // Kept (or first computed) so an opt-out still recognises the person's e-mail later.
            ...(redaction.emailHashes.has(customerId) ? { emailHash: redaction.emailHashes.get(customerId) ?? null } : {}),
          },
        });
      }
      // A repeated redaction keeps the first date.
      await tx.customer.updateMany({ where: { shopId, id: { in: customerIds }, redactedAt: null }, data: { redactedAt: now } });

      const events = await tx.webhookEvent.updateMany({
        where: { shopDomain, id: { in: redaction.webhookEventIds } },
        data: { payload: JSON.stringify({ redacted: true }) },
      });

      return {
        cancelledLetters: cancelled.length,
        letters: letterIds.length,
        scans: scans.count,
        files: files.count,
        checkouts: checkouts.count,
        orders: orders.count,
        identities: identities.count,
        webhookEvents: events.count,
      };
    },
    { timeout: 60_000 },
  );
}

/**
 * Finished deliveries of the shop whose payload contains any of the needles (a coarse filter;
 * the caller checks each payload). Deliveries still RECEIVED are left alone: the processor may
 * be working on them, this very customers/redact among them.
 */
export function findWebhookEventsContaining(db: Client, { shopDomain, needles }: { shopDomain: string; needles: string[] }) {
  if (needles.length === 0) return Promise.resolve([]);
  return db.webhookEvent.findMany({
    where: { shopDomain, status: { not: "RECEIVED" }, OR: needles.map((needle) => ({ payload: { contains: needle } })) },
    select: { id: true, topic: true, payload: true },
  });
}

// ---------------------------------------------------------------------------
// shop/redact and app/uninstalled
// ---------------------------------------------------------------------------

export function listShopFiles(db: Client, { shopId }: { shopId: string }) {
  return db.storedFile.findMany({ where: { shopId }, select: { id: true, key: true } });
}

/**
 * Everything held for a shop domain: the Shop row (its cascade takes every shop-scoped table),
 * its jobs (no relation), sessions and recorded deliveries (keyed by domain). shop/redact
 * deliveries stay: they carry only the shop's id and domain, record that the erasure was asked
 * for, and the processor still has to mark the one it is running.
 */
export function deleteShopData(db: Db, { shopId, shopDomain }: { shopId: string | null; shopDomain: string }) {
  return db.$transaction(
    async (tx) => {
      const jobs = shopId ? await tx.job.deleteMany({ where: { shopId } }) : { count: 0 };
      const sessions = await tx.session.deleteMany({ where: { shop: shopDomain } });
      const webhookEvents = await tx.webhookEvent.deleteMany({ where: { shopDomain, topic: { notIn: SHOP_REDACT_TOPICS } } });
      const shops = shopId ? await tx.shop.deleteMany({ where: { id: shopId } }) : { count: 0 };
      return { jobs: jobs.count, sessions: sessions.count, webhookEvents: webhookEvents.count, shops: shops.count };
    },
    { timeout: 60_000 },
  );
}

/**
 * app/uninstalled: no token stays, no letter goes out. Letters already with a provider and jobs
 * already running are left to finish; queued jobs are removed.
 */
export async function stopShop(db: Db, { shopId, shopDomain, now }: { shopId: string | null; shopDomain: string; now: Date }) {
  return db.$transaction(
    async (tx) => {
      await tx.session.deleteMany({ where: { shop: shopDomain } });
      if (shopId === null) return { cancelledLetters: 0, cancelledJobs: 0 };
      // The first uninstall time stays when the intake already set it.
      await tx.shop.updateMany({ where: { id: shopId, uninstalledAt: null }, data: { uninstalledAt: now } });
      const cancelled = await tx.letter.updateManyAndReturn({
        where: { shopId, status: { in: [...NOT_YET_SUBMITTED] } },
        data: { status: "CANCELLED" },
        select: { id: true },
      });
      if (cancelled.length > 0) {
        await tx.letterStatusEvent.createMany({
          data: cancelled.map((letter) => ({ shopId, letterId: letter.id, status: "CANCELLED" as const, reason: "The app was uninstalled", actor: "system", at: now })),
        });
      }
      const jobs = await tx.job.deleteMany({ where: { shopId, status: "QUEUED" } });
      return { cancelledLetters: cancelled.length, cancelledJobs: jobs.count };
    },
    { timeout: 60_000 },
  );
}
