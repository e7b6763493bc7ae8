-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shopId_shopifyRequestId_key" ON "DataRequest"("shopId", "shopifyRequestId");

