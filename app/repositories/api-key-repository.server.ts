import type { Db } from "../db.server";

/**
 * Import API keys (A4). Only a key's SHA-256 and its first characters are stored; the key
 * itself is shown once. Every call but the hash lookup is scoped by shop.
 */

export function insertApiKey(db: Db, { shopId, name, prefix, hash, now }: { shopId: string; name: string; prefix: string; hash: string; now: Date }) {
  return db.apiKey.create({
    data: { shopId, name, prefix, hash, createdAt: now },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
}

export function listShopApiKeys(db: Db, { shopId }: { shopId: string }) {
  return db.apiKey.findMany({
    where: { shopId },
    // Active keys first, newest first within each group.
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }, { id: "asc" }],
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the shop's keys; false when it is not the shop's. A second revoke keeps the first date. */
export async function revokeShopApiKey(db: Db, { shopId, keyId, now }: { shopId: string; keyId: string; now: Date }): Promise<boolean> {
  const revoked = await db.apiKey.updateMany({ where: { id: keyId, shopId, revokedAt: null }, data: { revokedAt: now } });
  if (revoked.count > 0) return true;
  return (await db.apiKey.count({ where: { id: keyId, shopId } })) > 0;
}

/** The key with this hash and whether its shop is still installed (the hash is unique across shops). */
export function findApiKeyByHash(db: Db, { hash }: { hash: string }) {
  return db.apiKey.findUnique({
    where: { hash },
    select: { id: true, shopId: true, revokedAt: true, lastUsedAt: true, shop: { select: { uninstalledAt: true } } },
  });
}

/** Records a use, at most once per interval: a busy integration must not write on every request. */
export async function touchApiKey(db: Db, { shopId, keyId, now, notSince }: { shopId: string; keyId: string; now: Date; notSince: Date }) {
  await db.apiKey.updateMany({
    where: { id: keyId, shopId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: notSince } }] },
    data: { lastUsedAt: now },
  });
}
