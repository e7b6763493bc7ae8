import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env.server";

/**
 * Credentials of other systems (Billbee now, print providers later) sealed for the database:
 * a JSON bundle encrypted with AES-256-GCM under a key derived from APP_SECRET with HKDF-SHA256.
 *
 * Format: `v1.<salt>.<iv>.<ciphertext>.<tag>`, each part base64url. The version leads so the
 * scheme can change without guessing what a stored value is. Every value has its own random
 * salt (so its own key) and IV; the `context` (e.g. "billbee:<shopId>") is bound in as
 * additional authenticated data, so a value copied to another shop or integration does not open.
 * Any change to a stored value, or a different APP_SECRET, makes opening fail loudly.
 */

const VERSION = "v1";
const HKDF_INFO = "letterloop/integration-secrets/v1";
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBundle = Record<string, string>;

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedSecretError";
  }
}

type Options = { context: string; secret?: string };

export function sealSecrets(bundle: SecretBundle, { context, secret = env().appSecret }: Options): string {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret, salt), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(bundle), "utf8"), cipher.final()]);
  return [VERSION, salt, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function openSecrets(sealed: string, { context, secret = env().appSecret }: Options): SecretBundle {
  const parts = sealed.split(".");
  if (parts[0] !== VERSION) throw new SealedSecretError(`Stored credentials have an unknown format (${parts[0]?.slice(0, 8) || "empty"}).`);
  if (parts.length !== 5) throw new SealedSecretError("Stored credentials are damaged (wrong number of parts).");
  const [salt, iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, "base64url"));
  if (salt!.length !== SALT_BYTES || iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) {
    throw new SealedSecretError("Stored credentials are damaged (bad lengths).");
  }
  let plain: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret, salt!), iv!);
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag!);
    plain = Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedSecretError(
      "Stored credentials could not be opened: they were changed, belong to another account, or APP_SECRET changed since they were saved. Save them again.",
    );
  }
  const value: unknown = JSON.parse(plain);
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.values(value).some((entry) => typeof entry !== "string")) {
    throw new SealedSecretError("Stored credentials are not a bundle of strings.");
  }
  return value as SecretBundle;
}

function deriveKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), salt, HKDF_INFO, 32));
}
