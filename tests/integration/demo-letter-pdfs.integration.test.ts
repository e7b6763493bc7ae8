import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemoShop, type DemoSeedSummary } from "../../app/demo/seed-demo.server";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { readStoredFile } from "../../app/services/stored-files.server";
import { describeEachDatabase } from "../support/databases";

const NOW = new Date("2026-11-25T00:00:00Z");
const APP_URL = "http://127.0.0.1:3000";
const run = promisify(execFile);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The text of a PDF as poppler reads it (scripts/install-system-packages.sh installs pdftotext). */
async function pdfText(bytes: Buffer, directory: string, name: string): Promise<string> {
  const file = path.join(directory, `${name}.pdf`);
  await writeFile(file, bytes);
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", file, "-"]);
  return stdout;
}

/** Every file under the store's root, as keys. */
function storedKeys(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

describeEachDatabase("demo letter PDFs", (current) => {
  let storeDir: string;
  let scratchDir: string;
  let summary: DemoSeedSummary;

  beforeAll(async () => {
    storeDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-demo-files-"));
    scratchDir = mkdtempSync(path.join(os.tmpdir(), "letterloop-demo-pdf-text-"));
    // readStoredFile reads through the app's file store: the same directory the seed writes to.
    globalThis.__letterloopFileStore = new LocalDiskFileStore(storeDir);
    summary = await seedDemoShop({ db: current().db, now: NOW, files: globalThis.__letterloopFileStore, appUrl: APP_URL });
  });
  afterAll(() => {
    globalThis.__letterloopFileStore = undefined;
    rmSync(storeDir, { recursive: true, force: true });
    rmSync(scratchDir, { recursive: true, force: true });
  });

  it("stores every rendered letter as a PDF with the recipient's name and the QR URL, and its SHA-256 on the letter", async () => {
    const { db } = current();
    const letters = await db.letter.findMany({
      where: { shopId: summary.shopId },
      select: { id: true, status: true, renderedAt: true, recipientSnapshot: true, qrToken: true, fileId: true, contentHash: true, pageCount: true },
    });
    const rendered = letters.filter((letter) => letter.renderedAt !== null);
    expect(rendered.length).toBe(summary.letterPdfs);
    expect(new Set(rendered.map((letter) => letter.status))).toEqual(
      new Set(["RENDERED", "SUBMITTED", "PRINTED", "MAILED", "DELIVERED", "RETURNED", "FAILED"]),
    );
    // Scheduled letters and those cancelled before rendering have nothing to show.
    expect(letters.filter((letter) => letter.renderedAt === null).every((letter) => letter.fileId === null && letter.contentHash === null)).toBe(true);
    expect(await db.storedFile.count({ where: { shopId: summary.shopId } })).toBe(rendered.length);

    const names: string[] = [];
    const BATCH = 8;
    for (let start = 0; start < rendered.length; start += BATCH) {
      await Promise.all(
        rendered.slice(start, start + BATCH).map(async (letter) => {
          expect(letter.fileId).not.toBeNull();
          const { file, bytes } = await readStoredFile({ shopId: summary.shopId, fileId: letter.fileId! });
          expect(file).toMatchObject({ kind: "LETTER_PDF", contentType: "application/pdf", byteSize: bytes.byteLength });
          expect(sha256(bytes)).toBe(file.sha256);
          expect(letter.contentHash).toBe(file.sha256);
          expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

          const text = await pdfText(bytes, scratchDir, letter.id);
          const recipient = JSON.parse(letter.recipientSnapshot!) as { name: string };
          expect(text).toContain(recipient.name);
          expect(text).toContain(`${APP_URL}/q/${letter.qrToken}`);
          // pdftotext ends every page with a form feed.
          expect(text.split("\f").length - 1).toBe(letter.pageCount);
          names.push(recipient.name);
        }),
      );
    }
    // The font covers the names beyond Latin-1 (Cyrillic, Polish, Turkish).
    expect(names.some((name) => /[\u0400-\u04ff]/.test(name))).toBe(true);
    expect(names.some((name) => /[ąćęłńśźżŁŚŻ]/.test(name))).toBe(true);
  });

  it("removes the old demo shop's PDFs from the file store when it seeds again", async () => {
    const { db } = current();
    const before = (await db.storedFile.findMany({ where: { shopId: summary.shopId }, select: { key: true } })).map((file) => file.key).sort();
    expect(storedKeys(storeDir)).toEqual(before);

    // A day later every letter is dated differently: new bytes, new keys, and the old ones gone.
    const next = await seedDemoShop({ db, now: new Date(NOW.getTime() + 24 * 60 * 60 * 1000), files: globalThis.__letterloopFileStore!, appUrl: APP_URL });
    const after = (await db.storedFile.findMany({ where: { shopId: next.shopId }, select: { key: true } })).map((file) => file.key).sort();
    expect(after).toHaveLength(next.letterPdfs);
    expect(after.filter((key) => before.includes(key))).toEqual([]);
    expect(storedKeys(storeDir)).toEqual(after);
  });
});
