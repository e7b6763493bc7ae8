-- AlterTable
ALTER TABLE "Order" ADD COLUMN "contentDigest" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ImportRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "uploadFileId" TEXT,
    "originalFilename" TEXT,
    "mapping" TEXT,
    "totalRows" INTEGER,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "updatedCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "errorReportFileId" TEXT,
    "failureReason" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "totalBytes" INTEGER,
    "processedBytes" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ImportRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ImportRun" ("createdAt", "createdCount", "cursor", "errorCount", "errorReportFileId", "failureReason", "finishedAt", "id", "kind", "mapping", "originalFilename", "processedRows", "shopId", "skippedCount", "startedAt", "status", "totalRows", "updatedAt", "updatedCount", "uploadFileId") SELECT "createdAt", "createdCount", "cursor", "errorCount", "errorReportFileId", "failureReason", "finishedAt", "id", "kind", "mapping", "originalFilename", "processedRows", "shopId", "skippedCount", "startedAt", "status", "totalRows", "updatedAt", "updatedCount", "uploadFileId" FROM "ImportRun";
DROP TABLE "ImportRun";
ALTER TABLE "new_ImportRun" RENAME TO "ImportRun";
CREATE INDEX "ImportRun_shopId_createdAt_idx" ON "ImportRun"("shopId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

