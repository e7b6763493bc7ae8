import { describe, expect, it } from "vitest";
import { buildSignedDownloadPath, signDownload, verifySignedDownload } from "./signed-download.server";

const SECRET = "unit-test-secret-at-least-32-characters!!";
const NOW = new Date("2026-03-01T12:00:00.000Z");
const NOW_SECONDS = NOW.getTime() / 1000;

function parts(path: string) {
  const url = new URL(path, "http://app.test");
  return {
    fileId: url.pathname.split("/")[2],
    shop: url.searchParams.get("shop"),
    expires: url.searchParams.get("expires"),
    signature: url.searchParams.get("signature"),
  };
}

const link = () => parts(buildSignedDownloadPath({ fileId: "file_1", shopId: "shop_1", now: NOW, secret: SECRET }));

describe("buildSignedDownloadPath", () => {
  it("names the file, the shop and an expiry five minutes ahead by default", () => {
    const path = buildSignedDownloadPath({ fileId: "file_1", shopId: "shop_1", now: NOW, secret: SECRET });
    const expires = NOW_SECONDS + 300;
    expect(path).toBe(
      `/files/file_1?shop=shop_1&expires=${expires}&signature=${signDownload({ fileId: "file_1", shopId: "shop_1", expires }, SECRET)}`,
    );
  });

  it("refuses ids that are not ids, out-of-range lifetimes and an empty secret", () => {
    expect(() => buildSignedDownloadPath({ fileId: "../x", shopId: "s", now: NOW, secret: SECRET })).toThrow();
    expect(() => buildSignedDownloadPath({ fileId: "f", shopId: "s&shop=t", now: NOW, secret: SECRET })).toThrow();
    for (const ttlSeconds of [0, -1, 1.5, 86_401, Number.NaN]) {
      expect(() => buildSignedDownloadPath({ fileId: "f", shopId: "s", ttlSeconds, now: NOW, secret: SECRET })).toThrow(RangeError);
    }
    expect(() => buildSignedDownloadPath({ fileId: "f", shopId: "s", now: NOW, secret: "" })).toThrow();
  });
});

describe("verifySignedDownload", () => {
  it("accepts the link it issued until the expiry second", () => {
    const check = verifySignedDownload(link(), { secret: SECRET, now: new Date((NOW_SECONDS + 299) * 1000 + 999) });
    expect(check).toEqual({ ok: true, fileId: "file_1", shopId: "shop_1", expiresAt: new Date((NOW_SECONDS + 300) * 1000) });
  });

  it("refuses it from the expiry second on", () => {
    expect(verifySignedDownload(link(), { secret: SECRET, now: new Date((NOW_SECONDS + 300) * 1000) })).toEqual({ ok: false, reason: "expired" });
    expect(verifySignedDownload(link(), { secret: SECRET, now: new Date((NOW_SECONDS + 86_400) * 1000) })).toEqual({ ok: false, reason: "expired" });
  });

  it.each([
    ["another file", { fileId: "file_2" }],
    ["another shop", { shop: "shop_2" }],
    ["a later expiry", { expires: String(NOW_SECONDS + 3600) }],
    ["a changed signature", { signature: "A".repeat(43) }],
  ])("refuses a link altered to %s", (_what, change) => {
    expect(verifySignedDownload({ ...link(), ...change }, { secret: SECRET, now: NOW })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a link signed with another secret", () => {
    expect(verifySignedDownload(link(), { secret: `${SECRET}-other`, now: NOW })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("reports a bad signature, not an expiry, for a forged link whose expiry has passed", () => {
    const forged = { ...link(), signature: "B".repeat(43) };
    expect(verifySignedDownload(forged, { secret: SECRET, now: new Date((NOW_SECONDS + 999) * 1000) })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it.each([
    ["no file id", { fileId: undefined }],
    ["no shop", { shop: null }],
    ["no expiry", { expires: null }],
    ["no signature", { signature: null }],
    ["a non-numeric expiry", { expires: "1e12" }],
    ["a negative expiry", { expires: "-5" }],
    ["a short signature", { signature: "abc" }],
    ["a signature with padding", { signature: `${"A".repeat(42)}=` }],
    ["a file id with a slash", { fileId: "a/b" }],
  ])("refuses a link with %s as malformed", (_what, change) => {
    expect(verifySignedDownload({ ...link(), ...change }, { secret: SECRET, now: NOW })).toEqual({ ok: false, reason: "malformed" });
  });
});
