-- DropIndex
DROP INDEX "CustomerIdentity_shopId_source_idx";

-- CreateIndex
CREATE INDEX "CustomerIdentity_shopId_source_customerId_idx" ON "CustomerIdentity"("shopId", "source", "customerId");

-- CreateIndex
CREATE INDEX "Checkout_shopId_customerId_abandonedAt_idx" ON "Checkout"("shopId", "customerId", "abandonedAt");

