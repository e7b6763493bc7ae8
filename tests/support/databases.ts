import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { createDb, type Db } from "../../app/db/client.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { TEST_POSTGRES_URL } from "./postgres-url";

export type TestDatabase = {
  provider: "sqlite" | "postgresql";
  url: string;
  db: Db;
};

const TMP_DIR = path.join(process.cwd(), ".tmp");

/** A fresh, migrated database of its own: a SQLite file, or a PostgreSQL schema. */
export async function createTestDatabase(provider: "sqlite" | "postgresql"): Promise<TestDatabase & { drop: () => Promise<void> }> {
  const name = `t_${process.env.VITEST_POOL_ID ?? "0"}_${randomBytes(5).toString("hex")}`;
  const file = path.join(TMP_DIR, `${name}.db`);
  if (provider === "sqlite") mkdirSync(TMP_DIR, { recursive: true });
  const url = provider === "sqlite" ? `file:${file}` : `${TEST_POSTGRES_URL}?schema=${name}`;
  await migrateDatabase(url);
  const db = createDb(url);
  const removeStorage = async () => {
    if (provider === "sqlite") {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
      return;
    }
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end();
  };
  return {
    provider,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await removeStorage();
    },
  };
}

declare global {
  var __letterloopDb: Db | undefined;
}

/**
 * Runs the same suite on SQLite and on PostgreSQL, each with a database of its own that the
 * app's db() also returns while the suite runs. PostgreSQL is skipped only where global setup
 * found it unreachable outside CI (with a loud notice).
 */
export function describeEachDatabase(title: string, suite: (current: () => TestDatabase) => void) {
  for (const provider of ["sqlite", "postgresql"] as const) {
    const unavailable = provider === "postgresql" && !inject("postgresAvailable");
    describe.skipIf(unavailable)(`${title} [${provider}]`, () => {
      let database: (TestDatabase & { drop: () => Promise<void> }) | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(provider);
        globalThis.__letterloopDb = database.db;
      });
      afterAll(async () => {
        globalThis.__letterloopDb = undefined;
        await database?.drop();
      });
      suite(() => {
        if (!database) throw new Error("test database not ready");
        return database;
      });
    });
  }
}
