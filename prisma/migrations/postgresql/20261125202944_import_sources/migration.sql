-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'DRAFT' BEFORE 'QUEUED';

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "contentDigest" TEXT;

-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "processedBytes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "totalBytes" INTEGER;

