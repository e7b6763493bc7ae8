import type { Db } from "../db.server";
import type { CustomerStats } from "../core/customer-stats";
import { listCustomerStatsPage, loadStatsInputs, writeCustomerStatsMany } from "../repositories/ingestion-repository.server";
import { computeStatsOf } from "./ingestion.server";

const PAGE = 500;

export type RebuildReport = {
  customers: number;
  /** Customers whose stored statistics differed from the recomputed ones. */
  differing: number;
  /** Up to ten of them, with the first field that differed. */
  examples: { customerId: string; field: keyof CustomerStats; stored: string; computed: string }[];
};

/**
 * Recomputes every customer's statistics of a shop from their orders, letters and checkouts and
 * compares them with what is stored (`npm run stats:rebuild`). The stored figures are kept up to
 * date with every change, so on a healthy shop nothing differs; with `write` the differences are
 * repaired.
 */
export async function rebuildCustomerStats(db: Db, { shopId, now, write }: { shopId: string; now: Date; write: boolean }): Promise<RebuildReport> {
  const report: RebuildReport = { customers: 0, differing: 0, examples: [] };
  let afterId: string | null = null;
  for (;;) {
    const page = await listCustomerStatsPage(db, { shopId, afterId, take: PAGE });
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const inputs = await loadStatsInputs(db, { shopId, customerIds: page.map((customer) => customer.id) });
    const computedStats = computeStatsOf(
      page.map((customer) => customer.id),
      inputs,
      now,
    );
    const corrections: { customerId: string; stats: CustomerStats }[] = [];
    for (const stored of page) {
      report.customers++;
      const computed = computedStats.get(stored.id)!;
      const field = firstDifference(stored, computed);
      if (!field) continue;
      report.differing++;
      if (report.examples.length < 10) {
        report.examples.push({ customerId: stored.id, field, stored: show(stored[field]), computed: show(computed[field]) });
      }
      corrections.push({ customerId: stored.id, stats: computed });
    }
    if (write) await writeCustomerStatsMany(db, { shopId, rows: corrections });
  }
  return report;
}

function firstDifference(stored: CustomerStats, computed: CustomerStats): keyof CustomerStats | null {
  for (const field of Object.keys(computed) as (keyof CustomerStats)[]) {
    if (show(stored[field]) !== show(computed[field])) return field;
  }
  return null;
}

function show(value: CustomerStats[keyof CustomerStats]): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
