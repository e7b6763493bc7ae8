import { createDb, type Db } from "./db/client.server";
import { env } from "./env.server";

export type { Db } from "./db/client.server";

declare global {
  // Survives Vite's module reloads in development, so connections are not leaked.
  var __letterloopDb: Db | undefined;
}

/** The process-wide database client for DATABASE_URL. */
export function db(): Db {
  globalThis.__letterloopDb ??= createDb(env().databaseUrl);
  return globalThis.__letterloopDb;
}
