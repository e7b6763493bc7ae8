-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "IntegrationKind" AS ENUM ('BILLBEE', 'PINGEN', 'LOB');

-- CreateEnum
CREATE TYPE "DataSource" AS ENUM ('SHOPIFY', 'BILLBEE', 'CSV', 'API');

-- CreateEnum
CREATE TYPE "OrderFinancialState" AS ENUM ('PENDING', 'AUTHORIZED', 'PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "OrderFulfilmentState" AS ENUM ('UNFULFILLED', 'PARTIAL', 'FULFILLED', 'RESTOCKED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "RecoveryKind" AS ENUM ('CHECKOUT_COMPLETED', 'SAME_CUSTOMER_ORDER');

-- CreateEnum
CREATE TYPE "LetterLayout" AS ENUM ('DIN_5008_B', 'PINGEN_A4', 'US_LETTER_10');

-- CreateEnum
CREATE TYPE "DiscountMode" AS ENUM ('NONE', 'STATIC', 'POOL');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'SCHEDULED', 'SENDING', 'SENT', 'CANCELLED');

-- CreateEnum
CREATE TYPE "RecipientGroup" AS ENUM ('LETTER', 'HOLDOUT');

-- CreateEnum
CREATE TYPE "AutomationStatus" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED');

-- CreateEnum
CREATE TYPE "LanguageMode" AS ENUM ('SINGLE', 'PER_LANGUAGE');

