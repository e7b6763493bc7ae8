// Recomputes every customer's statistics from their orders and compares them with what is stored:
//   npm run stats:rebuild                      repair every shop, report what differed
//   npm run stats:rebuild -- --check           only report; exit 1 when anything differs
//   npm run stats:rebuild -- --shop x.myshopify.com
import { parseArgs } from "node:util";
import { db } from "../app/db.server";
import { rebuildCustomerStats } from "../app/services/customer-stats-rebuild.server";
import { requireDatabaseUrl } from "./lib/script-env";

requireDatabaseUrl("file:./prisma/dev.db");
const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, shop: { type: "string" } } });

const shops = await db().shop.findMany({ where: values.shop ? { domain: values.shop } : {}, select: { id: true, domain: true } });
if (values.shop && shops.length === 0) {
  console.error(`No shop ${values.shop} in this database.`);
  process.exit(1);
}
let differing = 0;
for (const shop of shops) {
  const started = performance.now();
  const report = await rebuildCustomerStats(db(), { shopId: shop.id, now: new Date(), write: !values.check });
  differing += report.differing;
  const verb = values.check ? "differ" : "repaired";
  console.info(`${shop.domain}: ${report.customers} customers, ${report.differing} ${verb} (${Math.round(performance.now() - started)} ms)`);
  for (const example of report.examples) {
    console.info(`  ${example.customerId} ${example.field}: stored ${example.stored}, computed ${example.computed}`);
  }
}
await db().$disconnect();
process.exit(values.check && differing > 0 ? 1 : 0);
