// Seeds (or re-seeds) the demo shop into DATABASE_URL: `npm run db:seed-demo`. Its letter PDFs
// go to FILE_STORE_DIR (default ./storage), where the app reads them.
// DEMO_NOW=<ISO date> pins the anchor date for byte-identical data across days.
import { createDb } from "../app/db/client.server";
import { seedDemoShop } from "../app/demo/seed-demo.server";
import { requireDatabaseUrl } from "./lib/script-env";

const url = requireDatabaseUrl("file:./prisma/demo.db");
const now = process.env.DEMO_NOW ? new Date(process.env.DEMO_NOW) : undefined;
if (now && Number.isNaN(now.getTime())) {
  console.error(`DEMO_NOW is not a date: ${process.env.DEMO_NOW}`);
  process.exit(1);
}

const db = createDb(url);
try {
  const summary = await seedDemoShop({ db, now });
  const statuses = Object.entries(summary.lettersByStatus)
    .map(([status, count]) => `${status.toLowerCase()} ${count}`)
    .join(", ");
  console.log(
    [
      `Seeded demo shop ${summary.shopDomain} in ${summary.durationMs} ms (dates relative to ${summary.now}):`,
      `  customers       ${summary.customers} (identities ${summary.identities}: ${Object.entries(summary.identitiesBySource).map(([s, n]) => `${s} ${n}`).join(", ")}; ${summary.customersInTwoSources} in two sources)`,
      `  orders          ${summary.orders} (${summary.orderLineItems} line items; ${summary.cancelledOrders} cancelled, ${summary.refundedOrders} refunded, ${summary.unconvertedOrders} without exchange rate)`,
      `  checkouts       ${summary.checkouts.total} (abandoned ${summary.checkouts.abandonedOpen}, recovered ${summary.checkouts.recovered}, completed ${summary.checkouts.completed}, in progress ${summary.checkouts.inProgress})`,
      `  campaigns       ${summary.campaigns} (${summary.campaignRecipients} recipients incl. holdout)`,
      `  letters         ${summary.letters}: ${statuses}`,
      `  letter PDFs     ${summary.letterPdfs} in the file store (rendered in ${summary.letterPdfRenderMs} ms)`,
      `  status events   ${summary.letterStatusEvents}, QR scans ${summary.qrScans}, discount codes ${summary.discountCodes} (${summary.discountCodesAssigned} assigned)`,
      `  customers to try the screens on:`,
      ...Object.entries({
        "2,000 orders": summary.showcase.heavyCustomerId,
        "25 orders": summary.showcase.twentyFiveOrdersCustomerId,
        "Billbee only": summary.showcase.billbeeOnlyCustomerId,
        "Shopify + Billbee": summary.showcase.twoSourceCustomerId,
        redacted: summary.showcase.redactedCustomerId,
        "Жуков": summary.showcase.cyrillicCustomerId,
        "Müller": summary.showcase.muellerCustomerId,
      }).map(([label, id]) => `    ${label.padEnd(18)}/app/customers/${id}`),
    ].join("\n"),
  );
} finally {
  await db.$disconnect();
}
