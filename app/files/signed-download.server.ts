import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, short-lived, shop-scoped download links. A file opened in a new tab from the embedded
 * admin carries no session token, so the link itself is the credential: an HMAC-SHA256 over
 * (file id, shop id, expiry) with the app's secret. Pure apart from the hash: the secret and
 * `now` are passed in.
 */

export const DEFAULT_DOWNLOAD_TTL_SECONDS = 300;
export const MAX_DOWNLOAD_TTL_SECONDS = 24 * 60 * 60;

// cuid and UUID ids both fit; anything else is not one of ours and is refused before hashing.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const EXPIRES = /^[0-9]{1,12}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes, unpadded

export type DownloadClaims = { fileId: string; shopId: string; expires: number };

export function signDownload(claims: DownloadClaims, secret: string): string {
  if (!secret) throw new Error("Download links need a non-empty secret");
  // JSON array, not a joined string: no choice of ids can make two claims hash the same text.
  const message = JSON.stringify(["letterloop-download-v1", claims.fileId, claims.shopId, claims.expires]);
  return createHmac("sha256", secret).update(message).digest("base64url");
}

/** `/files/<fileId>?shop=<shopId>&expires=<unix seconds>&signature=<hmac>`, valid for ttlSeconds from now. */
export function buildSignedDownloadPath({
  fileId,
  shopId,
  ttlSeconds = DEFAULT_DOWNLOAD_TTL_SECONDS,
  now,
  secret,
}: {
  fileId: string;
  shopId: string;
  ttlSeconds?: number;
  now: Date;
  secret: string;
}): string {
  if (!ID.test(fileId) || !ID.test(shopId)) throw new Error(`Cannot sign a download for ids ${JSON.stringify({ fileId, shopId })}`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DOWNLOAD_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to ${MAX_DOWNLOAD_TTL_SECONDS}, got ${ttlSeconds}`);
  }
  const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const signature = signDownload({ fileId, shopId, expires }, secret);
  const query = new URLSearchParams({ shop: shopId, expires: String(expires), signature });
  return `/files/${fileId}?${query.toString()}`;
}

export type DownloadCheck =
  | { ok: true; fileId: string; shopId: string; expiresAt: Date }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/**
 * Checks a link's parts as they arrive (the route's param and query values). The signature is
 * checked before the expiry, so an expired answer only ever goes to a link we issued.
 */
export function verifySignedDownload(
  link: { fileId: string | null | undefined; shop: string | null; expires: string | null; signature: string | null },
  { secret, now }: { secret: string; now: Date },
): DownloadCheck {
  const { fileId, shop, expires, signature } = link;
  if (!fileId || !shop || !expires || !signature) return { ok: false, reason: "malformed" };
  if (!ID.test(fileId) || !ID.test(shop) || !EXPIRES.test(expires) || !SIGNATURE.test(signature)) {
    return { ok: false, reason: "malformed" };
  }
  const expiresSeconds = Number(expires);
  const expected = Buffer.from(signDownload({ fileId, shopId: shop, expires: expiresSeconds }, secret), "utf8");
  const given = Buffer.from(signature, "utf8");
  // Same length is guaranteed by the pattern above; timingSafeEqual would throw otherwise.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad-signature" };
  if (now.getTime() >= expiresSeconds * 1000) return { ok: false, reason: "expired" };
  return { ok: true, fileId, shopId: shop, expiresAt: new Date(expiresSeconds * 1000) };
}
