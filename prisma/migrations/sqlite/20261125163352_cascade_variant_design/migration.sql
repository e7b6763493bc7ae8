-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AutomationLetterVariant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "designId" TEXT NOT NULL,
    CONSTRAINT "AutomationLetterVariant_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AutomationLetterVariant_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "AutomationTier" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AutomationLetterVariant_designId_fkey" FOREIGN KEY ("designId") REFERENCES "LetterDesign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AutomationLetterVariant" ("designId", "id", "language", "shopId", "tierId") SELECT "designId", "id", "language", "shopId", "tierId" FROM "AutomationLetterVariant";
DROP TABLE "AutomationLetterVariant";
ALTER TABLE "new_AutomationLetterVariant" RENAME TO "AutomationLetterVariant";
CREATE INDEX "AutomationLetterVariant_shopId_idx" ON "AutomationLetterVariant"("shopId");
CREATE UNIQUE INDEX "AutomationLetterVariant_tierId_language_key" ON "AutomationLetterVariant"("tierId", "language");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

