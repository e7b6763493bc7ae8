import { describe, expect, it } from "vitest";
import { openSecrets, SealedSecretError, sealSecrets } from "./integration-secrets.server";

const SECRET = "s".repeat(40);
const context = "billbee:shop-1";
const bundle = { apiKey: "9F3A-KEY", apiPassword: "pässwört!" };

/** Flips one bit of the decoded part at `index` (1 salt, 2 iv, 3 ciphertext, 4 tag). */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("integration secrets", () => {
  it("opens what it sealed, and the sealed text contains no secret", () => {
    const sealed = sealSecrets(bundle, { context, secret: SECRET });
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(sealed).not.toContain("9F3A-KEY");
    expect(sealed).not.toContain(Buffer.from("9F3A-KEY").toString("base64url"));
    expect(openSecrets(sealed, { context, secret: SECRET })).toEqual(bundle);
  });

  it("seals the same bundle differently every time (own salt and IV)", () => {
    const first = sealSecrets(bundle, { context, secret: SECRET });
    const second = sealSecrets(bundle, { context, secret: SECRET });
    expect(first).not.toBe(second);
    expect(openSecrets(second, { context, secret: SECRET })).toEqual(bundle);
  });

  it.each([
    ["salt", 1],
    ["iv", 2],
    ["ciphertext", 3],
    ["tag", 4],
  ])("refuses a value whose %s was changed", (_part, index) => {
    const sealed = sealSecrets(bundle, { context, secret: SECRET });
    expect(() => openSecrets(flipBit(sealed, index), { context, secret: SECRET })).toThrow(SealedSecretError);
  });

  it("refuses another context (another shop) and another APP_SECRET", () => {
    const sealed = sealSecrets(bundle, { context, secret: SECRET });
    expect(() => openSecrets(sealed, { context: "billbee:shop-2", secret: SECRET })).toThrow(/could not be opened/);
    expect(() => openSecrets(sealed, { context, secret: "t".repeat(40) })).toThrow(/APP_SECRET/);
  });

  it("names unknown versions and damaged values", () => {
    const sealed = sealSecrets(bundle, { context, secret: SECRET });
    expect(() => openSecrets(sealed.replace(/^v1/, "v9"), { context, secret: SECRET })).toThrow(/unknown format \(v9\)/);
    expect(() => openSecrets(sealed.split(".").slice(0, 4).join("."), { context, secret: SECRET })).toThrow(/damaged/);
    expect(() => openSecrets("", { context, secret: SECRET })).toThrow(SealedSecretError);
  });
});
