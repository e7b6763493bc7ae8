import { toDecimalString } from "../core/money";
import { customerDisplayName } from "../core/customer-identity";
import { db } from "../db.server";
import { findCustomerBlockRow, type CustomerBlockRow } from "../repositories/customer-block-repository.server";
import type { LetterStatus } from "../../prisma/client/sqlite/enums";

/**
 * The summary behind the admin block on Shopify's customer-details page (PRODUCT.md B8), read
 * by extensions/customer-mail-block through GET /api/customer-block. This JSON is the contract
 * with the extension (its block-model.ts mirrors the type and a type test keeps them together).
 */

export type CustomerBlockLetter = {
  status: LetterStatus;
  /** Campaign name; null for the after-purchase letter or a campaign deleted since. */
  campaign: string | null;
  /** Sent by the after-purchase automation. */
  automation: boolean;
  createdAt: string;
  mailedAt: string | null;
  firstScanAt: string | null;
  scanCount: number;
};

export type CustomerBlockSummary = {
  found: true;
  /** Our customer id, not Shopify's. */
  customerId: string;
  /** Path of the full profile inside the embedded app. */
  profileUrl: string;
  /** Redacted on request (customers/redact): name and e-mail are never sent. */
  redacted: boolean;
  name: string | null;
  email: string | null;
  /** In the shop currency, as a decimal string like Shopify's MoneyV2 ("1234.50"), so it stays exact. */
  lifetimeValue: { amount: string; currency: string };
  orderCount: number;
  openAbandonedCheckouts: number;
  optedOut: boolean;
  lastLetter: CustomerBlockLetter | null;
};

export type CustomerBlockResponse = { found: false } | CustomerBlockSummary;

/** The block summary for the customer with this Shopify id in this shop; `found: false` when we have none. */
export async function findCustomerBlockSummary({ shopId, shopifyCustomerId }: { shopId: string; shopifyCustomerId: string }): Promise<CustomerBlockResponse> {
  const row = await findCustomerBlockRow(db(), { shopId, shopifyCustomerId });
  return row ? toSummary(row) : { found: false };
}

function toSummary(row: CustomerBlockRow): CustomerBlockSummary {
  const redacted = row.redactedAt !== null;
  const letter = row.letters[0];
  const currency = row.shop.currency;
  return {
    found: true,
    customerId: row.id,
    profileUrl: `/app/customers/${encodeURIComponent(row.id)}`,
    redacted,
    name: customerDisplayName(row),
    email: redacted ? null : row.email,
    lifetimeValue: { amount: toDecimalString({ amountMinor: Number(row.lifetimeValueMinor), currency }), currency },
    orderCount: row.orderCount,
    openAbandonedCheckouts: row.openAbandonedCheckouts,
    optedOut: row.optedOut,
    lastLetter: letter
      ? {
          status: letter.status,
          campaign: letter.campaign?.name ?? null,
          automation: letter.automationId !== null,
          createdAt: letter.createdAt.toISOString(),
          mailedAt: letter.mailedAt?.toISOString() ?? null,
          firstScanAt: letter.firstScanAt?.toISOString() ?? null,
          scanCount: letter.scanCount,
        }
      : null,
  };
}
