import { randomBytes } from "node:crypto";

/**
 * An id for a row the app creates in bulk, where the database cannot hand ids back for every
 * driver: 25 characters like Prisma's cuid() ("c", time in base 36, 64 random bits in hex), so
 * ids made either way look alike, and sort roughly by creation.
 */
export function newRecordId(): string {
  return `c${Date.now().toString(36).padStart(8, "0")}${randomBytes(8).toString("hex")}`;
}
