import { createHash, randomBytes } from "node:crypto";
import { AppError } from "../core/app-error";
import { db } from "../db.server";
import { findApiKeyByHash, insertApiKey, listShopApiKeys, revokeShopApiKey, touchApiKey } from "../repositories/api-key-repository.server";
import { findShopByDomain } from "../repositories/shop-repository.server";

/**
 * Import API keys (A4): created and revoked by the merchant in Settings (or by an operator with
 * `npm run api-key:create`), shown once, stored as a SHA-256 hash with a short display prefix.
 *
 * A key is `llk_` + 32 random bytes in base64url: recognisable in logs and secret scanners,
 * and with 256 bits of entropy a plain SHA-256 (no salt, no slow hash) is enough, because
 * nobody can guess their way to a preimage. The lookup by hash is a unique-index probe, so a
 * wrong key takes the same path whatever its first characters are.
 */

export const API_KEY_PREFIX = "llk_";
const KEY_BYTES = 32;
// "llk_" plus 8 characters: enough to tell keys apart, far too little to guess the rest.
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const LAST_USED_RESOLUTION_MS = 60_000;
const KEY_PATTERN = /^llk_[A-Za-z0-9_-]{43}$/;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function newKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(KEY_BYTES).toString("base64url")}`;
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError("VALIDATION", "Give the key a name", { name: ["is required"] });
  if (trimmed.length > 100) throw new AppError("VALIDATION", "The name is too long", { name: ["at most 100 characters"] });
  return trimmed;
}

/** A new key for the shop. The returned `key` is the only time it exists outside the caller. */
export async function createApiKey({ shopId, name, now }: { shopId: string; name: string; now: Date }) {
  const key = newKey();
  const row = await insertApiKey(db(), { shopId, name: validName(name), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashApiKey(key), now });
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt.toISOString(), key };
}

/** For operators and the demo: a key for the shop with this domain; NOT_FOUND for an unknown shop. */
export async function createApiKeyForShopDomain({ domain, name, now }: { domain: string; name: string; now: Date }) {
  const shop = await findShopByDomain(db(), { domain: domain.trim().toLowerCase() });
  if (!shop) throw new AppError("NOT_FOUND", `No shop ${domain} in this database`);
  return { shop: { id: shop.id, domain: shop.domain }, ...(await createApiKey({ shopId: shop.id, name, now })) };
}

/** The shop's keys as Settings lists them: never the key, only its prefix. */
export async function listApiKeys({ shopId }: { shopId: string }) {
  const rows = await listShopApiKeys(db(), { shopId });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiKey({ shopId, keyId, now }: { shopId: string; keyId: string; now: Date }) {
  if (!(await revokeShopApiKey(db(), { shopId, keyId, now }))) throw new AppError("NOT_FOUND", "API key not found");
}

/**
 * The guard of every /api/v1 route: the shop whose key the request carries in
 * `Authorization: Bearer llk_…`. UNAUTHORIZED for a missing, malformed, unknown or revoked key
 * and for a shop that uninstalled the app; the message says which without revealing more.
 */
export async function authenticateApiRequest(request: Request, now: Date = new Date()): Promise<{ shopId: string; keyId: string }> {
  const header = request.headers.get("authorization");
  if (!header) throw new AppError("UNAUTHORIZED", "Send the API key as `Authorization: Bearer llk_…`.");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("UNAUTHORIZED", "The Authorization header must be `Bearer llk_…`.");
  const key = match[1]!;
  // A malformed key is refused without a database round trip; it cannot match any stored hash.
  const found = KEY_PATTERN.test(key) ? await findApiKeyByHash(db(), { hash: hashApiKey(key) }) : null;
  if (!found || found.revokedAt !== null || found.shop.uninstalledAt !== null) {
    throw new AppError("UNAUTHORIZED", "The API key is not valid (unknown or revoked).");
  }
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await touchApiKey(db(), { shopId: found.shopId, keyId: found.id, now, notSince: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) });
  }
  return { shopId: found.shopId, keyId: found.id };
}
