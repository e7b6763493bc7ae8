// Creates an import API key for a shop and prints it once (for operators and the demo):
//   npm run api-key:create -- <shop-domain> [name]
//   npm run api-key:create -- letterloop-demo.myshopify.com "Demo ERP"
// The key is stored only as a hash; this output is the only place it appears.
import { AppError } from "../app/core/app-error";
import { db } from "../app/db.server";
import { DEMO_SHOP_DOMAIN } from "../app/env.server";
import { createApiKeyForShopDomain } from "../app/services/api-keys.server";
import { requireDatabaseUrl } from "./lib/script-env";

// The same default as scripts/demo.mjs.
const DEMO_DATABASE_URL = "file:./prisma/demo.db";

const [domain, ...nameParts] = process.argv.slice(2).filter((arg) => arg !== "--");
if (!domain || domain.startsWith("-")) {
  console.error("Usage: npm run api-key:create -- <shop-domain> [name]");
  process.exit(2);
}
// The demo shop lives in the database `npm run demo` uses, unless DATABASE_URL says otherwise.
if (domain === DEMO_SHOP_DOMAIN && !process.env.DATABASE_URL) process.env.DATABASE_URL = DEMO_DATABASE_URL;
requireDatabaseUrl("file:./prisma/dev.db");
const name = nameParts.join(" ").trim() || "Command line";

try {
  const created = await createApiKeyForShopDomain({ domain, name, now: new Date() });
  const appUrl = (process.env.SHOPIFY_APP_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/$/, "");
  console.info(`API key "${created.name}" for ${created.shop.domain} (shown only now; it is stored hashed):\n`);
  console.info(`  ${created.key}\n`);
  console.info("Try it:\n");
  console.info(`  curl -s -H "Authorization: Bearer ${created.key}" "${appUrl}/api/v1/customers?email=ada@example.com"\n`);
  console.info(
    `  curl -s -X POST -H "Authorization: Bearer ${created.key}" -H "Content-Type: application/json" "${appUrl}/api/v1/orders" \\\n` +
      `    --data '{"orders":[{"sourceId":"ERP-1001","number":"1001","placedAt":"2025-03-01T10:15:00Z","currency":"EUR","total":"49.90",` +
      `"customer":{"sourceId":"C-1","email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"},` +
      `"items":[{"title":"Espresso beans","sku":"ESP-1","quantity":2,"unitPrice":"24.95"}]}]}'\n`,
  );
  console.info(`The API description: ${appUrl}/api/v1/openapi.json`);
} catch (error) {
  if (error instanceof AppError) {
    console.error(`${error.message}. Shops in this database are created when the app is installed (or by npm run demo).`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await db().$disconnect();
}
