import { createHmac, randomUUID } from "node:crypto";

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/**
 * An App Bridge session token (HS256 JWT signed with the app secret), as the embedded admin
 * sends it in `Authorization: Bearer …` or `?id_token=…`.
 */
export function sessionToken({ shop, apiKey, secret, userId = "42", now = Math.floor(Date.now() / 1000) }: {
  shop: string;
  apiKey: string;
  secret: string;
  userId?: string;
  now?: number;
}): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: userId,
      exp: now + 60,
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = base64url(createHmac("sha256", secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}
