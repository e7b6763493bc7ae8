import type { Db } from "../db.server";
import { findCheckoutsDueForAbandonment, listInstalledShopsForSweep } from "../repositories/ingestion-repository.server";
import { reviewCheckouts } from "./ingestion.server";

const CHUNK = 200;

/**
 * Marks every checkout whose abandonment threshold passed by `now` (the periodic job; checkouts
 * that arrive already past it are marked as they are ingested). Returns how many changed.
 */
export async function reviewDueCheckouts(db: Db, { now }: { now: Date }): Promise<{ shops: number; checkouts: number }> {
  const shops = await listInstalledShopsForSweep(db);
  let checkouts = 0;
  for (const shop of shops) {
    const activityBefore = new Date(now.getTime() - shop.abandonmentThresholdMinutes * 60_000);
    for (;;) {
      const ids = await findCheckoutsDueForAbandonment(db, { shopId: shop.id, activityBefore, limit: CHUNK });
      if (ids.length === 0) break;
      const { changed } = await reviewCheckouts(db, { shopId: shop.id, checkoutIds: ids, now });
      checkouts += changed;
      // A due checkout the rules leave open (e.g. its order is dated in the future) would come back forever.
      if (changed < ids.length) break;
    }
  }
  return { shops: shops.length, checkouts };
}
