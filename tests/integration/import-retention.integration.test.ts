import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { LocalDiskFileStore } from "../../app/files/local-disk-file-store.server";
import { removeExpiredImportUploads } from "../../app/services/import-retention.server";
import { storeFile } from "../../app/services/stored-files.server";
import { describeEachDatabase } from "../support/databases";
import { createShop } from "../support/factories";

/**
 * Uploaded CSV files are personal data: a never-imported upload goes after 7 days (its run is
 * cancelled), a finished run's upload 30 days after it finished; the data and the report stay.
 */

const NOW = new Date("2026-11-25T03:00:00.000Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describeEachDatabase("import upload retention", (current) => {
  let store: LocalDiskFileStore;

  beforeAll(() => {
    store = new LocalDiskFileStore(mkdtempSync(path.join(os.tmpdir(), "letterloop-retention-")));
    globalThis.__letterloopFileStore = store;
  });

  it("deletes expired uploads only, cancels the stale draft and keeps everything else", async () => {
    const { db } = current();
    const shop = await createShop(db);
    const other = await createShop(db);
    const upload = async (shopId: string, name: string) =>
      storeFile({ shopId, kind: "IMPORT_UPLOAD", filename: name, contentType: "text/csv", bytes: new TextEncoder().encode("Name,Email\n#1,a@example.de\n") });
    const run = async (shopId: string, name: string, data: { status: "DRAFT" | "SUCCEEDED" | "RUNNING"; createdAt: Date; finishedAt?: Date }) => {
      const file = await upload(shopId, name);
      const created = await db.importRun.create({ data: { shopId, kind: "CSV", originalFilename: name, uploadFileId: file.id, ...data } });
      return { runId: created.id, file };
    };
    const staleDraft = await run(shop.id, "stale-draft.csv", { status: "DRAFT", createdAt: daysAgo(8) });
    const freshDraft = await run(shop.id, "fresh-draft.csv", { status: "DRAFT", createdAt: daysAgo(6) });
    const oldDone = await run(shop.id, "old-done.csv", { status: "SUCCEEDED", createdAt: daysAgo(40), finishedAt: daysAgo(31) });
    const recentDone = await run(shop.id, "recent-done.csv", { status: "SUCCEEDED", createdAt: daysAgo(40), finishedAt: daysAgo(29) });
    const longRunning = await run(shop.id, "running.csv", { status: "RUNNING", createdAt: daysAgo(40) });
    const otherStale = await run(other.id, "other-stale.csv", { status: "DRAFT", createdAt: daysAgo(9) });
    const report = await storeFile({ shopId: shop.id, kind: "IMPORT_REPORT", filename: "old-done-errors.csv", contentType: "text/csv", bytes: new Uint8Array([65]) });
    await db.importRun.update({ where: { id: oldDone.runId }, data: { errorReportFileId: report.id } });

    expect(await removeExpiredImportUploads({ now: NOW })).toEqual({ drafts: 2, finished: 1 });

    const gone = [staleDraft, oldDone, otherStale];
    const kept = [freshDraft, recentDone, longRunning];
    for (const { runId, file } of gone) {
      expect(await db.storedFile.findUnique({ where: { id: file.id } }), file.filename).toBeNull();
      expect(await store.exists(file.key), file.filename).toBe(false);
      expect((await db.importRun.findUniqueOrThrow({ where: { id: runId } })).uploadFileId).toBeNull();
    }
    for (const { runId, file } of kept) {
      expect(await store.exists(file.key), file.filename).toBe(true);
      expect((await db.importRun.findUniqueOrThrow({ where: { id: runId } })).uploadFileId).toBe(file.id);
    }
    const cancelled = await db.importRun.findUniqueOrThrow({ where: { id: staleDraft.runId } });
    expect([cancelled.status, cancelled.failureReason]).toEqual(["CANCELLED", "Not imported within 7 days; the uploaded file was deleted."]);
    expect((await db.importRun.findUniqueOrThrow({ where: { id: oldDone.runId } })).status).toBe("SUCCEEDED");
    // The error report is not the upload: it stays.
    expect(await store.exists(report.key)).toBe(true);

    // A second pass finds nothing more.
    expect(await removeExpiredImportUploads({ now: NOW })).toEqual({ drafts: 0, finished: 0 });
  });
});
