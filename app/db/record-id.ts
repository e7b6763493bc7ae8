import { randomFillSync } from "node:crypto";

/**
 * An id for a row the app creates in bulk, where the database cannot hand ids back for every
 * driver: 25 characters like Prisma's cuid() ("c", time in base 36, 64 random bits in hex), so
 * ids made either way look alike, and sort roughly by creation.
 */
export function newRecordId(): string {
  return `c${Date.now().toString(36).padStart(8, "0")}${randomHex16()}`;
}

// Random bytes fetched 4 KiB at a time: a call to the system's generator per id cost more than
// the rest of an imported row.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex16(): string {
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString("hex", offset, offset + 8);
  offset += 8;
  return hex;
}