-- CreateEnum
CREATE TYPE "LetterStatus" AS ENUM ('SCHEDULED', 'RENDERED', 'SUBMITTED', 'PRINTED', 'MAILED', 'DELIVERED', 'RETURNED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('SHOPIFY_BACKFILL', 'SHOPIFY_RECONCILE', 'BILLBEE', 'CSV', 'API');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "WebhookEventStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'FAILED', 'IGNORED');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StoredFileKind" AS ENUM ('LETTER_PDF', 'BATCH_PDF', 'IMPORT_UPLOAD', 'IMPORT_REPORT', 'DATA_EXPORT', 'IMAGE');

-- CreateEnum
CREATE TYPE "DataRequestStatus" AS ENUM ('PENDING', 'READY', 'FAILED');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "isDemo" BOOLEAN NOT NULL DEFAULT false,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "emailHashSalt" TEXT NOT NULL,
    "abandonmentThresholdMinutes" INTEGER NOT NULL DEFAULT 60,
    "recoveryWindowDays" INTEGER NOT NULL DEFAULT 7,
    "attributionWindowDays" INTEGER NOT NULL DEFAULT 30,
    "contactCapLetters" INTEGER NOT NULL DEFAULT 1,
    "contactCapDays" INTEGER NOT NULL DEFAULT 30,
    "ordersReconciledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExchangeRate" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "rateToShop" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExchangeRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationAccount" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "IntegrationKind" NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "username" TEXT,
    "secretsEncrypted" TEXT NOT NULL,
    "syncCursor" TEXT,
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntegrationAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "email" TEXT,
    "emailNormalized" TEXT,
    "emailHash" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "company" TEXT,
    "salutation" TEXT,
    "phone" TEXT,
    "language" TEXT,
    "addressName" TEXT,
    "addressLine1" TEXT,
    "addressLine2" TEXT,
    "postalCode" TEXT,
    "city" TEXT,
    "region" TEXT,
    "countryCode" TEXT,
    "searchText" TEXT NOT NULL DEFAULT '',
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "optedOutAt" TIMESTAMP(3),
    "optedOutReason" TEXT,
    "redactedAt" TIMESTAMP(3),
    "lifetimeValueMinor" BIGINT NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "averageOrderValueMinor" BIGINT NOT NULL DEFAULT 0,
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "typicalDaysBetweenOrders" DOUBLE PRECISION,
    "unconvertedOrderCount" INTEGER NOT NULL DEFAULT 0,
    "lastLetterAt" TIMESTAMP(3),
    "letterCount" INTEGER NOT NULL DEFAULT 0,
    "lastScanAt" TIMESTAMP(3),
    "openAbandonedCheckouts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerIdentity" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "source" "DataSource" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OptOutEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "optedOut" BOOLEAN NOT NULL,
    "reason" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOutEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "source" "DataSource" NOT NULL,
    "sourceId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "subtotalMinor" BIGINT,
    "refundedMinor" BIGINT NOT NULL DEFAULT 0,
    "totalShopMinor" BIGINT,
    "refundedShopMinor" BIGINT,
    "financialState" "OrderFinancialState" NOT NULL DEFAULT 'UNKNOWN',
    "fulfilmentState" "OrderFulfilmentState" NOT NULL DEFAULT 'UNKNOWN',
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "checkoutToken" TEXT,
    "email" TEXT,
    "customerLocale" TEXT,
    "shippingCountry" TEXT,
    "discountCodes" TEXT,
    "sourceUpdatedAt" TIMESTAMP(3),
    "live" BOOLEAN NOT NULL DEFAULT false,
    "importRunId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLineItem" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "sourceId" TEXT,
    "productId" TEXT,
    "variantId" TEXT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OrderLineItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checkout" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "token" TEXT NOT NULL,
    "graphqlId" TEXT,
    "cartToken" TEXT,
    "email" TEXT,
    "customerLocale" TEXT,
    "abandonedCheckoutUrl" TEXT,
    "currency" TEXT NOT NULL,
    "valueMinor" BIGINT NOT NULL,
    "sourceCreatedAt" TIMESTAMP(3) NOT NULL,
    "sourceUpdatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "abandonedAt" TIMESTAMP(3),
    "recoveredAt" TIMESTAMP(3),
    "recoveredByOrderId" TEXT,
    "recoveryKind" "RecoveryKind",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckoutLineItem" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "checkoutId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CheckoutLineItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sender" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "company" TEXT,
    "addressLine1" TEXT NOT NULL,
    "addressLine2" TEXT,
    "postalCode" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "countryCode" TEXT NOT NULL,
    "replyEmail" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Sender_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LetterDesign" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "layout" "LetterLayout" NOT NULL DEFAULT 'DIN_5008_B',
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LetterDesign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LetterDesignVersion" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "designId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "fallbackLanguage" TEXT NOT NULL DEFAULT 'en',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LetterDesignVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "audienceFilter" TEXT NOT NULL DEFAULT '{}',
    "designId" TEXT,
    "senderId" TEXT,
    "discountMode" "DiscountMode" NOT NULL DEFAULT 'NONE',
    "staticDiscountCode" TEXT,
    "discountPoolId" TEXT,
    "sendAt" TIMESTAMP(3),
    "holdoutPercent" INTEGER NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignRecipient" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "group" "RecipientGroup" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Automation" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "status" "AutomationStatus" NOT NULL DEFAULT 'DRAFT',
    "delayMinutes" INTEGER NOT NULL DEFAULT 4320,
    "frequencyCapDays" INTEGER NOT NULL DEFAULT 90,
    "languageMode" "LanguageMode" NOT NULL DEFAULT 'SINGLE',
    "fallbackLanguage" TEXT NOT NULL DEFAULT 'en',
    "senderId" TEXT,
    "discountMode" "DiscountMode" NOT NULL DEFAULT 'NONE',
    "staticDiscountCode" TEXT,
    "activatedAt" TIMESTAMP(3),
    "pausedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Automation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationTier" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "automationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "minMinor" BIGINT NOT NULL,
    "maxMinor" BIGINT,
    "discountPoolId" TEXT,

    CONSTRAINT "AutomationTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationLetterVariant" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "designId" TEXT NOT NULL,

    CONSTRAINT "AutomationLetterVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Letter" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "campaignId" TEXT,
    "automationId" TEXT,
    "tierId" TEXT,
    "triggerOrderId" TEXT,
    "checkoutId" TEXT,
    "designVersionId" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "status" "LetterStatus" NOT NULL DEFAULT 'SCHEDULED',
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "qrToken" TEXT NOT NULL,
    "discountCode" TEXT,
    "recipientSnapshot" TEXT,
    "senderSnapshot" TEXT,
    "fileId" TEXT,
    "contentHash" TEXT,
    "pageCount" INTEGER,
    "provider" TEXT,
    "providerRef" TEXT,
    "costMinor" BIGINT,
    "costCurrency" TEXT,
    "renderedAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "mailedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "firstScanAt" TIMESTAMP(3),
    "lastScanAt" TIMESTAMP(3),
    "scanCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LetterStatusEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "letterId" TEXT NOT NULL,
    "status" "LetterStatus" NOT NULL,
    "reason" TEXT,
    "actor" TEXT NOT NULL DEFAULT 'system',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LetterStatusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QrScan" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "letterId" TEXT NOT NULL,
    "scannedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deviceClass" TEXT NOT NULL,

    CONSTRAINT "QrScan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCodePool" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lowWarningAt" INTEGER NOT NULL DEFAULT 50,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCodePool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCode" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "poolId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "letterId" TEXT,
    "assignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'QUEUED',
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
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRowError" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "importRunId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "column" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportRowError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" TEXT NOT NULL,
    "status" "WebhookEventStatus" NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "shopId" TEXT,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dedupeKey" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" "StoredFileKind" NOT NULL,
    "key" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "shopifyCustomerId" TEXT,
    "shopifyRequestId" TEXT,
    "status" "DataRequestStatus" NOT NULL DEFAULT 'PENDING',
    "fileId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeRate_shopId_currency_key" ON "ExchangeRate"("shopId", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationAccount_shopId_kind_key" ON "IntegrationAccount"("shopId", "kind");

-- CreateIndex
CREATE INDEX "Customer_shopId_emailNormalized_idx" ON "Customer"("shopId", "emailNormalized");

-- CreateIndex
CREATE INDEX "Customer_shopId_emailHash_idx" ON "Customer"("shopId", "emailHash");

-- CreateIndex
CREATE INDEX "Customer_shopId_lifetimeValueMinor_idx" ON "Customer"("shopId", "lifetimeValueMinor");

-- CreateIndex
CREATE INDEX "Customer_shopId_orderCount_idx" ON "Customer"("shopId", "orderCount");

-- CreateIndex
CREATE INDEX "Customer_shopId_lastOrderAt_idx" ON "Customer"("shopId", "lastOrderAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_firstOrderAt_idx" ON "Customer"("shopId", "firstOrderAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_lastLetterAt_idx" ON "Customer"("shopId", "lastLetterAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_searchText_idx" ON "Customer"("shopId", "searchText");

-- CreateIndex
CREATE INDEX "Customer_shopId_countryCode_idx" ON "Customer"("shopId", "countryCode");

-- CreateIndex
CREATE INDEX "Customer_shopId_language_idx" ON "Customer"("shopId", "language");

-- CreateIndex
CREATE INDEX "Customer_shopId_optedOut_idx" ON "Customer"("shopId", "optedOut");

-- CreateIndex
CREATE INDEX "Customer_shopId_createdAt_idx" ON "Customer"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerIdentity_customerId_idx" ON "CustomerIdentity"("customerId");

-- CreateIndex
CREATE INDEX "CustomerIdentity_shopId_source_idx" ON "CustomerIdentity"("shopId", "source");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerIdentity_shopId_source_sourceId_key" ON "CustomerIdentity"("shopId", "source", "sourceId");

-- CreateIndex
CREATE INDEX "OptOutEvent_shopId_customerId_createdAt_idx" ON "OptOutEvent"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Order_shopId_customerId_placedAt_idx" ON "Order"("shopId", "customerId", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shopId_checkoutToken_idx" ON "Order"("shopId", "checkoutToken");

-- CreateIndex
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");

-- CreateIndex
CREATE INDEX "Order_shopId_live_placedAt_idx" ON "Order"("shopId", "live", "placedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_source_sourceId_key" ON "Order"("shopId", "source", "sourceId");

-- CreateIndex
CREATE INDEX "OrderLineItem_orderId_position_idx" ON "OrderLineItem"("orderId", "position");

-- CreateIndex
CREATE INDEX "OrderLineItem_shopId_sku_idx" ON "OrderLineItem"("shopId", "sku");

-- CreateIndex
CREATE INDEX "OrderLineItem_shopId_productId_idx" ON "OrderLineItem"("shopId", "productId");

-- CreateIndex
CREATE INDEX "Checkout_shopId_customerId_sourceCreatedAt_idx" ON "Checkout"("shopId", "customerId", "sourceCreatedAt");

-- CreateIndex
CREATE INDEX "Checkout_shopId_abandonedAt_idx" ON "Checkout"("shopId", "abandonedAt");

-- CreateIndex
CREATE INDEX "Checkout_shopId_completedAt_abandonedAt_idx" ON "Checkout"("shopId", "completedAt", "abandonedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Checkout_shopId_token_key" ON "Checkout"("shopId", "token");

-- CreateIndex
CREATE INDEX "CheckoutLineItem_checkoutId_position_idx" ON "CheckoutLineItem"("checkoutId", "position");

-- CreateIndex
CREATE INDEX "Sender_shopId_idx" ON "Sender"("shopId");

-- CreateIndex
CREATE INDEX "LetterDesign_shopId_idx" ON "LetterDesign"("shopId");

-- CreateIndex
CREATE INDEX "LetterDesignVersion_shopId_idx" ON "LetterDesignVersion"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "LetterDesignVersion_designId_version_key" ON "LetterDesignVersion"("designId", "version");

-- CreateIndex
CREATE INDEX "Campaign_shopId_status_sendAt_idx" ON "Campaign"("shopId", "status", "sendAt");

-- CreateIndex
CREATE INDEX "CampaignRecipient_shopId_customerId_idx" ON "CampaignRecipient"("shopId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRecipient_campaignId_customerId_key" ON "CampaignRecipient"("campaignId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Automation_shopId_key" ON "Automation"("shopId");

-- CreateIndex
CREATE INDEX "AutomationTier_shopId_idx" ON "AutomationTier"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationTier_automationId_position_key" ON "AutomationTier"("automationId", "position");

-- CreateIndex
CREATE INDEX "AutomationLetterVariant_shopId_idx" ON "AutomationLetterVariant"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationLetterVariant_tierId_language_key" ON "AutomationLetterVariant"("tierId", "language");

-- CreateIndex
CREATE UNIQUE INDEX "Letter_qrToken_key" ON "Letter"("qrToken");

-- CreateIndex
CREATE UNIQUE INDEX "Letter_fileId_key" ON "Letter"("fileId");

-- CreateIndex
CREATE INDEX "Letter_shopId_customerId_createdAt_idx" ON "Letter"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Letter_shopId_campaignId_status_idx" ON "Letter"("shopId", "campaignId", "status");

-- CreateIndex
CREATE INDEX "Letter_shopId_automationId_createdAt_idx" ON "Letter"("shopId", "automationId", "createdAt");

-- CreateIndex
CREATE INDEX "Letter_shopId_status_scheduledFor_idx" ON "Letter"("shopId", "status", "scheduledFor");

-- CreateIndex
CREATE UNIQUE INDEX "Letter_shopId_dedupeKey_key" ON "Letter"("shopId", "dedupeKey");

-- CreateIndex
CREATE INDEX "LetterStatusEvent_letterId_at_idx" ON "LetterStatusEvent"("letterId", "at");

-- CreateIndex
CREATE INDEX "QrScan_letterId_scannedAt_idx" ON "QrScan"("letterId", "scannedAt");

-- CreateIndex
CREATE INDEX "QrScan_shopId_scannedAt_idx" ON "QrScan"("shopId", "scannedAt");

-- CreateIndex
CREATE INDEX "DiscountCodePool_shopId_idx" ON "DiscountCodePool"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_letterId_key" ON "DiscountCode"("letterId");

-- CreateIndex
CREATE INDEX "DiscountCode_poolId_letterId_idx" ON "DiscountCode"("poolId", "letterId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_poolId_code_key" ON "DiscountCode"("poolId", "code");

-- CreateIndex
CREATE INDEX "ImportRun_shopId_createdAt_idx" ON "ImportRun"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "ImportRowError_importRunId_line_idx" ON "ImportRowError"("importRunId", "line");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopDomain_topic_eventId_idx" ON "WebhookEvent"("shopDomain", "topic", "eventId");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_webhookId_key" ON "WebhookEvent"("shopDomain", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "Job_dedupeKey_key" ON "Job"("dedupeKey");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_status_lockedUntil_idx" ON "Job"("status", "lockedUntil");

-- CreateIndex
CREATE INDEX "Job_shopId_name_idx" ON "Job"("shopId", "name");

-- CreateIndex
CREATE INDEX "StoredFile_shopId_kind_createdAt_idx" ON "StoredFile"("shopId", "kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StoredFile_shopId_key_key" ON "StoredFile"("shopId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_shopId_idx" ON "ApiKey"("shopId");

-- CreateIndex
CREATE INDEX "DataRequest_shopId_createdAt_idx" ON "DataRequest"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "ExchangeRate" ADD CONSTRAINT "ExchangeRate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationAccount" ADD CONSTRAINT "IntegrationAccount_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerIdentity" ADD CONSTRAINT "CustomerIdentity_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerIdentity" ADD CONSTRAINT "CustomerIdentity_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOutEvent" ADD CONSTRAINT "OptOutEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OptOutEvent" ADD CONSTRAINT "OptOutEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLineItem" ADD CONSTRAINT "OrderLineItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLineItem" ADD CONSTRAINT "OrderLineItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkout" ADD CONSTRAINT "Checkout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkout" ADD CONSTRAINT "Checkout_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkout" ADD CONSTRAINT "Checkout_recoveredByOrderId_fkey" FOREIGN KEY ("recoveredByOrderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutLineItem" ADD CONSTRAINT "CheckoutLineItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutLineItem" ADD CONSTRAINT "CheckoutLineItem_checkoutId_fkey" FOREIGN KEY ("checkoutId") REFERENCES "Checkout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sender" ADD CONSTRAINT "Sender_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LetterDesign" ADD CONSTRAINT "LetterDesign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LetterDesignVersion" ADD CONSTRAINT "LetterDesignVersion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LetterDesignVersion" ADD CONSTRAINT "LetterDesignVersion_designId_fkey" FOREIGN KEY ("designId") REFERENCES "LetterDesign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_designId_fkey" FOREIGN KEY ("designId") REFERENCES "LetterDesign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_discountPoolId_fkey" FOREIGN KEY ("discountPoolId") REFERENCES "DiscountCodePool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignRecipient" ADD CONSTRAINT "CampaignRecipient_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignRecipient" ADD CONSTRAINT "CampaignRecipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignRecipient" ADD CONSTRAINT "CampaignRecipient_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Automation" ADD CONSTRAINT "Automation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Automation" ADD CONSTRAINT "Automation_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationTier" ADD CONSTRAINT "AutomationTier_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationTier" ADD CONSTRAINT "AutomationTier_automationId_fkey" FOREIGN KEY ("automationId") REFERENCES "Automation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationTier" ADD CONSTRAINT "AutomationTier_discountPoolId_fkey" FOREIGN KEY ("discountPoolId") REFERENCES "DiscountCodePool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationLetterVariant" ADD CONSTRAINT "AutomationLetterVariant_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationLetterVariant" ADD CONSTRAINT "AutomationLetterVariant_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "AutomationTier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationLetterVariant" ADD CONSTRAINT "AutomationLetterVariant_designId_fkey" FOREIGN KEY ("designId") REFERENCES "LetterDesign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_automationId_fkey" FOREIGN KEY ("automationId") REFERENCES "Automation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "AutomationTier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_triggerOrderId_fkey" FOREIGN KEY ("triggerOrderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_checkoutId_fkey" FOREIGN KEY ("checkoutId") REFERENCES "Checkout"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_designVersionId_fkey" FOREIGN KEY ("designVersionId") REFERENCES "LetterDesignVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Letter" ADD CONSTRAINT "Letter_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LetterStatusEvent" ADD CONSTRAINT "LetterStatusEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LetterStatusEvent" ADD CONSTRAINT "LetterStatusEvent_letterId_fkey" FOREIGN KEY ("letterId") REFERENCES "Letter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QrScan" ADD CONSTRAINT "QrScan_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QrScan" ADD CONSTRAINT "QrScan_letterId_fkey" FOREIGN KEY ("letterId") REFERENCES "Letter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodePool" ADD CONSTRAINT "DiscountCodePool_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "DiscountCodePool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_letterId_fkey" FOREIGN KEY ("letterId") REFERENCES "Letter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRowError" ADD CONSTRAINT "ImportRowError_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRowError" ADD CONSTRAINT "ImportRowError_importRunId_fkey" FOREIGN KEY ("importRunId") REFERENCES "ImportRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

