-- DropIndex
DROP INDEX "Customer_shopId_orderCount_idx";

-- CreateIndex
CREATE INDEX "Customer_shopId_orderCount_lifetimeValueMinor_letterCount_idx" ON "Customer"("shopId", "orderCount", "lifetimeValueMinor", "letterCount");

