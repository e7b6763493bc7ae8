import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases";
import { AppError } from "../../app/core/app-error";
import { FileStoreError } from "../../app/files/file-store";
import { fileStore } from "../../app/files/file-store.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { loader as fileRoute } from "../../app/routes/files.$fileId";
import {
  createDownloadUrl,
  readStoredFile,
  storeFile,
  StoredFileIntegrityError,
} from "../../app/services/stored-files.server";

const APP = "http://127.0.0.1:3000";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
// A small but real-looking PDF with bytes that are not valid UTF-8, to catch any text decoding.
const PDF = Buffer.concat([Buffer.from("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "latin1"), randomBytes(4096), Buffer.from("\n%%EOF\n")]);

async function appErrorOf(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Calls the route's loader with a real Request for a path as createDownloadUrl returns it. */
function download(pathAndQuery: string) {
  const url = new URL(pathAndQuery, APP);
  const fileId = decodeURIComponent(url.pathname.split("/")[2] ?? "");
  return fileRoute({ request: new Request(url, { headers: { "user-agent": "Mozilla/5.0" } }), params: { fileId }, context: {} });
}

function withQuery(pathAndQuery: string, change: Record<string, string | null>) {
  const url = new URL(pathAndQuery, APP);
  for (const [name, value] of Object.entries(change)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return `${url.pathname}${url.search}`;
}

describeEachDatabase("stored files", (current) => {
  let storeDir: string;
  let shopA: string;
  let shopB: string;

  beforeAll(async () => {
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-files-"));
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
    const { db } = current();
    shopA = (await db.shop.create({ data: { domain: "files-a.myshopify.com", name: "Files A", emailHashSalt: "salt-a" } })).id;
    shopB = (await db.shop.create({ data: { domain: "files-b.myshopify.com", name: "Files B", emailHashSalt: "salt-b" } })).id;
  });
  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
  });

  describe("storing and reading", () => {
    it("reads back exactly the bytes stored, and records their size and SHA-256", async () => {
      const stored = await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "Brief für Müller.pdf", contentType: "application/pdf", bytes: PDF });
      expect(stored).toMatchObject({ shopId: shopA, kind: "LETTER_PDF", filename: "Brief für Müller.pdf", byteSize: PDF.byteLength, sha256: sha256(PDF) });
      expect(stored.key).toBe(`${shopA}/LETTER_PDF/${stored.id}-Brief-fur-Muller.pdf`);

      const { file, bytes } = await readStoredFile({ shopId: shopA, fileId: stored.id });
      expect(file.id).toBe(stored.id);
      expect(bytes.equals(PDF)).toBe(true);
    });

    it("round-trips a 5 MB file", async () => {
      const large = randomBytes(5 * 1024 * 1024);
      const stored = await storeFile({ shopId: shopA, kind: "IMPORT_REPORT", filename: "report.csv", contentType: "text/csv; charset=utf-8", bytes: large });
      expect(stored.byteSize).toBe(large.byteLength);
      const { bytes } = await readStoredFile({ shopId: shopA, fileId: stored.id });
      expect(sha256(bytes)).toBe(sha256(large));
    });

    it("keeps the name as given, without directories, and refuses an empty name or a bad content type", async () => {
      const stored = await storeFile({ shopId: shopA, kind: "DATA_EXPORT", filename: "../../etc/passwd", contentType: "text/plain", bytes: Buffer.from("x") });
      expect(stored.filename).toBe("passwd");
      expect(stored.key).toBe(`${shopA}/DATA_EXPORT/${stored.id}-passwd`);

      expect((await appErrorOf(storeFile({ shopId: shopA, kind: "IMAGE", filename: " / ", contentType: "image/png", bytes: PDF }))).code).toBe("VALIDATION");
      const badType = await appErrorOf(storeFile({ shopId: shopA, kind: "IMAGE", filename: "a.png", contentType: "text/html\r\nX-Evil: 1", bytes: PDF }));
      expect(badType.fieldErrors).toHaveProperty("contentType");
    });

    it("never overwrites a stored file: a second put to its key is refused and the bytes stay", async () => {
      const stored = await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "once.pdf", contentType: "application/pdf", bytes: PDF });
      const again = await fileStore()
        .put({ key: stored.key, bytes: Buffer.from("overwritten") })
        .then(() => undefined, (error: unknown) => error);
      expect(again).toBeInstanceOf(FileStoreError);
      expect((again as FileStoreError).code).toBe("KEY_EXISTS");
      expect((await readStoredFile({ shopId: shopA, fileId: stored.id })).bytes.equals(PDF)).toBe(true);
    });

    it("removes the bytes again when the row cannot be written", async () => {
      const missingShop = "shop-that-does-not-exist";
      await expect(
        storeFile({ shopId: missingShop, kind: "LETTER_PDF", filename: "orphan.pdf", contentType: "application/pdf", bytes: PDF }),
      ).rejects.toThrow();
      expect(readdirSync(path.join(storeDir, missingShop, "LETTER_PDF"))).toEqual([]);
    });

    it("answers NOT_FOUND for another shop's file and for an unknown id", async () => {
      const stored = await storeFile({ shopId: shopB, kind: "LETTER_PDF", filename: "b.pdf", contentType: "application/pdf", bytes: PDF });
      expect((await appErrorOf(readStoredFile({ shopId: shopA, fileId: stored.id }))).code).toBe("NOT_FOUND");
      expect((await appErrorOf(readStoredFile({ shopId: shopA, fileId: "no-such-file" }))).code).toBe("NOT_FOUND");
      expect((await readStoredFile({ shopId: shopB, fileId: stored.id })).bytes.equals(PDF)).toBe(true);
    });
  });

  describe("corruption", () => {
    async function storeThenDamage(damage: (file: string) => void) {
      const stored = await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "damaged.pdf", contentType: "application/pdf", bytes: PDF });
      const file = path.join(storeDir, ...stored.key.split("/"));
      chmodSync(file, 0o640);
      damage(file);
      return stored;
    }

    it.each([
      ["a flipped byte", (file: string) => writeFileSync(file, Buffer.from(PDF.map((byte, i) => (i === 100 ? byte ^ 0xff : byte)))), /SHA-256/],
      ["a truncated file", (file: string) => truncateSync(file, 10), /expected \d+ bytes, found 10/],
      ["a missing file", (file: string) => rmSync(file), /missing/],
    ])("detects %s and never serves it", async (_what, damage, message) => {
      const stored = await storeThenDamage(damage);
      await expect(readStoredFile({ shopId: shopA, fileId: stored.id })).rejects.toThrow(StoredFileIntegrityError);
      await expect(readStoredFile({ shopId: shopA, fileId: stored.id })).rejects.toThrow(message);
      await expect(download(createDownloadUrl({ shopId: shopA, fileId: stored.id }))).rejects.toThrow(StoredFileIntegrityError);
    });
  });

  describe("signed download route", () => {
    let letterId: string;
    let otherLetterId: string;
    let shopBFileId: string;

    beforeAll(async () => {
      letterId = (await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "Brief für Müller.pdf", contentType: "application/pdf", bytes: PDF })).id;
      otherLetterId = (await storeFile({ shopId: shopA, kind: "LETTER_PDF", filename: "other.pdf", contentType: "application/pdf", bytes: randomBytes(10) })).id;
      shopBFileId = (await storeFile({ shopId: shopB, kind: "LETTER_PDF", filename: "b.pdf", contentType: "application/pdf", bytes: PDF })).id;
    });

    it("serves exactly the stored bytes with the file's headers", async () => {
      const url = createDownloadUrl({ shopId: shopA, fileId: letterId });
      expect(url).toMatch(new RegExp(`^/files/${letterId}\\?shop=${shopA}&expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));

      const response = await download(url);
      expect(response.status).toBe(200);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(PDF));
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "content-type": "application/pdf",
        "content-length": String(PDF.byteLength),
        "content-disposition": `inline; filename="Brief fur Muller.pdf"; filename*=UTF-8''Brief%20f%C3%BCr%20M%C3%BCller.pdf`,
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      });
    });

    it("serves a 5 MB file byte for byte", async () => {
      const large = randomBytes(5 * 1024 * 1024 + 3);
      const stored = await storeFile({ shopId: shopA, kind: "BATCH_PDF", filename: "batch.pdf", contentType: "application/pdf", bytes: large });
      const response = await download(createDownloadUrl({ shopId: shopA, fileId: stored.id }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(large.byteLength));
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(large));
    });

    async function expectRefused(pathAndQuery: string, reason: RegExp) {
      const response = await download(pathAndQuery);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      expect(await response.text()).toMatch(reason);
    }

    it("refuses a tampered signature, shop or file id with 403", async () => {
      const url = createDownloadUrl({ shopId: shopA, fileId: letterId });
      const signature = new URL(url, APP).searchParams.get("signature")!;
      const flipped = `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
      await expectRefused(withQuery(url, { signature: flipped }), /not valid/);
      await expectRefused(withQuery(url, { shop: shopB }), /not valid/);
      await expectRefused(url.replace(`/files/${letterId}`, `/files/${otherLetterId}`), /not valid/);
      await expectRefused(withQuery(url, { expires: String(Number(new URL(url, APP).searchParams.get("expires")) + 3600) }), /not valid/);
    });

    it("refuses an incomplete link with 403", async () => {
      const url = createDownloadUrl({ shopId: shopA, fileId: letterId });
      for (const name of ["shop", "expires", "signature"]) {
        await expectRefused(withQuery(url, { [name]: null }), /incomplete or malformed/);
      }
      await expectRefused(`/files/${letterId}`, /incomplete or malformed/);
    });

    it("refuses an expired link with 403", async () => {
      const url = createDownloadUrl({ shopId: shopA, fileId: letterId, ttlSeconds: 300, now: new Date(Date.now() - 301_000) });
      await expectRefused(url, /expired/);
    });

    it("answers 404 to a valid link for a file that is not the shop's", async () => {
      for (const fileId of [shopBFileId, "no-such-file"]) {
        const response = await download(createDownloadUrl({ shopId: shopA, fileId }));
        expect(response.status).toBe(404);
        expect(await response.text()).toBe("File not found");
      }
    });
  });
});
